package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded duels for the zero-width assertions {@code ^ $ \b \B} in arbitrary positions.
 *
 * <p>Against {@code java.util.regex}: 2,000 random patterns (100 seeds x 20) over the alphabet
 * {@code a b _ 1 space -} plus {@code é} and U+1F600 (a non-word BMP letter and a supplementary
 * character: the surrogate-pair context of the construction). On these there is no line terminator,
 * so ECMA-262 and Java agree on every construct used: {@code ^}/{@code $} without MULTILINE, {@code
 * \b} over {@code [A-Za-z0-9_]} (Java's since JDK 19), {@code .}, {@code \w \W \d \s}, classes.
 * Each pattern is checked in both modes, full match against {@code Matcher.matches()} and search
 * against {@code Matcher.find()}, on every string of length up to 4 over the six ASCII symbols
 * (1,555), on 60 random strings of length 1 to 8 over all eight and on 10 strings sampled from our
 * automaton; char and byte automata are both checked.
 *
 * <p>Fast path against markers: an anchor at the ends of a top-level alternative is handled by not
 * adding {@code .*} there; the same anchor inside a group goes through the marker product. On 1,000
 * random patterns of the general duel ({@link RegexDuelTest.Gen}: full Unicode, classes with
 * supplementary ranges) both must give the same language and, minimal DFAs being unique, the same
 * state count.
 */
class RegexAssertionDuelTest {

  /** The ASCII symbols, enumerated exhaustively. */
  static final String ASCII = "ab_1 -";

  /** All symbols (code points) of random strings. */
  static final int[] SYMBOLS = {'a', 'b', '_', '1', ' ', '-', 0xE9, 0x1F600};

  /** A random pattern, the same text in both syntaxes. */
  static final class Gen {
    final Random rnd;
    final boolean lookaheads;
    final StringBuilder sb = new StringBuilder();

    Gen(Random rnd, boolean lookaheads) {
      this.rnd = rnd;
      this.lookaheads = lookaheads;
    }

    void alternation(int depth) {
      int n = rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : 1;
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          sb.append('|');
        }
        sequence(depth);
      }
    }

    void sequence(int depth) {
      int n = rnd.nextInt(depth == 0 ? 5 : 4);
      for (int k = 0; k < n; k++) {
        if (rnd.nextInt(3) == 0) {
          sb.append(new String[] {"^", "$", "\\b", "\\B"}[rnd.nextInt(4)]);
        } else if (lookaheads && depth < 2 && rnd.nextInt(6) == 0) {
          sb.append(rnd.nextBoolean() ? "(?=" : "(?!");
          alternation(depth + 1);
          sb.append(')');
        } else {
          term(depth);
        }
      }
    }

    void term(int depth) {
      atom(depth);
      // java.util.regex ends a counted loop at an empty iteration even below the minimum, so
      // (^|-){2} rejects "-" there (ECMA-262 matches it: ^ then -); groups get minimum 0 or 1.
      boolean group = sb.charAt(sb.length() - 1) == ')';
      switch (rnd.nextInt(8)) {
        case 0 -> sb.append('*');
        case 1 -> sb.append('+');
        case 2 -> sb.append('?');
        case 3 -> {
          int min = rnd.nextInt(group ? 2 : 3);
          sb.append('{').append(min).append(',').append(min + rnd.nextInt(2)).append('}');
        }
        default -> {}
      }
    }

    void atom(int depth) {
      switch (rnd.nextInt(depth >= 2 ? 5 : 7)) {
        case 0, 1, 4 -> symbol(false);
        case 2 -> sb.append(new String[] {".", "\\w", "\\W", "\\d", "\\s"}[rnd.nextInt(5)]);
        case 3 -> {
          sb.append(rnd.nextBoolean() ? "[" : "[^");
          int n = 1 + rnd.nextInt(3);
          for (int k = 0; k < n; k++) {
            symbol(true);
          }
          sb.append(']');
        }
        default -> {
          sb.append(rnd.nextBoolean() ? "(" : "(?:");
          alternation(depth + 1);
          sb.append(')');
        }
      }
    }

    void symbol(boolean inClass) {
      int cp = SYMBOLS[rnd.nextInt(SYMBOLS.length)];
      if (cp == '-' && inClass) {
        sb.append("\\-");
      } else {
        sb.appendCodePoint(cp);
      }
    }
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 100).boxed();
  }

  static final CharLang SYMBOLS_STAR =
      CharLang.codePointSet(
              Regex.normalize(
                  IntStream.of(SYMBOLS).flatMap(c -> IntStream.of(c, c)).toArray(),
                  2 * SYMBOLS.length))
          .star();

  /** Every string over {@link #ASCII} of length 0 to 4. */
  static final List<String> SHORT_STRINGS = allStrings(4);

  static List<String> allStrings(int maxLength) {
    List<String> out = new ArrayList<>();
    out.add("");
    int from = 0;
    for (int len = 1; len <= maxLength; len++) {
      int to = out.size();
      for (int k = from; k < to; k++) {
        for (int c = 0; c < ASCII.length(); c++) {
          out.add(out.get(k) + ASCII.charAt(c));
        }
      }
      from = to;
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void duelAgainstJavaUtilRegex(int seed) {
    Random rnd = new Random(seed * 104729L + 3);
    int skipped = 0;
    for (int round = 0; round < 20; round++) {
      Gen g = new Gen(rnd, round % 2 == 1);
      g.alternation(0);
      String pattern = g.sb.toString();
      Pattern jp = Pattern.compile(pattern);
      for (boolean fullMatch : new boolean[] {true, false}) {
        CharLang lang;
        ByteDfa dfa;
        ByteDfa onSymbols;
        try {
          lang =
              CharLang.withLimits(
                  RegexDuelTest.DUEL_LIMITS, () -> Regex.toLang(pattern, fullMatch));
          dfa = lang.toByteDfa(RegexDuelTest.DUEL_LIMITS);
          onSymbols = lang.intersect(SYMBOLS_STAR).toByteDfa(RegexDuelTest.DUEL_LIMITS);
        } catch (ConstraintTooComplexException e) {
          skipped++;
          continue;
        }
        List<String> inputs = new ArrayList<>(SHORT_STRINGS);
        for (int k = 0; k < 60; k++) {
          StringBuilder s = new StringBuilder();
          for (int c = 1 + rnd.nextInt(8); c > 0; c--) {
            s.appendCodePoint(SYMBOLS[rnd.nextInt(SYMBOLS.length)]);
          }
          inputs.add(s.toString());
        }
        // Accepted strings over the symbols (outside them \s, . and \b differ between syntaxes).
        for (int k = 0; k < 10 && !onSymbols.isEmpty(); k++) {
          inputs.add(RegexDuelTest.sample(rnd, onSymbols));
        }
        for (String s : inputs) {
          boolean expected;
          try {
            expected =
                fullMatch ? jp.matcher(new RegexDuelTest.Budgeted(s)).matches() : find(jp, s);
          } catch (RegexDuelTest.Budgeted.Exhausted e) {
            continue;
          }
          String ctx =
              (fullMatch ? "full" : "search")
                  + " pattern="
                  + pattern
                  + " input="
                  + RegexDuelTest.escape(s);
          assertEquals(expected, lang.accepts(s), "char level " + ctx);
          assertEquals(expected, dfa.matches(s.getBytes(StandardCharsets.UTF_8)), "byte " + ctx);
        }
      }
    }
    assertTrue(skipped <= 2, skipped + " of 40 compilations exceeded the duel limits");
  }

  /**
   * ECMA-262 {@code RegExp.test} with the {@code u} flag: a match starting at some code-point
   * boundary. {@code Matcher.find()} itself also tries the position inside a surrogate pair when
   * the pattern has no supplementary character, where {@code \B} holds; transparent, non-anchoring
   * bounds let {@code \b} see and {@code ^} ignore the text before the region.
   */
  static boolean find(Pattern jp, String s) {
    Matcher m = jp.matcher(new RegexDuelTest.Budgeted(s));
    m.useTransparentBounds(true).useAnchoringBounds(false);
    for (int k = 0;
        k <= s.length();
        k += k < s.length() ? Character.charCount(s.codePointAt(k)) : 1) {
      if (m.region(k, s.length()).lookingAt()) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anchorsThroughMarkersEqualTheFastPath(int seed) {
    Random rnd = new Random(seed * 15485863L + 11);
    int compared = 0;
    for (int round = 0; round < 10; round++) {
      RegexDuelTest.Gen g = new RegexDuelTest.Gen(rnd);
      g.alternation(0);
      String p = g.ours.toString();
      String[][] pairs = {
        // {fast path, markers, fullMatch}
        {"^(?:" + p + ")", "(?:^)(?:" + p + ")", "search"},
        {"(?:" + p + ")$", "(?:" + p + ")(?:$)", "search"},
        {"^(?:" + p + ")$", "(?:^(?:" + p + ")$)", "search"},
        {p, "(?:^)(?:" + p + ")(?:$)", "full"},
      };
      for (String[] pair : pairs) {
        boolean full = pair[2].equals("full");
        CharLang fast;
        CharLang marked;
        try {
          fast = CharLang.withLimits(RegexDuelTest.DUEL_LIMITS, () -> Regex.toLang(pair[0], full));
          marked =
              CharLang.withLimits(RegexDuelTest.DUEL_LIMITS, () -> Regex.toLang(pair[1], full));
        } catch (ConstraintTooComplexException e) {
          continue;
        }
        String ctx = pair[2] + " " + pair[0] + " vs " + pair[1];
        assertEquals(fast.stateCount(), marked.stateCount(), "states " + ctx);
        assertTrue(fast.minus(marked).isEmpty(), "fast path accepts more: " + ctx);
        assertTrue(marked.minus(fast).isEmpty(), "markers accept more: " + ctx);
        compared++;
      }
    }
    assertTrue(compared >= 30, "only " + compared + " of 40 comparisons within the limits");
  }
}
