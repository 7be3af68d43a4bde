package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded duel: 10,000 random regexes of the supported subset (100 seeds x 100), each rendered in
 * our ECMA syntax and in an equivalent {@code java.util.regex} syntax, checked on random strings
 * and on strings sampled from our byte DFA by random walks (Unicode and supplementary characters
 * included). Char-level and byte-level automata are dueled on the same strings.
 */
class RegexDuelTest {

  /** Code points the generator draws from: ASCII, 2-, 3- and 4-byte UTF-8, specials. */
  static final int[] POOL = {
    'a', 'b', 'c', 'x', '0', '7', '_', '-', '.', ' ', '\n', '\t', 0xE9, 0x3B1, 0x20AC, 0x2028, 0x85,
    0xA0, 0x1F600, 0x1F64F, 0x10FFFF, '*', '(', '[', '\\', '^', '$', '|', '{', '}'
  };

  static final String SPACE_JAVA =
      "\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}"
          + "\\x{205F}\\x{3000}\\x{FEFF}";

  /** A random regex rendered twice: [0] ours, [1] java.util.regex. */
  static final class Gen {
    final Random rnd;
    final StringBuilder ours = new StringBuilder();
    final StringBuilder java = new StringBuilder();
    final List<Integer> used = new ArrayList<>();
    int groups;

    Gen(Random rnd) {
      this.rnd = rnd;
    }

    void both(String s) {
      ours.append(s);
      java.append(s);
    }

    void alternation(int depth) {
      int n = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : 1;
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          both("|");
        }
        sequence(depth);
      }
    }

    void sequence(int depth) {
      int n = rnd.nextInt(depth == 0 ? 4 : 3);
      for (int k = 0; k < n; k++) {
        term(depth);
      }
    }

    void term(int depth) {
      atom(depth);
      switch (rnd.nextInt(9)) {
        case 0 -> both("*");
        case 1 -> both("+");
        case 2 -> both("?");
        case 3 -> both("{" + rnd.nextInt(3) + "}");
        case 4 -> both("{" + rnd.nextInt(2) + ",}");
        case 5 -> {
          int a = rnd.nextInt(3);
          both("{" + a + "," + (a + rnd.nextInt(3)) + "}");
        }
        default -> {
          return;
        }
      }
      if (rnd.nextInt(5) == 0) {
        both("?"); // lazy: the same language
      }
    }

    int cp() {
      int cp = POOL[rnd.nextInt(POOL.length)];
      used.add(cp);
      return cp;
    }

    void literal(int cp, boolean inClass) {
      String special = inClass ? "\\]-^[&" : "\\^$.|?*+()[]{}";
      if (cp < 0x80 && special.indexOf(cp) >= 0) {
        both("\\" + (char) cp);
        return;
      }
      if (cp == '\n') {
        both("\\n");
        return;
      }
      if (cp == '\t') {
        both("\\t");
        return;
      }
      switch (rnd.nextInt(4)) {
        case 0 -> {
          ours.append(String.format("\\u{%X}", cp));
          java.append(String.format("\\x{%X}", cp));
        }
        case 1 -> {
          if (cp < 0x10000) {
            ours.append(String.format("\\u%04X", cp));
          } else {
            ours.append(
                String.format(
                    "\\u%04X\\u%04X",
                    (int) Character.highSurrogate(cp), (int) Character.lowSurrogate(cp)));
          }
          java.append(String.format("\\x{%X}", cp));
        }
        default -> both(Character.toString(cp));
      }
    }

    void atom(int depth) {
      int r = rnd.nextInt(depth >= 2 ? 6 : 8);
      switch (r) {
        case 0, 1, 2 -> literal(cp(), false);
        case 3 -> {
          ours.append(".");
          java.append("[^\\n\\r\\x{2028}\\x{2029}]");
        }
        case 4 -> {
          int k = rnd.nextInt(6);
          String e = "dwsDWS".substring(k, k + 1);
          ours.append("\\").append(e);
          switch (e) {
            case "s" -> java.append("[" + SPACE_JAVA + "]");
            case "S" -> java.append("[^" + SPACE_JAVA + "]");
            default -> java.append("\\").append(e);
          }
        }
        case 5 -> charClass();
        default -> {
          int g = rnd.nextInt(3);
          both(g == 0 ? "(" : g == 1 ? "(?:" : "(?<g" + (groups++) + ">");
          alternation(depth + 1);
          both(")");
        }
      }
    }

    void charClass() {
      boolean neg = rnd.nextInt(3) == 0;
      both(neg ? "[^" : "[");
      int n = 1 + rnd.nextInt(3);
      for (int k = 0; k < n; k++) {
        int r = rnd.nextInt(5);
        if (r == 0) {
          int e = rnd.nextInt(6);
          String c = "dwsDWS".substring(e, e + 1);
          ours.append("\\").append(c);
          if (c.equals("s")) {
            java.append(SPACE_JAVA);
          } else if (c.equals("S")) {
            java.append("[^" + SPACE_JAVA + "]");
          } else {
            java.append("\\").append(c);
          }
        } else if (r == 1) {
          int a = cp();
          int b = cp();
          if (a > b) {
            int t = a;
            a = b;
            b = t;
          }
          literal(a, true);
          both("-");
          literal(b, true);
        } else {
          literal(cp(), true);
        }
      }
      both("]");
    }
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 100).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void duelAgainstJavaUtilRegex(int seed) {
    Random rnd = new Random(seed * 7919L + 1);
    int skipped = 0;
    for (int round = 0; round < 100; round++) {
      Gen g = new Gen(rnd);
      g.alternation(0);
      String ours = g.ours.toString();
      String javaSyntax = g.java.toString();
      if (rnd.nextInt(10) == 0) {
        ours = "^" + ours + "$";
        javaSyntax = "^(?:" + javaSyntax + ")$";
      }
      Pattern jp = Pattern.compile(javaSyntax);
      String pattern = ours;
      CharLang lang;
      ByteDfa dfa;
      try {
        lang = CharLang.withLimits(DUEL_LIMITS, () -> Regex.toLang(pattern, true));
        dfa = lang.toByteDfa(DUEL_LIMITS);
      } catch (ConstraintTooComplexException e) {
        skipped++; // a few random patterns blow up legitimately; keep the suite fast
        continue;
      }
      List<String> inputs = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        inputs.add(randomString(rnd, g.used));
      }
      for (int k = 0; k < 10 && !dfa.isEmpty(); k++) {
        inputs.add(sample(rnd, dfa));
      }
      for (String s : inputs) {
        boolean expected;
        try {
          expected = jp.matcher(new Budgeted(s)).matches();
        } catch (Budgeted.Exhausted e) {
          continue; // java.util.regex backtracks exponentially on this input; no verdict
        }
        String ctx = "ours=" + ours + " java=" + javaSyntax + " input=" + escape(s);
        assertEquals(expected, lang.accepts(s), "char level " + ctx);
        assertEquals(expected, dfa.matches(s.getBytes(StandardCharsets.UTF_8)), "byte " + ctx);
      }
    }
    assertTrue(skipped <= 3, skipped + " of 100 patterns exceeded the duel limits");
  }

  /** Tighter than the defaults so that the 10,000 patterns compile in seconds. */
  static final GrammarLimits DUEL_LIMITS =
      GrammarLimits.DEFAULTS.withMaxDfaStates(5_000).withMaxDeterminizationWork(300_000);

  /** Stops java.util.regex's catastrophic backtracking after a fixed number of char reads. */
  static final class Budgeted implements CharSequence {
    static final class Exhausted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exhausted() {
        super(null, null, false, false);
      }
    }

    private final String s;
    private long budget = 200_000;

    Budgeted(String s) {
      this.s = s;
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public char charAt(int index) {
      if (--budget < 0) {
        throw new Exhausted();
      }
      return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.subSequence(start, end);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  static String randomString(Random rnd, List<Integer> used) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(7);
    for (int k = 0; k < n; k++) {
      int cp =
          !used.isEmpty() && rnd.nextBoolean()
              ? used.get(rnd.nextInt(used.size()))
              : POOL[rnd.nextInt(POOL.length)];
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** A random accepted string: a walk over live transitions, stopping at accepting states. */
  static String sample(Random rnd, ByteDfa dfa) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int s = dfa.initialState();
    for (int steps = 0; steps < 64; steps++) {
      if (dfa.isAccepting(s) && (rnd.nextInt(4) == 0 || steps > 40)) {
        break;
      }
      int[] options = new int[256];
      int n = 0;
      for (int b = 0; b < 256; b++) {
        if (dfa.isLive(dfa.step(s, b))) {
          options[n++] = b;
        }
      }
      if (n == 0) {
        break;
      }
      int b = options[rnd.nextInt(n)];
      out.write(b);
      s = dfa.step(s, b);
    }
    // finish along a shortest path to acceptance (distances by fixpoint iteration)
    int n = dfa.stateCount();
    int[] dist = new int[n];
    java.util.Arrays.fill(dist, Integer.MAX_VALUE);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int q = 0; q < n; q++) {
        int d = dfa.isAccepting(q) ? 0 : Integer.MAX_VALUE;
        for (int b = 0; b < 256; b++) {
          int t = dfa.step(q, b);
          if (t >= 0 && dist[t] != Integer.MAX_VALUE) {
            d = Math.min(d, dist[t] + 1);
          }
        }
        if (d < dist[q]) {
          dist[q] = d;
          changed = true;
        }
      }
    }
    while (!dfa.isAccepting(s)) {
      int best = -1;
      for (int b = 0; b < 256 && best < 0; b++) {
        int t = dfa.step(s, b);
        if (t >= 0 && dist[t] == dist[s] - 1) {
          best = b;
        }
      }
      out.write(best);
      s = dfa.step(s, best);
    }
    byte[] bytes = out.toByteArray();
    String str = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(java.util.Arrays.equals(bytes, str.getBytes(StandardCharsets.UTF_8)), "valid UTF-8");
    return str;
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7F) {
                sb.appendCodePoint(cp);
              } else {
                sb.append(String.format("\\u{%X}", cp));
              }
            });
    return sb.toString();
  }
}
