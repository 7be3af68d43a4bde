package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.ByteDfa;
import io.guidepost.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fast-forward on Phi-3: forced tokens spell the forced bytes and are always in the mask. */
class ForcedTokensTest {
  private static Tokenizer tokenizer;
  private static Vocabulary vocab;
  private static ForcedTokens forced;

  @BeforeAll
  static void load() throws IOException {
    vocab = TestVocabularies.phi3();
    tokenizer = Tokenizer.load(SharedData.require("data/phi3/tokenizer.json"));
    forced = new ForcedTokens(tokenizer, vocab);
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  private static String spell(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(vocab.tokenBytes(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void wholeQuoteIsForcedAndSpelledExactly() {
    String quote = "Zoë said: \"the quick brown fox\" — 42 times.";
    TokenCursor c = TokenAutomaton.compile(TestDfas.literalDfa(quote), vocab).newCursor();
    assertEquals(quote, new String(c.forcedBytes(), StandardCharsets.UTF_8));
    int[] ids = forced.next(c, 1000);
    assertEquals(quote, spell(ids), "nothing can follow, so no token is held back");
    assertArrayEquals(forced.tokenizeContinuation(quote.getBytes(StandardCharsets.UTF_8)), ids);
    assertTrue(c.isComplete());
    assertEquals(ids.length, c.forcedTokenCount());
    assertEquals(0, c.forcedBytes().length);
  }

  @Test
  void jsonKeyPrefixHoldsBackTheBoundaryToken() {
    TokenCursor c = TokenAutomaton.compile(TestDfas.jsonish(), vocab).newCursor();
    String f = new String(c.forcedBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"name\": \"", f);
    int[] canonical = forced.tokenizeContinuation(c.forcedBytes());
    assertEquals(f, spell(canonical));
    int[] ids = forced.next(c, 1000);
    assertArrayEquals(Arrays.copyOf(canonical, canonical.length - 1), ids);
    // Matches how the benchmark's reference tokenization starts: {" name ": ▁"
    assertArrayEquals(new int[] {6377, 978, 1115}, ids);
    assertEquals(3, c.forcedTokenCount());
    // The held-back ▁" is now forced bytes again, a single token: held back again.
    assertEquals(" \"", new String(c.forcedBytes(), StandardCharsets.UTF_8));
    assertEquals(0, forced.next(c, 1000).length);
  }

  @Test
  void respectsTheTokenBudget() {
    String quote = "a fairly long literal sentence with several tokens in it";
    TokenCursor c = TokenAutomaton.compile(TestDfas.literalDfa(quote), vocab).newCursor();
    assertEquals(2, forced.next(c, 2).length);
    assertEquals(2, c.tokenCount());
  }

  @Test
  void partialUtf8IsCutAtACharacterBoundary() {
    assertEquals(2, ForcedTokens.wellFormedPrefix(new byte[] {'a', 'b', (byte) 0xC3}));
    assertEquals(3, ForcedTokens.wellFormedPrefix("aé".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, ForcedTokens.wellFormedPrefix(new byte[] {(byte) 0xA9}));
  }

  /** wellFormedPrefix duelled against the JDK's strict decoder: the longest prefix it accepts. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void wellFormedPrefixAgreesWithTheStrictDecoder(long seed) {
    Random rnd = new Random(seed);
    String[] pieces = {"a", "é", "€", "😀", "中", "\u07FF", "\uFFFD"};
    for (int trial = 0; trial < 400; trial++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int parts = rnd.nextInt(6);
      for (int p = 0; p < parts; p++) {
        if (rnd.nextInt(4) == 0) {
          out.write(rnd.nextInt(256)); // any byte: lone continuation, overlong lead, F5..FF
        } else {
          byte[] c = pieces[rnd.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8);
          out.write(c, 0, rnd.nextInt(5) == 0 ? rnd.nextInt(c.length) + 1 : c.length);
        }
      }
      byte[] b = out.toByteArray();
      int expected = 0;
      for (int k = b.length; k >= 0; k--) {
        try {
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
              .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(b, 0, k));
          expected = k;
          break;
        } catch (java.nio.charset.CharacterCodingException e) {
          // try a shorter prefix
        }
      }
      assertEquals(expected, ForcedTokens.wellFormedPrefix(b), Arrays.toString(b));
    }
  }

  @Test
  void longestMatchFallbackSpellsTheText() {
    byte[] text = "{\"code\": \"E11.65\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(new String(text, StandardCharsets.UTF_8), spell(forced.longestMatch(text)));
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 6);
  }

  /** Random walks mixing sampled and forced tokens never advance a token outside the mask. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void forcedTokensAreAlwaysInTheMask(long seed) {
    String kind = new String[] {"json", "choice", "email", "code", "quote", "json"}[(int) seed - 1];
    ByteDfa dfa = TokenAutomatonOracleTest.dfa(kind, seed);
    TokenAutomaton a = TokenAutomaton.compile(dfa, vocab);
    Random rnd = new Random(seed);
    long[] mask = new long[(vocab.logitsSize() + 63) >>> 6];
    for (int walk = 0; walk < 5; walk++) {
      TokenCursor c = a.newCursor();
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      for (int step = 0; step < 60 && !c.isFinished(); step++) {
        byte[] f = c.forcedBytes();
        int[] ids = forced.next(c, 64);
        // The forced tokens spell a prefix of the forced bytes and what they leave is still forced.
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int id : ids) {
          whole.writeBytes(vocab.tokenBytes(id));
        }
        whole.writeBytes(c.forcedBytes());
        assertArrayEquals(f, whole.toByteArray(), "forced tokens + remaining forced bytes");
        for (int id : ids) {
          text.writeBytes(vocab.tokenBytes(id));
        }
        c.fillMask(mask);
        int[] allowed = TokenAutomatonOracleTest.setBits(mask, vocab.logitsSize());
        if (allowed.length == 0) {
          break;
        }
        int t = allowed[rnd.nextInt(allowed.length)];
        if (!vocab.isEos(t)) {
          text.writeBytes(vocab.tokenBytes(t));
        }
        c.advance(t);
      }
      if (c.isFinished()) {
        assertTrue(dfa.matches(text.toByteArray()), "accepted: " + text);
      } else {
        assertTrue(dfa.matchesPrefix(text.toByteArray()), "prefix: " + text);
      }
    }
  }

  /**
   * Brute-force oracle for the right-boundary rule: a token crosses the end of the forced bytes
   * {@code F} when it starts with some suffix of {@code F}, is longer, and keeps the DFA alive from
   * the state at that offset. Checked at every forced state of seeded random walks.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void crossingCheckAgreesWithBruteForce(long seed) {
    String kind =
        new String[] {"json", "choice", "json_patient", "template", "quote", "json"}
            [(int) seed - 1];
    ByteDfa dfa = TokenAutomatonOracleTest.dfa(kind, seed);
    TokenAutomaton a = TokenAutomaton.compile(dfa, vocab);
    Random rnd = new Random(seed);
    long[] mask = new long[(vocab.logitsSize() + 63) >>> 6];
    int checked = 0;
    for (int walk = 0; walk < 4; walk++) {
      TokenCursor c = a.newCursor();
      for (int step = 0; step < 40 && !c.isFinished(); step++) {
        byte[] f = c.forcedBytes();
        if (f.length > 0) {
          assertEquals(
              bruteForceCrosses(dfa, c.state(), f),
              forced.crossesEnd(dfa, c.state(), f),
              "forced " + new String(f, StandardCharsets.UTF_8));
          checked++;
        }
        c.fillMask(mask);
        int[] allowed = TokenAutomatonOracleTest.setBits(mask, vocab.logitsSize());
        if (allowed.length == 0) {
          break;
        }
        c.advance(allowed[rnd.nextInt(allowed.length)]);
      }
    }
    assertTrue(checked > 0, "no forced state visited");
  }

  private static boolean bruteForceCrosses(ByteDfa dfa, int state, byte[] f) {
    for (int k = 0; k < f.length; k++) {
      int sk = dfa.run(state, f, 0, k);
      int rest = f.length - k;
      for (int t = 0; t < vocab.logitsSize(); t++) {
        if (!vocab.isText(t)) {
          continue;
        }
        byte[] b = vocab.tokenBytes(t);
        if (b.length > rest
            && Arrays.equals(b, 0, rest, f, k, f.length)
            && dfa.isLive(dfa.run(sk, b, 0, b.length))) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void nothingIsHeldBackWhenNoTokenCrossesTheEnd() {
    // After the forced {"code":" only an upper-case letter may follow; Phi-3 has no token that
    // starts inside the forced bytes and goes on with an upper-case letter, so all are taken.
    ByteDfa dfa = io.guidepost.grammar.Regex.compile("\\{\"code\":\"[A-Z][0-9]{2}\"\\}").dfa();
    TokenCursor c = TokenAutomaton.compile(dfa, vocab).newCursor();
    byte[] f = c.forcedBytes();
    assertEquals("{\"code\":\"", new String(f, StandardCharsets.UTF_8));
    assertTrue(!forced.crossesEnd(dfa, c.state(), f));
    int[] ids = forced.next(c, 1000);
    assertArrayEquals(forced.tokenizeContinuation(f), ids);
    assertEquals(0, c.forcedBytes().length);
  }

  static String[] layouts() {
    return new String[] {"compact", "flexible(1)"};
  }

  /**
   * Fast-forward does not change how the bench's json_patient instances are tokenized: replaying
   * each instance (forced runs from {@link ForcedTokens}, every other step the canonical token of
   * the whole instance at that offset) yields exactly the canonical tokens of the whole instance,
   * which for the instances as written are the Phi-3 tokens of {@code shared/bench/tokens.json}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void fastForwardKeepsTheCanonicalTokensOfTheBenchInstances(String layout) throws IOException {
    boolean compact = layout.equals("compact");
    String schema = java.nio.file.Files.readString(SharedData.require("bench/patient.schema.json"));
    io.guidepost.grammar.CompiledConstraint constraint =
        compact
            ? io.guidepost.grammar.JsonSchema.compile(schema)
            : io.guidepost.grammar.JsonSchema.compile(
                schema, io.guidepost.grammar.JsonSchemaOptions.DEFAULTS.flexible(1));
    TokenAutomaton a = TokenAutomaton.compile(constraint, vocab);
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    BenchWorkloads.Workload w = BenchWorkloads.load("json_patient");
    List<String> instances = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode c :
        json.readTree(SharedData.require("bench/cases.json").toFile())) {
      if (c.path("name").asText().equals("json_patient")) {
        for (com.fasterxml.jackson.databind.JsonNode inst : c.path("instances")) {
          instances.add(
              compact ? json.writeValueAsString(json.readTree(inst.asText())) : inst.asText());
        }
      }
    }
    assertEquals(4, instances.size());
    int forcedTotal = 0;
    for (int i = 0; i < instances.size(); i++) {
      byte[] text = instances.get(i).getBytes(StandardCharsets.UTF_8);
      int[] canonical = forced.tokenizeContinuation(text);
      if (!compact) {
        int[] recorded = w.sequences()[i];
        int n = recorded.length;
        if (n > 0 && vocab.isEos(recorded[n - 1])) {
          n--;
        }
        assertArrayEquals(Arrays.copyOf(recorded, n), canonical, "bench/tokens.json " + i);
      }
      TokenCursor c = a.newCursor();
      List<Integer> out = new ArrayList<>();
      int k = 0;
      while (k < canonical.length) {
        for (int id : forced.next(c, 1000)) {
          assertEquals(canonical[k], id, "forced token " + k + " of instance " + i);
          out.add(id);
          k++;
          forcedTotal++;
        }
        if (k < canonical.length) {
          c.advance(canonical[k]);
          out.add(canonical[k]);
          k++;
        }
      }
      assertEquals(canonical.length, out.size());
      assertTrue(c.isAccepting(), "instance " + i + " accepted");
    }
    assertTrue(forcedTotal > 30, "only " + forcedTotal + " forced tokens");
  }
}
