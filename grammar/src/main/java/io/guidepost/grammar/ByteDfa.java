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
 */
public final class ByteDfa {
  private final byte[] byteClass; // byte (0..255) -> class index (unsigned)
  private final int classCount;
  private final int[] transitions; // state * classCount + class -> next state or -1
  private final long[] accept; // bitset over states
  private final long[] live; // bitset over states: some accepting state reachable
  private final int initialState;
  private final int stateCount;

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

  /** Number of non-dead transitions. */
  public int transitionCount() {
    int n = 0;
    for (int t : transitions) {
      if (t >= 0) {
        n++;
      }
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

  @Override
  public String toString() {
    return "ByteDfa[states=" + stateCount + ", classes=" + classCount + "]";
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
   * breadth-first order; it does not minimize.
   */
  public static final class Builder {
    private int[] table = new int[256 * 16]; // state * 256 + byte -> target or -1
    private boolean[] accepting = new boolean[16];
    private int count;
    private int initial = -1;

    private Builder() {
      Arrays.fill(table, -1);
    }

    /** Adds a state and returns its number. The first state added is the initial state. */
    public int addState(boolean isAccepting) {
      if (count == accepting.length) {
        int n = count * 2;
        accepting = Arrays.copyOf(accepting, n);
        int old = table.length;
        table = Arrays.copyOf(table, n * 256);
        Arrays.fill(table, old, table.length, -1);
      }
      accepting[count] = isAccepting;
      if (initial < 0) {
        initial = count;
      }
      return count++;
    }

    /** Marks {@code state} accepting or not. */
    public Builder setAccepting(int state, boolean isAccepting) {
      accepting[state] = isAccepting;
      return this;
    }

    /** Makes {@code state} the initial state. */
    public Builder setInitial(int state) {
      initial = state;
      return this;
    }

    /** Adds transitions from {@code from} to {@code to} on every byte in {@code lo..hi}. */
    public Builder addTransition(int from, int lo, int hi, int to) {
      for (int b = lo; b <= hi; b++) {
        int i = from * 256 + b;
        if (table[i] >= 0 && table[i] != to) {
          throw new IllegalStateException(
              "non-deterministic transition from state " + from + " on byte " + b);
        }
        table[i] = to;
      }
      return this;
    }

    /** Number of states added so far. */
    public int stateCount() {
      return count;
    }

    /** Builds the immutable DFA (see the class comment for what is dropped and renumbered). */
    public ByteDfa build() {
      if (count == 0) {
        addState(false);
      }
      // Co-reachability: states from which an accepting state is reachable (reverse BFS).
      boolean[] coReach = new boolean[count];
      int[][] rev = reverseEdges();
      int[] queue = new int[count];
      int head = 0;
      int tail = 0;
      for (int s = 0; s < count; s++) {
        if (accepting[s]) {
          coReach[s] = true;
          queue[tail++] = s;
        }
      }
      while (head < tail) {
        int s = queue[head++];
        for (int p : rev[s]) {
          if (!coReach[p]) {
            coReach[p] = true;
            queue[tail++] = p;
          }
        }
      }
      // Forward BFS over useful states, renumbering in discovery order.
      int[] newId = new int[count];
      Arrays.fill(newId, -1);
      head = 0;
      tail = 0;
      if (coReach[initial]) {
        newId[initial] = 0;
        queue[tail++] = initial;
        while (head < tail) {
          int s = queue[head++];
          for (int b = 0; b < 256; b++) {
            int t = table[s * 256 + b];
            if (t >= 0 && coReach[t] && newId[t] < 0) {
              newId[t] = tail;
              queue[tail++] = t;
            }
          }
        }
      }
      int n = Math.max(tail, 1);
      // Byte classes: bytes with identical columns over all kept states share a class.
      byte[] byteClass = new byte[256];
      int[][] columns = new int[256][];
      int classCount = 0;
      int[][] classColumns = new int[256][];
      for (int b = 0; b < 256; b++) {
        int[] col = new int[tail];
        for (int i = 0; i < tail; i++) {
          int t = table[queue[i] * 256 + b];
          col[i] = t >= 0 ? newId[t] : -1;
        }
        columns[b] = col;
        int found = -1;
        for (int c = 0; c < classCount; c++) {
          if (Arrays.equals(classColumns[c], col)) {
            found = c;
            break;
          }
        }
        if (found < 0) {
          found = classCount;
          classColumns[classCount++] = col;
        }
        byteClass[b] = (byte) found;
      }
      int[] transitions = new int[n * classCount];
      Arrays.fill(transitions, -1);
      for (int c = 0; c < classCount; c++) {
        int[] col = classColumns[c];
        for (int i = 0; i < tail; i++) {
          transitions[i * classCount + c] = col[i];
        }
      }
      long[] accept = new long[(n + 63) >>> 6];
      long[] live = new long[(n + 63) >>> 6];
      for (int i = 0; i < tail; i++) {
        if (accepting[queue[i]]) {
          accept[i >>> 6] |= 1L << i;
        }
        live[i >>> 6] |= 1L << i;
      }
      return new ByteDfa(byteClass, classCount, transitions, accept, live, 0, n);
    }

    private int[][] reverseEdges() {
      int[] deg = new int[count];
      for (int s = 0; s < count; s++) {
        for (int b = 0; b < 256; b++) {
          int t = table[s * 256 + b];
          if (t >= 0) {
            deg[t]++;
          }
        }
      }
      int[][] rev = new int[count][];
      for (int s = 0; s < count; s++) {
        rev[s] = new int[deg[s]];
        deg[s] = 0;
      }
      for (int s = 0; s < count; s++) {
        for (int b = 0; b < 256; b++) {
          int t = table[s * 256 + b];
          if (t >= 0) {
            rev[t][deg[t]++] = s;
          }
        }
      }
      return rev;
    }
  }
}
