package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Minimization against brute force: same language, all states distinguishable. Covers Hopcroft
 * (cyclic automata), the acyclic bottom-up merge on the dense table ({@link ByteDfa#minimize()})
 * and on the builder's sparse ranges ({@link ByteDfa.Builder#buildMinimal()}).
 */
class ByteDfaMinimizeTest {

  static Stream<Integer> seeds() {
    return IntStream.range(0, 200).boxed();
  }

  /** A random automaton; {@code acyclic}: transitions only go to higher-numbered states. */
  static ByteDfa.Builder randomBuilder(Random rnd, boolean acyclic) {
    ByteDfa.Builder b = ByteDfa.builder();
    int n = 1 + rnd.nextInt(acyclic ? 24 : 12);
    for (int i = 0; i < n; i++) {
      b.addState(rnd.nextInt(3) == 0);
    }
    for (int s = 0; s < n; s++) {
      if (acyclic && s == n - 1) {
        break;
      }
      for (int c = 0; c < 4; c++) { // bytes 'a'..'d' plus 0x80..0xFF as one range sometimes
        if (rnd.nextInt(3) > 0) {
          b.addTransition(s, 'a' + c, 'a' + c, target(rnd, s, n, acyclic));
        }
      }
      if (rnd.nextInt(4) == 0) {
        b.addTransition(s, 0x80, 0xFF, target(rnd, s, n, acyclic));
      }
    }
    return b;
  }

  private static int target(Random rnd, int s, int n, boolean acyclic) {
    // acyclic: mostly near targets, so that equivalent suffixes are common
    return acyclic ? s + 1 + rnd.nextInt(Math.min(3, n - s - 1)) : rnd.nextInt(n);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void acyclicMergesAgreeWithHopcroft(int seed) {
    Random rnd = new Random(seed);
    ByteDfa.Builder b = randomBuilder(rnd, true);
    ByteDfa d = b.build();
    ByteDfa dense = d.minimize();
    ByteDfa sparse = b.buildMinimal();
    assertMinimalAndEquivalent(d, dense, rnd);
    assertMinimalAndEquivalent(d, sparse, rnd);
    if (!d.isEmpty()) {
      boolean[] acc = new boolean[d.stateCount()];
      int[] table = new int[d.stateCount() * d.classCount()];
      for (int s = 0; s < d.stateCount(); s++) {
        acc[s] = d.isAccepting(s);
        for (int c = 0; c < d.classCount(); c++) {
          table[s * d.classCount() + c] = d.stepClass(s, c);
        }
      }
      DfaMinimizer.Partition h = DfaMinimizer.hopcroft(d.stateCount(), d.classCount(), table, acc);
      assertEquals(h.blocks(), dense.stateCount(), "Hopcroft and the acyclic merge disagree");
      assertEquals(h.blocks(), sparse.stateCount(), "Hopcroft and the sparse merge disagree");
    }
  }

  static final int[] BYTES = {'a', 'b', 'c', 'd', 0x80, 0xFF, 'z'};

  @ParameterizedTest
  @MethodSource("seeds")
  void minimizePreservesLanguageAndIsMinimal(int seed) {
    Random rnd = new Random(seed);
    ByteDfa.Builder b = randomBuilder(rnd, false);
    ByteDfa d = b.build();
    assertMinimalAndEquivalent(d, d.minimize(), rnd);
    assertMinimalAndEquivalent(d, b.buildMinimal(), rnd);
  }

  private static void assertMinimalAndEquivalent(ByteDfa d, ByteDfa m, Random rnd) {
    assertTrue(m.stateCount() <= d.stateCount());
    for (int k = 0; k < 2000; k++) {
      byte[] x = new byte[rnd.nextInt(8)];
      for (int i = 0; i < x.length; i++) {
        x[i] = (byte) BYTES[rnd.nextInt(BYTES.length)];
      }
      assertEquals(d.matches(x), m.matches(x));
      assertEquals(d.matchesPrefix(x), m.matchesPrefix(x));
    }
    if (m.isEmpty()) {
      return;
    }
    // Table filling over m: every pair of states must be distinguishable.
    int n = m.stateCount();
    boolean[][] dist = new boolean[n][n];
    for (int p = 0; p < n; p++) {
      for (int q = 0; q < n; q++) {
        dist[p][q] = m.isAccepting(p) != m.isAccepting(q);
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int p = 0; p < n; p++) {
        for (int q = 0; q < n; q++) {
          if (dist[p][q]) {
            continue;
          }
          for (int b = 0; b < 256; b++) {
            int tp = m.step(p, b);
            int tq = m.step(q, b);
            if ((tp < 0) != (tq < 0) || (tp >= 0 && dist[tp][tq])) {
              dist[p][q] = true;
              changed = true;
              break;
            }
          }
        }
      }
    }
    for (int p = 0; p < n; p++) {
      for (int q = p + 1; q < n; q++) {
        assertTrue(dist[p][q], "states " + p + " and " + q + " are equivalent");
      }
    }
  }
}
