package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuoteTest {

  static final int[] POOL = {'a', 'b', ' ', 'b', 'a', '.', 0xE9, 0x1F600};

  static boolean word(int cp) {
    return cp == '_' || Character.isLetterOrDigit(cp);
  }

  static boolean boundary(int[] t, int p) {
    return p == 0 || p == t.length || !word(t[p - 1]) || !word(t[p]);
  }

  /** Every accepted output, by enumeration of all substrings of all passages. */
  static Set<String> oracle(List<String> passages, Quote.Options o) {
    Set<String> out = new HashSet<>();
    for (String p : passages) {
      int[] t = p.codePoints().toArray();
      for (int i = 0; i < t.length; i++) {
        for (int j = i + 1; j <= t.length; j++) {
          int len = j - i;
          if (len >= o.minChars()
              && len <= o.maxChars()
              && (!o.wordStart() || boundary(t, i))
              && (!o.wordEnd() || boundary(t, j))) {
            out.add(new String(t, i, len));
          }
        }
      }
    }
    return out;
  }

  static String random(Random rnd, int maxLen) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(maxLen + 1);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(POOL[rnd.nextInt(POOL.length)]);
    }
    return sb.toString();
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 120).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void bruteForceOracle(int seed) {
    Random rnd = new Random(seed);
    List<String> passages = new ArrayList<>();
    int np = 1 + rnd.nextInt(3);
    for (int i = 0; i < np; i++) {
      passages.add(random(rnd, 14));
    }
    int min = 1 + rnd.nextInt(3);
    int max = rnd.nextBoolean() ? Integer.MAX_VALUE : min + rnd.nextInt(6);
    Quote.Options o = new Quote.Options(min, max, rnd.nextBoolean(), rnd.nextBoolean());
    Set<String> expected = oracle(passages, o);
    if (expected.isEmpty()) {
      assertThrows(EmptyConstraintException.class, () -> Quote.compile(passages, o));
      return;
    }
    CompiledConstraint c = Quote.compile(passages, o);
    // candidates: all substrings without options, plus random strings
    Set<String> candidates = new HashSet<>(oracle(passages, Quote.Options.ANY));
    for (int k = 0; k < 300; k++) {
      candidates.add(random(rnd, 6));
    }
    CharLang lang = Quote.toLang(passages, o); // the template-hole form, bounds intersected
    for (String s : candidates) {
      assertEquals(
          expected.contains(s), c.matches(s), () -> passages + " " + o + " on '" + s + "'");
      assertEquals(expected.contains(s), lang.accepts(s), () -> "CharLang on '" + s + "'");
    }
    for (String s : expected) {
      QuoteMatch m = c.locate(s);
      assertNotNull(m, s);
      String p = passages.get(m.passage());
      assertEquals(s, p.substring(m.start(), m.end()));
      assertEquals(m.start(), p.offsetByCodePoints(0, m.startCodePoint()));
      assertEquals(m.end(), p.offsetByCodePoints(0, m.endCodePoint()));
    }
    // canComplete is exact: a prefix can be completed iff some accepted output extends it.
    Set<String> prefixes = new HashSet<>();
    for (String s : candidates) {
      int[] cps = s.codePoints().toArray();
      for (int j = 0; j <= cps.length; j++) {
        prefixes.add(new String(cps, 0, j));
      }
    }
    for (String pre : prefixes) {
      boolean feasible = false;
      for (String s : expected) {
        if (s.startsWith(pre)) {
          feasible = true;
          break;
        }
      }
      byte[] b = pre.getBytes(StandardCharsets.UTF_8);
      int state = c.dfa().run(c.dfa().initialState(), b, 0, b.length);
      int chars = pre.codePointCount(0, pre.length());
      assertEquals(
          feasible, c.canComplete(state, chars), () -> passages + " " + o + " '" + pre + "'");
    }
    String ex = c.shortestExample();
    assertTrue(expected.contains(ex), ex);
  }

  /**
   * Without wordStart the quote DFA comes from a suffix automaton; it must be the very same minimal
   * DFA as the position-set construction's (same table in the canonical numbering), also on longer,
   * repetitive texts where states split often.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void suffixAutomatonEqualsPositionSets(int seed) {
    Random rnd = new Random(1000 + seed);
    List<String> passages = new ArrayList<>();
    int np = 1 + rnd.nextInt(4);
    for (int i = 0; i < np; i++) {
      passages.add(random(rnd, 80));
    }
    if (passages.stream().allMatch(String::isEmpty)) {
      passages.add("ab a");
    }
    boolean wordEnd = rnd.nextBoolean();
    Quote.Options o = new Quote.Options(1, Integer.MAX_VALUE, false, wordEnd);
    ByteDfa viaSam;
    try {
      viaSam = Quote.compile(passages, o).dfa();
    } catch (EmptyConstraintException e) {
      assertTrue(Quote.positionSetDfa(passages, o).isEmpty(), "only one construction is empty");
      return;
    }
    assertSameTables(Quote.positionSetDfa(passages, o), viaSam);
  }

  /** The direct all-ASCII minimization gives the same canonical DFA as the general builder path. */
  @ParameterizedTest
  @MethodSource("seeds")
  void asciiFastPathEqualsBuilderPath(int seed) {
    Random rnd = new Random(2000 + seed);
    List<String> passages = new ArrayList<>();
    int np = 1 + rnd.nextInt(4);
    for (int i = 0; i < np; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + rnd.nextInt(60);
      for (int j = 0; j < len; j++) {
        sb.append("ab ba._".charAt(rnd.nextInt(7)));
      }
      passages.add(sb.toString());
    }
    Quote.Options o = new Quote.Options(1, Integer.MAX_VALUE, rnd.nextBoolean(), rnd.nextBoolean());
    ByteDfa general;
    try {
      general = Quote.builderDfa(passages, o);
    } catch (EmptyConstraintException e) {
      assertThrows(EmptyConstraintException.class, () -> Quote.compile(passages, o));
      return;
    }
    assertSameTables(general, Quote.compile(passages, o).dfa());
  }

  private static void assertSameTables(ByteDfa expected, ByteDfa actual) {
    assertEquals(expected.stateCount(), actual.stateCount());
    assertEquals(expected.classCount(), actual.classCount());
    for (int b = 0; b < 256; b++) {
      assertEquals(expected.byteClass(b), actual.byteClass(b));
    }
    for (int st = 0; st < actual.stateCount(); st++) {
      assertEquals(expected.isAccepting(st), actual.isAccepting(st));
      for (int c = 0; c < actual.classCount(); c++) {
        assertEquals(expected.stepClass(st, c), actual.stepClass(st, c));
      }
    }
  }

  @Test
  void wordBoundariesAndProvenance() {
    List<String> passages = List.of("The quick brown fox.", "Brown foxes jump.");
    CompiledConstraint c = Quote.compile(passages, new Quote.Options(1, 40, true, true));
    assertTrue(c.matches("quick brown"));
    assertTrue(c.matches("fox."));
    assertTrue(c.matches(" brown"));
    assertFalse(c.matches("quick bro"));
    assertFalse(c.matches("uick"));
    assertFalse(c.matches("brown fox jump"));
    assertEquals(new QuoteMatch(1, 6, 11, 6, 11), c.locate("foxes"));
    assertEquals(new QuoteMatch(0, 16, 19, 16, 19), c.locate("fox"));
    assertNull(c.locate("fo"));
    CompiledConstraint emoji = Quote.compile(List.of("\uD83D\uDE00 smile"));
    assertEquals(new QuoteMatch(0, 3, 8, 2, 7), emoji.locate("smile"));
    assertTrue(emoji.matches("\uD83D\uDE00 s"));
    assertFalse(emoji.matches(""));
  }

  @Test
  void errors() {
    assertThrows(InvalidConstraintException.class, () -> Quote.compile(List.of()));
    InvalidConstraintException e =
        assertThrows(InvalidConstraintException.class, () -> new Quote.Options(5, 2, false, false));
    assertEquals("quote maxChars (2) is less than minChars (5)", e.reason());
    ConstraintTooComplexException big =
        assertThrows(
            ConstraintTooComplexException.class,
            () ->
                Quote.compile(
                    List.of("0123456789"),
                    Quote.Options.ANY,
                    GrammarLimits.DEFAULTS.withMaxPassageBytes(5)));
    assertEquals("maxPassageBytes", big.limitName());
    assertEquals(10, big.observed());
    assertThrows(
        EmptyConstraintException.class,
        () -> Quote.compile(List.of("ab"), new Quote.Options(3, 5, false, false)));
  }
}
