package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link IntAutomaton} against {@link java.util.regex}: random expressions over {@code a, b, c}
 * built with the NFA constructions, determinized and minimized (dense and sparse), compared on
 * every string up to length 6.
 */
class IntAutomatonTest {
  private static final GrammarLimits LIMITS = GrammarLimits.DEFAULTS;

  /** An expression both as an automaton and as a java.util.regex pattern. */
  private record Expr(IntAutomaton nfa, String regex) {}

  private static IntAutomaton unit(int lo, int hi) {
    IntAutomaton.Builder b = new IntAutomaton.Builder();
    int init = b.addState(false);
    b.addTransition(init, lo, hi, b.addState(true));
    return b.build(init, true);
  }

  private static Expr random(Random r, int depth) {
    int op = depth == 0 ? r.nextInt(2) : r.nextInt(8);
    switch (op) {
      case 0 -> {
        char c = (char) ('a' + r.nextInt(3));
        return new Expr(unit(c, c), String.valueOf(c));
      }
      case 1 -> {
        return new Expr(unit('a', 'b'), "[ab]");
      }
      case 2, 3 -> {
        List<IntAutomaton> parts = new ArrayList<>();
        StringBuilder re = new StringBuilder("(?:");
        int n = 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
          Expr e = random(r, depth - 1);
          parts.add(e.nfa);
          re.append(e.regex);
        }
        return new Expr(IntAutomaton.concatenate(parts), re.append(')').toString());
      }
      case 4, 5 -> {
        List<IntAutomaton> parts = new ArrayList<>();
        StringBuilder re = new StringBuilder("(?:");
        int n = 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
          Expr e = random(r, depth - 1);
          parts.add(e.nfa);
          re.append(i > 0 ? "|" : "").append(e.regex);
        }
        return new Expr(IntAutomaton.union(parts), re.append(')').toString());
      }
      case 6 -> {
        Expr e = random(r, depth - 1);
        int min = r.nextInt(3);
        return new Expr(IntAutomaton.repeat(e.nfa, min), "(?:" + e.regex + "){" + min + ",}");
      }
      default -> {
        Expr e = random(r, depth - 1);
        int min = r.nextInt(3);
        int max = min + r.nextInt(3);
        return new Expr(
            IntAutomaton.repeat(e.nfa, min, max), "(?:" + e.regex + "){" + min + "," + max + "}");
      }
    }
  }

  private static List<String> allStrings(int maxLength) {
    List<String> out = new ArrayList<>();
    out.add("");
    for (int from = 0, len = 1; len <= maxLength; len++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char c = 'a'; c <= 'c'; c++) {
          out.add(out.get(i) + c);
        }
      }
      from = to;
    }
    return out;
  }

  private static IntAutomaton dfa(IntAutomaton nfa) {
    IntAutomaton d = nfa.deterministic ? nfa : IntAutomaton.determinize(nfa, LIMITS, "a test");
    return IntAutomaton.minimize(d, "a test");
  }

  @Test
  void constructionsDeterminizationAndMinimizationMatchJavaRegex() {
    Random r = new Random(7);
    List<String> strings = allStrings(6);
    for (int round = 0; round < 300; round++) {
      Expr e = random(r, 3);
      Pattern p = Pattern.compile(e.regex);
      IntAutomaton m = dfa(e.nfa);
      IntAutomaton d =
          e.nfa.deterministic ? e.nfa : IntAutomaton.determinize(e.nfa, LIMITS, "a test");
      // The sparse paths: Revuz or Hopcroft without a table, and Moore's refinement.
      assertSame(m, IntAutomaton.minimize(d, "a test", 0, Long.MAX_VALUE), e.regex);
      assertSame(m, IntAutomaton.minimize(d, "a test", 0, 0), e.regex);
      for (String s : strings) {
        boolean expected = p.matcher(s).matches();
        assertEquals(expected, m.run(s), e.regex + " on " + s);
      }
      // Minimal: minimizing again changes nothing.
      assertSame(m, IntAutomaton.minimize(m, "a test"), e.regex);
    }
  }

  private static void assertSame(IntAutomaton x, IntAutomaton y, String what) {
    assertEquals(x.states, y.states, what);
    assertArrayEquals(x.accept, y.accept, what);
    assertArrayEquals(x.start, y.start, what);
    assertArrayEquals(x.min, y.min, what);
    assertArrayEquals(x.max, y.max, what);
    assertArrayEquals(x.dest, y.dest, what);
  }

  @Test
  void productIntersectsAndSubtracts() {
    Random r = new Random(11);
    List<String> strings = allStrings(5);
    for (int round = 0; round < 100; round++) {
      Expr x = random(r, 2);
      Expr y = random(r, 2);
      IntAutomaton dx = dfa(x.nfa);
      IntAutomaton dy = dfa(y.nfa);
      IntAutomaton and = dfa(IntAutomaton.product(dx, dy, false, LIMITS, "a test"));
      IntAutomaton minus = dfa(IntAutomaton.product(dx, dy, true, LIMITS, "a test"));
      for (String s : strings) {
        assertEquals(dx.run(s) && dy.run(s), and.run(s), x.regex + " & " + y.regex + " on " + s);
        assertEquals(dx.run(s) && !dy.run(s), minus.run(s), x.regex + " - " + y.regex);
      }
    }
  }

  @Test
  void minimalAutomataAreCanonical() {
    // (a|b)*abb two ways: the same minimal automaton, numbered breadth-first.
    IntAutomaton ab = unit('a', 'b');
    IntAutomaton a = unit('a', 'a');
    IntAutomaton b = unit('b', 'b');
    IntAutomaton one = dfa(IntAutomaton.concatenate(List.of(IntAutomaton.star(ab), a, b, b)));
    IntAutomaton two =
        dfa(
            IntAutomaton.concatenate(
                List.of(IntAutomaton.star(IntAutomaton.union(List.of(a, b))), a, b, b)));
    assertSame(one, two, "(a|b)*abb");
    assertEquals(4, one.states);
    assertEquals("abb", one.shortestExample());
    assertFalse(one.isAcyclic());
  }

  @Test
  void adjacentIntervalsWithOneTargetAreMerged() {
    IntAutomaton nfa = IntAutomaton.union(List.of(unit('a', 'c'), unit('d', 'f'), unit('x', 'x')));
    IntAutomaton m = dfa(nfa);
    assertEquals(2, m.states);
    assertArrayEquals(new int[] {'a', 'x'}, m.min);
    assertArrayEquals(new int[] {'f', 'x'}, m.max);
  }

  @Test
  void unitsAboveTheSignBitOfTheSortKeyStaySorted() {
    IntAutomaton nfa =
        IntAutomaton.union(
            List.of(
                unit(0xFFFF, 0xFFFF), unit('c', 'c'), unit(0x8000, 0x9000), unit(0xD800, 0xD800)));
    IntAutomaton m = dfa(nfa);
    assertArrayEquals(new int[] {'c', 0x8000, 0xD800, 0xFFFF}, m.min);
    for (String s : List.of("c", "\uFFFF", "\u8500", "\uD800")) {
      assertTrue(m.run(s), s);
    }
    assertFalse(m.run("\u9001"));
  }

  @Test
  void finiteStringsAndShortestExample() {
    IntAutomaton nfa =
        IntAutomaton.union(
            List.of(
                IntAutomaton.EMPTY_STRING,
                IntAutomaton.concatenate(List.of(unit('b', 'c'), unit('a', 'a'))),
                unit('c', 'c')));
    IntAutomaton m = dfa(nfa);
    assertTrue(m.isAcyclic());
    assertEquals(Set.of("ba", "ca", "c"), m.finiteStrings(10)); // never the empty string
    assertNull(m.finiteStrings(2));
    assertEquals("", m.shortestExample());
    IntAutomaton noEmpty = dfa(IntAutomaton.union(List.of(unit('c', 'c'), unit('b', 'b'))));
    assertEquals("b", noEmpty.shortestExample());
    assertNull(IntAutomaton.EMPTY.shortestExample());
    assertEquals(IntAutomaton.EMPTY.states, dfa(IntAutomaton.union(List.of())).states);
  }

  @Test
  void determinizationCountsWork() {
    // (a|b)*a(a|b){n}: the classic exponential blow-up.
    IntAutomaton ab = unit('a', 'b');
    IntAutomaton nfa =
        IntAutomaton.concatenate(
            List.of(IntAutomaton.star(ab), unit('a', 'a'), IntAutomaton.repeat(ab, 12, 12)));
    GrammarLimits tight = LIMITS.withMaxDeterminizationWork(1000);
    ConstraintTooComplexException e =
        assertThrows(
            ConstraintTooComplexException.class,
            () -> IntAutomaton.determinize(nfa, tight, "a test"));
    assertTrue(e.getMessage().contains("maxDeterminizationWork"), e.getMessage());
    assertEquals(1 << 13, dfa(nfa).states);
  }
}
