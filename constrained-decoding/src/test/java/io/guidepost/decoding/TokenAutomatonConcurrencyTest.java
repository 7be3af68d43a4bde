package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.ByteDfa;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several threads share one lazily filled automaton: every mask they see equals the mask of a
 * private automaton computed on one thread, and the memo stays within its byte budget.
 */
class TokenAutomatonConcurrencyTest {

  @ParameterizedTest(name = "budget {0}")
  @ValueSource(longs = {64L << 20, 6_000})
  void sharedAutomatonGivesTheSameMasksAsAPrivateOne(long budget) throws Exception {
    Vocabulary v = TestVocabularies.phi3();
    ByteDfa dfa = TestDfas.jsonish();
    TokenAutomaton shared = TokenAutomaton.compile(dfa, v, new TokenAutomaton.Options(budget, 0));
    TokenAutomaton reference =
        TokenAutomaton.compile(dfa, v, new TokenAutomaton.Options(64L << 20, 0));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        long seed = thread;
        Callable<Integer> job =
            () -> {
              Random rnd = new Random(seed);
              long[] mine = new long[(v.logitsSize() + 63) >>> 6];
              long[] ref = new long[mine.length];
              int checked = 0;
              for (int walk = 0; walk < 3; walk++) {
                TokenCursor c = shared.newCursor();
                for (int step = 0; step < 25 && !c.isFinished(); step++) {
                  c.fillMask(mine);
                  synchronized (reference) {
                    reference.fillMask(c.state(), ref);
                  }
                  assertArrayEquals(ref, mine);
                  int[] allowed = TokenAutomatonOracleTest.setBits(mine, v.logitsSize());
                  c.advance(allowed[rnd.nextInt(allowed.length)]);
                  checked++;
                }
              }
              return checked;
            };
        results.add(pool.submit(job));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertTrue(total > 0);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(shared.cacheBytes() <= budget, shared.cacheBytes() + " > " + budget);
    if (budget < 100_000) {
      assertTrue(shared.refusedCount() > 0, "a tiny budget refuses some masks");
    } else {
      assertEquals(0, shared.refusedCount());
    }
  }
}
