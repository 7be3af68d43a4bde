package io.guidepost.grammar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * A choice among fixed strings (e.g. 74,000 ICD-10-CM codes) compiled to the minimal DFA over their
 * UTF-8 bytes.
 *
 * <p>Algorithm: J. Daciuk, S. Mihov, B. Watson, R. Watson, "Incremental construction of minimal
 * acyclic finite-state automata" (Computational Linguistics 26(1), 2000), sorted-input variant.
 * Entries are encoded to UTF-8 and sorted as unsigned byte strings; each new entry shares its
 * longest common prefix with the previous one, the states of the previous entry beyond that prefix
 * are frozen bottom-up, each replaced by an equivalent registered state (same finality, same
 * labelled targets) or registered itself. The result is minimal without a separate minimization.
 * Cost: O(B log N) for the sort plus O(B) hashing for B total bytes of N entries; memory O(states +
 * transitions).
 *
 * <p>Duplicates are removed. An empty entry is allowed and means that the empty output is
 * acceptable. An empty list, or an entry with a lone surrogate, raises {@link
 * InvalidConstraintException}; more than {@link GrammarLimits#maxChoiceCount()} entries or {@link
 * GrammarLimits#maxChoiceBytes()} bytes raise {@link ConstraintTooComplexException}.
 *
 * <p>Thread-safety: stateless; safe to call concurrently.
 */
public final class Choice {
  private Choice() {}

  /** Compiles {@code options} with the default limits. */
  public static CompiledConstraint compile(Collection<String> options) {
    return compile(options, GrammarLimits.DEFAULTS);
  }

  /** Compiles {@code options} under {@code limits}. */
  public static CompiledConstraint compile(Collection<String> options, GrammarLimits limits) {
    long t0 = System.nanoTime();
    ByteDfa dfa = toByteDfa(options, limits);
    return CompiledConstraint.of(
        ConstraintKind.CHOICE, "choice of " + options.size() + " options", dfa, t0);
  }

  /** The minimal DFA accepting exactly the UTF-8 encodings of {@code options}. */
  static ByteDfa toByteDfa(Collection<String> options, GrammarLimits limits) {
    if (options.isEmpty()) {
      throw new InvalidConstraintException("a choice needs at least one option");
    }
    if (options.size() > limits.maxChoiceCount()) {
      throw new ConstraintTooComplexException(
          "maxChoiceCount", limits.maxChoiceCount(), options.size(), "options", "the choice list");
    }
    String[] sorted = options.toArray(new String[0]);
    boolean surrogates = false;
    for (int n = 0; n < sorted.length; n++) {
      String s = sorted[n];
      int bad = loneSurrogate(s);
      if (bad >= 0) {
        throw new InvalidConstraintException(
            "choice option " + n + " contains a lone surrogate at index " + bad);
      }
      surrogates |= bad == -2;
    }
    // UTF-8 byte order is code point order; String order equals it without surrogate pairs.
    Arrays.sort(sorted, surrogates ? Choice::compareCodePoints : String::compareTo);
    byte[][] words = new byte[sorted.length][];
    long total = 0;
    for (int n = 0; n < sorted.length; n++) {
      words[n] = sorted[n].getBytes(StandardCharsets.UTF_8);
      total += words[n].length;
      if (total > limits.maxChoiceBytes()) {
        throw new ConstraintTooComplexException(
            "maxChoiceBytes", limits.maxChoiceBytes(), total, "bytes", "the choice list");
      }
    }
    return new Builder(total, limits).build(words);
  }

  /** Index of the first lone surrogate; else -2 if there is a surrogate pair, else -1. */
  private static int loneSurrogate(String s) {
    int result = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        result = -2;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return result;
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * Daciuk-Mihov construction; frozen states live in flat arrays, path states in per-depth lists.
   */
  private static final class Builder {
    private final GrammarLimits limits;
    // Frozen states: transitions tStart[s]..tStart[s+1] in tLabel/tTarget, sorted by label.
    private int[] tStart;
    private byte[] tLabel;
    private int[] tTarget;
    private boolean[] fin;
    private int frozen;
    private int edges;
    // Register: open addressing over frozen state ids (-1 empty).
    private int[] table;
    // Path (unfrozen) nodes by depth.
    private byte[][] pLabels = new byte[16][];
    private int[][] pTargets = new int[16][];
    private int[] pCount = new int[16];
    private boolean[] pFinal = new boolean[16];

    Builder(long totalBytes, GrammarLimits limits) {
      this.limits = limits;
      int cap = (int) Math.min(Integer.MAX_VALUE - 16, totalBytes + 2);
      tStart = new int[Math.min(cap, 1024) + 1];
      tLabel = new byte[Math.min(cap, 1024)];
      tTarget = new int[Math.min(cap, 1024)];
      fin = new boolean[Math.min(cap, 1024)];
      table = new int[1 << 12];
      Arrays.fill(table, -1);
    }

    ByteDfa build(byte[][] words) {
      byte[] prev = null;
      int depth = 0; // current path length (path nodes 0..depth)
      resetPath(0);
      for (byte[] w : words) {
        if (prev != null && Arrays.equals(prev, w)) {
          continue;
        }
        int common = 0;
        if (prev != null) {
          int m = Math.min(prev.length, w.length);
          while (common < m && prev[common] == w[common]) {
            common++;
          }
        }
        freezeDownTo(depth, common);
        for (int d = common; d < w.length; d++) {
          resetPath(d + 1);
          addPathEdge(d, w[d]);
        }
        depth = w.length;
        pFinal[depth] = true;
        prev = w;
      }
      freezeDownTo(depth, 0);
      int root = freeze(0);
      return toDfa(root);
    }

    private void resetPath(int d) {
      if (d >= pCount.length) {
        int n = Math.max(d + 1, pCount.length * 2);
        pLabels = Arrays.copyOf(pLabels, n);
        pTargets = Arrays.copyOf(pTargets, n);
        pCount = Arrays.copyOf(pCount, n);
        pFinal = Arrays.copyOf(pFinal, n);
      }
      if (pLabels[d] == null) {
        pLabels[d] = new byte[4];
        pTargets[d] = new int[4];
      }
      pCount[d] = 0;
      pFinal[d] = false;
    }

    private void addPathEdge(int d, byte label) {
      if (pCount[d] == pLabels[d].length) {
        pLabels[d] = Arrays.copyOf(pLabels[d], pCount[d] * 2);
        pTargets[d] = Arrays.copyOf(pTargets[d], pCount[d] * 2);
      }
      pLabels[d][pCount[d]] = label;
      pTargets[d][pCount[d]] = -1; // set when the child is frozen
      pCount[d]++;
    }

    /** Freezes path nodes depth..keep+1, linking each into its parent's last edge. */
    private void freezeDownTo(int depth, int keep) {
      for (int d = depth; d > keep; d--) {
        int id = freeze(d);
        pTargets[d - 1][pCount[d - 1] - 1] = id;
      }
    }

    /** Registers path node d: returns an equivalent frozen state, or a new one. */
    private int freeze(int d) {
      int h = hashPath(d);
      int mask = table.length - 1;
      int slot = h & mask;
      while (table[slot] >= 0) {
        if (equalsPath(table[slot], d)) {
          return table[slot];
        }
        slot = (slot + 1) & mask;
      }
      int id = addFrozen(d);
      table[slot] = id;
      if (frozen * 2 > table.length) {
        rehash();
      }
      return id;
    }

    private int hashPath(int d) {
      int h = pFinal[d] ? 1 : 0;
      for (int i = 0; i < pCount[d]; i++) {
        h = h * 31 + pLabels[d][i];
        h = h * 0x9E3779B1 + pTargets[d][i];
      }
      return h ^ (h >>> 16);
    }

    private int hashFrozen(int s) {
      int h = fin[s] ? 1 : 0;
      for (int i = tStart[s]; i < tStart[s + 1]; i++) {
        h = h * 31 + tLabel[i];
        h = h * 0x9E3779B1 + tTarget[i];
      }
      return h ^ (h >>> 16);
    }

    private boolean equalsPath(int s, int d) {
      if (fin[s] != pFinal[d] || tStart[s + 1] - tStart[s] != pCount[d]) {
        return false;
      }
      for (int i = 0, j = tStart[s]; i < pCount[d]; i++, j++) {
        if (tLabel[j] != pLabels[d][i] || tTarget[j] != pTargets[d][i]) {
          return false;
        }
      }
      return true;
    }

    private int addFrozen(int d) {
      if (frozen + 2 > fin.length) {
        int n = fin.length * 2;
        fin = Arrays.copyOf(fin, n);
        tStart = Arrays.copyOf(tStart, n + 1);
      }
      if (edges + pCount[d] > tLabel.length) {
        int n = Math.max(tLabel.length * 2, edges + pCount[d]);
        tLabel = Arrays.copyOf(tLabel, n);
        tTarget = Arrays.copyOf(tTarget, n);
      }
      if (frozen >= limits.maxDfaStates()) {
        throw new ConstraintTooComplexException(
            "maxDfaStates", limits.maxDfaStates(), frozen + 1L, "states", "the choice automaton");
      }
      int s = frozen++;
      fin[s] = pFinal[d];
      tStart[s] = edges;
      for (int i = 0; i < pCount[d]; i++) {
        tLabel[edges] = pLabels[d][i];
        tTarget[edges++] = pTargets[d][i];
      }
      tStart[s + 1] = edges;
      return s;
    }

    private void rehash() {
      int[] t = new int[table.length * 2];
      Arrays.fill(t, -1);
      int mask = t.length - 1;
      for (int s = 0; s < frozen; s++) {
        int slot = hashFrozen(s) & mask;
        while (t[slot] >= 0) {
          slot = (slot + 1) & mask;
        }
        t[slot] = s;
      }
      table = t;
    }

    private ByteDfa toDfa(int root) {
      ByteDfa.Builder b = ByteDfa.builder();
      // Builder numbering: root first so it is the initial state.
      int[] id = new int[frozen];
      id[root] = b.addState(fin[root]);
      for (int s = 0; s < frozen; s++) {
        if (s != root) {
          id[s] = b.addState(fin[s]);
        }
      }
      for (int s = 0; s < frozen; s++) {
        for (int i = tStart[s]; i < tStart[s + 1]; i++) {
          int label = tLabel[i] & 0xFF;
          b.addTransition(id[s], label, label, id[tTarget[i]]);
        }
      }
      return b.build();
    }
  }
}
