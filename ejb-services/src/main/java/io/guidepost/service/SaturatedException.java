package io.guidepost.service;

import jakarta.ejb.ApplicationException;

/**
 * Generation capacity is exhausted: the queue is full (HTTP 429) or a queued request waited too
 * long for a slot (HTTP 503). Both carry a {@code Retry-After} hint.
 */
@ApplicationException
public final class SaturatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean queueFull;
  private final int retryAfterSeconds;

  SaturatedException(boolean queueFull, int retryAfterSeconds, String message) {
    super(message);
    this.queueFull = queueFull;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** True when rejected because the queue was full (429); false when the wait timed out (503). */
  public boolean queueFull() {
    return queueFull;
  }

  /** Suggested delay before retrying, in seconds. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
