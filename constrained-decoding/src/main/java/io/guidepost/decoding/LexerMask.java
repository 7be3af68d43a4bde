package io.guidepost.decoding;

import io.guidepost.grammar.ContextFreeGrammar;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The part of a grammar mask that depends only on the lexer, below one trie node: for a set of
 * (lexeme, DFA state) pairs (an {@link io.guidepost.grammar.EarleyParser#lexerSignature()}) and a
 * root (the trie's root, or a node the parser has just reached), the tokens below the root whose
 * remaining bytes keep some lexeme going without any lexeme ending on the way ({@link
 * #insideTokens}; a leaf where a lexeme ends counts as inside too), and the other nodes below the
 * root where a lexeme can first end ({@link #boundaryNodes}): there the parser decides, and the
 * cursor continues with the lexer mask of the parser's new signature below that node.
 *
 * <p>Why this is exact: while no lexeme of the signature completes, the parser's set after each
 * byte is just the scan entries with their DFA states advanced, and a set with a live scan entry is
 * a viable prefix (every item of the grammar leads to a sentence). So a token reached without a
 * boundary is allowed iff some pair is still live after its last byte, whatever the parser's
 * context.
 *
 * <p>Immutable; cached per grammar by {@link GrammarAutomaton} and shared by all requests.
 */
final class LexerMask {
  /** The root of the whole trie (its nodes are 0..nodeCount-1). */
  static final int TRIE_ROOT = -1;

  final int[] insideTokens; // sorted
  final StateMask insideMask; // the same as a mask, for the trie root only (fast fill); else null
  final int[] boundaryNodes; // nodes (preorder) below the root where some lexeme completes
  final int[] pathStart; // boundary k's bytes after the root: pathBytes[pathStart[k]..[k+1])
  final byte[] pathBytes;

  private LexerMask(
      int[] insideTokens,
      StateMask insideMask,
      int[] boundaryNodes,
      int[] pathStart,
      byte[] pathBytes) {
    this.insideTokens = insideTokens;
    this.insideMask = insideMask;
    this.boundaryNodes = boundaryNodes;
    this.pathStart = pathStart;
    this.pathBytes = pathBytes;
  }

  /**
   * One walk of the subtree strictly below {@code root} ({@link #TRIE_ROOT}: the whole trie) with
   * the signature's pairs: a node where a pair's DFA accepts is a boundary (recorded with its path
   * from the root, its subtree skipped); a node where no pair stays live and extendable is skipped
   * with its subtree; the tokens of every other node are inside.
   */
  static LexerMask compute(
      ContextFreeGrammar g, long[] signature, Vocabulary vocab, TokenTrie trie, int root) {
    int first = root + 1;
    int stop = root == TRIE_ROOT ? trie.nodeCount : trie.subtreeEnd[root];
    int top = root == TRIE_ROOT ? 0 : trie.depth[root];
    int width = Math.max(1, signature.length);
    int levels = trie.maxDepth - top + 1;
    // pairs at each relative depth: lexeme and state arrays, width entries per level
    int[] lex = new int[levels * width];
    int[] state = new int[levels * width];
    int[] count = new int[levels];
    for (int k = 0; k < signature.length; k++) {
      lex[k] = (int) (signature[k] >>> 32);
      state[k] = (int) signature[k];
    }
    count[0] = signature.length;
    int[] allowed = new int[64];
    int allowedCount = 0;
    int[] boundaries = new int[16];
    int boundaryCount = 0;
    byte[] path = new byte[levels];
    ByteArrayOutputStream paths = new ByteArrayOutputStream();
    byte[] label = trie.label;
    short[] depth = trie.depth;
    int[] subtreeEnd = trie.subtreeEnd;
    int[] tokenStart = trie.tokenStart;
    int[] tokens = trie.tokens;
    int i = first;
    while (i < stop) {
      int level = depth[i] - top;
      int from = (level - 1) * width;
      int to = level * width;
      int b = label[i] & 0xFF;
      path[level - 1] = label[i];
      int c = 0;
      boolean boundary = false;
      for (int k = 0; k < count[level - 1]; k++) {
        int t = lex[from + k];
        int q = g.lexemeStep(t, state[from + k], b);
        if (q < 0) {
          continue;
        }
        if (g.lexemeAccepts(t, q)) {
          boundary = true;
          break;
        }
        if (g.lexemeExtendable(t, q) && !contains(lex, state, to, c, t, q)) {
          lex[to + c] = t;
          state[to + c] = q;
          c++;
        }
      }
      // A leaf where a lexeme completes needs no parser: its tokens are allowed whatever the
      // context (the completed item leads to a sentence) and nothing lies below it.
      boolean leaf = subtreeEnd[i] == i + 1;
      if (boundary && !leaf) {
        if (boundaryCount == boundaries.length) {
          boundaries = Arrays.copyOf(boundaries, boundaryCount * 2);
        }
        boundaries[boundaryCount++] = i;
        paths.write(path, 0, level);
        i = subtreeEnd[i];
        continue;
      }
      if (c == 0 && !boundary) {
        i = subtreeEnd[i];
        continue;
      }
      count[level] = c;
      int end = tokenStart[i + 1];
      if (allowedCount + end - tokenStart[i] > allowed.length) {
        allowed = Arrays.copyOf(allowed, Math.max(allowed.length * 2, allowedCount + end));
      }
      for (int j = tokenStart[i]; j < end; j++) {
        allowed[allowedCount++] = tokens[j];
      }
      i++;
    }
    Arrays.sort(allowed, 0, allowedCount);
    int[] inside = Arrays.copyOf(allowed, allowedCount);
    StateMask mask =
        root == TRIE_ROOT
            ? StateMask.of(
                inside, allowedCount, allowedCount, vocab.logitsSize(), StateMask.NO_BYTES)
            : null;
    int[] nodes = Arrays.copyOf(boundaries, boundaryCount);
    int[] pathStart = new int[boundaryCount + 1];
    for (int k = 0; k < boundaryCount; k++) {
      pathStart[k + 1] = pathStart[k] + depth[nodes[k]] - top;
    }
    return new LexerMask(
        root == TRIE_ROOT ? null : inside, mask, nodes, pathStart, paths.toByteArray());
  }

  private static boolean contains(int[] lex, int[] state, int from, int n, int t, int q) {
    for (int k = 0; k < n; k++) {
      if (lex[from + k] == t && state[from + k] == q) {
        return true;
      }
    }
    return false;
  }

  /** Sets the inside tokens' bits in {@code dst}; for the trie root, overwrites all of it. */
  void fill(long[] dst) {
    if (insideMask != null) {
      insideMask.fill(dst);
      return;
    }
    for (int t : insideTokens) {
      dst[t >>> 6] |= 1L << t;
    }
  }

  long sizeInBytes() {
    return (insideMask != null ? insideMask.sizeInBytes() : 4L * insideTokens.length)
        + 8L * boundaryNodes.length
        + pathBytes.length
        + 64;
  }
}
