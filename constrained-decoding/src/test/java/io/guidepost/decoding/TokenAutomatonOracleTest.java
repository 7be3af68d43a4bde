package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.ByteDfa;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.Regex;
import io.guidepost.grammar.Template;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Duels the token automaton against a brute-force oracle that runs every token's bytes through the
 * DFA: for every state reached by seeded random walks (and every state of small DFAs), the mask
 * must equal the oracle's and next states must agree.
 */
class TokenAutomatonOracleTest {

  static ByteDfa dfa(String kind, long seed) {
    Random rnd = new Random(seed);
    return switch (kind) {
      case "code" -> TestDfas.code();
      case "email" -> TestDfas.email();
      case "json" -> TestDfas.jsonish();
      case "choice" -> {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          words.add(
              (char) ('A' + rnd.nextInt(26))
                  + String.format("%02d", rnd.nextInt(100))
                  + (rnd.nextBoolean() ? "." + rnd.nextInt(10) : ""));
        }
        words.add("Müller-Lüdenscheidt");
        words.add("Muller");
        yield TestDfas.words(words);
      }
      case "quote" -> TestDfas.literalDfa("Zoë said: \"the quick brown fox\" — 42 times.");
      case "regex_code" -> Regex.compile("[A-Z][0-9]{2}\\.[0-9]{1,2}").dfa();
      case "regex_email" -> Regex.compile("[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,4}").dfa();
      case "regex_misc" ->
          Regex.compile(
                  "(yes|no|maybe)|\"[^\"\\\\]{0,12}\"|-?(0|[1-9][0-9]{0,3})(\\.[0-9]+)?|[αβγ😀]+")
              .dfa();
      case "choice_real" -> {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          words.add(
              (char) ('A' + rnd.nextInt(26))
                  + String.format("%02d.%d", rnd.nextInt(100), rnd.nextInt(10)));
        }
        words.add("Zoë Łukasiewicz");
        yield Choice.compile(words).dfa();
      }
      case "json_patient" -> {
        try {
          yield BenchWorkloads.load("json_patient").compileDfa();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      case "json_schema" ->
          JsonSchema.compile(
                  "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"},"
                      + "\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"bé\",\"c d\"]},"
                      + "\"maxItems\":3},\"n\":{\"type\":\"number\"}},"
                      + "\"required\":[\"ok\",\"tags\"],\"additionalProperties\":false}")
              .dfa();
      case "template" ->
          Template.builder()
              .literal("Code: ")
              .regex("code", "[A-Z][0-9]{2}")
              .literal("\nVerdict: ")
              .choice("verdict", List.of("confirmed", "ruled out", "unclear"))
              .literal("\nWhy: ")
              .freeText("why", "\n", 30)
              .compile()
              .dfa();
      case "random" -> TestDfas.random(rnd, 2 + rnd.nextInt(40), "abcxyz.{}\" é0123456789");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String kind :
        new String[] {
          "code",
          "email",
          "json",
          "choice",
          "quote",
          "random",
          "regex_code",
          "regex_email",
          "regex_misc",
          "choice_real",
          "json_patient",
          "json_schema",
          "template"
        }) {
      for (long seed = 1; seed <= (kind.equals("random") ? 6 : 2); seed++) {
        out.add(Arguments.of(kind, seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "phi3 {0} seed {1}")
  @MethodSource("cases")
  void phi3MatchesOracle(String kind, long seed) {
    duel(TestVocabularies.phi3(), dfa(kind, seed), seed);
  }

  @ParameterizedTest(name = "synthetic {0} seed {1}")
  @MethodSource("cases")
  void syntheticMatchesOracle(String kind, long seed) {
    duel(TestVocabularies.synthetic(seed), dfa(kind, seed), seed);
  }

  private static void duel(Vocabulary vocab, ByteDfa dfa, long seed) {
    // Half the cases precompute every state, half compute lazily; a tiny budget forces refusals.
    TokenAutomaton.Options options =
        seed % 2 == 0
            ? new TokenAutomaton.Options(64L << 20, 1_000)
            : new TokenAutomaton.Options(200_000, 0);
    TokenAutomaton a = TokenAutomaton.compile(dfa, vocab, options);
    Set<Integer> checked = new HashSet<>();
    if (dfa.stateCount() <= 60) {
      for (int s = 0; s < dfa.stateCount(); s++) {
        assertMatchesOracle(a, s);
        checked.add(s);
      }
    }
    Random rnd = new Random(seed * 31 + 7);
    long[] mask = new long[(vocab.logitsSize() + 63) >>> 6];
    long[] expected = new long[mask.length];
    for (int walk = 0; walk < 8; walk++) {
      TokenCursor c = a.newCursor();
      for (int step = 0; step < 80; step++) {
        int s = c.state();
        if (checked.add(s)) {
          assertMatchesOracle(a, s);
        }
        c.fillMask(mask);
        a.fillMask(s, expected);
        assertTrue(Arrays.equals(expected, mask), "cursor mask equals automaton mask");
        int[] allowed = setBits(mask, vocab.logitsSize());
        if (allowed.length == 0) {
          break;
        }
        int t = allowed[rnd.nextInt(allowed.length)];
        boolean eos = vocab.isEos(t);
        c.advance(t);
        if (eos) {
          assertTrue(c.isFinished());
          assertTrue(c.isComplete());
          c.fillMask(mask);
          assertEquals(0, setBits(mask, vocab.logitsSize()).length);
          break;
        }
      }
    }
    assertTrue(checked.size() >= 1);
    assertTrue(a.cacheBytes() <= options.maxCacheBytes());
  }

  /** The oracle: every id checked by running its bytes through the DFA. */
  static void assertMatchesOracle(TokenAutomaton a, int state) {
    Vocabulary v = a.vocabulary();
    ByteDfa d = a.dfa();
    long[] mask = new long[((v.logitsSize() + 63) >>> 6) + 1];
    Arrays.fill(mask, -1L); // fillMask must clear what it does not set
    a.fillMask(state, mask);
    StateMask m = a.mask(state);
    int count = 0;
    for (int t = 0; t < mask.length * 64; t++) {
      boolean expected;
      int next = -1;
      if (t >= v.logitsSize()) {
        expected = false;
      } else if (v.isEos(t)) {
        expected = d.isAccepting(state);
      } else if (v.isSpecial(t) || v.isPadding(t) || v.tokenLength(t) == 0) {
        expected = false;
      } else {
        byte[] bs = v.tokenBytes(t);
        next = d.run(state, bs, 0, bs.length);
        expected = next >= 0 && d.isLive(next);
      }
      boolean actual = (mask[t >>> 6] & (1L << t)) != 0;
      if (expected != actual) {
        throw new AssertionError(
            "state "
                + state
                + " token "
                + t
                + " '"
                + v.tokenString(t)
                + "': oracle "
                + expected
                + ", mask "
                + actual);
      }
      if (t < v.logitsSize()) {
        assertEquals(expected, m.contains(t));
        if (expected && !v.isEos(t)) {
          assertEquals(next, a.step(state, t), "next state of token " + t);
        }
        // The public lookups recompute an uncached mask, so they are sampled.
        if (t % 61 == 0 || (expected && count < 100)) {
          assertEquals(expected, a.isAllowed(state, t));
          assertEquals(expected && !v.isEos(t) ? next : -1, a.nextState(state, t));
        }
      }
      if (expected) {
        count++;
      }
    }
    assertEquals(count, a.allowedCount(state));
  }

  static int[] setBits(long[] mask, int limit) {
    int n = 0;
    int[] out = new int[limit];
    for (int t = 0; t < limit; t++) {
      if ((mask[t >>> 6] & (1L << t)) != 0) {
        out[n++] = t;
      }
    }
    return Arrays.copyOf(out, n);
  }

  @ParameterizedTest(name = "rejects a token outside the mask, seed {0}")
  @MethodSource("seeds")
  void advanceRejectsTokensOutsideTheMask(long seed) {
    Vocabulary v = TestVocabularies.synthetic(seed);
    TokenCursor c = TokenAutomaton.compile(TestDfas.code(), v).newCursor();
    long[] mask = new long[(v.logitsSize() + 63) >>> 6];
    c.fillMask(mask);
    Random rnd = new Random(seed);
    for (int i = 0; i < 50; i++) {
      int t = rnd.nextInt(v.logitsSize());
      boolean allowed = (mask[t >>> 6] & (1L << t)) != 0;
      assertEquals(allowed, c.isAllowed(t));
      if (!allowed) {
        int tt = t;
        assertThrows(IllegalArgumentException.class, () -> c.advance(tt));
      }
    }
    assertFalse(c.isAccepting());
  }

  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L);
  }

  @org.junit.jupiter.api.Test
  void emptyLanguageIsRejectedWithATypedError() {
    ByteDfa.Builder b = ByteDfa.builder();
    b.addState(false);
    io.guidepost.grammar.EmptyConstraintException e =
        assertThrows(
            io.guidepost.grammar.EmptyConstraintException.class,
            () -> TokenAutomaton.compile(b.build(), TestVocabularies.synthetic(1)));
    assertEquals("empty-language", e.type());
  }

  @org.junit.jupiter.api.Test
  void compiledConstraintWithoutBoundsMasksLikeItsDfa() {
    Vocabulary v = TestVocabularies.phi3();
    io.guidepost.grammar.CompiledConstraint c = Regex.compile("(red|green|blue)( [0-9]+)?");
    TokenAutomaton a = TokenAutomaton.compile(c, v);
    TokenAutomaton plain = TokenAutomaton.compile(c.dfa(), v);
    long[] m1 = new long[(v.logitsSize() + 63) >>> 6];
    long[] m2 = new long[m1.length];
    TokenCursor cursor = a.newCursor();
    cursor.fillMask(m1);
    plain.fillMask(plain.initialState(), m2);
    assertTrue(Arrays.equals(m1, m2));
    for (int t : new int[] {v.idOf("green"), v.idOf("▁"), v.idOf("4"), v.idOf("2")}) {
      cursor.advance(t);
    }
    assertTrue(cursor.isAccepting());
    assertFalse(cursor.isComplete());
  }
}
