package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KV cache against itself: step-by-step, chunked and multi-token appends give the logits of one
 * full prefill at every position, in shared and separate buffer modes.
 *
 * <p>Tolerances (max absolute logit difference; logits have a spread of about +-5): float32 weights
 * and KV 1e-4 (only summation order differs); int4 MatMulNBits with accuracy_level 4 0.1
 * (activations are quantized to int8 per block, so a 1e-6 change can move one quantization step);
 * float16 KV 0.1 (step-by-step attention reads keys rounded to float16, the prefill's own keys are
 * float32 inside the call).
 */
class KvCacheTest {

  static Stream<Arguments> variants() {
    DemoModelSpec d = DemoModelSpec.defaults();
    DemoModelSpec fp32 = d.withWeights(DemoModelSpec.WeightKind.FP32);
    return Stream.of(
        Arguments.of("fp32 shared", fp32, ModelOptions.KvBufferMode.SHARED, 1e-4f),
        Arguments.of("fp32 separate", fp32, ModelOptions.KvBufferMode.SEPARATE, 1e-4f),
        Arguments.of(
            "fp32 position_ids shared",
            fp32.withPositionIds(true),
            ModelOptions.KvBufferMode.SHARED,
            1e-4f),
        Arguments.of(
            "fp32 position_ids separate (config)",
            fp32.withPositionIds(true).withPastPresentShareBuffer(false),
            ModelOptions.KvBufferMode.FROM_CONFIG,
            1e-4f),
        Arguments.of("int4 shared", d, ModelOptions.KvBufferMode.SHARED, 0.1f),
        Arguments.of("int4 separate", d, ModelOptions.KvBufferMode.SEPARATE, 0.1f),
        Arguments.of(
            "int4 position_ids separate",
            d.withPositionIds(true),
            ModelOptions.KvBufferMode.SEPARATE,
            0.1f),
        Arguments.of(
            "int4 fp16-io shared", d.withFp16Io(true), ModelOptions.KvBufferMode.SHARED, 0.1f),
        Arguments.of(
            "fp32 fp16-io separate",
            fp32.withFp16Io(true),
            ModelOptions.KvBufferMode.SEPARATE,
            0.1f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void stepByStepLogitsEqualFullPrefill(
      String name, DemoModelSpec spec, ModelOptions.KvBufferMode mode, float tolerance) {
    int n = 24;
    int[] tokens = new Random(7).ints(n, 3, 3000).toArray();
    try (OnnxModel model =
            DemoModelFixture.load(spec, ModelOptions.defaults().withKvBufferMode(mode));
        KvCache full = model.newKvCache(n);
        KvCache steps = model.newKvCache(n)) {
      int v = model.logitsSize();
      float[][] rows = new float[n][v];
      full.appendAllRows(tokens, 0, n, rows);
      float[] step = new float[v];
      float maxDiff = 0;
      for (int i = 0; i < n; i++) {
        steps.append(tokens, i, 1, step);
        maxDiff = Math.max(maxDiff, maxAbsDiff(step, rows[i]));
      }
      assertTrue(maxDiff <= tolerance, name + ": max |step - prefill| = " + maxDiff);
      assertEquals(n, steps.length());
      assertEquals(n, steps.modelCalls());
      assertEquals(1, full.modelCalls());
    }
  }

  /**
   * A speculative token appended with the last two logits rows and then rolled back leaves the
   * cache as if it had never been appended: the rows equal step-by-step decoding, and after the
   * rollback the next token's logits equal those of a cache that never saw the speculative one.
   * Prefill chunk 5, so the last two rows sometimes straddle a chunk boundary.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void speculativeAppendAndRollbackEqualNeverAppending(
      String name, DemoModelSpec spec, ModelOptions.KvBufferMode mode, float tolerance) {
    int n = 23;
    int[] tokens = new Random(11).ints(n, 3, 3000).toArray();
    try (OnnxModel model =
            DemoModelFixture.load(
                spec, ModelOptions.defaults().withKvBufferMode(mode).withPrefillChunkTokens(5));
        KvCache ref = model.newKvCache(n + 1);
        KvCache spec1 = model.newKvCache(n + 1)) {
      int v = model.logitsSize();
      float[][] expected = new float[n][v];
      for (int i = 0; i < n; i++) {
        ref.append(tokens, i, 1, expected[i]);
      }
      float[] before = new float[v];
      float[] after = new float[v];
      int at = 0;
      float maxDiff = 0;
      for (int k : new int[] {6, 1, 5, 2, 4}) { // appends of k tokens plus a speculative one
        int[] chunk = new int[k + 1];
        System.arraycopy(tokens, at, chunk, 0, k);
        chunk[k] = 7 + at; // a token that is then not chosen
        spec1.appendLastTwo(chunk, 0, k + 1, before, after);
        maxDiff = Math.max(maxDiff, maxAbsDiff(before, expected[at + k - 1]));
        spec1.truncate(spec1.length() - 1);
        at += k;
        assertEquals(at, spec1.length());
      }
      // A speculative token that is kept: its row equals decoding it step by step.
      int[] keep = {tokens[at], tokens[at + 1]};
      spec1.appendLastTwo(keep, 0, 2, before, after);
      maxDiff = Math.max(maxDiff, maxAbsDiff(before, expected[at]));
      maxDiff = Math.max(maxDiff, maxAbsDiff(after, expected[at + 1]));
      at += 2;
      float[] next = new float[v];
      spec1.append(tokens, at, 1, next);
      maxDiff = Math.max(maxDiff, maxAbsDiff(next, expected[at]));
      assertTrue(maxDiff <= tolerance, name + ": max diff " + maxDiff);
    }
  }

  /** Seeded random split of a sequence into appends of 1..7 tokens, with a prefill chunk of 5. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void multiTokenAppendsEqualOneByOne(long seed) {
    Random random = new Random(seed);
    int n = 40;
    int[] tokens = random.ints(n, 3, 4000).toArray();
    ModelOptions.KvBufferMode mode =
        seed % 2 == 0 ? ModelOptions.KvBufferMode.SHARED : ModelOptions.KvBufferMode.SEPARATE;
    DemoModelSpec spec = DemoModelSpec.defaults().withWeights(DemoModelSpec.WeightKind.FP32);
    try (OnnxModel model =
            DemoModelFixture.load(
                spec, ModelOptions.defaults().withKvBufferMode(mode).withPrefillChunkTokens(5));
        KvCache one = model.newKvCache(n);
        KvCache multi = model.newKvCache(n)) {
      int v = model.logitsSize();
      float[][] expected = new float[n][v];
      for (int i = 0; i < n; i++) {
        one.append(tokens, i, 1, expected[i]);
      }
      float[] got = new float[v];
      int at = 0;
      while (at < n) {
        int k = Math.min(n - at, 1 + random.nextInt(7));
        multi.append(tokens, at, k, got);
        at += k;
        float diff = maxAbsDiff(got, expected[at - 1]);
        assertTrue(diff <= 1e-4f, "after " + at + " tokens: max diff " + diff);
      }
      assertEquals(n, multi.length());
    }
  }

  @Test
  void sharedAndSeparateBuffersGiveIdenticalGreedyTokens() {
    DemoModelSpec spec = DemoModelSpec.defaults();
    int[] prompt = new Random(11).ints(12, 3, 4000).toArray();
    int[] shared = greedy(spec, ModelOptions.KvBufferMode.SHARED, prompt, 40);
    int[] separate = greedy(spec, ModelOptions.KvBufferMode.SEPARATE, prompt, 40);
    assertArrayEquals(shared, separate);
    assertArrayEquals(shared, greedy(spec, ModelOptions.KvBufferMode.SHARED, prompt, 40));
  }

  @Test
  void capacityIsEnforced() {
    try (OnnxModel model =
            DemoModelFixture.load(DemoModelSpec.defaults(), ModelOptions.defaults());
        KvCache cache = model.newKvCache(4)) {
      float[] logits = new float[model.logitsSize()];
      cache.append(new int[] {5, 6, 7}, 0, 3, logits);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> cache.append(new int[] {8, 9}, 0, 2, logits));
      assertEquals(
          "KV cache capacity 4 exceeded: 3 positions held, 2 more requested", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> model.newKvCache(1_000_000));
    }
  }

  /** Greedy argmax decoding straight on the cache (no sampler: the oracle for buffer modes). */
  static int[] greedy(
      DemoModelSpec spec, ModelOptions.KvBufferMode mode, int[] prompt, int newTokens) {
    try (OnnxModel model =
            DemoModelFixture.load(spec, ModelOptions.defaults().withKvBufferMode(mode));
        KvCache cache = model.newKvCache(prompt.length + newTokens)) {
      float[] logits = new float[model.logitsSize()];
      cache.append(prompt, 0, prompt.length, logits);
      int[] out = new int[newTokens];
      for (int i = 0; i < newTokens; i++) {
        int best = 0;
        for (int t = 1; t < logits.length; t++) {
          if (logits[t] > logits[best]) {
            best = t;
          }
        }
        out[i] = best;
        if (i + 1 < newTokens) {
          cache.append(out, i, 1, logits);
        }
      }
      return out;
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
