package io.guidepost.service;

import io.guidepost.decoding.ConstraintCursor;
import io.guidepost.decoding.SamplingParams;
import java.util.List;

/**
 * What to generate: a raw prompt or chat messages, an optional constraint cursor (fresh, from a
 * prepared constraint), sampling, and limits.
 *
 * @param rawPrompt the prompt text as-is, or null when {@code messages} is given
 * @param messages chat turns rendered with the Phi-3 chat format, or null
 * @param cursor the constraint's fresh cursor, or null for free text
 * @param sampling sampling parameters
 * @param maxTokens most tokens to generate
 * @param stop stop strings (free text only)
 * @param timeoutMillis 0 = the service default
 */
public record GenerationCommand(
    String rawPrompt,
    List<ChatMessage> messages,
    ConstraintCursor cursor,
    SamplingParams sampling,
    int maxTokens,
    List<String> stop,
    long timeoutMillis) {

  public GenerationCommand {
    if ((rawPrompt == null) == (messages == null)) {
      throw new InvalidGenerationException("prompt", "Give either \"prompt\" or \"messages\".");
    }
    messages = messages == null ? null : List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
    if (cursor != null && !stop.isEmpty()) {
      throw new InvalidGenerationException(
          "stop",
          "Stop strings cannot be combined with a constraint: cutting the output would break it.");
    }
  }

  /**
   * A chat generation under a constraint, with the service's default timeout and no stop strings.
   */
  public static GenerationCommand chat(
      List<ChatMessage> messages, ConstraintCursor cursor, SamplingParams sampling, int maxTokens) {
    return new GenerationCommand(null, messages, cursor, sampling, maxTokens, List.of(), 0);
  }

  /** The prompt text the model sees. */
  public String promptText() {
    return rawPrompt != null ? rawPrompt : ChatMessage.phi3Prompt(messages);
  }
}
