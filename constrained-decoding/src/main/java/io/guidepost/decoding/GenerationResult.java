package io.guidepost.decoding;

/**
 * The outcome of one generation.
 *
 * <p>{@code text} is the UTF-8 decoding of the exact bytes of the generated text tokens (the bytes
 * the constraint saw; a SentencePiece {@code ▁} is a space, so unconstrained output may start with
 * one), cut before a stop string when one was hit; end-of-sequence ids add nothing; a trailing
 * incomplete UTF-8 sequence (free text cut by the length limit) is left out. Invalid byte sequences
 * inside free text decode to U+FFFD. With a constraint, {@link FinishReason#STOP} means the text is
 * a complete match; any other reason means it is only a valid prefix.
 *
 * <p>Immutable and thread-safe (the token array is copied out).
 *
 * @param text generated text
 * @param tokenIds generated token ids in order, forced ones included, the final end-of-sequence id
 *     excluded
 * @param promptTokens tokens in the prompt
 * @param generatedTokens tokens generated ({@code tokenIds.length})
 * @param forcedTokens of those, tokens appended by fast-forward without sampling
 * @param modelCalls model runs, prefill chunks included
 * @param finishReason why generation ended
 * @param queueNanos waiting for a concurrency permit
 * @param prefillNanos encoding the prompt and running it through the model
 * @param decodeNanos from the first sampled token to the end
 * @param maskNanos of that, time spent filling constraint masks (0 for free text)
 */
public record GenerationResult(
    String text,
    int[] tokenIds,
    int promptTokens,
    int generatedTokens,
    int forcedTokens,
    int modelCalls,
    FinishReason finishReason,
    long queueNanos,
    long prefillNanos,
    long decodeNanos,
    long maskNanos) {

  /** Why a generation ended. */
  public enum FinishReason {
    /** End-of-sequence chosen, the constraint complete, or a stop string produced. */
    STOP,
    /** {@code maxNewTokens} reached. */
    LENGTH,
    /** Cancelled through {@link GenerationControl} or by interrupting the thread. */
    CANCELLED,
    /** The request's {@code timeoutMillis} passed. */
    TIMEOUT
  }

  public GenerationResult {
    tokenIds = tokenIds.clone();
  }

  @Override
  public int[] tokenIds() {
    return tokenIds.clone();
  }
}
