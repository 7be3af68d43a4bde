package io.guidepost.grammar;

import java.util.Arrays;

/**
 * An immutable deterministic finite automaton over the bytes 0..255 of UTF-8 text.
 *
 * <p>Every constraint kind compiles to one of these; the token layer walks it byte by byte. States
 * are ints {@code 0..stateCount()-1}, {@code -1} is the dead state.
 *
 * <p>Layout: bytes are grouped into {@code classCount} equivalence classes ({@link #byteClass});
 * the transition of state {@code s} on class {@code c} is {@code transitions[s * classCount + c]},
 * or {@code -1}. {@link #accept} and {@link #live} are bitsets over states: {@code live} marks the
 * states from which an accepting state is reachable. Every state of a built DFA is reachable from
 * the initial state; dead-end states are kept out of the table (their transitions are {@code -1}),
 * so {@code isLive(s)} is true for every state of a non-empty DFA.
 *
 * <p>Thread-safety: immutable, freely shared. {@link #step} is a two-array lookup, allocation free.
 *
 * <p>{@link #minimize()}: see {@link DfaMinimizer} (linear for acyclic automata, Hopcroft
 * otherwise).
 */
public final class ByteDfa {
  private final byte[] byteClass; // byte (0..255) -> class index (unsigned)
  private final int classCount;
  private final int[] transitions; // state * classCount + class -> next state or -1
  private final long[] accept; // bitset over states
  private final long[] live; // bitset over states: some accepting state reachable
  private final int initialState;
  private final int stateCount;
  private int transitionCount = -1; // cache of transitionCount(); -1 = not counted yet

  ByteDfa(
      byte[] byteClass,
      int classCount,
      int[] transitions,
      long[] accept,
      long[] live,
      int initialState,
      int stateCount) {
    this.byteClass = byteClass;
    this.classCount = classCount;
    this.transitions = transitions;
    this.accept = accept;
    this.live = live;
    this.initialState = initialState;
    this.stateCount = stateCount;
  }

  /** The start state. */
  public int initialState() {
    return initialState;
  }

  /** Number of states. */
  public int stateCount() {
    return stateCount;
  }

  /** Number of byte equivalence classes. */
  public int classCount() {
    return classCount;
  }

  /** The equivalence class of an unsigned byte value 0..255. */
  public int byteClass(int unsignedByte) {
    return byteClass[unsignedByte] & 0xFF;
  }

  /**
   * The state reached from {@code state} on one byte, or {@code -1} (dead).
   *
   * @param state a state, or -1 (then -1 is returned)
   * @param unsignedByte 0..255
   */
  public int step(int state, int unsignedByte) {
    if (state < 0) {
      return -1;
    }
    return transitions[state * classCount + (byteClass[unsignedByte & 0xFF] & 0xFF)];
  }

  /** The state reached on class {@code cls}, or -1. */
  public int stepClass(int state, int cls) {
    return transitions[state * classCount + cls];
  }

  /**
   * Runs {@code len} bytes from {@code state}; returns the state reached, or -1 as soon as the DFA
   * dies.
   */
  public int run(int state, byte[] bytes, int off, int len) {
    int s = state;
    for (int i = off, end = off + len; i < end && s >= 0; i++) {
      s = transitions[s * classCount + (byteClass[bytes[i] & 0xFF] & 0xFF)];
    }
    return s;
  }

  /** True when {@code state} is accepting ({@code -1} is not). */
  public boolean isAccepting(int state) {
    return state >= 0 && (accept[state >>> 6] & (1L << state)) != 0;
  }

  /** True when an accepting state is reachable from {@code state} ({@code -1} is not live). */
  public boolean isLive(int state) {
    return state >= 0 && (live[state >>> 6] & (1L << state)) != 0;
  }

  /** True when the whole input is accepted. */
  public boolean matches(byte[] input) {
    return isAccepting(run(initialState, input, 0, input.length));
  }

  /** True when the input is a prefix of some accepted input. */
  public boolean matchesPrefix(byte[] input) {
    return isLive(run(initialState, input, 0, input.length));
  }

  /** True when the DFA accepts no input at all. */
  public boolean isEmpty() {
    return !isLive(initialState);
  }

  /** Number of non-dead transitions (class-level table cells); counted once, then cached. */
  public int transitionCount() {
    int n = transitionCount; // racy single-check: every thread computes the same value
    if (n < 0) {
      n = 0;
      for (int t : transitions) {
        if (t >= 0) {
          n++;
        }
      }
      transitionCount = n;
    }
    return n;
  }

  /** Approximate heap footprint of the tables, in bytes. */
  public long sizeInBytes() {
    return 256L + 4L * transitions.length + 8L * (accept.length + live.length) + 64;
  }

  /**
   * A shortest accepted input (breadth-first over states, smallest byte first), or {@code null}
   * when the DFA is empty. Linear in the number of transitions.
   */
  public byte[] shortestExample() {
    if (isEmpty()) {
      return null;
    }
    int[] parent = new int[stateCount];
    int[] parentByte = new int[stateCount];
    Arrays.fill(parent, -2);
    int[] queue = new int[stateCount];
    int head = 0;
    int tail = 0;
    queue[tail++] = initialState;
    parent[initialState] = -1;
    // Representative (smallest) byte of each class.
    int[] repr = new int[classCount];
    Arrays.fill(repr, -1);
    for (int b = 0; b < 256; b++) {
      int c = byteClass[b] & 0xFF;
      if (repr[c] < 0) {
        repr[c] = b;
      }
    }
    Integer[] order = new Integer[classCount];
    for (int c = 0; c < classCount; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(repr[a], repr[b]));
    while (head < tail) {
      int s = queue[head++];
      if (isAccepting(s)) {
        int len = 0;
        for (int x = s; parent[x] != -1; x = parent[x]) {
          len++;
        }
        byte[] out = new byte[len];
        for (int x = s, i = len - 1; parent[x] != -1; x = parent[x], i--) {
          out[i] = (byte) parentByte[x];
        }
        return out;
      }
      for (Integer c : order) {
        int t = transitions[s * classCount + c];
        if (t >= 0 && parent[t] == -2) {
          parent[t] = s;
          parentByte[t] = repr[c];
          queue[tail++] = t;
        }
      }
    }
    return null;
  }

  /**
   * The minimal DFA accepting the same language (states renumbered breadth-first from the initial
   * state, byte classes recomputed). Returns {@code this} when already minimal. Splitters are
   * blocks processed through their incoming transitions for all classes at once: O(m log n) time
   * for m transitions and n states, plus O(n k) to read and write the tables.
   */
  public ByteDfa minimize() {
    int n = stateCount;
    int k = classCount;
    if (isEmpty() || n == 1) {
      return this;
    }
    boolean[] accepting = new boolean[n];
    for (int s = 0; s < n; s++) {
      accepting[s] = isAccepting(s);
    }
    DfaMinimizer.Partition p = DfaMinimizer.partition(n, k, transitions, accepting);
    int blocks = p.blocks();
    int[] blockOf = p.blockOf();
    if (blocks == n) {
      return this;
    }
    // Renumber blocks breadth-first from the initial state's block.
    int[] newId = new int[blocks];
    Arrays.fill(newId, -1);
    int[] order = new int[blocks];
    int head = 0;
    int tail = 0;
    newId[blockOf[initialState]] = tail;
    order[tail++] = blockOf[initialState];
    while (head < tail) {
      int b = order[head++];
      int rep = p.representative()[b];
      for (int c = 0; c < k; c++) {
        int t = transitions[rep * k + c];
        if (t >= 0 && newId[blockOf[t]] < 0) {
          newId[blockOf[t]] = tail;
          order[tail++] = blockOf[t];
        }
      }
    }
    int newCount = tail;
    int[] table = new int[newCount * k];
    long[] acc = new long[(newCount + 63) >>> 6];
    long[] liv = new long[(newCount + 63) >>> 6];
    for (int i = 0; i < newCount; i++) {
      int rep = p.representative()[order[i]];
      for (int c = 0; c < k; c++) {
        int t = transitions[rep * k + c];
        table[i * k + c] = t < 0 ? -1 : newId[blockOf[t]];
      }
      if (isAccepting(rep)) {
        acc[i >>> 6] |= 1L << i;
      }
      liv[i >>> 6] |= 1L << i;
    }
    return withMergedClasses(byteClass, k, table, acc, liv, newCount);
  }

  /**
   * A DFA from a complete table whose states are all live and numbered canonically (breadth-first
   * from state 0, smallest byte first) and whose classes are ordered by their first byte; classes
   * with identical columns are merged. For compilers that minimize on their own representation.
   */
  static ByteDfa fromCanonicalTable(
      byte[] byteClass, int k, int[] table, boolean[] accepting, int n) {
    long[] acc = new long[(n + 63) >>> 6];
    long[] liv = new long[(n + 63) >>> 6];
    for (int i = 0; i < n; i++) {
      if (accepting[i]) {
        acc[i >>> 6] |= 1L << i;
      }
      liv[i >>> 6] |= 1L << i;
    }
    return withMergedClasses(byteClass, k, table, acc, liv, n);
  }

  /**
   * Merges byte classes whose columns became identical and builds the DFA. Columns are hashed in
   * one row-major pass; only columns with equal hashes are compared.
   */
  private static ByteDfa withMergedClasses(
      byte[] byteClass, int k, int[] table, long[] acc, long[] liv, int n) {
    long[] hash = new long[k];
    for (int s = 0; s < n; s++) {
      int base = s * k;
      for (int c = 0; c < k; c++) {
        hash[c] = hash[c] * 0x9E3779B97F4A7C15L + table[base + c] + 1;
      }
    }
    int[] classMap = new int[k];
    int[] reprOfNew = new int[k];
    int newK = 0;
    for (int c = 0; c < k; c++) {
      int found = -1;
      for (int d = 0; d < newK && found < 0; d++) {
        int r = reprOfNew[d];
        if (hash[r] == hash[c] && sameColumn(table, k, n, r, c)) {
          found = d;
        }
      }
      if (found < 0) {
        reprOfNew[newK] = c;
        found = newK++;
      }
      classMap[c] = found;
    }
    if (newK == k) {
      return new ByteDfa(byteClass, k, table, acc, liv, 0, n);
    }
    // Classes keep the order of their first byte (old classes were already so ordered).
    byte[] bc = new byte[256];
    for (int b = 0; b < 256; b++) {
      bc[b] = (byte) classMap[byteClass[b] & 0xFF];
    }
    int[] out = new int[n * newK];
    for (int s = 0; s < n; s++) {
      for (int nc = 0; nc < newK; nc++) {
        out[s * newK + nc] = table[s * k + reprOfNew[nc]];
      }
    }
    return new ByteDfa(bc, newK, out, acc, liv, 0, n);
  }

  private static boolean sameColumn(int[] table, int k, int n, int a, int b) {
    for (int s = 0; s < n; s++) {
      if (table[s * k + a] != table[s * k + b]) {
        return false;
      }
    }
    return true;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Mutable builder of a {@link ByteDfa}: add states, add byte-range transitions, mark the initial
   * state, then {@link #build()}. Adding a second, different transition for the same state and byte
   * is an error (the automaton must be deterministic). {@code build()} drops states that are
   * unreachable or cannot reach an accepting state, computes byte classes and renumbers states in
   * breadth-first order (smallest byte first); it does not minimize ({@link #buildMinimal()} does).
   *
   * <p>Memory is sparse: each transition is one range record (lo, hi, target, next) of 16 bytes in
   * a per-state linked list, so a state costs what its transitions cost. {@code addTransition} is
   * linear in the number of ranges already on the state (determinism check). {@code build()} is O(T
   * log T + n k) for T range records, n states and k byte classes.
   */
  public static final class Builder {
    private boolean[] accepting = new boolean[16];
    private int[] head = new int[16]; // state -> first range record or -1
    private int count;
    private int initial = -1;
    // Range records: lo, hi, to, next (index of the next record of the same state or -1).
    private int[] rLo = new int[64];
    private int[] rHi = new int[64];
    private int[] rTo = new int[64];
    private int[] rNext = new int[64];
    private int ranges;

    private Builder() {}

    /** Adds a state and returns its number. The first state added is the initial state. */
    public int addState(boolean isAccepting) {
      if (count == accepting.length) {
        int n = count * 2;
        accepting = Arrays.copyOf(accepting, n);
        head = Arrays.copyOf(head, n);
      }
      accepting[count] = isAccepting;
      head[count] = -1;
      if (initial < 0) {
        initial = count;
      }
      return count++;
    }

    /** Marks {@code state} accepting or not. */
    public Builder setAccepting(int state, boolean isAccepting) {
      checkState(state);
      accepting[state] = isAccepting;
      return this;
    }

    /** Makes {@code state} the initial state. */
    public Builder setInitial(int state) {
      checkState(state);
      initial = state;
      return this;
    }

    private void checkState(int state) {
      if (state < 0 || state >= count) {
        throw new IllegalArgumentException("no state " + state + " (have " + count + ")");
      }
    }

    /** Adds transitions from {@code from} to {@code to} on every byte in {@code lo..hi}. */
    public Builder addTransition(int from, int lo, int hi, int to) {
      checkState(from);
      checkState(to);
      if (lo < 0 || hi > 255 || lo > hi) {
        throw new IllegalArgumentException("bad byte range " + lo + ".." + hi);
      }
      for (int r = head[from]; r >= 0; r = rNext[r]) {
        if (rLo[r] <= hi && lo <= rHi[r] && rTo[r] != to) {
          throw new IllegalStateException(
              "non-deterministic transition from state "
                  + from
                  + " on byte "
                  + Math.max(lo, rLo[r]));
        }
      }
      if (ranges == rLo.length) {
        int n = ranges * 2;
        rLo = Arrays.copyOf(rLo, n);
        rHi = Arrays.copyOf(rHi, n);
        rTo = Arrays.copyOf(rTo, n);
        rNext = Arrays.copyOf(rNext, n);
      }
      rLo[ranges] = lo;
      rHi[ranges] = hi;
      rTo[ranges] = to;
      rNext[ranges] = head[from];
      head[from] = ranges++;
      return this;
    }

    /** Number of states added so far. */
    public int stateCount() {
      return count;
    }

    /**
     * The minimal DFA. An acyclic automaton (a finite language) is minimized on the sparse ranges
     * before any table is built: in reverse topological order, states with equal acceptance and
     * equal canonical transitions (maximal ranges to canonical targets) are merged through a hash
     * table (Revuz 1992), O(ranges). A cyclic one is built and then minimized ({@link
     * ByteDfa#minimize()}).
     */
    public ByteDfa buildMinimal() {
      ByteDfa d = build(true);
      return d != null ? d : build().minimize();
    }

    /** Builds the immutable DFA (see the class comment for what is dropped and renumbered). */
    public ByteDfa build() {
      return build(false);
    }

    /**
     * Builds the DFA; with {@code mergeAcyclic}, merges equivalent states of an acyclic automaton
     * first, and returns null for a cyclic one.
     */
    private ByteDfa build(boolean mergeAcyclic) {
      if (count == 0) {
        addState(false);
      }
      // Per-state ranges sorted by lo, in CSR form.
      int[] start = new int[count + 1];
      for (int s = 0; s < count; s++) {
        int d = 0;
        for (int r = head[s]; r >= 0; r = rNext[r]) {
          d++;
        }
        start[s + 1] = start[s] + d;
      }
      int[] lo = new int[ranges];
      int[] hi = new int[ranges];
      int[] to = new int[ranges];
      for (int s = 0; s < count; s++) {
        int i = start[s];
        for (int r = head[s]; r >= 0; r = rNext[r]) {
          // insertion sort by lo (per-state lists are short)
          int j = i;
          while (j > start[s] && lo[j - 1] > rLo[r]) {
            lo[j] = lo[j - 1];
            hi[j] = hi[j - 1];
            to[j] = to[j - 1];
            j--;
          }
          lo[j] = rLo[r];
          hi[j] = rHi[r];
          to[j] = rTo[r];
          i++;
        }
      }
      // Co-reachability: states from which an accepting state is reachable (reverse BFS).
      int[] revStart = new int[count + 1];
      for (int e = 0; e < ranges; e++) {
        revStart[to[e] + 1]++;
      }
      for (int s = 0; s < count; s++) {
        revStart[s + 1] += revStart[s];
      }
      int[] revSrc = new int[ranges];
      int[] fill = Arrays.copyOf(revStart, count);
      for (int s = 0; s < count; s++) {
        for (int e = start[s]; e < start[s + 1]; e++) {
          revSrc[fill[to[e]]++] = s;
        }
      }
      boolean[] coReach = new boolean[count];
      int[] queue = new int[count];
      int qh = 0;
      int qt = 0;
      for (int s = 0; s < count; s++) {
        if (accepting[s]) {
          coReach[s] = true;
          queue[qt++] = s;
        }
      }
      while (qh < qt) {
        int s = queue[qh++];
        for (int e = revStart[s]; e < revStart[s + 1]; e++) {
          int p = revSrc[e];
          if (!coReach[p]) {
            coReach[p] = true;
            queue[qt++] = p;
          }
        }
      }
      // canonical[s]: the state that stands for s (itself unless merged).
      int[] canonical;
      if (mergeAcyclic) {
        canonical = mergeAcyclic(start, lo, hi, to, coReach);
        if (canonical == null) {
          return null;
        }
        for (int e = 0; e < ranges; e++) {
          to[e] = canonical[to[e]];
        }
      } else {
        canonical = null;
      }
      // Forward BFS over useful states, renumbering in discovery order (smallest byte first).
      int[] newId = new int[count];
      Arrays.fill(newId, -1);
      qh = 0;
      qt = 0;
      int init = canonical == null ? initial : canonical[initial];
      if (coReach[init]) {
        newId[init] = 0;
        queue[qt++] = init;
        while (qh < qt) {
          int s = queue[qh++];
          for (int e = start[s]; e < start[s + 1]; e++) {
            int t = to[e];
            if (coReach[t] && newId[t] < 0) {
              newId[t] = qt;
              queue[qt++] = t;
            }
          }
        }
      }
      int kept = qt;
      int n = Math.max(kept, 1);
      // Elementary byte intervals: boundaries of all useful ranges.
      boolean[] cut = new boolean[257];
      cut[0] = true;
      cut[256] = true;
      for (int i = 0; i < kept; i++) {
        int s = queue[i];
        for (int e = start[s]; e < start[s + 1]; e++) {
          if (coReach[to[e]]) {
            cut[lo[e]] = true;
            cut[hi[e] + 1] = true;
          }
        }
      }
      int[] ivStart = new int[257];
      int[] ivOfByte = new int[256];
      int iv = 0;
      for (int b = 0; b < 256; b++) {
        if (cut[b]) {
          ivStart[iv++] = b;
        }
        ivOfByte[b] = iv - 1;
      }
      ivStart[iv] = 256;
      // Refine a partition of the intervals by each state's targets: the coarsest partition of
      // bytes such that bytes in one class go to the same state from every state. Per state only
      // the intervals it has transitions on are visited: a class splits by target, and the
      // untouched intervals of a touched class keep its id.
      int[] cls = new int[iv];
      int[] classSize = new int[iv + 1];
      classSize[0] = iv;
      int classes = 1;
      int[] cStamp = new int[iv + 1];
      int[] cCount = new int[iv + 1];
      int[] cKept = new int[iv + 1]; // target that keeps the old id, or -2 if none yet
      int[] vStamp = new int[iv];
      int[] pv = new int[256];
      int[] pt = new int[256];
      long[] hKey = new long[1024];
      int[] hVal = new int[1024];
      int[] hStamp = new int[1024];
      for (int i = 0; i < kept; i++) {
        int s = queue[i];
        int np = 0;
        int stamp = i + 1;
        for (int e = start[s]; e < start[s + 1]; e++) {
          if (coReach[to[e]]) {
            int t = newId[to[e]];
            for (int v = ivOfByte[lo[e]], end = ivOfByte[hi[e]]; v <= end; v++) {
              if (vStamp[v] != stamp) { // equal ranges may have been added twice
                vStamp[v] = stamp;
                pv[np] = v;
                pt[np++] = t;
              }
            }
          }
        }
        for (int j = 0; j < np; j++) {
          int c = cls[pv[j]];
          if (cStamp[c] != stamp) {
            cStamp[c] = stamp;
            cCount[c] = 0;
            cKept[c] = -2;
          }
          cCount[c]++;
        }
        for (int j = 0; j < np; j++) {
          int v = pv[j];
          int c = cls[v];
          int t = pt[j];
          if (cKept[c] == t) {
            continue;
          }
          if (cKept[c] == -2 && cCount[c] == classSize[c]) {
            cKept[c] = t; // every interval of c is touched: the first target keeps the id
            continue;
          }
          if (cKept[c] == -2) {
            cKept[c] = -3; // untouched intervals keep the id
          }
          long key = ((long) c << 32) | (t & 0xFFFFFFFFL);
          int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 54);
          while (hStamp[h] == stamp && hKey[h] != key) {
            h = (h + 1) & 1023;
          }
          if (hStamp[h] != stamp) {
            hStamp[h] = stamp;
            hKey[h] = key;
            hVal[h] = classes++;
          }
          int nc = hVal[h];
          classSize[c]--;
          classSize[nc]++;
          cls[v] = nc;
        }
      }
      // Canonical numbering: classes in order of their first byte.
      int[] canon = new int[classes];
      Arrays.fill(canon, -1);
      int next = 0;
      for (int v = 0; v < iv; v++) {
        if (canon[cls[v]] < 0) {
          canon[cls[v]] = next++;
        }
        cls[v] = canon[cls[v]];
      }
      byte[] byteClass = new byte[256];
      for (int b = 0; b < 256; b++) {
        byteClass[b] = (byte) cls[ivOfByte[b]];
      }
      int[] transitions = new int[n * classes];
      Arrays.fill(transitions, -1);
      int filled = 0;
      long[] accept = new long[(n + 63) >>> 6];
      long[] live = new long[(n + 63) >>> 6];
      for (int i = 0; i < kept; i++) {
        int s = queue[i];
        for (int e = start[s]; e < start[s + 1]; e++) {
          if (coReach[to[e]]) {
            int t = newId[to[e]];
            for (int v = ivOfByte[lo[e]], end = ivOfByte[hi[e]]; v <= end; v++) {
              int cell = i * classes + cls[v];
              if (transitions[cell] < 0) {
                filled++;
              }
              transitions[cell] = t;
            }
          }
        }
        if (accepting[s]) {
          accept[i >>> 6] |= 1L << i;
        }
        live[i >>> 6] |= 1L << i;
      }
      ByteDfa built = new ByteDfa(byteClass, classes, transitions, accept, live, 0, n);
      built.transitionCount = filled;
      return built;
    }

    /**
     * For an acyclic automaton, the representative of every useful state (equivalent states share
     * one); null when the useful states have a cycle. Ranges of a state are sorted by {@code lo} in
     * CSR form ({@code start}).
     */
    private int[] mergeAcyclic(int[] start, int[] lo, int[] hi, int[] to, boolean[] coReach) {
      int[] indegree = new int[count];
      for (int s = 0; s < count; s++) {
        if (coReach[s]) {
          for (int e = start[s]; e < start[s + 1]; e++) {
            if (coReach[to[e]]) {
              indegree[to[e]]++;
            }
          }
        }
      }
      int[] order = new int[count];
      int useful = 0;
      int tail = 0;
      for (int s = 0; s < count; s++) {
        if (coReach[s]) {
          useful++;
          if (indegree[s] == 0) {
            order[tail++] = s;
          }
        }
      }
      for (int head = 0; head < tail; head++) {
        int s = order[head];
        for (int e = start[s]; e < start[s + 1]; e++) {
          int t = to[e];
          if (coReach[t] && --indegree[t] == 0) {
            order[tail++] = t;
          }
        }
      }
      if (tail < useful) {
        return null;
      }
      int[] canonical = new int[count];
      for (int s = 0; s < count; s++) {
        canonical[s] = s;
      }
      // Canonical rows of the representatives: (lo, hi, target) triples, maximal ranges.
      int[] rowStart = new int[count];
      int[] rowLen = new int[count];
      int[] rows = new int[Math.max(3 * ranges, 3)];
      int cap = Integer.highestOneBit(Math.max(2, useful) * 2 - 1) << 1;
      int[] slots = new int[cap]; // representative + 1, 0 = empty
      int[] row = new int[3 * 257];
      int used = 0;
      for (int i = tail - 1; i >= 0; i--) {
        int s = order[i];
        int len = 0;
        for (int e = start[s]; e < start[s + 1]; e++) {
          int t = to[e];
          if (!coReach[t]) {
            continue;
          }
          t = canonical[t];
          if (len > 0 && row[len - 1] == t && row[len - 2] + 1 == lo[e]) {
            row[len - 2] = hi[e];
          } else {
            row[len++] = lo[e];
            row[len++] = hi[e];
            row[len++] = t;
          }
        }
        int h = accepting[s] ? 0x5bd1e995 : 0x1b873593;
        for (int j = 0; j < len; j++) {
          h = (h ^ row[j]) * 0x9E3779B1;
          h ^= h >>> 15;
        }
        int slot = DfaMinimizer.fmix(h) & (cap - 1);
        int found = -1;
        while (slots[slot] != 0) {
          int r = slots[slot] - 1;
          if (accepting[r] == accepting[s]
              && rowLen[r] == len
              && Arrays.equals(rows, rowStart[r], rowStart[r] + len, row, 0, len)) {
            found = r;
            break;
          }
          slot = (slot + 1) & (cap - 1);
        }
        if (found >= 0) {
          canonical[s] = found;
        } else {
          slots[slot] = s + 1;
          rowStart[s] = used;
          rowLen[s] = len;
          System.arraycopy(row, 0, rows, used, len);
          used += len;
        }
      }
      return canonical;
    }
  }
}
