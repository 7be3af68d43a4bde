package io.guidepost.grammar;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable finite automaton over UTF-16 code units {@code 0..0xFFFF}, packed into int arrays:
 * the representation behind {@link CharLang}.
 *
 * <p>Representation. States are {@code 0..states-1}; state 0 is initial and every state is
 * reachable from it. {@link #accept} holds acceptance per state. Transitions are in CSR form: those
 * of state {@code s} are the indices {@code start[s] .. start[s+1]-1} of the parallel arrays {@link
 * #min}, {@link #max} (inclusive unit bounds) and {@link #dest}, sorted by (min, max, dest) and
 * without duplicates. When {@link #deterministic} holds the transitions of each state are disjoint
 * (a partial DFA; a missing transition rejects); otherwise the automaton is an NFA without epsilon
 * moves. The flag records what is known, as dk.brics' flag did: a DFA may be flagged
 * nondeterministic, and is then determinized (with its work counted) before minimization.
 *
 * <p>Operations are static and return new automata: the Thompson-style constructions {@link
 * #concatenate}, {@link #union}, {@link #star} and {@link #repeat} (epsilon moves resolved eagerly
 * by copying the target's transitions, exactly as dk.brics did, so that NFA sizes and the
 * determinization work they cost are unchanged), {@link #determinize} (bounded subset
 * construction), {@link #minimize} (dead states dropped, {@link DfaMinimizer} over the code-unit
 * interval classes, adjacent same-target intervals merged, states renumbered breadth-first) and
 * {@link #product} (intersection or difference of two DFAs). NFAs under construction are built with
 * {@link Builder}.
 */
final class IntAutomaton {
  private static final int[] NO_INTS = new int[0];

  /** The empty language: one non-accepting state without transitions. */
  static final IntAutomaton EMPTY =
      new IntAutomaton(1, new boolean[1], new int[2], NO_INTS, NO_INTS, NO_INTS, true);

  /** The language of the empty string: one accepting state without transitions. */
  static final IntAutomaton EMPTY_STRING =
      new IntAutomaton(1, new boolean[] {true}, new int[2], NO_INTS, NO_INTS, NO_INTS, true);

  final int states;
  final boolean deterministic;
  final boolean[] accept;
  final int[] start;
  final int[] min;
  final int[] max;
  final int[] dest;

  /** Wraps the arrays (not copied); they must satisfy the invariants of the class javadoc. */
  IntAutomaton(
      int states,
      boolean[] accept,
      int[] start,
      int[] min,
      int[] max,
      int[] dest,
      boolean deterministic) {
    this.states = states;
    this.accept = accept;
    this.start = start;
    this.min = min;
    this.max = max;
    this.dest = dest;
    this.deterministic = deterministic;
  }

  /** The same automaton flagged deterministic (the caller knows it is). */
  IntAutomaton asDeterministic() {
    return deterministic ? this : new IntAutomaton(states, accept, start, min, max, dest, true);
  }

  /** The same transitions with every state accepting. */
  IntAutomaton allAccepting() {
    boolean[] all = new boolean[states];
    Arrays.fill(all, true);
    return new IntAutomaton(states, all, start, min, max, dest, deterministic);
  }

  int transitionCount(int s) {
    return start[s + 1] - start[s];
  }

  /**
   * dk.brics' cheap emptiness test: the initial state neither accepts nor has transitions (exact
   * for minimal automata).
   */
  boolean isEmptyShallow() {
    return !accept[0] && start[1] == 0;
  }

  /** dk.brics' cheap empty-string test: the initial state accepts and has no transitions. */
  boolean isEmptyStringShallow() {
    return accept[0] && start[1] == 0;
  }

  /** The target of {@code unit} from {@code s} in a DFA, or -1. */
  int step(int s, int unit) {
    int lo = start[s];
    int hi = start[s + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (max[mid] < unit) {
        lo = mid + 1;
      } else if (min[mid] > unit) {
        hi = mid - 1;
      } else {
        return dest[mid];
      }
    }
    return -1;
  }

  /** Whether the DFA accepts {@code s}. */
  boolean run(CharSequence s) {
    int q = 0;
    for (int i = 0; i < s.length(); i++) {
      q = step(q, s.charAt(i));
      if (q < 0) {
        return false;
      }
    }
    return accept[q];
  }

  /** Whether no cycle is reachable (for an automaton without dead states: a finite language). */
  boolean isAcyclic() {
    return topologicalOrder(null) != null;
  }

  /**
   * The states in a topological order (Kahn's algorithm) over the transitions whose both ends
   * {@code keep} allows ({@code null}: all), or null when those contain a cycle.
   */
  int[] topologicalOrder(boolean[] keep) {
    int n = states;
    int[] indegree = new int[n];
    int kept = 0;
    for (int s = 0; s < n; s++) {
      if (keep != null && !keep[s]) {
        continue;
      }
      kept++;
      for (int j = start[s]; j < start[s + 1]; j++) {
        if (keep == null || keep[dest[j]]) {
          indegree[dest[j]]++;
        }
      }
    }
    int[] order = new int[kept];
    int tail = 0;
    for (int s = 0; s < n; s++) {
      if ((keep == null || keep[s]) && indegree[s] == 0) {
        order[tail++] = s;
      }
    }
    for (int head = 0; head < tail; head++) {
      int s = order[head];
      for (int j = start[s]; j < start[s + 1]; j++) {
        int t = dest[j];
        if ((keep == null || keep[t]) && --indegree[t] == 0) {
          order[tail++] = t;
        }
      }
    }
    return tail == kept ? order : null;
  }

  /**
   * The shortest accepted string, the smallest in UTF-16 order among those, or null when none
   * (dk.brics' {@code getShortestExample(true)}): breadth-first, each state labelled with its
   * smallest shortest path; accepting states are not expanded.
   */
  String shortestExample() {
    String[] path = new String[states];
    int[] queue = new int[states];
    int tail = 0;
    path[0] = "";
    queue[tail++] = 0;
    String best = null;
    for (int head = 0; head < tail; head++) {
      int q = queue[head];
      String p = path[q];
      if (accept[q]) {
        if (best == null
            || p.length() < best.length()
            || (p.length() == best.length() && p.compareTo(best) < 0)) {
          best = p;
        }
        continue;
      }
      for (int j = start[q]; j < start[q + 1]; j++) {
        int t = dest[j];
        String tp = path[t];
        String np = p + (char) min[j];
        if (tp == null) {
          path[t] = np;
          queue[tail++] = t;
        } else if (tp.length() == np.length() && np.compareTo(tp) < 0) {
          path[t] = np;
        }
      }
    }
    return best;
  }

  /**
   * The non-empty accepted strings of an acyclic DFA, or null when there are more than {@code
   * limit} ({@code limit < 0}: no bound) or a cycle is met. As dk.brics' {@code getFiniteStrings},
   * the empty string is never included.
   */
  Set<String> finiteStrings(int limit) {
    Set<String> out = new HashSet<>();
    StringBuilder path = new StringBuilder();
    boolean[] onPath = new boolean[states];
    // Depth-first with an explicit stack: per level the state, its transition and the unit.
    int[] stState = new int[16];
    int[] stTrans = new int[16];
    int[] stUnit = new int[16];
    int depth = 0;
    stState[0] = 0;
    stTrans[0] = start[0];
    stUnit[0] = start[1] > start[0] ? min[start[0]] : 0;
    onPath[0] = true;
    while (depth >= 0) {
      int s = stState[depth];
      int j = stTrans[depth];
      if (j >= start[s + 1]) {
        onPath[s] = false;
        depth--;
        if (depth >= 0) {
          path.setLength(depth);
          advance(stTrans, stUnit, depth);
        }
        continue;
      }
      int t = dest[j];
      if (onPath[t]) {
        return null;
      }
      path.setLength(depth);
      path.append((char) stUnit[depth]);
      if (accept[t]) {
        out.add(path.toString());
        if (limit >= 0 && out.size() > limit) {
          return null;
        }
      }
      depth++;
      if (depth == stState.length) {
        stState = Arrays.copyOf(stState, depth * 2);
        stTrans = Arrays.copyOf(stTrans, depth * 2);
        stUnit = Arrays.copyOf(stUnit, depth * 2);
      }
      stState[depth] = t;
      stTrans[depth] = start[t];
      stUnit[depth] = start[t + 1] > start[t] ? min[start[t]] : 0;
      onPath[t] = true;
    }
    return out;
  }

  /** Moves stack level {@code d} to its next unit (next transition after the last unit). */
  private void advance(int[] stTrans, int[] stUnit, int d) {
    int j = stTrans[d];
    if (stUnit[d] < max[j]) {
      stUnit[d]++;
    } else {
      stTrans[d] = ++j;
      if (j < min.length) {
        stUnit[d] = min[j];
      }
    }
  }

  // ------------------------------------------------------------------ constructions

  /**
   * The concatenation of {@code parts} (at least one), built as dk.brics' {@code concatenate}:
   * copies of the parts, each accepting state of one part made non-accepting and given the
   * transitions (and acceptance) of the next part's initial state; parts that are (shallowly) the
   * empty string are skipped, and a (shallowly) empty part gives {@link #EMPTY}.
   */
  static IntAutomaton concatenate(List<IntAutomaton> parts) {
    if (parts.isEmpty()) {
      return EMPTY_STRING;
    }
    for (IntAutomaton p : parts) {
      if (p.isEmptyShallow()) {
        return EMPTY;
      }
    }
    Builder b = new Builder();
    int init = b.copy(parts.get(0));
    int[] ends = b.acceptingStates(init, parts.get(0).states);
    int nEnds = ends.length;
    for (int i = 1; i < parts.size(); i++) {
      IntAutomaton p = parts.get(i);
      if (p.isEmptyStringShallow()) {
        continue;
      }
      int base = b.copy(p);
      int[] next = b.acceptingStates(base, p.states);
      int nNext = next.length;
      next = Arrays.copyOf(next, nNext + nEnds);
      for (int e = 0; e < nEnds; e++) {
        int s = ends[e];
        b.setAccept(s, false);
        b.addEpsilon(s, base);
        if (b.isAccept(s)) {
          next[nNext++] = s;
        }
      }
      ends = next;
      nEnds = nNext;
    }
    return b.build(init, false);
  }

  /**
   * The union of {@code parts}, built as dk.brics' {@code union}: a new initial state given the
   * transitions and acceptance of each (shallowly) non-empty part's initial state.
   */
  static IntAutomaton union(List<IntAutomaton> parts) {
    Builder b = new Builder();
    int init = b.addState(false);
    for (IntAutomaton p : parts) {
      if (!p.isEmptyShallow()) {
        b.addEpsilon(init, b.copy(p));
      }
    }
    return b.build(init, false);
  }

  /**
   * Kleene star, built as dk.brics' {@code repeat()}: a new accepting initial state with the old
   * initial state's transitions, which every accepting state also receives.
   */
  static IntAutomaton star(IntAutomaton a) {
    Builder b = new Builder();
    int base = b.copy(a);
    int init = b.addState(true);
    b.addEpsilon(init, base);
    for (int p : b.acceptingStates(base, a.states)) {
      b.addEpsilon(p, init);
    }
    return b.build(init, false);
  }

  /** At least {@code min} repetitions, built as dk.brics' {@code repeat(min)}. */
  static IntAutomaton repeat(IntAutomaton a, int min) {
    if (min == 0) {
      return star(a);
    }
    IntAutomaton[] parts = new IntAutomaton[min + 1];
    Arrays.fill(parts, 0, min, a);
    parts[min] = star(a);
    return concatenate(Arrays.asList(parts));
  }

  /** {@code min} to {@code max} repetitions, built as dk.brics' {@code repeat(min, max)}. */
  static IntAutomaton repeat(IntAutomaton a, int min, int max) {
    if (min > max) {
      return EMPTY;
    }
    int extra = max - min;
    IntAutomaton first =
        min == 0 ? EMPTY_STRING : min == 1 ? a : concatenate(Arrays.asList(nCopies(a, min)));
    if (extra == 0) {
      return first;
    }
    // A chain of extra optional copies, built back to front: each copy's accepting states get the
    // transitions of the following copy's initial state.
    Builder b = new Builder();
    int d = b.copy(a);
    while (--extra > 0) {
      int c = b.copy(a);
      for (int p : b.acceptingStates(c, a.states)) {
        b.addEpsilon(p, d);
      }
      d = c;
    }
    int init = b.copy(first);
    for (int p : b.acceptingStates(init, first.states)) {
      b.addEpsilon(p, d);
    }
    return b.build(init, false);
  }

  private static IntAutomaton[] nCopies(IntAutomaton a, int n) {
    IntAutomaton[] out = new IntAutomaton[n];
    Arrays.fill(out, a);
    return out;
  }

  // ------------------------------------------------------------------ determinization

  /**
   * Subset construction over code-unit intervals with a work bound: each DFA state is a sorted set
   * of NFA states; its outgoing intervals come from a sweep over the boundaries of the member
   * states' transitions. Work = members visited + transitions swept + members of each target set,
   * against {@link GrammarLimits#maxDeterminizationWork()}; the subsets against {@link
   * GrammarLimits#maxDfaStates()}. The result is deterministic, numbered in discovery order;
   * adjacent intervals with one target are not merged ({@link #minimize} does).
   */
  static IntAutomaton determinize(IntAutomaton nfa, GrammarLimits lim, String what) {
    String where = "determinizing " + what;
    int n = nfa.states;
    IntSeqTable sets = new IntSeqTable();
    int[] one = {0};
    sets.intern(one, 1);
    Csr out = new Csr();
    out.addState(nfa.accept[0]);
    long work = 0;
    int[] cnt = new int[n];
    int[] active = new int[n];
    int[] activePos = new int[n];
    int[] members = new int[n];
    long[] ev = new long[16];
    for (int cur = 0; cur < sets.size(); cur++) {
      out.startState(cur);
      int ne = 0;
      for (int m = sets.offset(cur), end = sets.offset(cur + 1); m < end; m++) {
        int q = sets.pool[m];
        int tLo = nfa.start[q];
        int tHi = nfa.start[q + 1];
        work += 1 + tHi - tLo;
        if (ev.length < ne + 2 * (tHi - tLo)) {
          ev = Arrays.copyOf(ev, Math.max(ev.length * 2, ne + 2 * (tHi - tLo)));
        }
        for (int j = tLo; j < tHi; j++) {
          ev[ne++] = ((long) nfa.min[j] << 32) | (1L << 31) | nfa.dest[j];
          ev[ne++] = ((long) (nfa.max[j] + 1) << 32) | nfa.dest[j];
        }
      }
      if (work > lim.maxDeterminizationWork()) {
        throw new ConstraintTooComplexException(
            "maxDeterminizationWork", lim.maxDeterminizationWork(), work, "steps", where);
      }
      if (((cur + 1) & 1023) == 0) {
        CharLang.checkDeadline(where);
      }
      Arrays.sort(ev, 0, ne);
      int nActive = 0;
      int i = 0;
      while (i < ne) {
        int pos = (int) (ev[i] >>> 32);
        while (i < ne && (int) (ev[i] >>> 32) == pos) {
          int d = (int) (ev[i] & 0x7FFFFFFF);
          if ((ev[i] & (1L << 31)) != 0) {
            if (cnt[d]++ == 0) {
              activePos[d] = nActive;
              active[nActive++] = d;
            }
          } else if (--cnt[d] == 0) {
            int last = active[--nActive];
            active[activePos[d]] = last;
            activePos[last] = activePos[d];
          }
          i++;
        }
        if (nActive > 0 && i < ne) {
          int end = (int) (ev[i] >>> 32) - 1;
          System.arraycopy(active, 0, members, 0, nActive);
          Arrays.sort(members, 0, nActive);
          work += nActive;
          int before = sets.size();
          int to = sets.intern(members, nActive);
          if (to == before) {
            boolean accept = false;
            for (int m = 0; m < nActive; m++) {
              accept |= nfa.accept[members[m]];
            }
            out.addState(accept);
            if (sets.size() > lim.maxDfaStates()) {
              throw new ConstraintTooComplexException(
                  "maxDfaStates", lim.maxDfaStates(), sets.size(), "states", where);
            }
          }
          out.addTransition(pos, end, to);
        }
      }
    }
    return out.build(true);
  }

  // ------------------------------------------------------------------ product

  /**
   * The reachable product of the DFAs {@code x} and {@code y}: their intersection, or with {@code
   * minus} the strings of {@code x} that {@code y} rejects (a missing {@code y} transition goes to
   * a dead state, numbered -1, which rejects everything after it). Work (pairs visited plus
   * transitions swept) counts against {@link GrammarLimits#maxDeterminizationWork()}, pairs against
   * {@link GrammarLimits#maxDfaStates()}. The result is deterministic.
   */
  static IntAutomaton product(
      IntAutomaton x, IntAutomaton y, boolean minus, GrammarLimits lim, String what) {
    long stride = y.states + 1L;
    LongIntMap made = new LongIntMap();
    int[] pairX = new int[16];
    int[] pairY = new int[16];
    made.put(1L, 0); // pair (0, 0): 0 * stride + (0 + 1)
    int count = 1;
    Csr out = new Csr();
    out.addState(false);
    long work = 0;
    for (int cur = 0; cur < count; cur++) {
      out.startState(cur);
      int p = pairX[cur];
      int q = pairY[cur];
      boolean qAccept = q >= 0 && y.accept[q];
      out.accept[cur] = x.accept[p] && (minus ? !qAccept : qAccept);
      int aLo = x.start[p];
      int aHi = x.start[p + 1];
      int bLo = q >= 0 ? y.start[q] : 0; // the dead state has no transitions
      int bHi = q >= 0 ? y.start[q + 1] : 0;
      work += 1 + (aHi - aLo) + (bHi - bLo);
      if (work > lim.maxDeterminizationWork()) {
        throw new ConstraintTooComplexException(
            "maxDeterminizationWork", lim.maxDeterminizationWork(), work, "steps", what);
      }
      if (((cur + 1) & 1023) == 0) {
        CharLang.checkStates(cur + 1, what);
        CharLang.checkDeadline(what);
      }
      int j = bLo;
      for (int i = aLo; i < aHi; i++) {
        int lo = x.min[i];
        int hi = x.max[i];
        while (j < bHi && y.max[j] < lo) {
          j++;
        }
        int k = j;
        int c = lo;
        while (c <= hi) {
          int segHi;
          int qq;
          if (k < bHi && y.min[k] <= c) {
            segHi = Math.min(hi, y.max[k]);
            qq = y.dest[k];
            k++;
          } else {
            segHi = k < bHi ? Math.min(hi, y.min[k] - 1) : hi;
            qq = -1;
          }
          if (qq >= 0 || minus) {
            long key = x.dest[i] * stride + qq + 1;
            int to = made.get(key);
            if (to < 0) {
              to = count++;
              made.put(key, to);
              if (to == pairX.length) {
                pairX = Arrays.copyOf(pairX, to * 2);
                pairY = Arrays.copyOf(pairY, to * 2);
              }
              pairX[to] = x.dest[i];
              pairY[to] = qq;
              out.addState(false);
            }
            out.addTransition(c, segHi, to);
          }
          c = segHi + 1;
        }
      }
    }
    return out.build(true);
  }

  // ------------------------------------------------------------------ minimization

  /** Above this many dense table cells, minimization works on the sparse intervals instead. */
  static final long MAX_DENSE_CELLS = 1L << 24;

  /**
   * The minimal automaton of the DFA {@code d}: dead states dropped; {@link DfaMinimizer} over the
   * dense table of the code-unit intervals induced by all transition bounds, or, above {@link
   * #MAX_DENSE_CELLS} cells, a sparse refinement over the transition intervals themselves (one
   * bottom-up pass for an acyclic automaton, else Moore's rounds); then adjacent same-target
   * intervals merged and the states numbered breadth-first from the initial one, transitions in
   * unit order. The empty language gives {@link #EMPTY}.
   */
  static IntAutomaton minimize(IntAutomaton d, String what) {
    return minimize(d, what, MAX_DENSE_CELLS, MAX_DENSE_CELLS);
  }

  /**
   * {@link #minimize(IntAutomaton, String)} with the bounds given (for tests): at most {@code
   * maxDenseCells} table cells for the dense path, at most {@code maxSparseTransitions} per-class
   * transitions for sparse Hopcroft.
   */
  static IntAutomaton minimize(
      IntAutomaton d, String what, long maxDenseCells, long maxSparseTransitions) {
    int all = d.states;
    int nt = d.start[all];
    // Live states: reverse reachability from the accepting ones.
    int[] revStart = new int[all + 1];
    for (int j = 0; j < nt; j++) {
      revStart[d.dest[j] + 1]++;
    }
    for (int i = 0; i < all; i++) {
      revStart[i + 1] += revStart[i];
    }
    int[] revSrc = new int[nt];
    int[] fill = Arrays.copyOf(revStart, all);
    for (int s = 0; s < all; s++) {
      for (int j = d.start[s]; j < d.start[s + 1]; j++) {
        revSrc[fill[d.dest[j]]++] = s;
      }
    }
    boolean[] live = new boolean[all];
    int[] queue = new int[all];
    int qt = 0;
    for (int i = 0; i < all; i++) {
      if (d.accept[i]) {
        live[i] = true;
        queue[qt++] = i;
      }
    }
    for (int qh = 0; qh < qt; qh++) {
      int q = queue[qh];
      for (int r = revStart[q]; r < revStart[q + 1]; r++) {
        if (!live[revSrc[r]]) {
          live[revSrc[r]] = true;
          queue[qt++] = revSrc[r];
        }
      }
    }
    if (!live[0]) {
      return EMPTY;
    }
    int[] dense = new int[all];
    int[] orig = new int[qt];
    int n = 0;
    for (int i = 0; i < all; i++) {
      if (live[i]) {
        orig[n] = i;
        dense[i] = n++;
      } else {
        dense[i] = -1;
      }
    }
    // Alphabet classes: the intervals between consecutive transition bounds.
    int[] points = new int[2 * nt];
    int np = 0;
    for (int s = 0; s < all; s++) {
      if (!live[s]) {
        continue;
      }
      for (int j = d.start[s]; j < d.start[s + 1]; j++) {
        if (live[d.dest[j]]) {
          points[np++] = d.min[j];
          points[np++] = d.max[j] + 1;
        }
      }
    }
    Arrays.sort(points, 0, np);
    int k = 0;
    for (int i = 0; i < np; i++) {
      if (k == 0 || points[k - 1] != points[i]) {
        points[k++] = points[i];
      }
    }
    k = Math.max(k - 1, 0); // class c = [points[c], points[c + 1])
    boolean[] accepting = new boolean[n];
    for (int i = 0; i < n; i++) {
      accepting[i] = d.accept[orig[i]];
    }
    DfaMinimizer.Partition p;
    if ((long) n * k <= maxDenseCells) {
      int[] table = new int[n * k];
      Arrays.fill(table, -1);
      for (int i = 0; i < n; i++) {
        int s = orig[i];
        int base = i * k;
        for (int j = d.start[s]; j < d.start[s + 1]; j++) {
          int to = dense[d.dest[j]];
          if (to >= 0) {
            for (int c = Arrays.binarySearch(points, 0, k + 1, d.min[j]);
                points[c] <= d.max[j];
                c++) {
              table[base + c] = to;
            }
          }
        }
      }
      p = DfaMinimizer.partition(n, k, table, accepting);
    } else {
      p = sparsePartition(d, live, dense, orig, accepting, points, k, maxSparseTransitions, what);
    }
    return quotient(d, dense, orig, p);
  }

  /**
   * The Myhill–Nerode partition of the live states without a dense table. Acyclic: one pass in
   * reverse topological order (Revuz) merging equal signatures (acceptance, then the live
   * transitions with targets replaced by their blocks, adjacent intervals with one target block
   * merged). Cyclic: {@link DfaMinimizer#hopcroft} over the transitions split into the interval
   * classes, when there are at most {@code maxSparseTransitions} of those; else Moore's refinement
   * on the same signatures, rounds until the number of blocks stops growing.
   */
  private static DfaMinimizer.Partition sparsePartition(
      IntAutomaton d,
      boolean[] live,
      int[] dense,
      int[] orig,
      boolean[] accepting,
      int[] points,
      int k,
      long maxSparseTransitions,
      String what) {
    int n = orig.length;
    int[] blockOf = new int[n];
    Signature sig = new Signature();
    int[] topo = d.topologicalOrder(live);
    if (topo != null) {
      IntSeqTable blocks = new IntSeqTable();
      int[] rep = new int[n];
      for (int t = topo.length - 1; t >= 0; t--) {
        int i = dense[topo[t]];
        sig.of(d, orig[i], accepting[i] ? 1 : 0, dense, blockOf);
        int before = blocks.size();
        int b = blocks.intern(sig.v, sig.len);
        if (b == before) {
          rep[b] = i;
        }
        blockOf[i] = b;
      }
      return new DfaMinimizer.Partition(blocks.size(), blockOf, Arrays.copyOf(rep, blocks.size()));
    }
    DfaMinimizer.Partition hopcroft =
        sparseHopcroft(d, dense, orig, accepting, points, k, maxSparseTransitions);
    if (hopcroft != null) {
      return hopcroft;
    }
    int count = 0;
    boolean seenAccept = false;
    boolean seenReject = false;
    for (int i = 0; i < n; i++) {
      blockOf[i] = accepting[i] ? 1 : 0;
      seenAccept |= accepting[i];
      seenReject |= !accepting[i];
    }
    count = (seenAccept ? 1 : 0) + (seenReject ? 1 : 0);
    int[] next = new int[n];
    while (true) {
      CharLang.checkDeadline("minimizing " + what);
      IntSeqTable blocks = new IntSeqTable();
      int[] rep = new int[n];
      for (int i = 0; i < n; i++) {
        sig.of(d, orig[i], blockOf[i], dense, blockOf);
        int before = blocks.size();
        int b = blocks.intern(sig.v, sig.len);
        if (b == before) {
          rep[b] = i;
        }
        next[i] = b;
      }
      int[] swap = blockOf;
      blockOf = next;
      next = swap;
      if (blocks.size() == count) {
        return new DfaMinimizer.Partition(count, blockOf, Arrays.copyOf(rep, count));
      }
      count = blocks.size();
    }
  }

  /**
   * {@link DfaMinimizer#hopcroft} over the live transitions split into the interval classes ({@code
   * points}), or null when there would be more than {@code max} of those.
   */
  private static DfaMinimizer.Partition sparseHopcroft(
      IntAutomaton d, int[] dense, int[] orig, boolean[] accepting, int[] points, int k, long max) {
    int n = orig.length;
    int[] inStart = new int[n + 1];
    long m = 0;
    for (int i = 0; i < n; i++) {
      int s = orig[i];
      for (int j = d.start[s]; j < d.start[s + 1]; j++) {
        int t = dense[d.dest[j]];
        if (t >= 0) {
          int classes = classOf(points, k, d.max[j]) - classOf(points, k, d.min[j]) + 1;
          m += classes;
          if (m > max) {
            return null;
          }
          inStart[t + 1] += classes;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      inStart[i + 1] += inStart[i];
    }
    int[] inSrc = new int[(int) m];
    int[] inCls = new int[(int) m];
    int[] fill = Arrays.copyOf(inStart, n);
    for (int i = 0; i < n; i++) {
      int s = orig[i];
      for (int j = d.start[s]; j < d.start[s + 1]; j++) {
        int t = dense[d.dest[j]];
        if (t >= 0) {
          for (int c = classOf(points, k, d.min[j]), e = classOf(points, k, d.max[j]);
              c <= e;
              c++) {
            inSrc[fill[t]] = i;
            inCls[fill[t]++] = c;
          }
        }
      }
    }
    return DfaMinimizer.hopcroft(n, inStart, inSrc, inCls, accepting);
  }

  /** The class {@code c} with {@code points[c] <= unit < points[c + 1]}. */
  private static int classOf(int[] points, int k, int unit) {
    int c = Arrays.binarySearch(points, 0, k + 1, unit);
    return c >= 0 ? c : -c - 2;
  }

  /**
   * A state's signature for {@link #sparsePartition}: {@code head} (acceptance or current block),
   * then (min, max, target block) per maximal run of live transitions with one target block.
   */
  private static final class Signature {
    int[] v = new int[16];
    int len;

    void of(IntAutomaton d, int s, int head, int[] dense, int[] blockOf) {
      len = 0;
      v[len++] = head;
      int lastMax = -2;
      int lastBlock = -1;
      for (int j = d.start[s]; j < d.start[s + 1]; j++) {
        int t = dense[d.dest[j]];
        if (t < 0) {
          continue;
        }
        int b = blockOf[t];
        if (b == lastBlock && d.min[j] == lastMax + 1) {
          v[len - 2] = d.max[j];
        } else {
          if (len + 3 > v.length) {
            v = Arrays.copyOf(v, v.length * 2);
          }
          v[len++] = d.min[j];
          v[len++] = d.max[j];
          v[len++] = b;
          lastBlock = b;
        }
        lastMax = d.max[j];
      }
    }
  }

  /**
   * The quotient of {@code d} by the partition {@code p} of its live states: one state per block
   * (its representative's live transitions, adjacent same-target intervals merged), numbered
   * breadth-first from the initial state's block.
   */
  private static IntAutomaton quotient(
      IntAutomaton d, int[] dense, int[] orig, DfaMinimizer.Partition p) {
    int blocks = p.blocks();
    int[] blockOf = p.blockOf();
    int[] newId = new int[blocks];
    Arrays.fill(newId, -1);
    int[] order = new int[blocks];
    int tail = 0;
    int b0 = blockOf[dense[0]];
    newId[b0] = tail;
    order[tail++] = b0;
    Csr out = new Csr();
    for (int head = 0; head < tail; head++) {
      int r = orig[p.representative()[order[head]]];
      out.addState(d.accept[r]);
      out.startState(head);
      int lastMax = -2;
      int lastTo = -1;
      for (int j = d.start[r]; j < d.start[r + 1]; j++) {
        int t = dense[d.dest[j]];
        if (t < 0) {
          continue;
        }
        int b = blockOf[t];
        if (newId[b] < 0) {
          newId[b] = tail;
          order[tail++] = b;
        }
        int to = newId[b];
        if (to == lastTo && d.min[j] == lastMax + 1) {
          out.max[out.m - 1] = d.max[j];
        } else {
          out.addTransition(d.min[j], d.max[j], to);
          lastTo = to;
        }
        lastMax = d.max[j];
      }
    }
    return out.build(true);
  }

  // ------------------------------------------------------------------ building blocks

  /**
   * A mutable NFA: states with acceptance and unordered transition lists (linked through arrays).
   * {@link #build} keeps the states reachable from the chosen initial state, numbers them
   * breadth-first and sorts and deduplicates each state's transitions.
   */
  static final class Builder {
    private boolean[] accept = new boolean[8];
    private int[] head = new int[8]; // the state's last added transition, -1 if none
    private int n;
    private int[] next = new int[16]; // the previous transition of the same state, or -1
    private int[] lo = new int[16];
    private int[] hi = new int[16];
    private int[] to = new int[16];
    private int m;

    int addState(boolean accepting) {
      if (n == accept.length) {
        accept = Arrays.copyOf(accept, n * 2);
        head = Arrays.copyOf(head, n * 2);
      }
      accept[n] = accepting;
      head[n] = -1;
      return n++;
    }

    void setAccept(int s, boolean accepting) {
      accept[s] = accepting;
    }

    boolean isAccept(int s) {
      return accept[s];
    }

    /** Adds the transition {@code from --[min..max]--> dest} ({@code min <= max}). */
    void addTransition(int from, int min, int max, int dest) {
      if (m == lo.length) {
        int cap = m * 2;
        next = Arrays.copyOf(next, cap);
        lo = Arrays.copyOf(lo, cap);
        hi = Arrays.copyOf(hi, cap);
        to = Arrays.copyOf(to, cap);
      }
      next[m] = head[from];
      lo[m] = min;
      hi[m] = max;
      to[m] = dest;
      head[from] = m++;
    }

    /**
     * An epsilon move resolved at once (dk.brics' {@code State.addEpsilon}): {@code from} accepts
     * when {@code target} does and gets a copy of {@code target}'s current transitions.
     */
    void addEpsilon(int from, int target) {
      if (accept[target]) {
        accept[from] = true;
      }
      for (int t = head[target]; t >= 0; t = next[t]) {
        addTransition(from, lo[t], hi[t], to[t]);
      }
    }

    /** Appends a copy of {@code a}'s states and transitions; returns the copy of state 0. */
    int copy(IntAutomaton a) {
      int base = n;
      for (int s = 0; s < a.states; s++) {
        addState(a.accept[s]);
      }
      for (int s = 0; s < a.states; s++) {
        for (int j = a.start[s]; j < a.start[s + 1]; j++) {
          addTransition(base + s, a.min[j], a.max[j], base + a.dest[j]);
        }
      }
      return base;
    }

    /** The accepting states among {@code base .. base + count - 1}. */
    int[] acceptingStates(int base, int count) {
      int[] out = new int[count];
      int k = 0;
      for (int s = base; s < base + count; s++) {
        if (accept[s]) {
          out[k++] = s;
        }
      }
      return Arrays.copyOf(out, k);
    }

    /** The automaton of the states reachable from {@code initial} (which becomes state 0). */
    IntAutomaton build(int initial, boolean deterministic) {
      int[] newId = new int[n];
      Arrays.fill(newId, -1);
      int[] order = new int[n];
      int tail = 0;
      newId[initial] = tail;
      order[tail++] = initial;
      int[] start = new int[n + 1];
      for (int h = 0; h < tail; h++) {
        int s = order[h];
        int c = 0;
        for (int t = head[s]; t >= 0; t = next[t]) {
          c++;
          if (newId[to[t]] < 0) {
            newId[to[t]] = tail;
            order[tail++] = to[t];
          }
        }
        start[h + 1] = start[h] + c;
      }
      int count = tail;
      long[] keys = new long[start[count]];
      boolean[] acc = new boolean[count];
      for (int h = 0; h < count; h++) {
        int s = order[h];
        acc[h] = accept[s];
        int k = start[h];
        for (int t = head[s]; t >= 0; t = next[t]) {
          keys[k++] = key(lo[t], hi[t], newId[to[t]]);
        }
      }
      return Csr.sorted(count, Arrays.copyOf(start, count + 1), keys, acc, deterministic);
    }
  }

  /**
   * A growing CSR automaton whose states are completed in order (state {@code s}'s transitions are
   * all added after {@link #startState}{@code (s)} and before {@code startState(s + 1)}).
   */
  private static final class Csr {
    boolean[] accept = new boolean[16];
    int[] start = new int[17];
    int n;
    int[] min = new int[16];
    int[] max = new int[16];
    int[] dest = new int[16];
    int m;

    void addState(boolean accepting) {
      if (n == accept.length) {
        accept = Arrays.copyOf(accept, n * 2);
        start = Arrays.copyOf(start, n * 2 + 1);
      }
      accept[n++] = accepting;
    }

    void startState(int s) {
      start[s] = m;
    }

    void addTransition(int lo, int hi, int to) {
      if (m == min.length) {
        min = Arrays.copyOf(min, m * 2);
        max = Arrays.copyOf(max, m * 2);
        dest = Arrays.copyOf(dest, m * 2);
      }
      min[m] = lo;
      max[m] = hi;
      dest[m++] = to;
    }

    /** The automaton, transitions taken as already sorted and distinct. */
    IntAutomaton build(boolean deterministic) {
      start[n] = m;
      return new IntAutomaton(
          n,
          Arrays.copyOf(accept, n),
          Arrays.copyOf(start, n + 1),
          Arrays.copyOf(min, m),
          Arrays.copyOf(max, m),
          Arrays.copyOf(dest, m),
          deterministic);
    }

    /** The automaton with each state's transitions sorted and deduplicated. */
    IntAutomaton buildSorting(boolean deterministic) {
      start[n] = m;
      long[] keys = new long[m];
      for (int j = 0; j < m; j++) {
        keys[j] = key(min[j], max[j], dest[j]);
      }
      return sorted(n, Arrays.copyOf(start, n + 1), keys, Arrays.copyOf(accept, n), deterministic);
    }

    /**
     * The automaton from per-state segments of packed {@link #key}s, each segment sorted and
     * deduplicated here ({@code start} is rewritten).
     */
    static IntAutomaton sorted(
        int n, int[] start, long[] keys, boolean[] accept, boolean deterministic) {
      int w = 0;
      int segStart = 0;
      for (int s = 0; s < n; s++) {
        int segEnd = start[s + 1];
        Arrays.sort(keys, segStart, segEnd);
        int first = w;
        for (int j = segStart; j < segEnd; j++) {
          if (w == first || keys[w - 1] != keys[j]) {
            keys[w++] = keys[j];
          }
        }
        start[s] = first;
        segStart = segEnd;
      }
      start[n] = w;
      int[] min = new int[w];
      int[] max = new int[w];
      int[] dest = new int[w];
      for (int j = 0; j < w; j++) {
        long key = keys[j];
        min[j] = (int) (key >>> 47);
        max[j] = (int) (key >>> 31) & 0xFFFF;
        dest[j] = (int) key & 0x7FFFFFFF;
      }
      return new IntAutomaton(n, accept, start, min, max, dest, deterministic);
    }
  }

  /**
   * A transition as a non-negative long ordered by (min, max, dest): 16 + 16 + 31 bits, so that a
   * signed sort orders units above 0x7FFF correctly.
   */
  private static long key(int min, int max, int dest) {
    return (long) min << 47 | (long) max << 31 | dest;
  }

  /**
   * An NFA assembled state by state in order, its transitions sorted and deduplicated at the end
   * (for constructions that discover states breadth-first but emit transitions in any order).
   */
  static final class OrderedBuilder {
    private final Csr csr = new Csr();

    int addState() {
      csr.addState(false);
      return csr.n - 1;
    }

    void setAccept(int s, boolean accepting) {
      csr.accept[s] = accepting;
    }

    /** Begins state {@code s}: every transition added from now to the next call leaves it. */
    void startState(int s) {
      csr.startState(s);
    }

    void addTransition(int min, int max, int dest) {
      csr.addTransition(min, max, dest);
    }

    IntAutomaton build(boolean deterministic) {
      return csr.buildSorting(deterministic);
    }
  }

  /** Interns int sequences as dense ids {@code 0, 1, ...} (open addressing over a shared pool). */
  private static final class IntSeqTable {
    int[] pool = new int[64];
    private int poolSize;
    private int[] offsets = new int[17]; // id -> first index in pool; offsets[size] = poolSize
    private int[] hashes = new int[16];
    private int[] slots = new int[32]; // id + 1, 0 = empty
    private int size;

    int size() {
      return size;
    }

    int offset(int id) {
      return offsets[id];
    }

    /** The id of {@code seq[0..len)}, added as {@link #size()} - 1 when new. */
    int intern(int[] seq, int len) {
      int h = 1;
      for (int i = 0; i < len; i++) {
        h = 31 * h + seq[i];
      }
      h = DfaMinimizer.fmix(h);
      int mask = slots.length - 1;
      for (int slot = h & mask; ; slot = (slot + 1) & mask) {
        int id = slots[slot] - 1;
        if (id < 0) {
          return add(seq, len, h, slot);
        }
        if (hashes[id] == h && equal(id, seq, len)) {
          return id;
        }
      }
    }

    private boolean equal(int id, int[] seq, int len) {
      int o = offsets[id];
      if (offsets[id + 1] - o != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (pool[o + i] != seq[i]) {
          return false;
        }
      }
      return true;
    }

    private int add(int[] seq, int len, int h, int slot) {
      int id = size++;
      if (poolSize + len > pool.length) {
        pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + len));
      }
      System.arraycopy(seq, 0, pool, poolSize, len);
      poolSize += len;
      if (size + 1 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      if (id >= hashes.length) {
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
      }
      hashes[id] = h;
      offsets[size] = poolSize;
      slots[slot] = id + 1;
      if (size * 2 > slots.length) {
        rehash();
      }
      return id;
    }

    private void rehash() {
      int[] s = new int[slots.length * 2];
      int mask = s.length - 1;
      for (int id = 0; id < size; id++) {
        int slot = hashes[id] & mask;
        while (s[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        s[slot] = id + 1;
      }
      slots = s;
    }
  }

  /** An open-addressing map from non-negative longs to non-negative ints ({@code -1}: absent). */
  static final class LongIntMap {
    private long[] keys = new long[32];
    private int[] values = new int[32];
    private boolean[] used = new boolean[32];
    private int size;

    int size() {
      return size;
    }

    int get(long key) {
      int mask = keys.length - 1;
      for (int slot = slot(key, mask); used[slot]; slot = (slot + 1) & mask) {
        if (keys[slot] == key) {
          return values[slot];
        }
      }
      return -1;
    }

    /** Adds {@code key} (not present) with {@code value}. */
    void put(long key, int value) {
      if ((size + 1) * 2 > keys.length) {
        grow();
      }
      int mask = keys.length - 1;
      int slot = slot(key, mask);
      while (used[slot]) {
        slot = (slot + 1) & mask;
      }
      used[slot] = true;
      keys[slot] = key;
      values[slot] = value;
      size++;
    }

    private static int slot(long key, int mask) {
      return DfaMinimizer.fmix((int) (key ^ (key >>> 32)) * 0x9E3779B9) & mask;
    }

    private void grow() {
      long[] k = keys;
      int[] v = values;
      boolean[] u = used;
      keys = new long[k.length * 2];
      values = new int[k.length * 2];
      used = new boolean[k.length * 2];
      size = 0;
      for (int i = 0; i < k.length; i++) {
        if (u[i]) {
          put(k[i], v[i]);
        }
      }
    }
  }
}
