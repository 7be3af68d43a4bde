package io.guidepost.service;

import jakarta.ejb.ApplicationException;

/**
 * A generation request that cannot be served as asked (HTTP 400): names the request member that is
 * wrong ({@link #member()}, e.g. {@code max_tokens}, {@code messages}).
 */
@ApplicationException
public final class InvalidGenerationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String member;

  /** An error about request member {@code member}. */
  public InvalidGenerationException(String member, String message) {
    super(message);
    this.member = member;
  }

  /** The request member at fault. */
  public String member() {
    return member;
  }
}
