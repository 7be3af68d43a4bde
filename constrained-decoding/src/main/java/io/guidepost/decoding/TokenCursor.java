package io.guidepost.decoding;

import java.util.Arrays;

/**
 * The per-request position in a {@link TokenAutomaton}: the DFA state reached by the tokens emitted
 * so far and the number of code points they spell.
 *
 * <p>Masking is exact: a text token is allowed iff its bytes keep the DFA alive, and (when the
 * constraint has code-point length bounds) the new count is at most {@code maxChars} and an
 * accepted completion within the bounds still exists ({@code canComplete(next, newCount)}); an
 * end-of-sequence id is allowed iff the state is accepting and {@code minChars <= count <=
 * maxChars}. After an end-of-sequence id the cursor is finished and allows nothing.
 *
 * <p>Thread-safety: not thread-safe; one cursor per generation. Cost: {@link #fillMask} and {@link
 * #advance} allocate nothing once the state's mask is memoised; with non-trivial length bounds
 * {@link #fillMask} also checks every allowed token (linear in the number allowed).
 */
public final class TokenCursor implements FastForwardCursor {
  private final TokenAutomaton automaton;
  private final Vocabulary vocab;
  private final LengthBounds bounds;
  private final boolean bounded;
  private StateMask mask;
  private int state;
  private int codePoints;
  private int tokenCount;
  private int forcedTokenCount;
  private boolean finished;
  private long[] scratch; // isComplete() under length bounds, allocated once

  TokenCursor(TokenAutomaton automaton) {
    this.automaton = automaton;
    this.vocab = automaton.vocabulary();
    this.bounds = automaton.bounds();
    this.bounded = !bounds.isTrivial();
    this.state = automaton.initialState();
    this.mask = automaton.mask(state);
  }

  @Override
  public void fillMask(long[] dst) {
    if (finished) {
      Arrays.fill(dst, 0L);
      return;
    }
    mask.fill(dst);
    if (bounded) {
      applyBounds(dst);
    }
  }

  private void applyBounds(long[] dst) {
    int logitsSize = vocab.logitsSize();
    int words = (logitsSize + 63) >>> 6;
    for (int w = 0; w < words; w++) {
      long bits = dst[w];
      while (bits != 0) {
        int t = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (!vocab.isEos(t) && !textAllowedByBounds(t)) {
          dst[w] &= ~(1L << t);
        }
      }
    }
    boolean eosOk = eosAllowedByBounds();
    for (int e : vocab.eosIdsShared()) {
      if (!eosOk) {
        dst[e >>> 6] &= ~(1L << e);
      }
    }
  }

  private boolean textAllowedByBounds(int token) {
    int n = codePoints + vocab.tokenCodePoints(token);
    return n <= bounds.maxChars() && bounds.canComplete(automaton.step(state, token), n);
  }

  private boolean eosAllowedByBounds() {
    return codePoints >= bounds.minChars() && codePoints <= bounds.maxChars();
  }

  @Override
  public boolean isAllowed(int token) {
    if (finished || !mask.contains(token)) {
      return false;
    }
    if (!bounded) {
      return true;
    }
    return vocab.isEos(token) ? eosAllowedByBounds() : textAllowedByBounds(token);
  }

  @Override
  public void advance(int tokenId) {
    if (!isAllowed(tokenId)) {
      throw new IllegalArgumentException(
          "token "
              + tokenId
              + (finished ? " after end of sequence" : " is not allowed in state " + state));
    }
    tokenCount++;
    if (vocab.isEos(tokenId)) {
      finished = true;
      return;
    }
    codePoints += vocab.tokenCodePoints(tokenId);
    state = automaton.step(state, tokenId);
    mask = automaton.mask(state);
  }

  @Override
  public void advanceForced(int tokenId) {
    advance(tokenId);
    forcedTokenCount++;
  }

  @Override
  public boolean isAccepting() {
    if (finished) {
      return true;
    }
    return automaton.dfa().isAccepting(state) && (!bounded || eosAllowedByBounds());
  }

  @Override
  public boolean isComplete() {
    if (finished) {
      return true;
    }
    if (!isAccepting()) {
      return false;
    }
    if (mask.textCount == 0) {
      return true;
    }
    if (!bounded) {
      return false;
    }
    // Complete unless some text token passes the bounds: stop at the first one found.
    if (scratch == null) {
      scratch = new long[(vocab.logitsSize() + 63) >>> 6];
    }
    mask.fill(scratch);
    for (int w = 0; w < scratch.length; w++) {
      long bits = scratch[w];
      while (bits != 0) {
        int t = (w << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        if (!vocab.isEos(t) && textAllowedByBounds(t)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public byte[] forcedBytes() {
    if (finished || mask.forced.length == 0) {
      return StateMask.NO_BYTES;
    }
    return mask.forced.clone();
  }

  /** True after an end-of-sequence id was advanced. */
  public boolean isFinished() {
    return finished;
  }

  /** The current DFA state. */
  public int state() {
    return state;
  }

  /** Code points spelled by the tokens so far. */
  public int codePoints() {
    return codePoints;
  }

  /** Tokens advanced so far (forced ones and the end-of-sequence id included). */
  public int tokenCount() {
    return tokenCount;
  }

  @Override
  public boolean crossesEnd(ForcedTokens forced, byte[] text) {
    return forced.crossesEnd(automaton.dfa(), state, text);
  }

  /** Tokens advanced by fast-forward ({@link ForcedTokens}). */
  @Override
  public int forcedTokenCount() {
    return forcedTokenCount;
  }

  /** The automaton this cursor walks. */
  public TokenAutomaton automaton() {
    return automaton;
  }
}
