package io.guidepost.decoding;

/**
 * A cursor that fast-forward ({@link ForcedTokens}) can drive: it tests single tokens, advances
 * over forced ones (counted apart), and tells whether a token could cross the end of a forced
 * stretch (the right-boundary healing check).
 */
public sealed interface FastForwardCursor extends ConstraintCursor
    permits TokenCursor, GrammarCursor {
  /** True when {@code token} is allowed now (the bit {@link #fillMask} would set). */
  boolean isAllowed(int token);

  /** Advances over a token placed by fast-forward; counted in {@link #forcedTokenCount()}. */
  void advanceForced(int token);

  /** Tokens advanced by fast-forward. */
  int forcedTokenCount();

  /**
   * True when some text token starts at a byte offset of {@code text} (the forced bytes from the
   * current position), spells the rest of it, and goes on past its end with bytes the constraint
   * keeps alive.
   */
  boolean crossesEnd(ForcedTokens forced, byte[] text);
}
