package io.guidepost.decoding;

import java.util.List;

/**
 * What to generate: a prompt (raw text, or the Phi-3 chat template around a system and a user
 * turn), how to sample, and the limits.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rawPrompt the prompt text sent as is (special tokens written in it are recognised); null
 *     in chat mode
 * @param system the system turn in chat mode (null or empty: none)
 * @param user the user turn in chat mode; null in raw mode
 * @param sampling how tokens are chosen among the allowed ones
 * @param maxNewTokens most tokens generated (forced ones included)
 * @param stopStrings generation stops after the output contains one; the output is cut before it
 * @param timeoutMillis wall-clock limit from the call, queueing included; 0 = none
 * @param fastForward append forced tokens of the constraint several per model call
 */
public record GenerationRequest(
    String rawPrompt,
    String system,
    String user,
    SamplingParams sampling,
    int maxNewTokens,
    List<String> stopStrings,
    long timeoutMillis,
    boolean fastForward) {

  public GenerationRequest {
    if ((rawPrompt == null) == (user == null)) {
      throw new IllegalArgumentException("give either a raw prompt or a user turn");
    }
    if (sampling == null) {
      throw new IllegalArgumentException("sampling must be given");
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, was " + maxNewTokens);
    }
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("timeoutMillis must be >= 0, was " + timeoutMillis);
    }
    stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    for (String s : stopStrings) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop strings must not be empty");
      }
    }
  }

  /** A raw prompt, greedy, no stop strings, no timeout, fast-forward on. */
  public static GenerationRequest raw(String prompt, int maxNewTokens) {
    return new GenerationRequest(
        prompt, null, null, SamplingParams.greedy(), maxNewTokens, List.of(), 0, true);
  }

  /** A Phi-3 chat prompt, greedy, no stop strings, no timeout, fast-forward on. */
  public static GenerationRequest chat(String system, String user, int maxNewTokens) {
    return new GenerationRequest(
        null, system, user, SamplingParams.greedy(), maxNewTokens, List.of(), 0, true);
  }

  public boolean isChat() {
    return user != null;
  }

  public GenerationRequest withSampling(SamplingParams s) {
    return new GenerationRequest(
        rawPrompt, system, user, s, maxNewTokens, stopStrings, timeoutMillis, fastForward);
  }

  public GenerationRequest withStopStrings(List<String> stops) {
    return new GenerationRequest(
        rawPrompt, system, user, sampling, maxNewTokens, stops, timeoutMillis, fastForward);
  }

  public GenerationRequest withTimeoutMillis(long millis) {
    return new GenerationRequest(
        rawPrompt, system, user, sampling, maxNewTokens, stopStrings, millis, fastForward);
  }

  public GenerationRequest withFastForward(boolean on) {
    return new GenerationRequest(
        rawPrompt, system, user, sampling, maxNewTokens, stopStrings, timeoutMillis, on);
  }

  public GenerationRequest withMaxNewTokens(int n) {
    return new GenerationRequest(
        rawPrompt, system, user, sampling, n, stopStrings, timeoutMillis, fastForward);
  }
}
