package io.guidepost.decoding;

import java.util.Arrays;

/**
 * A flat byte trie over the text tokens of a {@link Vocabulary}, laid out in depth-first preorder
 * so that a walk together with a DFA can skip a whole subtree with one jump (the layout of
 * llguidance's token trie; see also XGrammar's adaptive token mask cache).
 *
 * <p>Layout: node {@code i} (0-based, the root is implicit and not stored) has the byte {@code
 * label[i]} on its incoming edge and depth {@code depth[i]} (1 for children of the root); its
 * subtree is the node range {@code i .. subtreeEnd[i]-1}, so the next sibling (or the next node
 * after the subtree) is {@code subtreeEnd[i]}. The tokens whose bytes end exactly at node {@code i}
 * are {@code tokens[tokenStart[i] .. tokenStart[i+1])} (several ids can share the same bytes, e.g.
 * Phi-3's {@code ▁} and {@code <0x20>}). Tokens are sorted by their bytes, unsigned lexicographic
 * order, which is also the preorder of their nodes, hence {@code tokenStart} is non-decreasing.
 *
 * <p>Thread-safety: immutable. Cost: built in O(n log n) comparisons of token bytes; the Phi-3
 * vocabulary gives about 76,000 nodes (about 0.7 MB).
 */
final class TokenTrie {
  final byte[] label;
  final short[] depth;
  final int[] subtreeEnd;
  final int[] tokenStart; // nodeCount + 1 entries
  final int[] tokens; // token ids in trie (byte-lexicographic) order
  final int nodeCount;
  final int maxDepth;

  private TokenTrie(
      byte[] label,
      short[] depth,
      int[] subtreeEnd,
      int[] tokenStart,
      int[] tokens,
      int nodeCount,
      int maxDepth) {
    this.label = label;
    this.depth = depth;
    this.subtreeEnd = subtreeEnd;
    this.tokenStart = tokenStart;
    this.tokens = tokens;
    this.nodeCount = nodeCount;
    this.maxDepth = maxDepth;
  }

  static TokenTrie build(Vocabulary vocab) {
    byte[] data = vocab.packedBytes();
    int[] off = vocab.packedOffsets();
    int n = 0;
    for (int t = 0; t < vocab.logitsSize(); t++) {
      if (vocab.isText(t)) {
        n++;
      }
    }
    int[] order = new int[n];
    n = 0;
    for (int t = 0; t < vocab.logitsSize(); t++) {
      if (vocab.isText(t)) {
        order[n++] = t;
      }
    }
    mergeSort(order, new int[n], 0, n, data, off);
    int capacity = 16;
    for (int i = 0; i < n; i++) {
      capacity += off[order[i] + 1] - off[order[i]];
    }
    byte[] label = new byte[capacity];
    short[] depth = new short[capacity];
    int[] subtreeEnd = new int[capacity];
    int[] tokenStart = new int[capacity + 1];
    int[] tokens = new int[n];
    int maxDepth = 0;
    int[] path = new int[64]; // path[d-1] = node at depth d on the current path
    int pathLen = 0;
    int nodes = 0;
    int prev = -1;
    for (int i = 0; i < n; i++) {
      int t = order[i];
      int len = off[t + 1] - off[t];
      int lcp = 0;
      if (prev >= 0) {
        int plen = off[prev + 1] - off[prev];
        int mismatch = Arrays.mismatch(data, off[prev], off[prev + 1], data, off[t], off[t + 1]);
        lcp = mismatch < 0 ? plen : Math.min(mismatch, Math.min(plen, len));
      }
      while (pathLen > lcp) {
        subtreeEnd[path[--pathLen]] = nodes;
      }
      if (len > path.length) {
        path = Arrays.copyOf(path, Math.max(len, path.length * 2));
      }
      for (int d = lcp; d < len; d++) {
        label[nodes] = data[off[t] + d];
        depth[nodes] = (short) (d + 1);
        path[pathLen++] = nodes;
        nodes++;
      }
      // Sorted order: the token ends at the deepest node of the path, which is either the node
      // just created or (same bytes as the previous token) the previous token's node, so owners
      // are non-decreasing in i and each node's tokens form one contiguous range.
      tokenStart[path[len - 1] + 1]++;
      maxDepth = Math.max(maxDepth, len);
      tokens[i] = t;
      prev = t;
    }
    while (pathLen > 0) {
      subtreeEnd[path[--pathLen]] = nodes;
    }
    for (int i = 0; i < nodes; i++) {
      tokenStart[i + 1] += tokenStart[i];
    }
    return new TokenTrie(
        Arrays.copyOf(label, nodes),
        Arrays.copyOf(depth, nodes),
        Arrays.copyOf(subtreeEnd, nodes),
        Arrays.copyOf(tokenStart, nodes + 1),
        tokens,
        nodes,
        maxDepth);
  }

  /**
   * Sorts token ids by their bytes (unsigned lexicographic), then by id: a stable top-down merge
   * sort on primitive arrays, O(n log n) comparisons.
   */
  private static void mergeSort(int[] a, int[] tmp, int from, int to, byte[] data, int[] off) {
    if (to - from < 2) {
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, data, off);
    mergeSort(a, tmp, mid, to, data, off);
    if (compare(a[mid - 1], a[mid], data, off) <= 0) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compare(tmp[i], tmp[j], data, off) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }

  private static int compare(int a, int b, byte[] data, int[] off) {
    int c = Arrays.compareUnsigned(data, off[a], off[a + 1], data, off[b], off[b + 1]);
    return c != 0 ? c : Integer.compare(a, b);
  }

  /** Approximate heap footprint in bytes. */
  long sizeInBytes() {
    return label.length
        + 2L * depth.length
        + 4L * (subtreeEnd.length + tokenStart.length)
        + 4L * tokens.length;
  }
}
