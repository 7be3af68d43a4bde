package io.guidepost.service;

import jakarta.ejb.ApplicationException;

/** The prompt plus the requested output does not fit the model's context (HTTP 400). */
@ApplicationException
public final class PromptTooLongException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int promptTokens;
  private final int maxNewTokens;
  private final int contextLength;

  PromptTooLongException(int promptTokens, int maxNewTokens, int contextLength) {
    super(
        "The prompt has "
            + promptTokens
            + " tokens; with max_tokens "
            + maxNewTokens
            + " that is "
            + (promptTokens + maxNewTokens)
            + ", more than the model's context of "
            + contextLength
            + " tokens.");
    this.promptTokens = promptTokens;
    this.maxNewTokens = maxNewTokens;
    this.contextLength = contextLength;
  }

  public int promptTokens() {
    return promptTokens;
  }

  public int maxNewTokens() {
    return maxNewTokens;
  }

  public int contextLength() {
    return contextLength;
  }
}
