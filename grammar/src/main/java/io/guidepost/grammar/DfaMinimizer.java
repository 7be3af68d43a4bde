package io.guidepost.grammar;

import java.util.Arrays;

/**
 * Minimization of a dense, partial DFA transition table ({@code state * k + class -> next state or
 * -1}): the partition of the states into Myhill–Nerode classes.
 *
 * <p>{@link #partition} uses, for an acyclic automaton (a finite language: choices, quotes), one
 * bottom-up pass in reverse topological order that merges states with equal acceptance and equal
 * canonical rows through a hash table (D. Revuz, "Minimisation of acyclic deterministic automata in
 * linear time", 1992): O(n k). Otherwise it runs Hopcroft's partition refinement (J. Hopcroft, "An
 * n log n algorithm for minimizing states in a finite automaton", 1971) in the form for partial
 * transition functions of A. Valmari and P. Lehtinen ("Efficient minimization of DFAs with partial
 * transition functions", STACS 2008): every initial block is a splitter for every class, so no sink
 * state is needed; splitters are processed through their incoming transitions for all classes at
 * once: O(m log n) for m transitions and n states, plus O(n k) to read the table.
 *
 * <p>Callers must pass automata whose states are all live (some accepting state reachable); a
 * missing transition is then the only way to die, and the blocks are exactly the Myhill–Nerode
 * classes.
 */
final class DfaMinimizer {
  private DfaMinimizer() {}

  /**
   * The coarsest partition of {@code n} states compatible with acceptance and with {@code table}.
   *
   * @param accepting acceptance per state
   */
  static Partition partition(int n, int k, int[] table, boolean[] accepting) {
    Partition p = acyclic(n, k, table, accepting);
    return p != null ? p : hopcroft(n, k, table, accepting);
  }

  /** MurmurHash3's 32-bit finalizer: spreads every input bit over the low bits used as a slot. */
  static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** Revuz' bottom-up merge, or null when the automaton has a cycle. */
  static Partition acyclic(int n, int k, int[] table, boolean[] accepting) {
    // Kahn's algorithm: a topological order exists iff there is no cycle.
    int[] indegree = new int[n];
    for (int t : table) {
      if (t >= 0) {
        indegree[t]++;
      }
    }
    int[] order = new int[n];
    int tail = 0;
    for (int s = 0; s < n; s++) {
      if (indegree[s] == 0) {
        order[tail++] = s;
      }
    }
    for (int head = 0; head < tail; head++) {
      int base = order[head] * k;
      for (int c = 0; c < k; c++) {
        int t = table[base + c];
        if (t >= 0 && --indegree[t] == 0) {
          order[tail++] = t;
        }
      }
    }
    if (tail < n) {
      return null;
    }
    // Reverse topological order: every target is canonical before its sources are hashed.
    int[] blockOf = new int[n];
    int[] representative = new int[n];
    int blocks = 0;
    int cap = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
    int[] slots = new int[cap]; // block + 1, 0 = empty
    int[] row = new int[k];
    for (int i = n - 1; i >= 0; i--) {
      int s = order[i];
      int base = s * k;
      int h = accepting[s] ? 0x5bd1e995 : 0x1b873593;
      for (int c = 0; c < k; c++) {
        int t = table[base + c];
        row[c] = t < 0 ? -1 : blockOf[t];
        h = (h ^ row[c]) * 0x9E3779B1;
        h ^= h >>> 15;
      }
      int slot = fmix(h) & (cap - 1);
      int found = -1;
      while (slots[slot] != 0) {
        int b = slots[slot] - 1;
        if (sameRow(representative[b], row, k, table, blockOf, accepting[s], accepting)) {
          found = b;
          break;
        }
        slot = (slot + 1) & (cap - 1);
      }
      if (found < 0) {
        found = blocks++;
        representative[found] = s;
        slots[slot] = found + 1;
      }
      blockOf[s] = found;
    }
    return new Partition(blocks, blockOf, Arrays.copyOf(representative, blocks));
  }

  private static boolean sameRow(
      int rep, int[] row, int k, int[] table, int[] blockOf, boolean accept, boolean[] accepting) {
    if (accepting[rep] != accept) {
      return false;
    }
    int base = rep * k;
    for (int c = 0; c < k; c++) {
      int t = table[base + c];
      if ((t < 0 ? -1 : blockOf[t]) != row[c]) {
        return false;
      }
    }
    return true;
  }

  /** Hopcroft's refinement (any automaton). */
  static Partition hopcroft(int n, int k, int[] table, boolean[] accepting) {
    // Incoming transitions per target in CSR form, as (source, class) pairs.
    int[] inStart = new int[n + 1];
    for (int t : table) {
      if (t >= 0) {
        inStart[t + 1]++;
      }
    }
    for (int i = 0; i < n; i++) {
      inStart[i + 1] += inStart[i];
    }
    int m = inStart[n];
    int[] inSrc = new int[m];
    int[] inCls = new int[m];
    int[] fill = Arrays.copyOf(inStart, n);
    for (int s = 0; s < n; s++) {
      int base = s * k;
      for (int c = 0; c < k; c++) {
        int t = table[base + c];
        if (t >= 0) {
          inSrc[fill[t]] = s;
          inCls[fill[t]++] = c;
        }
      }
    }
    return hopcroft(n, inStart, inSrc, inCls, accepting);
  }

  /**
   * Hopcroft's refinement over the incoming transitions in CSR form: those into state {@code t} are
   * {@code inStart[t] .. inStart[t+1]-1}, each a (source {@code inSrc}, class {@code inCls}) pair.
   * For callers whose transitions are sparse (no dense table).
   */
  static Partition hopcroft(int n, int[] inStart, int[] inSrc, int[] inCls, boolean[] accepting) {
    int m = inStart[n];
    // Partition: elems[bStart[b]..bEnd[b]) are the states of block b; loc is the inverse.
    int[] elems = new int[n];
    int[] loc = new int[n];
    int[] blockOf = new int[n];
    int[] bStart = new int[n];
    int[] bEnd = new int[n];
    int[] bMarked = new int[n];
    int acceptCount = 0;
    for (int s = 0; s < n; s++) {
      if (accepting[s]) {
        acceptCount++;
      }
    }
    int ia = 0;
    int ir = acceptCount;
    for (int s = 0; s < n; s++) {
      boolean a = accepting[s];
      int pos = a ? ia++ : ir++;
      elems[pos] = s;
      loc[s] = pos;
      blockOf[s] = a || acceptCount == n ? 0 : 1;
    }
    int blocks;
    if (acceptCount == n || acceptCount == 0) {
      blocks = 1;
      bStart[0] = 0;
      bEnd[0] = n;
      Arrays.fill(blockOf, 0);
    } else {
      blocks = 2;
      bStart[0] = 0;
      bEnd[0] = acceptCount;
      bStart[1] = acceptCount;
      bEnd[1] = n;
    }
    boolean[] inWork = new boolean[n];
    int[] work = new int[n];
    int workSize = 0;
    for (int b = 0; b < blocks; b++) {
      inWork[b] = true;
      work[workSize++] = b;
    }
    long[] keys = new long[m];
    int[] touched = new int[n];
    while (workSize > 0) {
      int splitter = work[--workSize];
      inWork[splitter] = false;
      int np = 0;
      for (int i = bStart[splitter]; i < bEnd[splitter]; i++) {
        int q = elems[i];
        for (int r = inStart[q], e = inStart[q + 1]; r < e; r++) {
          keys[np++] = ((long) inCls[r] << 32) | inSrc[r];
        }
      }
      if (np == 0) {
        continue;
      }
      // Group the predecessors by class.
      if (np <= 24) {
        for (int i = 1; i < np; i++) {
          long x = keys[i];
          int j = i - 1;
          while (j >= 0 && keys[j] > x) {
            keys[j + 1] = keys[j];
            j--;
          }
          keys[j + 1] = x;
        }
      } else {
        Arrays.sort(keys, 0, np);
      }
      int g = 0;
      while (g < np) {
        int c = (int) (keys[g] >>> 32);
        int nt = 0;
        for (; g < np && (int) (keys[g] >>> 32) == c; g++) {
          int p = (int) keys[g];
          int x = blockOf[p];
          int firstUnmarked = bStart[x] + bMarked[x];
          if (loc[p] >= firstUnmarked) {
            int other = elems[firstUnmarked];
            elems[loc[p]] = other;
            loc[other] = loc[p];
            elems[firstUnmarked] = p;
            loc[p] = firstUnmarked;
            if (bMarked[x]++ == 0) {
              touched[nt++] = x;
            }
          }
        }
        for (int t = 0; t < nt; t++) {
          int x = touched[t];
          int marked = bMarked[x];
          bMarked[x] = 0;
          if (marked == bEnd[x] - bStart[x]) {
            continue;
          }
          int y = blocks++;
          bStart[y] = bStart[x];
          bEnd[y] = bStart[x] + marked;
          bStart[x] = bEnd[y];
          for (int i = bStart[y]; i < bEnd[y]; i++) {
            blockOf[elems[i]] = y;
          }
          if (inWork[x] || bEnd[y] - bStart[y] <= bEnd[x] - bStart[x]) {
            inWork[y] = true;
            work[workSize++] = y;
          } else {
            inWork[x] = true;
            work[workSize++] = x;
          }
        }
      }
    }
    int[] representative = new int[blocks];
    for (int b = 0; b < blocks; b++) {
      representative[b] = elems[bStart[b]];
    }
    return new Partition(blocks, blockOf, representative);
  }

  /**
   * A partition of states into blocks.
   *
   * @param blocks number of blocks
   * @param blockOf the block of each state
   * @param representative one state of each block
   */
  record Partition(int blocks, int[] blockOf, int[] representative) {}
}
