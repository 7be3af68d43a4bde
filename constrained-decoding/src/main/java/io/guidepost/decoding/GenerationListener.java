package io.guidepost.decoding;

/**
 * Receives generated text as it is produced (streaming). Called on the generating thread, in order;
 * must not block for long, since the KV cache and a concurrency permit are held meanwhile.
 */
@FunctionalInterface
public interface GenerationListener {

  /**
   * One token was emitted.
   *
   * @param tokenId the token
   * @param textDelta the text it completes: the UTF-8 characters whose last byte it supplied (empty
   *     when it ends inside a multi-byte character)
   * @param forced whether it was appended by fast-forward rather than sampled
   */
  void onToken(int tokenId, String textDelta, boolean forced);

  /**
   * The generation ended; {@code textDelta} is the text not streamed yet (held back while it could
   * still begin a stop string), so that all deltas together equal {@link GenerationResult#text()}.
   */
  default void onEnd(String textDelta, GenerationResult.FinishReason reason) {}
}
