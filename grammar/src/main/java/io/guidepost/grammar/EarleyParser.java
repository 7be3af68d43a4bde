package io.guidepost.grammar;

import java.util.Arrays;

/**
 * An incremental, byte-at-a-time Earley recognizer for a {@link ContextFreeGrammar}, with undo: the
 * token layer pushes a candidate token's bytes, asks whether the parser is still alive, and pops
 * them again.
 *
 * <p>State: a stack of Earley sets ("rows"), one per byte consumed plus the initial one. A row
 * holds the items whose dot stands before a nonterminal (needed when something that started here
 * completes) and the <em>scan entries</em>: items whose dot stands before a lexeme, each with the
 * lexeme DFA's state after the bytes read since the lexeme began. Pushing a byte steps every scan
 * entry's DFA once; an entry whose DFA can go on stays (the lexeme continues), one whose DFA
 * accepts also completes the lexeme, which advances its item and runs the usual Earley closure
 * (predict, complete; Aycock and Horspool's treatment of nullable symbols). Inside a lexeme, a byte
 * therefore costs one table lookup per live scan entry and no closure: the parser proper only runs
 * at lexeme boundaries.
 *
 * <p>Prefix property: every nonterminal and lexeme of the grammar is productive and scan entries
 * are kept only in DFA states from which some byte leads on, so a row with a scan entry is a viable
 * prefix, and {@link #push} refuses a byte exactly when no sentence starts with the bytes so far
 * plus that byte.
 *
 * <p>Limits: a row larger than {@link ParserLimits#maxRowItems()} raises {@link
 * ConstraintTooComplexException} ({@code maxRowItems}).
 *
 * <p>Thread-safety: not thread-safe; one parser per generation. {@link #push} allocates only when a
 * row outgrows the arrays kept from earlier rows at that depth.
 */
public final class EarleyParser {
  private final ContextFreeGrammar g;
  private Row[] rows = new Row[64];
  private int depth; // index of the current row

  // The dedup set of the row under construction: open addressing over (pos, origin, state).
  private int[] setPos = new int[1024];
  private int[] setOrigin = new int[1024];
  private int[] setState = new int[1024];
  private int[] setStamp = new int[1024];
  private int setSize;
  private int stamp;

  // The closure's work list of items (pos, origin).
  private int[] workPos = new int[256];
  private int[] workOrigin = new int[256];
  private int workSize;

  EarleyParser(ContextFreeGrammar g) {
    this.g = g;
    rows[0] = new Row();
    Row first = rows[0];
    beginRow();
    addWork(g.ruleStart[0], 0);
    closure(first, 0);
    first.finish();
  }

  /** Number of bytes consumed. */
  public int depth() {
    return depth;
  }

  /**
   * Consumes one byte if some sentence starts with the bytes so far followed by it; else returns
   * false and changes nothing.
   *
   * @throws ConstraintTooComplexException the new row exceeds {@link ParserLimits#maxRowItems()}
   */
  public boolean push(int unsignedByte) {
    Row cur = rows[depth];
    int k = depth + 1;
    if (k == rows.length) {
      rows = Arrays.copyOf(rows, rows.length * 2);
    }
    Row next = rows[k];
    if (next == null) {
      next = rows[k] = new Row();
    }
    next.clear();
    beginRow();
    int[] rhs = g.rhs;
    for (int i = 0; i < cur.scanCount; i++) {
      int pos = cur.scanPos[i];
      int t = -rhs[pos] - 1;
      ByteDfa d = g.lexemes[t];
      int q = d.step(cur.scanState[i], unsignedByte);
      if (q < 0 || !d.isLive(q)) {
        continue;
      }
      int origin = cur.scanOrigin[i];
      if (g.extendable[t][q] && addToSet(pos, origin, q)) {
        next.addScan(pos, origin, q);
      }
      if (d.isAccepting(q)) {
        addWork(pos + 1, origin);
      }
    }
    if (workSize > 0) {
      closure(next, k);
    }
    if (next.scanCount == 0 && !next.accepting) {
      return false;
    }
    next.finish();
    depth = k;
    return true;
  }

  /** Consumes all of {@code bytes} or, if some byte is refused, none of them. */
  public boolean pushAll(byte[] bytes, int off, int len) {
    int before = depth;
    for (int i = off; i < off + len; i++) {
      if (!push(bytes[i] & 0xFF)) {
        depth = before;
        return false;
      }
    }
    return true;
  }

  /** Undoes pushes until {@link #depth()} is {@code d}. */
  public void popTo(int d) {
    if (d < 0 || d > depth) {
      throw new IllegalArgumentException("cannot pop to depth " + d + " from " + depth);
    }
    depth = d;
  }

  /** True when the bytes so far are a complete sentence. */
  public boolean isAccepting() {
    return rows[depth].accepting;
  }

  /** True when some non-empty continuation of the bytes so far is a viable prefix. */
  public boolean canContinue() {
    return rows[depth].scanCount > 0;
  }

  /** Number of items (scan entries and items before a nonterminal) in the current row. */
  public int rowSize() {
    Row r = rows[depth];
    return r.scanCount + r.waitCount;
  }

  /**
   * Writes into {@code dst} (4 longs, bit {@code b} for byte {@code b}) the bytes that {@link
   * #push} would accept now. Costs one step per scan entry and byte class, no closure.
   */
  public void viableBytes(long[] dst) {
    Arrays.fill(dst, 0, 4, 0L);
    Row r = rows[depth];
    for (int i = 0; i < r.scanCount; i++) {
      ByteDfa d = g.lexemes[-g.rhs[r.scanPos[i]] - 1];
      int q = r.scanState[i];
      for (int b = 0; b < 256; b++) {
        if ((dst[b >>> 6] & (1L << b)) == 0 && d.isLive(d.step(q, b))) {
          dst[b >>> 6] |= 1L << b;
        }
      }
    }
  }

  /**
   * A signature of the current row's scan entries, for caches: the sorted distinct (lexeme, DFA
   * state) pairs packed as longs. Two rows with the same signature accept the same bytes until one
   * of their lexemes completes.
   */
  public long[] lexerSignature() {
    Row r = rows[depth];
    long[] sig = new long[r.scanCount];
    for (int i = 0; i < r.scanCount; i++) {
      sig[i] = ((long) (-g.rhs[r.scanPos[i]] - 1) << 32) | r.scanState[i];
    }
    Arrays.sort(sig);
    int n = 0;
    for (int i = 0; i < sig.length; i++) {
      if (n == 0 || sig[n - 1] != sig[i]) {
        sig[n++] = sig[i];
      }
    }
    return n == sig.length ? sig : Arrays.copyOf(sig, n);
  }

  // ------------------------------------------------------------------ closure

  private void closure(Row row, int k) {
    int[] rhs = g.rhs;
    int limit = g.limits.maxRowItems();
    while (workSize > 0) {
      workSize--;
      int pos = workPos[workSize];
      int origin = workOrigin[workSize];
      if (!addToSet(pos, origin, -1)) {
        continue;
      }
      if (setSize > limit) {
        throw new ConstraintTooComplexException(
            "maxRowItems", limit, setSize, "items", "the parser's set after byte " + k);
      }
      int s = rhs[pos];
      if (s == ContextFreeGrammar.END) {
        int rule = g.posRule[pos];
        if (rule == 0) {
          row.accepting = true; // S' -> S . from 0 (production 0 is only predicted in row 0)
          continue;
        }
        if (origin == k) {
          continue; // an empty completion: handled where the nullable symbol was met
        }
        Row from = rows[origin];
        int a = g.lhs[rule];
        for (int w = from.waitingHead(a); w >= 0; w = from.waitNext[w]) {
          addWork(from.waitPos[w] + 1, from.waitOrigin[w]);
        }
      } else if (s >= 0) {
        row.addWait(pos, origin, s);
        if (addToSet(-1 - s, k, -2)) { // first prediction of s in this row
          for (int r : g.rulesOf[s]) {
            addWork(g.ruleStart[r], k);
          }
        }
        if (g.nullable[s]) {
          addWork(pos + 1, origin);
        }
      } else {
        int t = -s - 1;
        ByteDfa d = g.lexemes[t];
        int q = d.initialState();
        if (g.extendable[t][q] && addToSet(pos, origin, q)) {
          row.addScan(pos, origin, q);
        }
        if (d.isAccepting(q)) {
          addWork(pos + 1, origin);
        }
      }
    }
  }

  private void addWork(int pos, int origin) {
    if (workSize == workPos.length) {
      workPos = Arrays.copyOf(workPos, workSize * 2);
      workOrigin = Arrays.copyOf(workOrigin, workSize * 2);
    }
    workPos[workSize] = pos;
    workOrigin[workSize] = origin;
    workSize++;
  }

  // ------------------------------------------------------------------ dedup set

  private void beginRow() {
    stamp++;
    if (stamp == Integer.MAX_VALUE) {
      Arrays.fill(setStamp, 0);
      stamp = 1;
    }
    setSize = 0;
  }

  /** Adds (pos, origin, state) to the current row's set; false when already there. */
  private boolean addToSet(int pos, int origin, int state) {
    if (2 * (setSize + 1) > setPos.length) {
      growSet();
    }
    int mask = setPos.length - 1;
    int h = mix(pos, origin, state) & mask;
    while (setStamp[h] == stamp) {
      if (setPos[h] == pos && setOrigin[h] == origin && setState[h] == state) {
        return false;
      }
      h = (h + 1) & mask;
    }
    setStamp[h] = stamp;
    setPos[h] = pos;
    setOrigin[h] = origin;
    setState[h] = state;
    setSize++;
    return true;
  }

  private void growSet() {
    int[] oldPos = setPos;
    int[] oldOrigin = setOrigin;
    int[] oldState = setState;
    int[] oldStamp = setStamp;
    int n = oldPos.length * 2;
    setPos = new int[n];
    setOrigin = new int[n];
    setState = new int[n];
    setStamp = new int[n];
    int mask = n - 1;
    for (int i = 0; i < oldPos.length; i++) {
      if (oldStamp[i] == stamp) {
        int h = mix(oldPos[i], oldOrigin[i], oldState[i]) & mask;
        while (setStamp[h] == stamp) {
          h = (h + 1) & mask;
        }
        setStamp[h] = stamp;
        setPos[h] = oldPos[i];
        setOrigin[h] = oldOrigin[i];
        setState[h] = oldState[i];
      }
    }
  }

  private static int mix(int a, int b, int c) {
    int h = a * 0x9E3779B1 + b * 0x85EBCA77 + c * 0xC2B2AE3D;
    return h ^ (h >>> 15);
  }

  // ------------------------------------------------------------------ rows

  /** One Earley set. Arrays are reused when the row object is reused at the same depth. */
  private static final class Row {
    int[] scanPos = new int[8];
    int[] scanOrigin = new int[8];
    int[] scanState = new int[8];
    int scanCount;
    int[] waitPos = new int[8];
    int[] waitOrigin = new int[8];
    int[] waitSym = new int[8];
    int[] waitNext = new int[8];
    int waitCount;
    boolean accepting;
    // completion index: nonterminal -> first waiting item (chained through waitNext)
    int[] indexKey = new int[16];
    int[] indexHead = new int[16];

    void clear() {
      scanCount = 0;
      waitCount = 0;
      accepting = false;
    }

    void addScan(int pos, int origin, int state) {
      if (scanCount == scanPos.length) {
        int n = scanCount * 2;
        scanPos = Arrays.copyOf(scanPos, n);
        scanOrigin = Arrays.copyOf(scanOrigin, n);
        scanState = Arrays.copyOf(scanState, n);
      }
      scanPos[scanCount] = pos;
      scanOrigin[scanCount] = origin;
      scanState[scanCount] = state;
      scanCount++;
    }

    void addWait(int pos, int origin, int sym) {
      if (waitCount == waitPos.length) {
        int n = waitCount * 2;
        waitPos = Arrays.copyOf(waitPos, n);
        waitOrigin = Arrays.copyOf(waitOrigin, n);
        waitSym = Arrays.copyOf(waitSym, n);
        waitNext = Arrays.copyOf(waitNext, n);
      }
      waitPos[waitCount] = pos;
      waitOrigin[waitCount] = origin;
      waitSym[waitCount] = sym;
      waitCount++;
    }

    /** Builds the completion index (call once the row is complete). */
    void finish() {
      if (waitCount == 0) {
        return;
      }
      int size = Integer.highestOneBit(Math.max(4, waitCount * 2 - 1)) << 1;
      if (indexKey.length < size) {
        indexKey = new int[size];
        indexHead = new int[size];
      }
      int mask = size - 1;
      Arrays.fill(indexKey, 0, size, -1);
      for (int w = waitCount - 1; w >= 0; w--) {
        int a = waitSym[w];
        int h = (a * 0x9E3779B1 >>> 7) & mask;
        while (indexKey[h] != -1 && indexKey[h] != a) {
          h = (h + 1) & mask;
        }
        if (indexKey[h] == a) {
          waitNext[w] = indexHead[h];
        } else {
          indexKey[h] = a;
          waitNext[w] = -1;
        }
        indexHead[h] = w;
      }
      indexMask = mask;
    }

    int indexMask;

    /** The first waiting item before nonterminal {@code a}, or -1. */
    int waitingHead(int a) {
      if (waitCount == 0) {
        return -1;
      }
      int h = (a * 0x9E3779B1 >>> 7) & indexMask;
      while (indexKey[h] != -1) {
        if (indexKey[h] == a) {
          return indexHead[h];
        }
        h = (h + 1) & indexMask;
      }
      return -1;
    }
  }
}
