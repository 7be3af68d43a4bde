package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Length bounds on cyclic DFAs (the fixpoint path) against enumeration. */
class CompiledConstraintTest {

  static final String[] ALPHABET = {"a", "b", "c", "\u00e9", "\uD83D\uDE00"};

  static List<String> allStrings(int maxLen) {
    List<String> out = new ArrayList<>();
    out.add("");
    int from = 0;
    for (int len = 1; len <= maxLen; len++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (String a : ALPHABET) {
          out.add(out.get(i) + a);
        }
      }
      from = to;
    }
    return out;
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 24).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void boundsAgainstEnumeration(int seed) {
    Random rnd = new Random(seed);
    String[] patterns = {"[ab]*c?", "(ab)*\u00e9+", "(a|\\u{1F600}b)*", "a*b*c*", "(abc)+"};
    String pattern = patterns[rnd.nextInt(patterns.length)];
    int min = rnd.nextInt(5);
    int max = rnd.nextBoolean() ? Integer.MAX_VALUE : min + rnd.nextInt(4);
    ByteDfa dfa = Regex.compile(pattern).dfa();
    Pattern jp = Pattern.compile(pattern.replace("\\u{1F600}", "\\x{1F600}"));
    List<String> all = allStrings(6);
    boolean any = false;
    for (String s : all) {
      int n = s.codePointCount(0, s.length());
      any |= jp.matcher(s).matches() && n >= min && n <= max;
    }
    if (!any) {
      assertThrows(
          EmptyConstraintException.class,
          () ->
              CompiledConstraint.of(
                  ConstraintKind.REGEX, pattern, dfa, min, max, null, 0, GrammarLimits.DEFAULTS));
      return;
    }
    CompiledConstraint c =
        CompiledConstraint.of(
            ConstraintKind.REGEX, pattern, dfa, min, max, null, 0, GrammarLimits.DEFAULTS);
    for (String s : all) {
      int n = s.codePointCount(0, s.length());
      boolean expected = jp.matcher(s).matches() && n >= min && n <= max;
      assertEquals(expected, c.matches(s), s);
      if (n <= 3) {
        boolean feasible = false;
        for (String t : all) {
          int tn = t.codePointCount(0, t.length());
          if (t.startsWith(s) && jp.matcher(t).matches() && tn >= min && tn <= max) {
            feasible = true;
            break;
          }
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int state = dfa.run(dfa.initialState(), b, 0, b.length);
        assertEquals(
            feasible, c.canComplete(state, n), pattern + " [" + min + "," + max + "] " + s);
      }
    }
    String ex = c.shortestExample();
    assertTrue(c.matches(ex), ex);
  }

  @Test
  void invalidBounds() {
    ByteDfa dfa = Regex.compile("a*").dfa();
    assertThrows(
        InvalidConstraintException.class,
        () ->
            CompiledConstraint.of(
                ConstraintKind.REGEX, "a*", dfa, 3, 2, null, 0, GrammarLimits.DEFAULTS));
  }
}
