package io.guidepost.grammar;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * An immutable regular language over Unicode code points: the character-level algebra that the
 * regex, JSON Schema and template compilers build with. The only class that touches dk.brics.
 *
 * <p>Representation: a minimal deterministic dk.brics {@link Automaton} over UTF-16 code units. A
 * code point above U+FFFF is the two-unit surrogate-pair sequence of its UTF-16 encoding.
 * <b>Invariant:</b> every accepted string is well-formed UTF-16 (no lone surrogate); every factory
 * establishes it and every operation preserves it ({@link #complement()} is taken within the
 * well-formed strings). Surrogate code points U+D800..U+DFFF are not characters: ranges and sets
 * that contain them simply do not contain them here.
 *
 * <p>brics traps avoided: its regex parser is never used (see {@link Regex}); its process-wide
 * statics ({@code setMinimization}, {@code setMinimizeAlways}, {@code setAllowMutate}) are never
 * set, so its defaults hold (Hopcroft minimization, operations work on clones); singleton automata
 * are expanded at once so no later read mutates a shared automaton. brics determinization has no
 * work bound, so determinization is ours ({@code determinize}): a subset construction counting
 * {@link GrammarLimits#maxDeterminizationWork()} and {@link GrammarLimits#maxDfaStates()}. So is
 * minimization ({@code minimal}: {@link DfaMinimizer} over a dense table of code-unit intervals),
 * which is an order of magnitude faster than brics' own; brics' minimization remains only as the
 * fallback for automata whose dense table would be too large.
 *
 * <p>Limits: operations use the {@link GrammarLimits} bound by {@link #withLimits} on the calling
 * thread, else {@link GrammarLimits#DEFAULTS}, and throw {@link ConstraintTooComplexException} with
 * the numbers.
 *
 * <p>{@link #toByteDfa} is the one UTF-16 to UTF-8 conversion of the project (see its javadoc).
 *
 * <p>Thread-safety: immutable after construction; safe to share.
 */
final class CharLang {
  private static final ScopedValue<GrammarLimits> LIMITS = ScopedValue.newInstance();

  private static final int MAX_CP = 0x10FFFF;

  private final Automaton a; // minimal, deterministic, expanded; never mutated after construction
  private final int states; // a's state count (brics counts by traversal)
  private volatile ByteDfa bytes; // toByteDfa's result, kept (both are immutable)

  private CharLang(Automaton a, int states) {
    this.a = a;
    this.states = states;
  }

  /**
   * The compile-time clock of the outermost {@link #withLimits} scope on this thread; {@link
   * Clock#NONE} inside {@link #outsideLimits}. {@link GrammarLimits#maxCompileMillis()} counts from
   * its start, less the time spent in {@link #outsideLimits}.
   */
  private static final ScopedValue<Clock> CLOCK = ScopedValue.newInstance();

  private static final class Clock {
    /** No clock: outside every scope, or inside {@link CharLang#outsideLimits}. */
    static final Clock NONE = new Clock(0);

    final long started; // System.nanoTime() at the start of the outermost scope
    final java.util.concurrent.atomic.AtomicLong excluded =
        new java.util.concurrent.atomic.AtomicLong();

    Clock(long started) {
      this.started = started;
    }
  }

  /** Whether a compile-time clock runs on this thread (some {@link #withLimits} scope is open). */
  private static boolean clockRunning() {
    return CLOCK.isBound() && CLOCK.get() != Clock.NONE;
  }

  /**
   * Runs {@code body} with {@code limits} governing every CharLang operation it performs. The
   * compile-time limit counts from the outermost such scope, so nested scopes (a template's JSON
   * hole, the byte-level conversion after the character-level compile) share one clock.
   */
  static <T> T withLimits(GrammarLimits limits, Supplier<T> body) {
    ScopedValue.Carrier c = ScopedValue.where(LIMITS, limits);
    if (!clockRunning()) {
      c = c.where(CLOCK, new Clock(System.nanoTime()));
    }
    return c.call(body::get);
  }

  /**
   * Runs {@code body} as if outside every {@link #withLimits} scope: under {@link
   * GrammarLimits#DEFAULTS}, with no compile-time clock, and without charging the time it takes to
   * the enclosing scope's clock. For the shared constant languages that this class and the
   * compilers built on it keep in static fields: their initializers run on whichever thread first
   * needs them, often inside some request's scope, and a limit of that request tripped inside a
   * static initializer would leave the class unusable for the rest of the JVM's life ({@link
   * ExceptionInInitializerError}, then {@link NoClassDefFoundError}); nor is building them that
   * request's work. Each such class wraps its own initializer (this class: {@link Holder}).
   */
  static <T> T outsideLimits(Supplier<T> body) {
    Clock enclosing = CLOCK.isBound() ? CLOCK.get() : Clock.NONE;
    long t0 = System.nanoTime();
    try {
      return ScopedValue.where(LIMITS, GrammarLimits.DEFAULTS)
          .where(CLOCK, Clock.NONE)
          .call(body::get);
    } finally {
      if (enclosing != Clock.NONE) {
        enclosing.excluded.addAndGet(System.nanoTime() - t0);
      }
    }
  }

  /**
   * Throws {@link ConstraintTooComplexException} ({@code maxCompileMillis}) once the outermost
   * {@link #withLimits} scope has run longer than the limit; no-op outside such a scope. Called
   * between automaton operations and periodically inside long ones.
   */
  static void checkDeadline(String what) {
    if (!clockRunning()) {
      return;
    }
    long limit = limits().maxCompileMillis();
    Clock clock = CLOCK.get();
    long elapsed = (System.nanoTime() - clock.started - clock.excluded.get()) / 1_000_000L;
    if (elapsed > limit) {
      throw new ConstraintTooComplexException("maxCompileMillis", limit, elapsed, "ms", what);
    }
  }

  /** The limits in force on this thread. */
  static GrammarLimits limits() {
    return LIMITS.orElse(GrammarLimits.DEFAULTS);
  }

  // ---------------------------------------------------------------- factories

  /** The empty language (accepts nothing). */
  static CharLang empty() {
    return fromDfa(Automaton.makeEmpty());
  }

  /** The language containing only the empty string. */
  static CharLang emptyString() {
    return fromDfa(Automaton.makeEmptyString());
  }

  /** Any single code point U+0000..U+10FFFF except the surrogates. */
  static CharLang anyCodePoint() {
    return codePointRange(0, MAX_CP);
  }

  /** Exactly one code point; surrogate code points give the empty language. */
  static CharLang codePoint(int cp) {
    return codePointRange(cp, cp);
  }

  /** One code point in {@code lo..hi} (surrogates excluded). */
  static CharLang codePointRange(int lo, int hi) {
    return codePointSet(new int[] {lo, hi});
  }

  /**
   * One code point from a set given as sorted, disjoint inclusive pairs, e.g. {@code {'0','9',
   * 'a','z'}}. Surrogate code points in the ranges are dropped.
   */
  static CharLang codePointSet(int[] sortedDisjointLoHiPairs) {
    int[] p = sortedDisjointLoHiPairs;
    if ((p.length & 1) != 0) {
      throw new IllegalArgumentException("code point set needs lo,hi pairs");
    }
    State init = new State();
    State fin = new State();
    fin.setAccept(true);
    for (int i = 0; i < p.length; i += 2) {
      int lo = p[i];
      int hi = p[i + 1];
      if (lo < 0 || hi > MAX_CP || lo > hi || (i > 0 && lo <= p[i - 1])) {
        throw new IllegalArgumentException("bad code point range at pair " + i / 2);
      }
      addBmp(init, fin, lo, Math.min(hi, 0xD7FF));
      addBmp(init, fin, Math.max(lo, 0xE000), Math.min(hi, 0xFFFF));
      int slo = Math.max(lo, 0x10000);
      if (slo <= hi) {
        int h1 = high(slo);
        int h2 = high(hi);
        if (h1 == h2) {
          pair(init, fin, h1, h1, low(slo), low(hi));
        } else {
          pair(init, fin, h1, h1, low(slo), 0xDFFF);
          if (h2 - h1 > 1) {
            pair(init, fin, h1 + 1, h2 - 1, 0xDC00, 0xDFFF);
          }
          pair(init, fin, h2, h2, 0xDC00, low(hi));
        }
      }
    }
    Automaton x = new Automaton();
    x.setInitialState(init);
    x.setDeterministic(false);
    return normalize(x, "a character class");
  }

  private static void addBmp(State from, State to, int lo, int hi) {
    if (lo <= hi) {
      from.addTransition(new Transition((char) lo, (char) hi, to));
    }
  }

  private static void pair(State from, State to, int hLo, int hHi, int lLo, int lHi) {
    State mid = new State();
    from.addTransition(new Transition((char) hLo, (char) hHi, mid));
    mid.addTransition(new Transition((char) lLo, (char) lHi, to));
  }

  private static int high(int cp) {
    return 0xD800 + ((cp - 0x10000) >>> 10);
  }

  private static int low(int cp) {
    return 0xDC00 + ((cp - 0x10000) & 0x3FF);
  }

  /**
   * Exactly the string {@code s}.
   *
   * @throws InvalidConstraintException if {@code s} contains a lone surrogate
   */
  static CharLang literal(String s) {
    checkWellFormed(s);
    Automaton x = Automaton.makeString(s);
    x.expandSingleton();
    return fromDfa(x);
  }

  /**
   * Exactly the given strings (duplicates ignored), built by brics' incremental minimal
   * construction for sorted input. Linear in the total length after sorting.
   */
  static CharLang stringUnion(Collection<String> strings) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String s : strings) {
      checkWellFormed(s);
      sorted.add(s);
    }
    boolean withEmpty = sorted.remove("");
    if (sorted.isEmpty()) {
      return withEmpty ? emptyString() : empty();
    }
    Automaton x = Automaton.makeStringUnion(sorted.toArray(new CharSequence[0]));
    x.expandSingleton();
    x.getInitialState().setAccept(x.getInitialState().isAccept() || withEmpty);
    return fromDfa(x);
  }

  private static void checkWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidConstraintException(
            "string contains a lone surrogate U+"
                + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + " at index "
                + i);
      }
    }
  }

  /** The concatenation of {@code parts} in order (the empty string for an empty list). */
  static CharLang concat(List<CharLang> parts) {
    if (parts.isEmpty()) {
      return emptyString();
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<Automaton> as = new ArrayList<>(parts.size());
    long states = 0;
    for (CharLang p : parts) {
      as.add(p.a);
      states += p.states;
    }
    checkStates(states, "concatenating " + parts.size() + " parts");
    return normalize(Automaton.concatenate(as), "a concatenation");
  }

  /** The union of {@code parts} (the empty language for an empty list). */
  static CharLang union(List<CharLang> parts) {
    if (parts.isEmpty()) {
      return empty();
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<Automaton> as = new ArrayList<>(parts.size());
    long states = 0;
    for (CharLang p : parts) {
      as.add(p.a);
      states += p.states;
    }
    checkStates(states, "a union of " + parts.size() + " alternatives");
    return normalize(Automaton.union(as), "a union");
  }

  /**
   * The language of a deterministic automaton over code points: state 0 is initial; transition
   * {@code i} goes from {@code from[i]} to {@code to[i]} on code point {@code cp[i]}.
   */
  static CharLang fromCodePointDfa(int states, int[] from, int[] cp, int[] to, boolean[] accept) {
    State[] st = new State[states];
    for (int s = 0; s < states; s++) {
      st[s] = new State();
      st[s].setAccept(accept[s]);
    }
    boolean deterministic = true;
    for (int i = 0; i < from.length; i++) {
      int c = cp[i];
      if (c < 0x10000) {
        st[from[i]].addTransition(new Transition((char) c, st[to[i]]));
      } else {
        deterministic = false; // surrogate pairs share high-surrogate prefixes
        State mid = new State();
        st[from[i]].addTransition(new Transition((char) high(c), mid));
        mid.addTransition(new Transition((char) low(c), st[to[i]]));
      }
    }
    Automaton x = new Automaton();
    x.setInitialState(st[0]);
    x.setDeterministic(deterministic);
    return normalize(x, "a code point automaton");
  }

  /**
   * The end indices {@code e > from} (UTF-16) such that {@code s.substring(from, e)} is accepted,
   * plus {@code from} itself when the empty string is. Linear in {@code s.length() - from}.
   */
  int[] acceptingEnds(String s, int from) {
    int[] out = new int[8];
    int n = 0;
    State q = a.getInitialState();
    for (int i = from; ; i++) {
      if (q.isAccept()) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = i;
      }
      if (i == s.length()) {
        break;
      }
      q = q.step(s.charAt(i));
      if (q == null) {
        break;
      }
    }
    return Arrays.copyOf(out, n);
  }

  // ---------------------------------------------------------------- operations

  CharLang concat(CharLang o) {
    return concat(List.of(this, o));
  }

  CharLang union(CharLang o) {
    return union(List.of(this, o));
  }

  /**
   * Strings in both languages. Product construction over the reachable pairs only; work (pairs
   * visited plus transitions swept) counts against {@link GrammarLimits#maxDeterminizationWork()}.
   */
  CharLang intersect(CharLang o) {
    return normalize(product(a, o.a, false, "intersecting two languages"), "an intersection");
  }

  /** Strings in this language and not in {@code o} (reachable product, as {@link #intersect}). */
  CharLang minus(CharLang o) {
    return normalize(product(a, o.a, true, "subtracting two languages"), "a difference");
  }

  private static final int[] NO_INTS = new int[0];

  /** Sorted transitions of a numbered DFA: per state, parallel arrays of min, max, target. */
  private record Table(int[][] min, int[][] max, int[][] to, boolean[] accept) {
    static Table of(Automaton d) {
      IdentityHashMap<State, Integer> id = new IdentityHashMap<>();
      List<State> states = new ArrayList<>();
      id.put(d.getInitialState(), 0);
      states.add(d.getInitialState());
      for (int i = 0; i < states.size(); i++) {
        for (Transition t : states.get(i).getTransitions()) {
          if (!id.containsKey(t.getDest())) {
            id.put(t.getDest(), states.size());
            states.add(t.getDest());
          }
        }
      }
      int n = states.size();
      Table tb = new Table(new int[n][], new int[n][], new int[n][], new boolean[n]);
      for (int i = 0; i < n; i++) {
        List<Transition> ts = states.get(i).getSortedTransitions(false);
        int k = ts.size();
        tb.min[i] = new int[k];
        tb.max[i] = new int[k];
        tb.to[i] = new int[k];
        for (int j = 0; j < k; j++) {
          Transition t = ts.get(j);
          tb.min[i][j] = t.getMin();
          tb.max[i][j] = t.getMax();
          tb.to[i][j] = id.get(t.getDest());
        }
        tb.accept[i] = states.get(i).isAccept();
      }
      return tb;
    }
  }

  /**
   * The reachable product of the deterministic {@code x} and {@code y}: their intersection, or with
   * {@code minus} the strings of {@code x} that {@code y} rejects (a missing {@code y} transition
   * goes to a dead state, numbered -1, which rejects everything after it).
   */
  private static Automaton product(Automaton x, Automaton y, boolean minus, String what) {
    GrammarLimits lim = limits();
    Table a = Table.of(x);
    Table b = Table.of(y);
    long stride = b.accept.length + 1L;
    HashMap<Long, State> made = new HashMap<>();
    ArrayDeque<long[]> todo = new ArrayDeque<>();
    State start = new State();
    made.put(1L, start); // pair (0, 0): 0 * stride + (0 + 1)
    todo.add(new long[] {0, 0});
    long work = 0;
    int pairs = 0;
    while (!todo.isEmpty()) {
      long[] pq = todo.poll();
      int p = (int) pq[0];
      int q = (int) pq[1];
      State from = made.get(p * stride + q + 1);
      boolean qAccept = q >= 0 && b.accept[q];
      from.setAccept(a.accept[p] && (minus ? !qAccept : qAccept));
      int[] amin = a.min[p];
      int[] amax = a.max[p];
      int[] ato = a.to[p];
      int[] bmin = q >= 0 ? b.min[q] : NO_INTS; // the dead state has no transitions
      int[] bmax = q >= 0 ? b.max[q] : NO_INTS;
      int[] bto = q >= 0 ? b.to[q] : NO_INTS;
      work += 1 + amin.length + bmin.length;
      if (work > lim.maxDeterminizationWork()) {
        throw new ConstraintTooComplexException(
            "maxDeterminizationWork", lim.maxDeterminizationWork(), work, "steps", what);
      }
      if ((++pairs & 1023) == 0) {
        checkStates(pairs, what);
        checkDeadline(what);
      }
      int j = 0;
      for (int i = 0; i < amin.length; i++) {
        int lo = amin[i];
        int hi = amax[i];
        while (j < bmin.length && bmax[j] < lo) {
          j++;
        }
        int k = j;
        int cur = lo;
        while (cur <= hi) {
          int segHi;
          int qq;
          if (k < bmin.length && bmin[k] <= cur) {
            segHi = Math.min(hi, bmax[k]);
            qq = bto[k];
            k++;
          } else {
            segHi = k < bmin.length ? Math.min(hi, bmin[k] - 1) : hi;
            qq = -1;
          }
          if (qq >= 0 || minus) {
            long key = ato[i] * stride + qq + 1;
            State to = made.get(key);
            if (to == null) {
              to = new State();
              made.put(key, to);
              todo.add(new long[] {ato[i], qq});
            }
            from.addTransition(new Transition((char) cur, (char) segHi, to));
          }
          cur = segHi + 1;
        }
      }
    }
    Automaton out = new Automaton();
    out.setInitialState(start);
    out.setDeterministic(true);
    return out;
  }

  /** The well-formed strings (sequences of code points) not in this language. */
  CharLang complement() {
    return Holder.ALL.minus(this);
  }

  /**
   * {@code min} to {@code max} repetitions ({@code max == -1}: unbounded). Costs one copy of the
   * automaton per unit of the larger bound.
   */
  CharLang repeat(int min, int max) {
    return normalize(repeated(a, stateCount(), min, max), "a repetition");
  }

  /** brics' repetition of {@code x} ({@code states} states) after the bound and size checks. */
  private static Automaton repeated(Automaton x, long states, int min, int max) {
    if (min < 0 || (max >= 0 && max < min)) {
      throw new IllegalArgumentException("bad repeat bounds {" + min + "," + max + "}");
    }
    int bound = Math.max(min, max);
    int limit = limits().maxRepeatCount();
    if (bound > limit) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount", limit, bound, "repetitions", "a repetition");
    }
    checkStates(states * (bound + 1), "a repetition {" + min + "," + max + "}");
    return max < 0 ? x.repeat(min) : x.repeat(min, max);
  }

  CharLang optional() {
    return repeat(0, 1);
  }

  CharLang star() {
    return repeat(0, -1);
  }

  CharLang plus() {
    return repeat(1, -1);
  }

  /** Every string that some string of this language starts with (empty when this is empty). */
  CharLang prefixes() {
    if (isEmpty()) {
      return this;
    }
    Automaton c = a.clone();
    c.removeDeadTransitions();
    for (State s : c.getStates()) {
      s.setAccept(true);
    }
    // A prefix may end between the two units of a surrogate pair: keep the well-formed ones.
    return normalize(c, "the prefixes of a language").intersect(anyString());
  }

  // ---------------------------------------------------------------- queries

  boolean isEmpty() {
    return a.isEmpty();
  }

  boolean acceptsEmptyString() {
    return a.getInitialState().isAccept();
  }

  boolean isFinite() {
    return a.isFinite();
  }

  boolean accepts(String s) {
    return a.run(s);
  }

  /** The strings of a finite language of at most {@code limit} strings, else null. */
  java.util.Set<String> finiteStrings(int limit) {
    if (!a.isFinite()) {
      return null;
    }
    return dk.brics.automaton.SpecialOperations.getFiniteStrings(a, limit);
  }

  /** True when some string is in both languages. */
  boolean overlaps(CharLang o) {
    return !intersect(o).isEmpty();
  }

  /** Number of states of the minimal UTF-16-level DFA. */
  int stateCount() {
    return states;
  }

  /** A shortest accepted string, or null when the language is empty. */
  String example() {
    return a.getShortestExample(true);
  }

  @Override
  public String toString() {
    return "CharLang[states=" + stateCount() + "]";
  }

  /** Any string of code points (shared; built once). */
  static CharLang anyString() {
    return Holder.ALL;
  }

  // ---------------------------------------------------------------- deferred construction

  /**
   * A language under construction whose automaton may be nondeterministic: concatenation, union and
   * repetition only wire automata together (brics epsilon-free constructions on clones), and {@link
   * #lang()} determinizes and minimizes once at the end. For parsers such as {@link Regex} this
   * replaces one determinization and minimization per operator by one per expression. An operand
   * above {@link #NORMALIZE_BEFORE_REPEAT} states is normalized before it is repeated, so that
   * counted repetition copies a minimal automaton. State counts are checked against {@link
   * GrammarLimits#maxDfaStates()} as with {@link CharLang}; determinization work is bounded in
   * {@link #lang()}.
   *
   * <p>Immutable: operations clone their operands.
   */
  static final class Nfa {
    private static final int NORMALIZE_BEFORE_REPEAT = 32;

    private final Automaton a;
    private final int states;
    private final CharLang normalized; // non-null when a is minimal and deterministic

    private Nfa(Automaton a, int states, CharLang normalized) {
      this.a = a;
      this.states = states;
      this.normalized = normalized;
    }

    /** A normalized language as a fragment. */
    static Nfa of(CharLang lang) {
      return new Nfa(lang.a, lang.states, lang);
    }

    /** The concatenation of {@code parts} (the empty string for an empty list). */
    static Nfa concat(List<Nfa> parts) {
      return combine(parts, true);
    }

    /** The union of {@code parts} (the empty language for an empty list). */
    static Nfa union(List<Nfa> parts) {
      return combine(parts, false);
    }

    private static Nfa combine(List<Nfa> parts, boolean concat) {
      if (parts.isEmpty()) {
        return of(concat ? emptyString() : empty());
      }
      if (parts.size() == 1) {
        return parts.get(0);
      }
      List<Automaton> as = new ArrayList<>(parts.size());
      long total = concat ? 0 : 1; // a union adds a start state
      for (Nfa p : parts) {
        as.add(p.a);
        total += p.states;
      }
      checkStates(
          total,
          concat
              ? "concatenating " + parts.size() + " parts"
              : "a union of " + parts.size() + " alternatives");
      return raw(concat ? Automaton.concatenate(as) : Automaton.union(as));
    }

    /** {@code min} to {@code max} repetitions ({@code max == -1}: unbounded). */
    Nfa repeat(int min, int max) {
      if (states > NORMALIZE_BEFORE_REPEAT) {
        return of(lang().repeat(min, max)); // repeat a minimal automaton
      }
      return raw(repeated(a, states + 1L, min, max));
    }

    /** The language, determinized and minimized. */
    CharLang lang() {
      return normalized != null ? normalized : normalize(a.clone(), "an expression");
    }

    private static Nfa raw(Automaton x) {
      x.expandSingleton();
      return new Nfa(x, x.getNumberOfStates(), null);
    }

    /**
     * The zero-width assertion {@code kind} as a fragment: one transition on its marker unit (see
     * {@link Assertion}). A fragment containing markers is a language over code points and markers;
     * concatenation, union, repetition and {@link #lang()} treat markers as ordinary symbols, and
     * {@link #resolveAssertions} turns it into a language over code points.
     */
    static Nfa assertion(Assertion kind) {
      return marker(kind.marker());
    }

    /**
     * The lookahead number {@code index} of a {@link Lookaheads} table as a fragment: one
     * transition on its marker unit U+DC04 + {@code index}.
     */
    static Nfa lookahead(int index) {
      if (index < 0 || index >= Lookaheads.MAX) {
        throw new IllegalArgumentException("lookahead index " + index);
      }
      return marker((char) (Lookaheads.FIRST_MARKER + index));
    }

    private static Nfa marker(char unit) {
      State init = new State();
      State fin = new State();
      fin.setAccept(true);
      init.addTransition(new Transition(unit, fin));
      Automaton x = new Automaton();
      x.setInitialState(init);
      x.setDeterministic(true);
      return raw(x);
    }

    /**
     * The language of this fragment read as a whole input (its first position is the start of the
     * input, its last the end) with its markers resolved: the strings {@code s} such that some
     * marked string of this fragment erases to {@code s} with every marker true at its position of
     * {@code s}; lookahead markers refer to {@code lookaheads}. Exact; see {@link Assertion} for
     * the construction and its cost.
     */
    CharLang resolveAssertions(Lookaheads lookaheads) {
      return new Resolver(lookaheads).resolve(lang().a, PREV_START);
    }
  }

  /**
   * The zero-width assertions of {@link Regex}, with ECMA-262 semantics without the {@code m} flag,
   * over code points (positions lie between code points, as with the {@code u} flag): {@link
   * #START} ({@code ^}) holds only at the start of the input, {@link #END} ({@code $}) only at its
   * end, {@link #WORD_BOUNDARY} ({@code \b}) where exactly one of the neighbouring characters is a
   * word character {@code [A-Za-z0-9_]} (outside the input counts as non-word), {@link
   * #NOT_WORD_BOUNDARY} ({@code \B}) elsewhere; lookaheads ({@link Lookaheads}) where the rest of
   * the input starts (positive) or does not start (negative) with a string of their body.
   *
   * <p>Construction. While a regex is built, each assertion is a <em>marker</em>: a transition on
   * one of the code units U+DC00..U+DC03 (lookaheads: U+DC04 and up), which as low surrogates never
   * occur at a code-point boundary of well-formed text, where markers stand; a marked language is
   * built, determinized and minimized like any other. {@link Nfa#resolveAssertions} then takes the
   * product of that minimal DFA with a context automaton whose state is (previous character: none /
   * word / non-word; the set of classes the next character may have: word, non-word, end of input;
   * the pending lookaheads), plus "inside a surrogate pair". A real character checks that its class
   * is allowed and sets the previous class; a marker is an epsilon move that checks or narrows the
   * context ({@code ^} needs "none"; {@code $} narrows the next to end; {@code \b} after a word
   * character narrows it to non-word or end, after none or non-word to word; {@code \B} the
   * opposite); acceptance needs "end" allowed. Whether a unit U+DC00.. is a marker or the second
   * half of a pair is decided by the context (after a high surrogate it is a real unit), not by the
   * DFA state, which minimization may share between both readings.
   *
   * <p>A lookahead marker starts a pending obligation: a state of the DFA of its body followed by
   * anything (itself resolved, from the current previous character), advanced on every later
   * character. A positive one fails when its DFA dies and is discharged when it reaches a state
   * accepting every continuation; a negative one the reverse; at the end of the input a pending
   * positive one needs an accepting state, a negative one a rejecting state. This is the
   * intersection (positive) or difference (negative) with {@code body.*} at that position, done
   * lazily on the reachable pairs.
   *
   * <p>Cost: without lookaheads at most 22 contexts per state of the marked DFA (usually a few,
   * most are unreachable); each pending lookahead multiplies by its DFA's reachable states, as any
   * intersection does. The result is determinized and minimized as usual; pairs count against
   * {@link GrammarLimits#maxDfaStates()} and work against {@link
   * GrammarLimits#maxDeterminizationWork()}.
   */
  enum Assertion {
    START,
    END,
    WORD_BOUNDARY,
    NOT_WORD_BOUNDARY;

    private static final char FIRST_MARKER = 0xDC00;

    char marker() {
      return (char) (FIRST_MARKER + ordinal());
    }
  }

  /**
   * The lookahead bodies of one regex, numbered from 0 in the order their markers ({@link
   * Nfa#lookahead}) were handed out. Each body is the marked language of the group's content
   * followed by any string; its markers may refer to later entries (nested lookaheads).
   */
  static final class Lookaheads {
    static final Lookaheads NONE = new Lookaheads();

    /** Lookahead markers use the low surrogates U+DC04..U+DFFF. */
    static final int MAX = 0xDFFF - 0xDC04 + 1;

    private static final char FIRST_MARKER = 0xDC04;

    private final List<CharLang> bodies = new ArrayList<>();
    private final List<Boolean> negative = new ArrayList<>();

    /** Adds a body (the group's content followed by any string); returns its index. */
    int add(CharLang bodyThenAnything, boolean isNegative) {
      if (bodies.size() == MAX) {
        throw new IllegalStateException("more than " + MAX + " lookaheads");
      }
      bodies.add(bodyThenAnything);
      negative.add(isNegative);
      return bodies.size() - 1;
    }

    int size() {
      return bodies.size();
    }
  }

  // Context bits: bits 0-1 the previous character, bits 2-4 the allowed next classes.
  private static final int PREV_START = 0;
  private static final int PREV_WORD = 1;
  private static final int PREV_NONWORD = 2;
  private static final int NEXT_WORD = 1;
  private static final int NEXT_NONWORD = 2;
  private static final int NEXT_END = 4;
  private static final int NEXT_ANY = 7;
  private static final int CTX_IN_PAIR = 3; // after a high surrogate (previous class 3, no mask)

  private static int context(int prev, int next) {
    return prev | next << 2;
  }

  /** The context bits after the assertion {@code kind} holds in {@code ctx}, or -1 if it cannot. */
  private static int afterAssertion(int ctx, Assertion kind) {
    int prev = ctx & 3;
    int next = ctx >>> 2;
    switch (kind) {
      case START -> {
        return prev == PREV_START ? ctx : -1;
      }
      case END -> next &= NEXT_END;
      case WORD_BOUNDARY -> next &= prev == PREV_WORD ? NEXT_NONWORD | NEXT_END : NEXT_WORD;
      case NOT_WORD_BOUNDARY -> next &= prev == PREV_WORD ? NEXT_WORD : NEXT_NONWORD | NEXT_END;
    }
    return next == 0 ? -1 : context(prev, next);
  }

  /**
   * Code-unit classes for the resolver, as sorted inclusive ranges lo, hi, class: 0 word, 1 other
   * non-word BMP character, 2 high surrogate (a supplementary character: non-word), 3 low surrogate
   * (a marker at a boundary).
   */
  private static final int[] UNIT_CLASSES = {
    0x0000, '0' - 1, 1, '0', '9', 0, '9' + 1, 'A' - 1, 1, 'A', 'Z', 0, 'Z' + 1, '_' - 1, 1, '_',
    '_', 0, '_' + 1, 'a' - 1, 1, 'a', 'z', 0, 'z' + 1, 0xD7FF, 1, 0xD800, 0xDBFF, 2, 0xDC00, 0xDFFF,
    3, 0xE000, 0xFFFF, 1
  };

  /**
   * The product of {@link Assertion}: one per {@link Nfa#resolveAssertions} call, caching the
   * resolved lookahead DFAs by (lookahead, previous character class).
   */
  private static final class Resolver {
    private final Lookaheads lookaheads;
    private final Table[][] bodies; // [lookahead][previous class], resolved on first use
    private final boolean[][][] universal; // [lookahead][previous class][state]
    private final GrammarLimits lim = limits();
    private long work;

    Resolver(Lookaheads lookaheads) {
      this.lookaheads = lookaheads;
      this.bodies = new Table[lookaheads.size()][3];
      this.universal = new boolean[lookaheads.size()][3][];
    }

    /** A context: assertion bits and pending lookaheads, each (index << 32 | DFA state), sorted. */
    private record Ctx(int bits, long[] pending) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Ctx c && c.bits == bits && Arrays.equals(c.pending, pending);
      }

      @Override
      public int hashCode() {
        return bits * 31 + Arrays.hashCode(pending);
      }
    }

    private final HashMap<Ctx, Integer> ctxIds = new HashMap<>();
    private long[] pendingBuf = new long[8]; // the next context's pending lookaheads, unsorted
    private int pendingCount;
    private final List<Ctx> ctxs = new ArrayList<>();

    private int intern(int bits, long[] pending) {
      Ctx c = new Ctx(bits, pending);
      Integer id = ctxIds.get(c);
      if (id == null) {
        id = ctxs.size();
        ctxIds.put(c, id);
        ctxs.add(c);
      }
      return id;
    }

    /** The lookahead body {@code k} resolved from previous class {@code prev}, or null if empty. */
    private Table body(int k, int prev) {
      if (bodies[k][prev] == null) {
        CharLang l = new Resolver(lookaheads).resolve(lookaheads.bodies.get(k).a, prev);
        Table t = l.isEmpty() ? null : Table.of(l.a);
        bodies[k][prev] = t == null ? EMPTY_TABLE : t;
        universal[k][prev] = t == null ? new boolean[0] : universalStates(t);
      }
      return bodies[k][prev] == EMPTY_TABLE ? null : bodies[k][prev];
    }

    /**
     * Adds the pending lookahead {@code k} in DFA state {@code s} ({@code -1}: dead) to the buffer,
     * or discharges it; returns false when the context fails.
     */
    private boolean pend(int k, int prev, int s) {
      boolean neg = lookaheads.negative.get(k);
      if (s < 0) {
        return neg; // the body can no longer match
      }
      if (universal[k][prev][s]) {
        return !neg; // the body has matched, whatever follows
      }
      if (pendingCount == pendingBuf.length) {
        pendingBuf = Arrays.copyOf(pendingBuf, pendingCount * 2);
      }
      pendingBuf[pendingCount++] = (long) k << 32 | (long) prev << 30 | s;
      return true;
    }

    CharLang resolve(Automaton marked, int startPrev) {
      return normalize(product(marked, startPrev), "an expression with assertions");
    }

    private Automaton product(Automaton marked, int startPrev) {
      String what = "resolving assertions";
      Table t = Table.of(marked);
      int lastMarker = Lookaheads.FIRST_MARKER + lookaheads.size() - 1;
      HashMap<Long, State> made = new HashMap<>();
      long[] todo = new long[16];
      int head = 0;
      int tail = 0;
      long startKey = intern(context(startPrev, NEXT_ANY), NO_LONGS); // state 0, context id
      State start = new State();
      made.put(startKey, start);
      todo[tail++] = startKey;
      long[] closure = new long[8];
      while (head < tail) {
        long key = todo[head++];
        State from = made.get(key);
        // The epsilon closure of (state, context) over marker transitions.
        int nc = 0;
        closure[nc++] = key;
        for (int c = 0; c < nc; c++) {
          int q = (int) (closure[c] >>> 32);
          Ctx ctx = ctxs.get((int) closure[c]);
          if (ctx.bits == CTX_IN_PAIR) {
            continue;
          }
          for (int j = 0; j < t.min[q].length; j++) {
            int lo = Math.max(t.min[q][j], 0xDC00);
            int hi = Math.min(t.max[q][j], lastMarker);
            for (int m = lo; m <= hi; m++) {
              int after = marker(ctx, m);
              if (after < 0) {
                continue;
              }
              long k = (long) t.to[q][j] << 32 | after;
              if (!contains(closure, nc, k)) {
                if (nc == closure.length) {
                  closure = Arrays.copyOf(closure, nc * 2);
                }
                closure[nc++] = k;
              }
            }
          }
        }
        boolean accept = false;
        for (int c = 0; c < nc; c++) {
          int q = (int) (closure[c] >>> 32);
          Ctx ctx = ctxs.get((int) closure[c]);
          work += 1 + t.min[q].length;
          accept |= t.accept[q] && acceptsAtEnd(ctx);
          for (int j = 0; j < t.min[q].length; j++) {
            for (int u = 0; u < UNIT_CLASSES.length; u += 3) {
              int segLo = Math.max(t.min[q][j], UNIT_CLASSES[u]);
              int segHi = Math.min(t.max[q][j], UNIT_CLASSES[u + 1]);
              if (segLo > segHi) {
                continue;
              }
              int bits = afterUnit(ctx.bits, UNIT_CLASSES[u + 2]);
              if (bits < 0) {
                continue;
              }
              // Split the segment where a pending lookahead's DFA changes target.
              int lo = segLo;
              while (lo <= segHi) {
                int hi = segHi;
                for (long pend : ctx.pending) {
                  hi = Math.min(hi, pieceEnd(pend, lo));
                }
                int after = advance(ctx, bits, lo);
                if (after >= 0) {
                  long k = (long) t.to[q][j] << 32 | after;
                  State to = made.get(k);
                  if (to == null) {
                    to = new State();
                    made.put(k, to);
                    if (tail == todo.length) {
                      todo = Arrays.copyOf(todo, tail * 2);
                    }
                    todo[tail++] = k;
                    if ((made.size() & 1023) == 0) {
                      checkStates(made.size(), what);
                      checkDeadline(what);
                    }
                  }
                  from.addTransition(new Transition((char) lo, (char) hi, to));
                }
                lo = hi + 1;
              }
            }
          }
        }
        from.setAccept(accept);
        if (work > lim.maxDeterminizationWork()) {
          throw new ConstraintTooComplexException(
              "maxDeterminizationWork", lim.maxDeterminizationWork(), work, "steps", what);
        }
      }
      checkStates(made.size(), what);
      Automaton out = new Automaton();
      out.setInitialState(start);
      out.setDeterministic(false);
      return out;
    }

    /** The context id after marker unit {@code m} in {@code ctx}, or -1 if it fails. */
    private int marker(Ctx ctx, int m) {
      if (m < Lookaheads.FIRST_MARKER) {
        int bits = afterAssertion(ctx.bits, Assertion.values()[m - Assertion.FIRST_MARKER]);
        return bits < 0 ? -1 : intern(bits, ctx.pending);
      }
      int k = m - Lookaheads.FIRST_MARKER;
      int prev = ctx.bits & 3;
      Table b = body(k, prev);
      pendingCount = 0;
      for (long p : ctx.pending) {
        if (pendingCount == pendingBuf.length) {
          pendingBuf = Arrays.copyOf(pendingBuf, pendingCount * 2);
        }
        pendingBuf[pendingCount++] = p;
      }
      if (!pend(k, prev, b == null ? -1 : 0)) {
        return -1;
      }
      return intern(ctx.bits, sortedPending());
    }

    /** The context bits after a unit of class {@code cls}, or -1 if the context forbids it. */
    private static int afterUnit(int bits, int cls) {
      if (bits == CTX_IN_PAIR) {
        return cls == 3 ? context(PREV_NONWORD, NEXT_ANY) : -1;
      }
      int next = bits >>> 2;
      return switch (cls) {
        case 0 -> (next & NEXT_WORD) != 0 ? context(PREV_WORD, NEXT_ANY) : -1;
        case 1 -> (next & NEXT_NONWORD) != 0 ? context(PREV_NONWORD, NEXT_ANY) : -1;
        case 2 -> (next & NEXT_NONWORD) != 0 ? CTX_IN_PAIR : -1;
        default -> -1; // markers (the closure) or a lone low surrogate
      };
    }

    /** The last unit from {@code lo} on with the same target as {@code lo} in a pending DFA. */
    private int pieceEnd(long pend, int lo) {
      Table b = bodies[(int) (pend >>> 32)][(int) (pend >>> 30) & 3];
      int s = (int) pend & ((1 << 30) - 1);
      int[] min = b.min[s];
      int[] max = b.max[s];
      for (int i = 0; i < min.length; i++) {
        if (max[i] >= lo) {
          return min[i] <= lo ? max[i] : min[i] - 1;
        }
      }
      return 0xFFFF;
    }

    /** The context id after unit {@code unit} (new assertion bits {@code bits}), or -1. */
    private int advance(Ctx ctx, int bits, int unit) {
      if (ctx.pending.length == 0) {
        return intern(bits, NO_LONGS);
      }
      pendingCount = 0;
      for (long pend : ctx.pending) {
        int k = (int) (pend >>> 32);
        int prev = (int) (pend >>> 30) & 3;
        Table b = bodies[k][prev];
        int s = (int) pend & ((1 << 30) - 1);
        int next = -1;
        for (int i = 0; i < b.min[s].length; i++) {
          if (b.min[s][i] <= unit && unit <= b.max[s][i]) {
            next = b.to[s][i];
            break;
          }
        }
        if (!pend(k, prev, next)) {
          return -1;
        }
      }
      return intern(bits, sortedPending());
    }

    private boolean acceptsAtEnd(Ctx ctx) {
      if (ctx.bits == CTX_IN_PAIR || ((ctx.bits >>> 2) & NEXT_END) == 0) {
        return false;
      }
      for (long pend : ctx.pending) {
        int k = (int) (pend >>> 32);
        Table b = bodies[k][(int) (pend >>> 30) & 3];
        boolean acc = b.accept[(int) pend & ((1 << 30) - 1)];
        if (acc == lookaheads.negative.get(k)) {
          return false;
        }
      }
      return true;
    }

    /** The pending lookaheads collected in the buffer, sorted and without duplicates. */
    private long[] sortedPending() {
      long[] a = Arrays.copyOf(pendingBuf, pendingCount);
      Arrays.sort(a);
      int n = 0;
      for (int i = 0; i < a.length; i++) {
        if (n == 0 || a[n - 1] != a[i]) {
          a[n++] = a[i];
        }
      }
      return n == a.length ? a : Arrays.copyOf(a, n);
    }

    /**
     * The states of the minimal DFA {@code t} that accept every well-formed continuation: the
     * greatest set of accepting states whose non-surrogate units all lead into the set and whose
     * high surrogates all lead to states whose low surrogates all lead into the set.
     */
    private static boolean[] universalStates(Table t) {
      int n = t.accept.length;
      boolean[] u = Arrays.copyOf(t.accept, n);
      boolean changed = true;
      while (changed) {
        changed = false;
        for (int s = 0; s < n; s++) {
          if (u[s]
              && !(covers(t, s, 0, 0xD7FF, u, null)
                  && covers(t, s, 0xE000, 0xFFFF, u, null)
                  && covers(t, s, 0xD800, 0xDBFF, null, u))) {
            u[s] = false;
            changed = true;
          }
        }
      }
      return u;
    }

    /**
     * True when the transitions of {@code s} cover {@code lo..hi} with targets in {@code into}, or
     * (when {@code into} is null) with targets whose low surrogates all lead into {@code pairInto}.
     */
    private static boolean covers(
        Table t, int s, int lo, int hi, boolean[] into, boolean[] pairInto) {
      int next = lo;
      for (int i = 0; i < t.min[s].length && next <= hi; i++) {
        if (t.max[s][i] < next) {
          continue;
        }
        if (t.min[s][i] > next) {
          return false;
        }
        int to = t.to[s][i];
        boolean ok = into != null ? into[to] : covers(t, to, 0xDC00, 0xDFFF, pairInto, null);
        if (!ok) {
          return false;
        }
        next = t.max[s][i] + 1;
      }
      return next > hi;
    }
  }

  private static final long[] NO_LONGS = new long[0];
  private static final Table EMPTY_TABLE =
      new Table(new int[0][], new int[0][], new int[0][], new boolean[0]);

  private static boolean contains(long[] v, int n, long x) {
    for (int i = 0; i < n; i++) {
      if (v[i] == x) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- internals

  /**
   * The constant languages of this class, built outside any limits (see {@link #outsideLimits}).
   */
  private static final class Holder {
    static final CharLang ALL = outsideLimits(() -> anyCodePoint().star());
  }

  /** Throws {@code maxDfaStates} when {@code states} exceeds it. */
  static void checkStates(long states, String what) {
    int limit = limits().maxDfaStates();
    if (states > limit) {
      throw new ConstraintTooComplexException("maxDfaStates", limit, states, "states", what);
    }
  }

  /** Wraps an automaton known to be deterministic: minimizes it. */
  private static CharLang fromDfa(Automaton x) {
    x.setDeterministic(true);
    return normalize(x, "a literal");
  }

  /** Determinizes (bounded) and minimizes {@code x}, which this class owns. */
  private static CharLang normalize(Automaton x, String what) {
    checkDeadline(what);
    x.expandSingleton();
    Automaton d = x.isDeterministic() ? x : determinize(x, what);
    Automaton m = minimal(d);
    int count = m.getNumberOfStates();
    checkStates(count, what);
    return new CharLang(m, count);
  }

  /** Above this many dense table cells, minimization falls back to brics (sparse, slower). */
  private static final long MAX_DENSE_CELLS = 1L << 24;

  /**
   * The minimal automaton of the deterministic {@code d}: dead states dropped, then {@link
   * DfaMinimizer} over the code-unit intervals induced by all transition bounds, then a fresh brics
   * automaton with adjacent same-target intervals merged. Much faster than brics' own minimization,
   * whose per-step transition lookups iterate hash sets.
   */
  private static Automaton minimal(Automaton d) {
    // Number the reachable states breadth-first and flatten their transitions.
    IdentityHashMap<State, Integer> id = new IdentityHashMap<>();
    List<State> states = new ArrayList<>();
    State init = d.getInitialState();
    id.put(init, 0);
    states.add(init);
    int[] tSrc = new int[16];
    int[] tMin = new int[16];
    int[] tMax = new int[16];
    int[] tDst = new int[16];
    int nt = 0;
    for (int i = 0; i < states.size(); i++) {
      for (Transition t : states.get(i).getTransitions()) {
        Integer to = id.get(t.getDest());
        if (to == null) {
          to = states.size();
          id.put(t.getDest(), to);
          states.add(t.getDest());
        }
        if (nt == tSrc.length) {
          int cap = nt * 2;
          tSrc = Arrays.copyOf(tSrc, cap);
          tMin = Arrays.copyOf(tMin, cap);
          tMax = Arrays.copyOf(tMax, cap);
          tDst = Arrays.copyOf(tDst, cap);
        }
        tSrc[nt] = i;
        tMin[nt] = t.getMin();
        tMax[nt] = t.getMax();
        tDst[nt++] = to;
      }
    }
    int all = states.size();
    // Live states: reverse reachability from the accepting ones.
    int[] revStart = new int[all + 1];
    for (int j = 0; j < nt; j++) {
      revStart[tDst[j] + 1]++;
    }
    for (int i = 0; i < all; i++) {
      revStart[i + 1] += revStart[i];
    }
    int[] revSrc = new int[nt];
    int[] fill = Arrays.copyOf(revStart, all);
    for (int j = 0; j < nt; j++) {
      revSrc[fill[tDst[j]]++] = tSrc[j];
    }
    boolean[] live = new boolean[all];
    int[] queue = new int[all];
    int qt = 0;
    for (int i = 0; i < all; i++) {
      if (states.get(i).isAccept()) {
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
      return Automaton.makeEmpty();
    }
    int[] dense = new int[all];
    int n = 0;
    for (int i = 0; i < all; i++) {
      dense[i] = live[i] ? n++ : -1;
    }
    // Alphabet classes: the intervals between consecutive transition bounds.
    int[] points = new int[2 * nt];
    int np = 0;
    for (int j = 0; j < nt; j++) {
      if (live[tSrc[j]] && live[tDst[j]]) {
        points[np++] = tMin[j];
        points[np++] = tMax[j] + 1;
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
    if ((long) n * k > MAX_DENSE_CELLS) {
      d.minimize(); // brics: sparse, no n*k table
      return d;
    }
    int[] table = new int[n * k];
    Arrays.fill(table, -1);
    for (int j = 0; j < nt; j++) {
      if (live[tSrc[j]] && live[tDst[j]]) {
        int base = dense[tSrc[j]] * k;
        int to = dense[tDst[j]];
        for (int c = Arrays.binarySearch(points, 0, k + 1, tMin[j]); points[c] <= tMax[j]; c++) {
          table[base + c] = to;
        }
      }
    }
    boolean[] accepting = new boolean[n];
    for (int i = 0; i < all; i++) {
      if (live[i]) {
        accepting[dense[i]] = states.get(i).isAccept();
      }
    }
    DfaMinimizer.Partition p = DfaMinimizer.partition(n, k, table, accepting);
    State[] out = new State[p.blocks()];
    for (int b = 0; b < out.length; b++) {
      out[b] = new State();
      out[b].setAccept(accepting[p.representative()[b]]);
    }
    int[] blockOf = p.blockOf();
    for (int b = 0; b < out.length; b++) {
      int base = p.representative()[b] * k;
      int c = 0;
      while (c < k) {
        int t = table[base + c];
        if (t < 0) {
          c++;
          continue;
        }
        int target = blockOf[t];
        int e = c + 1;
        while (e < k && table[base + e] >= 0 && blockOf[table[base + e]] == target) {
          e++;
        }
        out[b].addTransition(new Transition((char) points[c], (char) (points[e] - 1), out[target]));
        c = e;
      }
    }
    Automaton m = new Automaton();
    m.setInitialState(out[blockOf[0]]);
    m.setDeterministic(true);
    return m;
  }

  /**
   * Subset construction over code-unit intervals with a work bound: each DFA state is a sorted set
   * of NFA state numbers; its outgoing intervals come from a sweep over the boundaries of the
   * member states' transitions. Work = members visited + transitions swept.
   */
  private static Automaton determinize(Automaton nfa, String what) {
    GrammarLimits lim = limits();
    Set<State> all = nfa.getStates();
    int n = all.size();
    IdentityHashMap<State, Integer> id = new IdentityHashMap<>(n * 2);
    State[] states = new State[n];
    int next = 0;
    State init = nfa.getInitialState();
    id.put(init, next);
    states[next++] = init;
    for (State s : all) {
      if (!id.containsKey(s)) {
        id.put(s, next);
        states[next++] = s;
      }
    }
    int[][] tMin = new int[n][];
    int[][] tMax = new int[n][];
    int[][] tDst = new int[n][];
    boolean[] acc = new boolean[n];
    for (int i = 0; i < n; i++) {
      Set<Transition> ts = states[i].getTransitions();
      tMin[i] = new int[ts.size()];
      tMax[i] = new int[ts.size()];
      tDst[i] = new int[ts.size()];
      int j = 0;
      for (Transition t : ts) {
        tMin[i][j] = t.getMin();
        tMax[i][j] = t.getMax();
        tDst[i][j] = id.get(t.getDest());
        j++;
      }
      acc[i] = states[i].isAccept();
    }
    HashMap<IntSet, State> dfa = new HashMap<>();
    ArrayDeque<IntSet> todo = new ArrayDeque<>();
    IntSet start = new IntSet(new int[] {0});
    State dStart = new State();
    dStart.setAccept(acc[0]);
    dfa.put(start, dStart);
    todo.add(start);
    long work = 0;
    int subsets = 0;
    int[] cnt = new int[n];
    int[] active = new int[n];
    int[] activePos = new int[n];
    long[] ev = new long[16];
    while (!todo.isEmpty()) {
      IntSet set = todo.poll();
      State from = dfa.get(set);
      int ne = 0;
      for (int q : set.v) {
        work += 1 + tMin[q].length;
        if (ev.length < ne + 2 * tMin[q].length) {
          ev = Arrays.copyOf(ev, Math.max(ev.length * 2, ne + 2 * tMin[q].length));
        }
        for (int j = 0; j < tMin[q].length; j++) {
          ev[ne++] = ((long) tMin[q][j] << 32) | (1L << 31) | tDst[q][j];
          ev[ne++] = ((long) (tMax[q][j] + 1) << 32) | tDst[q][j];
        }
      }
      if (work > lim.maxDeterminizationWork()) {
        throw new ConstraintTooComplexException(
            "maxDeterminizationWork",
            lim.maxDeterminizationWork(),
            work,
            "steps",
            "determinizing " + what);
      }
      if ((++subsets & 1023) == 0) {
        checkDeadline("determinizing " + what);
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
          int[] members = Arrays.copyOf(active, nActive);
          Arrays.sort(members);
          work += nActive;
          IntSet key = new IntSet(members);
          State to = dfa.get(key);
          if (to == null) {
            to = new State();
            boolean accept = false;
            for (int q : members) {
              accept |= acc[q];
            }
            to.setAccept(accept);
            dfa.put(key, to);
            todo.add(key);
            if (dfa.size() > lim.maxDfaStates()) {
              throw new ConstraintTooComplexException(
                  "maxDfaStates",
                  lim.maxDfaStates(),
                  dfa.size(),
                  "states",
                  "determinizing " + what);
            }
          }
          from.addTransition(new Transition((char) pos, (char) end, to));
        }
      }
    }
    Automaton out = new Automaton();
    out.setInitialState(dStart);
    out.setDeterministic(true);
    return out; // adjacent same-target intervals are merged by minimal()
  }

  /** A sorted int set compared by content (subset-construction key). */
  private static final class IntSet {
    final int[] v;
    final int hash;

    IntSet(int[] v) {
      this.v = v;
      this.hash = Arrays.hashCode(v);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IntSet other && other.hash == hash && Arrays.equals(other.v, v);
    }
  }

  // ---------------------------------------------------------------- UTF-8

  /**
   * The minimal byte-level DFA accepting exactly the UTF-8 encodings of this language's strings.
   *
   * <p>This is the project's one UTF-16 / code point to UTF-8 conversion. Per character state: (1)
   * its transitions become disjoint code-point intervals: non-surrogate units stand for themselves;
   * a high-surrogate interval {@code [h1,h2]} to state {@code t}, followed by each low-surrogate
   * interval {@code [l1,l2]} of {@code t} to {@code u}, becomes the supplementary code points
   * {@code cp(h, l)} for {@code h in [h1,h2]}, {@code l in [l1,l2]} to {@code u} (one interval when
   * {@code [l1,l2]} is the whole low range, else one per {@code h}); low-surrogate transitions of
   * other states lead only to dead states by the class invariant and are ignored; (2) the intervals
   * are expanded into a byte trie by UTF-8 length (1: 00-7F; 2: C2-DF; 3: E0-EF minus surrogates;
   * 4: F0-F4 up to U+10FFFF): for each lead byte, then each continuation byte, the block of code
   * points it selects is intersected with the intervals; a block entirely inside one interval
   * becomes a shared "any r continuation bytes" chain. So overlong forms, surrogates (ED A0-BF ..),
   * bytes C0, C1, F5-FF and code points above U+10FFFF are never accepted. (3) The result is built
   * and minimized ({@link DfaMinimizer}).
   *
   * <p>Cost: O(states x intervals x 4) trie nodes plus minimization.
   *
   * @throws ConstraintTooComplexException when the byte DFA would exceed {@code
   *     limits.maxDfaStates()}
   */
  ByteDfa toByteDfa(GrammarLimits limits) {
    ByteDfa min = bytes;
    if (min == null) {
      min = utf8Dfa(limits);
      bytes = min;
    }
    if (min.stateCount() > limits.maxDfaStates()) {
      throw new ConstraintTooComplexException(
          "maxDfaStates", limits.maxDfaStates(), min.stateCount(), "states", "the UTF-8 automaton");
    }
    return min;
  }

  /** The minimal UTF-8 automaton, built under {@code limits} (the final size is checked above). */
  private ByteDfa utf8Dfa(GrammarLimits limits) {
    List<State> order = new ArrayList<>(a.getStates());
    IdentityHashMap<State, Integer> id = new IdentityHashMap<>();
    State init = a.getInitialState();
    id.put(init, 0);
    int k = 1;
    for (State s : order) {
      if (!id.containsKey(s)) {
        id.put(s, k++);
      }
    }
    State[] byId = new State[k];
    for (State s : order) {
      byId[id.get(s)] = s;
    }
    Utf8Expander ex = new Utf8Expander(limits, k);
    for (int i = 0; i < k; i++) {
      ex.b.setAccepting(i, byId[i].isAccept());
    }
    for (int i = 0; i < k; i++) {
      if ((i & 4095) == 4095) {
        checkDeadline("the UTF-8 automaton");
      }
      IntervalList iv = new IntervalList();
      for (Transition t : byId[i].getSortedTransitions(false)) {
        int lo = t.getMin();
        int hi = t.getMax();
        int dest = id.get(t.getDest());
        iv.add(lo, Math.min(hi, 0xD7FF), dest);
        iv.add(Math.max(lo, 0xE000), hi, dest);
        int hLo = Math.max(lo, 0xD800);
        int hHi = Math.min(hi, 0xDBFF);
        if (hLo <= hHi) {
          for (Transition lt : t.getDest().getSortedTransitions(false)) {
            int lLo = Math.max(lt.getMin(), 0xDC00);
            int lHi = Math.min(lt.getMax(), 0xDFFF);
            if (lLo > lHi) {
              continue;
            }
            int u = id.get(lt.getDest());
            if (lLo == 0xDC00 && lHi == 0xDFFF) {
              iv.add(cp(hLo, lLo), cp(hHi, lHi), u);
            } else {
              for (int h = hLo; h <= hHi; h++) {
                iv.add(cp(h, lLo), cp(h, lHi), u);
              }
            }
          }
        }
      }
      iv.sort();
      ex.expand(i, iv);
    }
    ByteDfa built = ex.b.build();
    checkDeadline("the UTF-8 automaton");
    return built.minimize();
  }

  private static int cp(int high, int low) {
    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
  }

  /** Growable list of code-point intervals with targets, sortable by start. */
  static final class IntervalList {
    int[] lo = new int[8];
    int[] hi = new int[8];
    int[] to = new int[8];
    int size;

    void add(int l, int h, int t) {
      if (l > h) {
        return;
      }
      if (size == lo.length) {
        lo = Arrays.copyOf(lo, size * 2);
        hi = Arrays.copyOf(hi, size * 2);
        to = Arrays.copyOf(to, size * 2);
      }
      lo[size] = l;
      hi[size] = h;
      to[size] = t;
      size++;
    }

    void sort() {
      long[] keys = new long[size];
      for (int i = 0; i < size; i++) {
        keys[i] = ((long) lo[i] << 32) | i;
      }
      Arrays.sort(keys);
      int[] l2 = new int[size];
      int[] h2 = new int[size];
      int[] t2 = new int[size];
      for (int i = 0; i < size; i++) {
        int j = (int) keys[i];
        l2[i] = lo[j];
        h2[i] = hi[j];
        t2[i] = to[j];
      }
      lo = l2;
      hi = h2;
      to = t2;
    }
  }

  /**
   * Expands sorted disjoint code-point intervals of one state into UTF-8 byte transitions of a
   * {@link ByteDfa.Builder}, sharing "any r continuation bytes then state t" chains.
   */
  static final class Utf8Expander {
    final ByteDfa.Builder b = ByteDfa.builder();
    private final HashMap<Long, Integer> full = new HashMap<>();
    private final GrammarLimits limits;

    Utf8Expander(GrammarLimits limits, int baseStates) {
      this.limits = limits;
      for (int i = 0; i < baseStates; i++) {
        b.addState(false);
      }
    }

    private static final int[][] LEVELS = {
      // first lead byte, last lead byte, lead base value, continuation bytes, valid lo, valid hi
      {0x00, 0x7F, 0x00, 0, 0x0000, 0x007F},
      {0xC2, 0xDF, 0xC0, 1, 0x0080, 0x07FF},
      {0xE0, 0xEF, 0xE0, 2, 0x0800, 0xFFFF},
      {0xF0, 0xF4, 0xF0, 3, 0x10000, 0x10FFFF},
    };

    void expand(int from, IntervalList iv) {
      if (iv.size == 0) {
        return;
      }
      for (int[] lv : LEVELS) {
        int r = lv[3];
        int shift = 6 * r;
        int runStart = -1;
        int runChild = -1;
        int lastLead = lv[0] - 1;
        // Visit only the lead bytes whose blocks meet an interval.
        for (int k = 0; k < iv.size; k++) {
          int lo = Math.max(iv.lo[k], lv[4]);
          int hi = Math.min(iv.hi[k], lv[5]);
          if (lo > hi) {
            continue;
          }
          int firstLead = Math.max(lv[2] + (lo >>> shift), lastLead + 1);
          int endLead = lv[2] + (hi >>> shift);
          for (int lead = firstLead; lead <= endLead; lead++) {
            int child = node(iv, (lead - lv[2]) << shift, r, lv[4], lv[5]);
            if (child != runChild || lead != lastLead + 1 || child < 0) {
              if (runChild >= 0) {
                b.addTransition(from, runStart, lastLead, runChild);
              }
              runStart = lead;
              runChild = child;
            }
            lastLead = lead;
          }
        }
        if (runChild >= 0) {
          b.addTransition(from, runStart, lastLead, runChild);
        }
      }
    }

    /** The state reading r continuation bytes for the block [base, base + 64^r) or -1. */
    private int node(IntervalList iv, int base, int r, int validLo, int validHi) {
      int bLo = Math.max(base, validLo);
      int bHi = Math.min(base + (1 << (6 * r)) - 1, validHi);
      if (bLo > bHi) {
        return -1;
      }
      int i = firstEndingAtOrAfter(iv, bLo);
      if (i >= iv.size || iv.lo[i] > bHi) {
        return -1;
      }
      boolean wholeBlock = bLo == base && bHi == base + (1 << (6 * r)) - 1;
      if (r == 0) {
        return iv.to[i];
      }
      if (wholeBlock && iv.lo[i] <= bLo && iv.hi[i] >= bHi) {
        return full(r, iv.to[i]);
      }
      int p = newState();
      int sub = 1 << (6 * (r - 1));
      int runStart = -1;
      int runChild = -1;
      for (int v = 0; v < 64; v++) {
        int child = node(iv, base + v * sub, r - 1, validLo, validHi);
        if (child != runChild || child < 0) {
          if (runChild >= 0) {
            b.addTransition(p, 0x80 + runStart, 0x80 + v - 1, runChild);
          }
          runStart = v;
          runChild = child;
        }
      }
      if (runChild >= 0) {
        b.addTransition(p, 0x80 + runStart, 0xBF, runChild);
      }
      return p;
    }

    private int full(int r, int target) {
      if (r == 0) {
        return target;
      }
      long key = ((long) r << 32) | target;
      Integer s = full.get(key);
      if (s == null) {
        int child = full(r - 1, target);
        s = newState();
        b.addTransition(s, 0x80, 0xBF, child);
        full.put(key, s);
      }
      return s;
    }

    private int newState() {
      if (b.stateCount() >= 4 * limits.maxDfaStates()) {
        throw new ConstraintTooComplexException(
            "maxDfaStates",
            limits.maxDfaStates(),
            b.stateCount(),
            "states",
            "expanding the automaton to UTF-8 bytes");
      }
      return b.addState(false);
    }

    private static int firstEndingAtOrAfter(IntervalList iv, int x) {
      int lo = 0;
      int hi = iv.size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (iv.hi[mid] < x) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
