package io.guidepost.decoding;

/**
 * The per-request state of a constraint, consulted by the decoding loop at every step.
 *
 * <p>Implementations are cheap to create, not thread-safe, and used by one generation at a time;
 * the compiled automaton behind them is immutable and shared.
 */
public interface ConstraintCursor {

  /**
   * Writes the set of allowed token ids into {@code dst}, a bitset of {@code logitsSize} bits
   * (token {@code t} is bit {@code t & 63} of {@code dst[t >>> 6]}); bits beyond it are cleared.
   * End-of- sequence ids are allowed exactly when {@link #isAccepting()}.
   */
  void fillMask(long[] dst);

  /**
   * Moves past one token.
   *
   * @throws IllegalArgumentException when {@code tokenId} is not in the current mask
   */
  void advance(int tokenId);

  /** True when the text so far is a complete, accepted output. */
  boolean isAccepting();

  /** True when the output is accepted and no continuation other than end-of-sequence is allowed. */
  boolean isComplete();

  /**
   * The bytes that every valid continuation must start with (empty when there is a choice); used to
   * fast-forward several tokens per model call.
   */
  byte[] forcedBytes();
}
