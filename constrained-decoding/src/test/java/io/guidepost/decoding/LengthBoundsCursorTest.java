package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.ByteDfa;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.Quote;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code-point length bounds in the cursor, duelled against a brute-force oracle: a token is allowed
 * iff the DFA allows it, the new count is within maxChars and an accepted completion within the
 * bounds exists; EOS iff accepting and the count is within bounds. Random walks must never get
 * stuck and must end inside the bounds.
 */
class LengthBoundsCursorTest {

  /**
   * Brute-force bounds for a DFA: {@code can[s][k]} = an accepted completion of exactly {@code k}
   * more code points exists from state {@code s} (k up to maxChars), by fixpoint over bytes.
   */
  static final class BruteBounds implements LengthBounds {
    final int min;
    final int max;
    final boolean[][] can;

    BruteBounds(ByteDfa dfa, int min, int max) {
      this.min = min;
      this.max = max;
      int n = dfa.stateCount();
      can = new boolean[n][max + 1];
      for (int s = 0; s < n; s++) {
        can[s][0] = dfa.isAccepting(s);
      }
      boolean changed = true;
      while (changed) {
        changed = false;
        for (int s = 0; s < n; s++) {
          for (int b = 0; b < 256; b++) {
            int t = dfa.step(s, b);
            if (t < 0) {
              continue;
            }
            int cost = (b & 0xC0) == 0x80 ? 0 : 1;
            for (int k = cost; k <= max; k++) {
              if (!can[s][k] && can[t][k - cost]) {
                can[s][k] = true;
                changed = true;
              }
            }
          }
        }
      }
    }

    @Override
    public int minChars() {
      return min;
    }

    @Override
    public int maxChars() {
      return max;
    }

    @Override
    public boolean canComplete(int state, int chars) {
      if (state < 0 || chars > max) {
        return false;
      }
      for (int k = Math.max(0, min - chars); chars + k <= max; k++) {
        if (can[state][k]) {
          return true;
        }
      }
      return false;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("json", 1L, 25, 40),
        Arguments.of("json", 2L, 0, 28),
        Arguments.of("json", 3L, 30, 60),
        Arguments.of("email", 4L, 10, 14),
        Arguments.of("email", 5L, 0, 8),
        Arguments.of("code", 6L, 6, 6));
  }

  @ParameterizedTest(name = "{0} seed {1} chars {2}..{3}")
  @MethodSource("cases")
  void boundedCursorMatchesOracle(String kind, long seed, int min, int max) {
    Vocabulary v = TestVocabularies.phi3();
    ByteDfa dfa = TokenAutomatonOracleTest.dfa(kind, seed);
    BruteBounds bounds = new BruteBounds(dfa, min, max);
    TokenAutomaton a = TokenAutomaton.compile(dfa, v, TokenAutomaton.Options.DEFAULT, bounds);
    Random rnd = new Random(seed);
    long[] mask = new long[(v.logitsSize() + 63) >>> 6];
    for (int walk = 0; walk < 6; walk++) {
      TokenCursor c = a.newCursor();
      java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
      int[] allowed = new int[0];
      for (int step = 0; step < 200; step++) {
        c.fillMask(mask);
        allowed = TokenAutomatonOracleTest.setBits(mask, v.logitsSize());
        for (int t = 0; t < v.logitsSize(); t++) {
          boolean expected = oracle(a, bounds, c, t);
          boolean actual = (mask[t >>> 6] & (1L << t)) != 0;
          if (expected != actual) {
            throw new AssertionError("token " + t + " after '" + text + "': " + expected);
          }
          if ((t & 127) == 0 || actual) {
            assertEquals(expected, c.isAllowed(t));
          }
        }
        assertTrue(allowed.length > 0, "never stuck while bounds can be met: " + text);
        int t = allowed[rnd.nextInt(allowed.length)];
        if (v.isEos(t)) {
          c.advance(t);
          break;
        }
        text.writeBytes(v.tokenBytes(t));
        c.advance(t);
      }
      assertTrue(c.isFinished() || c.isComplete(), "walk ended: " + text);
      int chars = c.codePoints();
      assertTrue(chars >= min && chars <= max, chars + " chars: " + text);
      String str = text.toString(StandardCharsets.UTF_8);
      assertEquals(
          str.codePointCount(0, str.length()),
          chars,
          "code points counted from lead bytes: " + text);
      assertTrue(Arrays.stream(allowed).allMatch(x -> x >= 0));
    }
  }

  private static boolean oracle(TokenAutomaton a, BruteBounds b, TokenCursor c, int t) {
    Vocabulary v = a.vocabulary();
    ByteDfa d = a.dfa();
    int s = c.state();
    if (v.isEos(t)) {
      return d.isAccepting(s) && c.codePoints() >= b.min && c.codePoints() <= b.max;
    }
    if (!v.isText(t)) {
      return false;
    }
    byte[] bs = v.tokenBytes(t);
    int next = d.run(s, bs, 0, bs.length);
    if (next < 0) {
      return false;
    }
    int n = c.codePoints();
    for (byte x : bs) {
      if ((x & 0xC0) != 0x80) {
        n++;
      }
    }
    return n <= b.max && b.canComplete(next, n);
  }

  static Stream<Arguments> quotes() {
    return Stream.of(Arguments.of(1L, 5, 12), Arguments.of(2L, 1, 40), Arguments.of(3L, 20, 20));
  }

  /**
   * A real bounded constraint (Quote with code-point bounds): the grammar's {@code canComplete}, as
   * used by the cursor, is duelled against the brute-force bounds on the same DFA.
   */
  @ParameterizedTest(name = "quote seed {0} chars {1}..{2}")
  @MethodSource("quotes")
  void quoteBoundsMatchTheBruteForceOracle(long seed, int min, int max) {
    Vocabulary v = TestVocabularies.phi3();
    CompiledConstraint q =
        Quote.compile(
            List.of(
                "Patient reports chest pain radiating to the left arm since Tuesday.",
                "Zoë Łukasiewicz-Müller: no known allergies; BP 130/85 mmHg."),
            new Quote.Options(min, max, false, false));
    assertTrue(q.hasLengthBounds() || (min <= 1 && max == Integer.MAX_VALUE));
    BruteBounds brute = new BruteBounds(q.dfa(), q.minChars(), Math.min(q.maxChars(), 200));
    TokenAutomaton a = TokenAutomaton.compile(q, v);
    Random rnd = new Random(seed);
    long[] mask = new long[(v.logitsSize() + 63) >>> 6];
    for (int walk = 0; walk < 6; walk++) {
      TokenCursor c = a.newCursor();
      java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
      for (int step = 0; step < 100 && !c.isFinished(); step++) {
        c.fillMask(mask);
        for (int t = 0; t < v.logitsSize(); t++) {
          boolean expected = oracle(a, brute, c, t);
          boolean actual = (mask[t >>> 6] & (1L << t)) != 0;
          if (expected != actual) {
            throw new AssertionError(
                "token " + t + " after '" + text.toString(StandardCharsets.UTF_8) + "'");
          }
        }
        int[] allowed = TokenAutomatonOracleTest.setBits(mask, v.logitsSize());
        assertTrue(allowed.length > 0);
        int t = allowed[rnd.nextInt(allowed.length)];
        if (!v.isEos(t)) {
          text.writeBytes(v.tokenBytes(t));
        }
        c.advance(t);
      }
      String out = text.toString(StandardCharsets.UTF_8);
      assertTrue(c.isFinished() || c.isComplete(), out);
      assertTrue(q.matches(out), "the grammar accepts the output: " + out);
    }
  }
}
