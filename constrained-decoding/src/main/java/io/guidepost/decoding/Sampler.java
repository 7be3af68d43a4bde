package io.guidepost.decoding;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Chooses the next token from a model's logits, among the tokens a mask allows only.
 *
 * <p>Semantics, over allowed tokens only: exactly one allowed token is returned without looking at
 * the logits or the generator; greedy ({@link SamplingParams#isGreedy()}) returns the allowed token
 * with the largest logit (the lowest id on ties; NaN counts as negative infinity); otherwise logits
 * are divided by the temperature, the {@code topK} largest are kept (ties broken by lower id), then
 * the smallest prefix of them, in decreasing order, whose softmax probability reaches {@code topP},
 * and one is drawn from the renormalised softmax with one {@code nextDouble()} of the generator. If
 * every allowed logit is negative infinity the draw is uniform.
 *
 * <p>Thread-safety: not thread-safe; one instance per request (it owns scratch arrays, grown to the
 * largest allowed set seen, so a request whose masks allow few tokens never allocates logits-sized
 * arrays). Cost: no allocation per call once grown; linear in the number of allowed tokens, plus a
 * sort of them when top-k or top-p is active.
 */
public final class Sampler {
  private static final int INITIAL = 256;

  private final int capacity;
  private int[] ids;
  private float[] values;
  private long[] keys; // only for top-k / top-p
  private double[] weights;

  /** A sampler for logits of up to {@code logitsSize} entries. */
  public Sampler(int logitsSize) {
    this.capacity = logitsSize;
    int initial = Math.min(logitsSize, INITIAL);
    this.ids = new int[initial];
    this.values = new float[initial];
    this.weights = new double[initial];
    this.keys = new long[0];
  }

  /** Grows the scratch arrays to hold {@code n} allowed tokens. */
  private void ensureCapacity(int n) {
    if (n > ids.length) {
      int size = Math.min(capacity, Math.max(n, ids.length * 2));
      ids = new int[size];
      values = new float[size];
      weights = new double[size];
    }
  }

  /**
   * Picks a token.
   *
   * @param logits the model's last-step logits; read, never written
   * @param mask allowed ids (bit {@code t & 63} of {@code mask[t >>> 6]}); bits beyond {@code
   *     logits.length} are ignored
   * @param params how to choose
   * @param rng the request's generator (see {@link SamplingParams#newRandom()})
   * @return an allowed token id
   * @throws IllegalStateException when the mask allows nothing
   */
  public int sample(float[] logits, long[] mask, SamplingParams params, RandomGenerator rng) {
    int limit = logits.length;
    if (limit > capacity) {
      throw new IllegalArgumentException(
          "logits has " + limit + " entries, this sampler was sized for " + capacity);
    }
    int words = Math.min(mask.length, (limit + 63) >>> 6);
    if (params.isGreedy()) {
      return argmax(logits, mask, words, limit);
    }
    int allowed = 0;
    for (int w = 0; w < words; w++) {
      allowed += Long.bitCount(mask[w]);
    }
    ensureCapacity(allowed);
    int n = 0;
    for (int w = 0; w < words; w++) {
      long bits = mask[w];
      while (bits != 0) {
        int t = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (t >= limit) {
          break;
        }
        float v = logits[t];
        ids[n] = t;
        values[n] = Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v;
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalStateException("the mask allows no token");
    }
    if (n == 1) {
      return ids[0];
    }
    float inverseTemperature = (float) (1.0 / params.temperature());
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = values[i] * inverseTemperature;
      values[i] = v;
      if (v > max) {
        max = v;
      }
    }
    if (max == Float.NEGATIVE_INFINITY) {
      return ids[rng.nextInt(n)];
    }
    if (max == Float.POSITIVE_INFINITY) {
      for (int i = 0; i < n; i++) {
        if (values[i] == Float.POSITIVE_INFINITY) {
          return ids[i];
        }
      }
    }
    boolean truncate = (params.topK() > 0 && params.topK() < n) || params.topP() < 1;
    if (!truncate) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        double e = Math.exp(values[i] - max);
        weights[i] = e;
        total += e;
      }
      return ids[draw(n, total, rng)];
    }
    if (keys.length < n) {
      keys = new long[Math.min(capacity, Math.max(n, keys.length * 2))];
    }
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToIntBits(values[i]);
      int sortable = bits ^ ((bits >> 31) & 0x7FFFFFFF); // monotone in the float's value
      keys[i] = ((long) ~sortable << 32) | i; // ascending key = descending value, then index
    }
    Arrays.sort(keys, 0, n);
    int kept = params.topK() > 0 ? Math.min(n, params.topK()) : n;
    double total = 0;
    for (int j = 0; j < kept; j++) {
      double e = Math.exp(values[(int) keys[j]] - max);
      weights[j] = e;
      total += e;
    }
    if (params.topP() < 1) {
      double target = params.topP() * total;
      double cumulative = 0;
      int cut = kept;
      for (int j = 0; j < kept; j++) {
        cumulative += weights[j];
        if (cumulative >= target) {
          cut = j + 1;
          break;
        }
      }
      kept = cut;
      total = cumulative >= target ? cumulative : total;
    }
    int j = draw(kept, total, rng);
    return ids[(int) keys[j]];
  }

  /** Greedy in one pass over the mask: the largest logit, lowest id on ties, NaN loses. */
  private static int argmax(float[] logits, long[] mask, int words, int limit) {
    int best = -1;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int w = 0; w < words; w++) {
      long bits = mask[w];
      while (bits != 0) {
        int t = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (t >= limit) {
          break;
        }
        float v = logits[t];
        if (best < 0 || v > bestValue) {
          best = t;
          bestValue = Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v;
        }
      }
    }
    if (best < 0) {
      throw new IllegalStateException("the mask allows no token");
    }
    return best;
  }

  /** Draws index {@code 0..n-1} with probability {@code weights[i] / total}. */
  private int draw(int n, double total, RandomGenerator rng) {
    double u = rng.nextDouble() * total;
    double cumulative = 0;
    for (int i = 0; i < n; i++) {
      cumulative += weights[i];
      if (u < cumulative) {
        return i;
      }
    }
    for (int i = n - 1; i > 0; i--) {
      if (weights[i] > 0) {
        return i; // rounding left u at the very end
      }
    }
    return 0;
  }

  /**
   * Sets every logit whose id the mask does not allow to negative infinity, in place. Word by word:
   * an empty word is one {@code Arrays.fill} of 64 logits, a full word is skipped, and only the
   * clear bits of a mixed word are visited.
   */
  public static void applyMask(float[] logits, long[] mask) {
    int n = logits.length;
    for (int base = 0, w = 0; base < n; base += 64, w++) {
      long bits = w < mask.length ? mask[w] : 0L;
      int end = Math.min(n, base + 64);
      if (bits == 0) {
        Arrays.fill(logits, base, end, Float.NEGATIVE_INFINITY);
      } else if (bits != -1L) {
        long clear = ~bits;
        while (clear != 0) {
          int t = base + Long.numberOfTrailingZeros(clear);
          if (t >= end) {
            break;
          }
          logits[t] = Float.NEGATIVE_INFINITY;
          clear &= clear - 1;
        }
      }
    }
  }
}
