package io.guidepost.decoding;

import io.guidepost.grammar.ConstraintTooComplexException;
import io.guidepost.grammar.EarleyParser;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The per-request position in a {@link GrammarAutomaton}: an {@link EarleyParser} that has consumed
 * the bytes of the tokens emitted so far.
 *
 * <p>Masking is exact: a text token is allowed iff the parser accepts all of its bytes (some
 * sentence of the grammar starts with the output so far plus the token), an end-of-sequence id iff
 * the output so far is a sentence. The mask is computed by one depth-first walk of the vocabulary's
 * byte trie ({@link TokenTrie}) with the parser, pushing a byte when the walk goes down an edge and
 * popping back when it leaves a subtree, and skipping every subtree whose first byte the parser
 * refuses. Inside a lexeme a push is one DFA step per live scan entry; the Earley closure runs only
 * where a lexeme can end.
 *
 * <p>Thread-safety: not thread-safe; one cursor per generation.
 */
public final class GrammarCursor implements FastForwardCursor {
  private static final int MAX_FORCED_BYTES = 256;

  private final GrammarAutomaton automaton;
  private final Vocabulary vocab;
  private final TokenTrie trie;
  private final EarleyParser parser;
  private final long[] byteSet = new long[4];
  private int tokenCount;
  private int forcedTokenCount;
  private boolean finished;

  GrammarCursor(GrammarAutomaton automaton) {
    this.automaton = automaton;
    this.vocab = automaton.vocabulary();
    this.trie = vocab.trie();
    this.parser = automaton.grammar().newParser();
    this.stepMillis = automaton.grammar().limits().maxStepMillis();
    this.stepNanos = stepMillis * 1_000_000L;
    this.maxNesting = automaton.grammar().maxJsonNesting();
  }

  // JSON nesting of the output (grammars of JSON documents only, maxNesting > 0)
  private final int maxNesting;
  private int nesting;
  private boolean inString;
  private boolean escaped;

  /**
   * Follows the JSON nesting over a committed token's bytes; reaching the grammar's limit stops the
   * generation with {@code maxNesting} (never a silent cut of the document).
   */
  private void trackNesting(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      int b = bytes[i];
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++nesting > maxNesting) {
          throw new ConstraintTooComplexException(
              "maxNesting",
              maxNesting,
              nesting,
              "levels",
              "the nesting of arrays and objects at token " + (tokenCount + 1));
        }
      } else if (b == '}' || b == ']') {
        nesting--;
      }
    }
  }

  private final long stepMillis;
  private final long stepNanos;
  private long stepDeadline; // of the mask being computed, in System.nanoTime()

  private ConstraintTooComplexException stepTooLong() {
    return new ConstraintTooComplexException(
        "maxStepMillis",
        stepMillis,
        stepMillis + 1,
        "ms",
        "the grammar mask at token " + (tokenCount() + 1));
  }

  @Override
  public void fillMask(long[] dst) {
    int words = (vocab.logitsSize() + 63) >>> 6;
    if (finished) {
      Arrays.fill(dst, 0, words, 0L);
      return;
    }
    LexerMask root = automaton.lexerMask(parser.lexerSignature(), LexerMask.TRIE_ROOT);
    root.fill(dst);
    int base = parser.depth();
    stepDeadline = System.nanoTime() + stepNanos;
    try {
      expand(root, base, dst);
    } finally {
      parser.popTo(base);
    }
    if (parser.isAccepting()) {
      for (int e : vocab.eosIdsShared()) {
        dst[e >>> 6] |= 1L << e;
      }
    }
  }

  /**
   * For each boundary of {@code m} (whose root the parser is at, at depth {@code at}): pushes the
   * path, allows the boundary node's tokens, and continues below it with the lexer mask of the
   * parser's new signature. Recursion depth is bounded by the trie's depth.
   */
  private void expand(LexerMask m, int at, long[] dst) {
    int[] tokenStart = trie.tokenStart;
    int[] tokens = trie.tokens;
    for (int k = 0; k < m.boundaryNodes.length; k++) {
      if (System.nanoTime() > stepDeadline) {
        throw stepTooLong();
      }
      int start = m.pathStart[k];
      parser.popTo(at);
      if (!parser.pushAll(m.pathBytes, start, m.pathStart[k + 1] - start)) {
        continue; // unreachable: the lexer kept every byte of the path alive
      }
      int node = m.boundaryNodes[k];
      for (int j = tokenStart[node], end = tokenStart[node + 1]; j < end; j++) {
        int t = tokens[j];
        dst[t >>> 6] |= 1L << t;
      }
      if (trie.subtreeEnd[node] > node + 1 && parser.canContinue()) {
        LexerMask below = automaton.lexerMask(parser.lexerSignature(), node);
        below.fill(dst);
        expand(below, parser.depth(), dst);
      }
    }
  }

  @Override
  public boolean isAllowed(int token) {
    if (finished || token < 0 || token >= vocab.logitsSize()) {
      return false;
    }
    if (vocab.isEos(token)) {
      return parser.isAccepting();
    }
    if (!vocab.isText(token)) {
      return false;
    }
    int base = parser.depth();
    int[] off = vocab.packedOffsets();
    boolean ok = parser.pushAll(vocab.packedBytes(), off[token], off[token + 1] - off[token]);
    parser.popTo(base);
    return ok;
  }

  @Override
  public void advance(int tokenId) {
    if (finished) {
      throw new IllegalArgumentException("token " + tokenId + " after end of sequence");
    }
    if (vocab.isEos(tokenId)) {
      if (!parser.isAccepting()) {
        throw new IllegalArgumentException(
            "end of sequence before the output is a sentence of the grammar");
      }
      tokenCount++;
      finished = true;
      return;
    }
    int[] off = vocab.packedOffsets();
    if (!vocab.isText(tokenId)
        || !parser.pushAll(vocab.packedBytes(), off[tokenId], off[tokenId + 1] - off[tokenId])) {
      throw new IllegalArgumentException(
          "token " + tokenId + " is not allowed after " + parser.depth() + " bytes");
    }
    if (maxNesting > 0) {
      trackNesting(vocab.packedBytes(), off[tokenId], off[tokenId + 1] - off[tokenId]);
    }
    tokenCount++;
  }

  @Override
  public void advanceForced(int token) {
    advance(token);
    forcedTokenCount++;
  }

  @Override
  public boolean isAccepting() {
    return finished || parser.isAccepting();
  }

  @Override
  public boolean isComplete() {
    return finished || (parser.isAccepting() && !parser.canContinue());
  }

  /**
   * The bytes every continuation starts with: while exactly one byte is viable and the output is
   * not yet a sentence, that byte (at most {@value #MAX_FORCED_BYTES} bytes).
   */
  @Override
  public byte[] forcedBytes() {
    if (finished) {
      return StateMask.NO_BYTES;
    }
    int base = parser.depth();
    ByteArrayOutputStream out = null;
    try {
      for (int len = 0; len < MAX_FORCED_BYTES && !parser.isAccepting(); len++) {
        parser.viableBytes(byteSet);
        int only = onlyByte(byteSet);
        if (only < 0 || !parser.push(only)) {
          break;
        }
        if (out == null) {
          out = new ByteArrayOutputStream();
        }
        out.write(only);
      }
    } finally {
      parser.popTo(base);
    }
    return out == null ? StateMask.NO_BYTES : out.toByteArray();
  }

  private static int onlyByte(long[] set) {
    int found = -1;
    for (int w = 0; w < 4; w++) {
      long bits = set[w];
      if (bits == 0) {
        continue;
      }
      if (found >= 0 || Long.bitCount(bits) != 1) {
        return -1;
      }
      found = (w << 6) + Long.numberOfTrailingZeros(bits);
    }
    return found;
  }

  @Override
  public boolean crossesEnd(ForcedTokens forced, byte[] text) {
    int base = parser.depth();
    try {
      if (!parser.pushAll(text, 0, text.length) || !parser.canContinue()) {
        return false;
      }
      int end = parser.depth();
      for (int k = Math.max(0, text.length - trie.maxDepth); k < text.length; k++) {
        int node = ForcedTokens.descend(trie, text, k);
        if (node < 0) {
          continue;
        }
        // Walk the subtree strictly below node: any token the parser accepts there crosses.
        int top = trie.depth[node];
        int stop = trie.subtreeEnd[node];
        int i = node + 1;
        while (i < stop) {
          parser.popTo(end + trie.depth[i] - top - 1);
          if (!parser.push(trie.label[i] & 0xFF)) {
            i = trie.subtreeEnd[i];
            continue;
          }
          if (trie.tokenStart[i + 1] > trie.tokenStart[i]) {
            return true;
          }
          i++;
        }
        parser.popTo(end);
      }
      return false;
    } finally {
      parser.popTo(base);
    }
  }

  @Override
  public int forcedTokenCount() {
    return forcedTokenCount;
  }

  /** Tokens advanced so far (forced ones and the end-of-sequence id included). */
  public int tokenCount() {
    return tokenCount;
  }

  /** Bytes of output consumed so far. */
  public int bytesConsumed() {
    return parser.depth();
  }

  /** True after an end-of-sequence id was advanced. */
  public boolean isFinished() {
    return finished;
  }

  /** The automaton this cursor walks. */
  public GrammarAutomaton automaton() {
    return automaton;
  }
}
