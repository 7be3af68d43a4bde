package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.EmptyConstraintException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * A byte-level DFA lifted to a model's token vocabulary: for each DFA state, the set of tokens
 * whose bytes keep the DFA alive, and the state each leads to. End-of-sequence ids are allowed
 * exactly in accepting states; special, control and padding ids never otherwise.
 *
 * <p>Algorithm: a state's mask is computed by one depth-first walk of the vocabulary's flat byte
 * trie ({@link TokenTrie}) in step with the DFA, skipping every subtree whose prefix kills the DFA
 * (llguidance's token-trie walk; the stored form follows XGrammar's adaptive mask cache). The state
 * after a token is not stored: it is recomputed by running the token's bytes through the DFA (a
 * handful of table lookups), which keeps memory per state to the mask alone.
 *
 * <p>Memoisation: masks are computed lazily on first use and kept per state in the smallest of
 * accepted list / rejected list / bitset ({@link StateMask}). The total kept is bounded by {@link
 * Options#maxCacheBytes()}: past it, further masks are computed on demand and not kept (correct,
 * slower), and {@link #refusedCount()} says how often. By default only the initial state's mask is
 * computed at compile time (the first decoding step needs nothing more; a later state costs one
 * walk on its first visit, well under a millisecond on Phi-3). With {@link
 * Options#precomputeMaxStates()} {@code > 0}, DFAs of at most that many states get every mask
 * computed at compile time, in parallel (no first-visit cost, but compile then takes one walk per
 * state).
 *
 * <p>Thread-safety: immutable apart from the cache, which is a lock-free {@link
 * AtomicReferenceArray}; concurrent requests share one instance (two threads may compute the same
 * state once each; the result is identical). Per-request state lives in {@link TokenCursor}.
 *
 * <p>Cost: one walk is linear in the number of trie nodes visited (at most about 76,000 for Phi-3,
 * typically far fewer); {@link #fillMask} of a cached state is one fill of {@code logitsSize/64}
 * words plus one bit operation per listed id.
 */
public final class TokenAutomaton implements TokenConstraint {

  /**
   * Compile options.
   *
   * @param maxCacheBytes upper bound on the bytes of memoised masks kept by one automaton
   * @param precomputeMaxStates DFAs with at most this many states get every mask computed at
   *     compile time (in parallel); 0 disables precomputation
   */
  public record Options(long maxCacheBytes, int precomputeMaxStates) {
    /** 64 MiB of masks; no precomputation (masks are computed on first visit). */
    public static final Options DEFAULT = new Options(64L << 20, 0);

    public Options {
      if (maxCacheBytes < 0 || precomputeMaxStates < 0) {
        throw new IllegalArgumentException("options must not be negative");
      }
    }
  }

  private final ByteDfa dfa;
  private final Vocabulary vocab;
  private final TokenTrie trie;
  private final LengthBounds bounds;
  private final Options options;
  private final int[] classSize; // DFA byte class -> number of bytes in it
  private final int[] classRepr; // DFA byte class -> smallest byte in it
  private final AtomicReferenceArray<StateMask> cache;
  private final AtomicLong cacheBytes = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  private TokenAutomaton(ByteDfa dfa, Vocabulary vocab, Options options, LengthBounds bounds) {
    if (dfa.isEmpty()) {
      throw new EmptyConstraintException(dfa.toString());
    }
    this.dfa = dfa;
    this.vocab = vocab;
    this.trie = vocab.trie();
    this.bounds = bounds;
    this.options = options;
    this.classSize = new int[dfa.classCount()];
    this.classRepr = new int[dfa.classCount()];
    Arrays.fill(classRepr, -1);
    for (int b = 255; b >= 0; b--) {
      int c = dfa.byteClass(b);
      classSize[c]++;
      classRepr[c] = b;
    }
    this.cache = new AtomicReferenceArray<>(dfa.stateCount());
    if (dfa.stateCount() <= options.precomputeMaxStates()) {
      IntStream.range(0, dfa.stateCount()).parallel().forEach(this::mask);
    } else {
      mask(dfa.initialState());
    }
  }

  /**
   * Lifts a compiled constraint to {@code vocab} with {@link Options#DEFAULT}: its DFA, and its
   * code-point length bounds enforced by the cursors ({@link TokenCursor}).
   *
   * @throws EmptyConstraintException when the constraint accepts nothing
   */
  public static TokenAutomaton compile(CompiledConstraint constraint, Vocabulary vocab) {
    return compile(constraint, vocab, Options.DEFAULT);
  }

  /** Same as {@link #compile(CompiledConstraint, Vocabulary)} with explicit options. */
  public static TokenAutomaton compile(
      CompiledConstraint constraint, Vocabulary vocab, Options options) {
    if (constraint.dfa().isEmpty()) {
      throw new EmptyConstraintException(constraint.description());
    }
    LengthBounds bounds = constraint.hasLengthBounds() ? new Bounds(constraint) : LengthBounds.NONE;
    return new TokenAutomaton(constraint.dfa(), vocab, options, bounds);
  }

  /** A compiled constraint's length bounds. */
  private record Bounds(CompiledConstraint c) implements LengthBounds {
    @Override
    public int minChars() {
      return c.minChars();
    }

    @Override
    public int maxChars() {
      return c.maxChars();
    }

    @Override
    public boolean canComplete(int state, int chars) {
      return state >= 0 && c.canComplete(state, chars);
    }
  }

  /** Lifts {@code dfa} to {@code vocab} with {@link Options#DEFAULT}. */
  public static TokenAutomaton compile(ByteDfa dfa, Vocabulary vocab) {
    return new TokenAutomaton(dfa, vocab, Options.DEFAULT, LengthBounds.NONE);
  }

  /**
   * Lifts {@code dfa} to {@code vocab}; the initial state's mask is ready when this returns.
   *
   * @throws EmptyConstraintException when the DFA accepts nothing
   */
  public static TokenAutomaton compile(ByteDfa dfa, Vocabulary vocab, Options options) {
    return new TokenAutomaton(dfa, vocab, options, LengthBounds.NONE);
  }

  static TokenAutomaton compile(
      ByteDfa dfa, Vocabulary vocab, Options options, LengthBounds bounds) {
    return new TokenAutomaton(dfa, vocab, options, bounds);
  }

  /** A fresh per-request cursor at the initial state. */
  @Override
  public TokenCursor newCursor() {
    return new TokenCursor(this);
  }

  /** The byte-level DFA. */
  public ByteDfa dfa() {
    return dfa;
  }

  /** The vocabulary. */
  @Override
  public Vocabulary vocabulary() {
    return vocab;
  }

  /** The DFA's initial state. */
  public int initialState() {
    return dfa.initialState();
  }

  /**
   * Writes the tokens allowed in {@code state} (ignoring length bounds, which need the cursor's
   * count) into {@code dst}, a bitset of at least {@code logitsSize} bits; clears the rest.
   */
  public void fillMask(int state, long[] dst) {
    mask(state).fill(dst);
  }

  /** True when {@code token} is allowed in {@code state} (ignoring length bounds). */
  public boolean isAllowed(int state, int token) {
    return mask(state).contains(token);
  }

  /** Number of ids allowed in {@code state}, end-of-sequence ids included. */
  public int allowedCount(int state) {
    return mask(state).allowedCount;
  }

  /**
   * The DFA state after {@code token} in {@code state}, or -1 when the token is not allowed there.
   * End-of-sequence ids map to -1 as well (they end the output).
   */
  public int nextState(int state, int token) {
    if (!vocab.isText(token) || !mask(state).contains(token)) {
      return -1;
    }
    return step(state, token);
  }

  /** Number of states whose mask is currently memoised. */
  public int cachedStates() {
    int n = 0;
    for (int i = 0; i < cache.length(); i++) {
      if (cache.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  /** Bytes of memoised masks currently kept (approximate heap footprint). */
  @Override
  public long cacheBytes() {
    return cacheBytes.get();
  }

  /** How many computed masks were not kept because the cache budget was full. */
  public long refusedCount() {
    return refused.get();
  }

  /** The compile options. */
  public Options options() {
    return options;
  }

  LengthBounds bounds() {
    return bounds;
  }

  /** Runs the token's bytes through the DFA from {@code state}, without checking the mask. */
  int step(int state, int token) {
    int[] off = vocab.packedOffsets();
    return dfa.run(state, vocab.packedBytes(), off[token], off[token + 1] - off[token]);
  }

  /** The (memoised) mask of {@code state}. */
  StateMask mask(int state) {
    StateMask m = cache.get(state);
    if (m != null) {
      return m;
    }
    m = computeMask(state);
    long size = m.sizeInBytes();
    while (true) {
      long used = cacheBytes.get();
      if (used + size > options.maxCacheBytes()) {
        refused.incrementAndGet();
        return m;
      }
      if (cacheBytes.compareAndSet(used, used + size)) {
        break;
      }
    }
    if (!cache.compareAndSet(state, null, m)) {
      cacheBytes.addAndGet(-size);
      return cache.get(state);
    }
    return m;
  }

  private StateMask computeMask(int state) {
    int[] eosIds = vocab.eosIdsShared();
    int[] allowed = new int[256]; // grows: most states allow few tokens
    int count = 0;
    int[] stack = new int[trie.maxDepth + 1];
    stack[0] = state;
    byte[] label = trie.label;
    short[] depth = trie.depth;
    int[] subtreeEnd = trie.subtreeEnd;
    int[] tokenStart = trie.tokenStart;
    int[] tokens = trie.tokens;
    ByteDfa d = dfa;
    int n = trie.nodeCount;
    int i = 0;
    while (i < n) {
      int level = depth[i];
      int next = d.step(stack[level - 1], label[i] & 0xFF);
      if (next < 0 || !d.isLive(next)) {
        i = subtreeEnd[i];
        continue;
      }
      stack[level] = next;
      int end = tokenStart[i + 1];
      if (count + (end - tokenStart[i]) + eosIds.length > allowed.length) {
        allowed =
            Arrays.copyOf(
                allowed, Math.max(allowed.length * 2, count + end - tokenStart[i] + eosIds.length));
      }
      for (int j = tokenStart[i]; j < end; j++) {
        allowed[count++] = tokens[j];
      }
      i++;
    }
    int textCount = count;
    if (d.isAccepting(state)) {
      for (int e : eosIds) {
        allowed[count++] = e;
      }
    }
    Arrays.sort(allowed, 0, count);
    return StateMask.of(allowed, count, textCount, vocab.logitsSize(), forcedBytes(state));
  }

  /** The bytes forced from {@code state}: follow states with exactly one live outgoing byte. */
  private byte[] forcedBytes(int state) {
    byte[] buf = null;
    int len = 0;
    int s = state;
    for (int guard = 0; guard <= dfa.stateCount() && !dfa.isAccepting(s); guard++) {
      int onlyByte = -1;
      int target = -1;
      int choices = 0;
      for (int c = 0; c < classSize.length && choices <= 1; c++) {
        int t = dfa.stepClass(s, c);
        if (t >= 0 && dfa.isLive(t)) {
          choices += classSize[c];
          onlyByte = classRepr[c];
          target = t;
        }
      }
      if (choices != 1) {
        break;
      }
      if (buf == null) {
        buf = new byte[16];
      } else if (len == buf.length) {
        buf = Arrays.copyOf(buf, len * 2);
      }
      buf[len++] = (byte) onlyByte;
      s = target;
    }
    return len == 0 ? StateMask.NO_BYTES : Arrays.copyOf(buf, len);
  }
}
