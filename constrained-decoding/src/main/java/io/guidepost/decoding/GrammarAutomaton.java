package io.guidepost.decoding;

import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.ContextFreeGrammar;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A context-free constraint ({@link CompiledConstraint#isContextFree()}) lifted to a model's
 * vocabulary: the grammar, the vocabulary's byte trie, and a cache of {@link LexerMask}s, the part
 * of each mask that depends only on the lexer's state. Masks are assembled per step by the cursors
 * ({@link GrammarCursor}): the cached lexer part, plus a parser-driven walk below each lexeme
 * boundary.
 *
 * <p>Memoisation: lexer masks are kept per signature (the distinct (lexeme, DFA state) pairs of the
 * parser's current set) and trie node (the root, or a node where a lexeme ended) up to {@link
 * TokenAutomaton.Options#maxCacheBytes()}; past it they are computed on demand and not kept
 * (correct, slower), counted by {@link #refusedCount()}.
 *
 * <p>Thread-safety: immutable apart from the cache, a {@link ConcurrentHashMap}; shared by all
 * requests (two threads may compute the same entry once each; the results are equal).
 */
public final class GrammarAutomaton implements TokenConstraint {
  private final ContextFreeGrammar grammar;
  private final Vocabulary vocab;
  private final TokenTrie trie;
  private final long maxCacheBytes;
  private final ConcurrentHashMap<Signature, LexerMask> cache = new ConcurrentHashMap<>();
  private final AtomicLong cacheBytes = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  private GrammarAutomaton(ContextFreeGrammar grammar, Vocabulary vocab, long maxCacheBytes) {
    this.grammar = grammar;
    this.vocab = vocab;
    this.trie = vocab.trie();
    this.maxCacheBytes = maxCacheBytes;
  }

  /** Lifts a context-free constraint to {@code vocab} with the default cache budget. */
  public static GrammarAutomaton compile(CompiledConstraint constraint, Vocabulary vocab) {
    return compile(constraint, vocab, TokenAutomaton.Options.DEFAULT);
  }

  /** Lifts a context-free constraint to {@code vocab}; the cache is bounded by the options. */
  public static GrammarAutomaton compile(
      CompiledConstraint constraint, Vocabulary vocab, TokenAutomaton.Options options) {
    GrammarAutomaton a = new GrammarAutomaton(constraint.grammar(), vocab, options.maxCacheBytes());
    a.lexerMask(constraint.grammar().newParser().lexerSignature(), LexerMask.TRIE_ROOT);
    return a;
  }

  @Override
  public GrammarCursor newCursor() {
    return new GrammarCursor(this);
  }

  /** The grammar. */
  public ContextFreeGrammar grammar() {
    return grammar;
  }

  @Override
  public Vocabulary vocabulary() {
    return vocab;
  }

  @Override
  public long cacheBytes() {
    return cacheBytes.get();
  }

  /** Number of lexer signatures whose masks are memoised. */
  public int cachedSignatures() {
    return cache.size();
  }

  /** How many computed lexer masks were not kept because the cache budget was full. */
  public long refusedCount() {
    return refused.get();
  }

  TokenTrie trie() {
    return trie;
  }

  /** The (memoised) lexer mask of {@code signature} below trie node {@code root}. */
  LexerMask lexerMask(long[] signature, int root) {
    Signature key = new Signature(signature, root);
    LexerMask m = cache.get(key);
    if (m != null) {
      return m;
    }
    m = LexerMask.compute(grammar, signature, vocab, trie, root);
    long size = m.sizeInBytes() + 8L * signature.length + 48;
    if (cacheBytes.addAndGet(size) > maxCacheBytes) {
      cacheBytes.addAndGet(-size);
      refused.incrementAndGet();
      return m;
    }
    LexerMask raced = cache.putIfAbsent(key, m);
    if (raced != null) {
      cacheBytes.addAndGet(-size);
      return raced;
    }
    return m;
  }

  /** A signature and a trie node as a map key (value equality over the packed pairs). */
  private record Signature(long[] pairs, int root) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Signature s && root == s.root && Arrays.equals(pairs, s.pairs);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(pairs) * 31 + root;
    }
  }
}
