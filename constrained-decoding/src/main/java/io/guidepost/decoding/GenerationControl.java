package io.guidepost.decoding;

/**
 * Lets another thread cancel a running generation. Cancelling sets a flag checked before every
 * model call and aborts the model call in flight; the generation then ends with {@link
 * GenerationResult.FinishReason#CANCELLED} and frees its native memory at once.
 *
 * <p>Thread-safe. One control per generation.
 */
public final class GenerationControl {

  private volatile boolean cancelled;
  private volatile KvCache cache;

  /** Requests cancellation; idempotent. */
  public void cancel() {
    cancelled = true;
    KvCache c = cache;
    if (c != null) {
      c.terminate();
    }
  }

  public boolean isCancelled() {
    return cancelled;
  }

  void attach(KvCache c) {
    cache = c;
    if (cancelled) {
      c.terminate();
    }
  }

  void detach() {
    cache = null;
  }
}
