package io.guidepost.decoding;

import io.guidepost.grammar.ContextFreeGrammar;
import java.util.Arrays;

/**
 * The part of a grammar mask that depends only on the lexer: for a set of (lexeme, DFA state) pairs
 * (an {@link io.guidepost.grammar.EarleyParser#lexerSignature()}), the tokens whose bytes keep some
 * lexeme going without any lexeme ending on the way ({@link #inside}), and the trie nodes where a
 * lexeme can first end ({@link #boundaryNodes}): below those the parser decides.
 *
 * <p>Why this is exact: while no lexeme of the signature completes, the parser's set after each
 * byte is just the scan entries with their DFA states advanced, and a row with a live scan entry is
 * a viable prefix (every item of the grammar leads to a sentence). So a token reached without a
 * boundary is allowed iff some pair is still live after its last byte, whatever the parser's
 * context; at a boundary the completed lexeme's items decide, and the cursor walks that subtree
 * with the parser.
 *
 * <p>Immutable; cached per grammar by {@link GrammarAutomaton} and shared by all requests.
 */
final class LexerMask {
  final StateMask inside; // text tokens allowed without crossing a boundary
  final int[] boundaryNodes; // trie nodes (preorder) where some lexeme of the signature completes
  final int[] pathStart; // boundary k's path bytes are pathBytes[pathStart[k] .. pathStart[k+1])
  final byte[] pathBytes;

  private LexerMask(StateMask inside, int[] boundaryNodes, int[] pathStart, byte[] pathBytes) {
    this.inside = inside;
    this.boundaryNodes = boundaryNodes;
    this.pathStart = pathStart;
    this.pathBytes = pathBytes;
  }

  /**
   * One walk of the trie with the signature's pairs: a node where a pair's DFA accepts is a
   * boundary (recorded with its path, its subtree skipped); a node where no pair stays live and
   * extendable is skipped with its subtree; the tokens of every other node are inside.
   */
  static LexerMask compute(
      ContextFreeGrammar g, long[] signature, Vocabulary vocab, TokenTrie trie) {
    int n = trie.nodeCount;
    int width = Math.max(1, signature.length);
    // pairs at each depth: lexeme and state arrays, width entries per level
    int[] lex = new int[(trie.maxDepth + 1) * width];
    int[] state = new int[(trie.maxDepth + 1) * width];
    int[] count = new int[trie.maxDepth + 1];
    for (int k = 0; k < signature.length; k++) {
      lex[k] = (int) (signature[k] >>> 32);
      state[k] = (int) signature[k];
    }
    count[0] = signature.length;
    int[] allowed = new int[256];
    int allowedCount = 0;
    int[] boundaries = new int[16];
    int boundaryCount = 0;
    byte[] path = new byte[trie.maxDepth];
    java.io.ByteArrayOutputStream paths = new java.io.ByteArrayOutputStream();
    byte[] label = trie.label;
    short[] depth = trie.depth;
    int[] subtreeEnd = trie.subtreeEnd;
    int[] tokenStart = trie.tokenStart;
    int[] tokens = trie.tokens;
    int i = 0;
    while (i < n) {
      int level = depth[i];
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
      if (boundary) {
        if (boundaryCount == boundaries.length) {
          boundaries = Arrays.copyOf(boundaries, boundaryCount * 2);
        }
        boundaries[boundaryCount++] = i;
        paths.write(path, 0, level);
        i = subtreeEnd[i];
        continue;
      }
      if (c == 0) {
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
    StateMask inside =
        StateMask.of(allowed, allowedCount, allowedCount, vocab.logitsSize(), StateMask.NO_BYTES);
    int[] nodes = Arrays.copyOf(boundaries, boundaryCount);
    int[] pathStart = new int[boundaryCount + 1];
    for (int k = 0; k < boundaryCount; k++) {
      pathStart[k + 1] = pathStart[k] + depth[nodes[k]];
    }
    return new LexerMask(inside, nodes, pathStart, paths.toByteArray());
  }

  private static boolean contains(int[] lex, int[] state, int from, int n, int t, int q) {
    for (int k = 0; k < n; k++) {
      if (lex[from + k] == t && state[from + k] == q) {
        return true;
      }
    }
    return false;
  }

  long sizeInBytes() {
    return inside.sizeInBytes() + 8L * boundaryNodes.length + pathBytes.length + 64;
  }
}
