package io.guidepost.decoding;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How the next token is chosen among the allowed ones.
 *
 * @param temperature 0 for greedy (argmax); otherwise logits are divided by it before softmax
 * @param topK keep only the {@code topK} most likely allowed tokens; 0 keeps all
 * @param topP keep the smallest most-likely set whose probability reaches {@code topP} (nucleus); 1
 *     keeps all
 * @param seed seed of the request's random generator ({@link #newRandom()}), for reproducible runs
 */
public record SamplingParams(double temperature, int topK, double topP, long seed) {

  public SamplingParams {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and >= 0, was " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 = off), was " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
    }
  }

  /** Greedy decoding: always the most likely allowed token. */
  public static SamplingParams greedy() {
    return new SamplingParams(0, 0, 1, 0);
  }

  /** True when no randomness is involved (temperature 0 or top-k 1). */
  public boolean isGreedy() {
    return temperature == 0 || topK == 1;
  }

  /**
   * A fresh random generator seeded with {@link #seed()}: the same seed gives the same sequence on
   * every JVM ({@link SplittableRandom}'s algorithm is specified).
   */
  public RandomGenerator newRandom() {
    return new SplittableRandom(seed);
  }
}
