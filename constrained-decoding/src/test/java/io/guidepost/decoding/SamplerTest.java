package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sampling over allowed tokens only: seeded random logits and masks. */
class SamplerTest {
  private static final int V = 32064;

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 12);
  }

  private static long[] randomMask(Random rnd, int allowedApprox) {
    long[] mask = new long[(V + 63) >>> 6];
    for (int i = 0; i < allowedApprox; i++) {
      int t = rnd.nextInt(V);
      mask[t >>> 6] |= 1L << t;
    }
    return mask;
  }

  private static float[] randomLogits(Random rnd) {
    float[] l = new float[V];
    for (int i = 0; i < V; i++) {
      l[i] = (float) (rnd.nextGaussian() * 4);
    }
    return l;
  }

  private static boolean allowed(long[] mask, int t) {
    return (mask[t >>> 6] & (1L << t)) != 0;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void neverPicksAMaskedTokenAndGreedyIsArgmax(long seed) {
    Random rnd = new Random(seed);
    Sampler sampler = new Sampler(V);
    SamplingParams[] modes = {
      SamplingParams.greedy(),
      new SamplingParams(1.0, 0, 1.0, seed),
      new SamplingParams(0.7, 40, 1.0, seed),
      new SamplingParams(1.3, 0, 0.9, seed),
      new SamplingParams(0.5, 5, 0.5, seed)
    };
    for (int round = 0; round < 20; round++) {
      long[] mask = randomMask(rnd, 1 + rnd.nextInt(round % 2 == 0 ? 5 : 3000));
      float[] logits = randomLogits(rnd);
      float[] copy = logits.clone();
      for (SamplingParams p : modes) {
        RandomGenerator g = p.newRandom();
        for (int k = 0; k < 5; k++) {
          int t = sampler.sample(logits, mask, p, g);
          assertTrue(allowed(mask, t), "picked masked token " + t);
        }
      }
      assertArrayEquals(copy, logits, "logits are not modified");
      int best = -1;
      for (int t = 0; t < V; t++) {
        if (allowed(mask, t) && (best < 0 || logits[t] > logits[best])) {
          best = t;
        }
      }
      assertEquals(best, sampler.sample(logits, mask, SamplingParams.greedy(), null));
      assertEquals(best, sampler.sample(logits, mask, new SamplingParams(1.0, 1, 1.0, seed), null));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void reproducibleWithASeed(long seed) {
    Random rnd = new Random(seed);
    long[] mask = randomMask(rnd, 500);
    float[] logits = randomLogits(rnd);
    SamplingParams p = new SamplingParams(1.0, 50, 0.95, seed);
    int[] a = new int[50];
    int[] b = new int[50];
    Sampler s1 = new Sampler(V);
    Sampler s2 = new Sampler(V);
    RandomGenerator g1 = p.newRandom();
    RandomGenerator g2 = p.newRandom();
    for (int i = 0; i < 50; i++) {
      a[i] = s1.sample(logits, mask, p, g1);
      b[i] = s2.sample(logits, mask, p, g2);
    }
    assertArrayEquals(a, b);
  }

  @Test
  void singleAllowedTokenIsTakenWithoutSampling() {
    long[] mask = new long[(V + 63) >>> 6];
    mask[500 >>> 6] |= 1L << 500;
    float[] logits = new float[V];
    logits[500] = Float.NEGATIVE_INFINITY;
    RandomGenerator throwing =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new AssertionError("no randomness for a single allowed token");
          }
        };
    assertEquals(
        500, new Sampler(V).sample(logits, mask, new SamplingParams(1, 0, 1, 1), throwing));
  }

  @Test
  void emptyMaskIsAnError() {
    assertThrows(
        IllegalStateException.class,
        () ->
            new Sampler(V)
                .sample(new float[V], new long[(V + 63) >>> 6], SamplingParams.greedy(), null));
  }

  @Test
  void topKAndTopPKeepExactlyTheRightSet() {
    // Allowed: 10, 20, 30, 40, 50 with probabilities proportional to 8, 4, 2, 1, 1 (T = 1).
    long[] mask = new long[(V + 63) >>> 6];
    float[] logits = new float[V];
    int[] ids = {10, 20, 30, 40, 50};
    double[] w = {8, 4, 2, 1, 1};
    for (int i = 0; i < ids.length; i++) {
      mask[ids[i] >>> 6] |= 1L << ids[i];
      logits[ids[i]] = (float) Math.log(w[i]);
    }
    logits[11] = 100; // masked out, must never win
    Sampler s = new Sampler(V);
    int[] countsK = counts(s, logits, mask, new SamplingParams(1, 2, 1, 7), 4000);
    assertTrue(countsK[0] > 0 && countsK[1] > 0, "top-2 keeps 10 and 20");
    assertEquals(0, countsK[2] + countsK[3] + countsK[4], "top-2 drops the rest");
    // 8/16 = .5, (8+4)/16 = .75: top-p 0.7 keeps {10, 20}; top-p 0.5 keeps {10} only.
    int[] countsP = counts(s, logits, mask, new SamplingParams(1, 0, 0.7, 7), 4000);
    assertEquals(0, countsP[2] + countsP[3] + countsP[4]);
    assertTrue(countsP[1] > 1000 && countsP[1] < 1700, "renormalised 1/3 of 4000: " + countsP[1]);
    int[] countsHalf = counts(s, logits, mask, new SamplingParams(1, 0, 0.5, 7), 100);
    assertEquals(100, countsHalf[0]);
    // Full softmax: 40 and 50 each about 1/16 of draws.
    int[] all = counts(s, logits, mask, new SamplingParams(1, 0, 1, 7), 16000);
    assertTrue(all[3] > 700 && all[3] < 1300, "1/16 of 16000: " + all[3]);
    assertTrue(all[0] > 7400 && all[0] < 8600, "1/2 of 16000: " + all[0]);
    // Low temperature sharpens towards the argmax.
    int[] cold = counts(s, logits, mask, new SamplingParams(0.1, 0, 1, 7), 1000);
    assertTrue(cold[0] > 990, "T=0.1: " + cold[0]);
  }

  private static int[] counts(Sampler s, float[] logits, long[] mask, SamplingParams p, int draws) {
    int[] ids = {10, 20, 30, 40, 50};
    int[] c = new int[ids.length];
    SplittableRandom g = new SplittableRandom(p.seed());
    for (int i = 0; i < draws; i++) {
      int t = s.sample(logits, mask, p, g);
      int k = java.util.Arrays.binarySearch(ids, t);
      assertTrue(k >= 0, "picked " + t);
      c[k]++;
    }
    return c;
  }

  /**
   * applyMask duelled against the per-logit definition: empty, full and mixed words, short masks.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void applyMaskSetsExactlyTheDisallowedLogitsToNegativeInfinity(long seed) {
    Random rnd = new Random(seed);
    int n = 1 + rnd.nextInt(700);
    long[] mask = new long[rnd.nextInt(2) == 0 ? (n + 63) >>> 6 : Math.max(1, n / 128)];
    for (int w = 0; w < mask.length; w++) {
      mask[w] =
          switch (rnd.nextInt(4)) {
            case 0 -> 0L;
            case 1 -> -1L;
            case 2 -> 1L << rnd.nextInt(64);
            default -> rnd.nextLong();
          };
    }
    float[] logits = new float[n];
    for (int i = 0; i < n; i++) {
      logits[i] = (float) rnd.nextGaussian();
    }
    float[] expected = logits.clone();
    for (int t = 0; t < n; t++) {
      int w = t >>> 6;
      if (w >= mask.length || (mask[w] & (1L << t)) == 0) {
        expected[t] = Float.NEGATIVE_INFINITY;
      }
    }
    Sampler.applyMask(logits, mask);
    assertArrayEquals(expected, logits);
  }
}
