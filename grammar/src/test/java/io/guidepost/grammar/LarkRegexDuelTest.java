package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LarkRegex} against {@code java.util.regex} on seeded random patterns and strings, in the
 * subset where Java's reading equals Python's: {@code UNIX_LINES} gives Python's dot, {@code
 * UNICODE_CHARACTER_CLASS} its {@code \d \w \s} on this alphabet (letters, decimal digits, space,
 * line feed), {@code CASE_INSENSITIVE | UNICODE_CASE} its {@code i} flag for single characters
 * (Java's case-insensitive ranges differ from Python's, so with {@code i} classes hold no ranges).
 * The alphabet holds the characters where case folding is subtle: long s, the Kelvin sign, and a
 * non-ASCII digit.
 */
class LarkRegexDuelTest {
  private static final String[] CHARS = {
    "a", "b", "s", "S", "k", "K", "\u017F", "\u212A", "0", "5", "\u0663", " ", "\n", "-", "_"
  };
  private static final String[] ESCAPES = {"\\d", "\\w", "\\s", "\\D", "\\W", "\\S"};

  /** Random patterns can be expensive (nested counted repeats of large Unicode classes). */
  private static final GrammarLimits LIMITS = GrammarLimits.DEFAULTS.withMaxCompileMillis(2_000);

  private final Random rnd = new Random();
  private int tooComplex;
  private boolean ignoreCase;

  private String pick(String[] xs) {
    return xs[rnd.nextInt(xs.length)];
  }

  private String literal() {
    String c = pick(CHARS);
    return switch (c) {
      case "\n" -> "\\n";
      case "-" -> rnd.nextBoolean() ? "-" : "\\-";
      default -> c;
    };
  }

  private String classItem() {
    int k = rnd.nextInt(ignoreCase ? 2 : 3);
    if (k == 0) {
      return pick(ESCAPES);
    }
    String c = literal();
    if (k == 2 && !c.startsWith("\\") && !c.equals("-")) {
      String d = pick(CHARS);
      if (!d.equals("\n") && !d.equals("-") && d.codePointAt(0) >= c.codePointAt(0)) {
        return c + "-" + d;
      }
    }
    return c.equals("-") ? "\\-" : c;
  }

  private String atom(int depth) {
    int k = rnd.nextInt(depth >= 2 ? 5 : 6);
    return switch (k) {
      case 0, 1 -> literal();
      case 2 -> pick(ESCAPES);
      case 3 -> {
        StringBuilder b = new StringBuilder("[");
        if (rnd.nextInt(3) == 0) {
          b.append('^');
        }
        int items = 1 + rnd.nextInt(3);
        for (int i = 0; i < items; i++) {
          b.append(classItem());
        }
        yield b.append(']').toString();
      }
      case 4 -> ".";
      default -> (rnd.nextBoolean() ? "(" : "(?:") + alternatives(depth + 1) + ")";
    };
  }

  private String term(int depth) {
    String a = atom(depth);
    return switch (rnd.nextInt(8)) {
      case 0 -> a + "*";
      case 1 -> a + "+";
      case 2 -> a + "?";
      case 3 -> a + "{" + rnd.nextInt(3) + "}";
      case 4 -> a + "{" + rnd.nextInt(2) + "," + (1 + rnd.nextInt(2)) + "}";
      case 5 -> a + "{" + rnd.nextInt(2) + ",}";
      default -> a;
    };
  }

  private String alternatives(int depth) {
    StringBuilder b = new StringBuilder();
    int alts = 1 + rnd.nextInt(depth == 0 ? 3 : 2);
    for (int i = 0; i < alts; i++) {
      if (i > 0) {
        b.append('|');
      }
      int terms = 1 + rnd.nextInt(depth == 0 ? 3 : 2);
      for (int t = 0; t < terms; t++) {
        b.append(term(depth));
      }
    }
    return b.toString();
  }

  private String randomString() {
    StringBuilder b = new StringBuilder();
    int len = rnd.nextInt(6);
    for (int i = 0; i < len; i++) {
      b.append(pick(CHARS));
    }
    return b.toString();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void agreesWithJavaRegex(long seed) {
    rnd.setSeed(seed);
    tooComplex = 0;
    for (int p = 0; p < 60; p++) {
      ignoreCase = rnd.nextInt(3) == 0;
      boolean dotAll = rnd.nextInt(4) == 0;
      String pattern = alternatives(0);
      String flags = (ignoreCase ? "i" : "") + (dotAll ? "s" : "");
      long t0 = System.nanoTime();
      CharLang lang;
      try {
        lang =
            CharLang.withLimits(LIMITS, () -> LarkRegex.parse(pattern, 0, pattern.length(), flags));
      } catch (ConstraintTooComplexException e) {
        tooComplex++;
        System.out.println("too complex: /" + pattern + "/" + flags + ": " + e.getMessage());
        continue;
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (ms > 300) {
        System.out.println(ms + " ms: /" + pattern + "/" + flags);
      }
      int javaFlags =
          Pattern.UNIX_LINES
              | Pattern.UNICODE_CHARACTER_CLASS
              | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
              | (dotAll ? Pattern.DOTALL : 0);
      Pattern java = Pattern.compile(pattern, javaFlags);
      for (int s = 0; s < 150; s++) {
        String text = s == 0 ? lang.example() : randomString();
        if (text == null) {
          continue;
        }
        assertEquals(
            java.matcher(text).matches(),
            lang.accepts(text),
            () -> "/" + pattern + "/" + flags + " on \"" + text.replace("\n", "\\n") + "\"");
      }
    }
    assertTrue(tooComplex <= 3, tooComplex + " of 60 patterns were too complex to check");
  }
}
