package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * An immutable regular language over Unicode code points: the character-level algebra that the
 * regex, JSON Schema and template compilers build with.
 *
 * <p>Representation: a minimal deterministic {@link IntAutomaton} over UTF-16 code units (packed
 * int arrays: acceptance per state, per-state sorted transitions in CSR form; state 0 initial). A
 * code point above U+FFFF is the two-unit surrogate-pair sequence of its UTF-16 encoding.
 * <b>Invariant:</b> every accepted string is well-formed UTF-16 (no lone surrogate); every factory
 * establishes it and every operation preserves it ({@link #complement()} is taken within the
 * well-formed strings). Surrogate code points U+D800..U+DFFF are not characters: ranges and sets
 * that contain them simply do not contain them here.
 *
 * <p>Every operation wires its operands into an NFA ({@link IntAutomaton#concatenate} and the like,
 * or a product), then {@code normalize}s it: determinization ({@link IntAutomaton#determinize}: a
 * subset construction counting {@link GrammarLimits#maxDeterminizationWork()} and {@link
 * GrammarLimits#maxDfaStates()}), skipped when the construction is known to be deterministic, then
 * minimization ({@link IntAutomaton#minimize}: {@link DfaMinimizer} over a dense table of code-unit
 * intervals, a sparse refinement for tables too large). The NFA constructions are those of
 * dk.brics.automaton, which this class used before, so that automaton sizes, work counts and hence
 * the limits behave as they did.
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

  private final IntAutomaton a; // minimal, deterministic, states numbered breadth-first
  private volatile ByteDfa bytes; // toByteDfa's result, kept (both are immutable)

  private CharLang(IntAutomaton a) {
    this.a = a;
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

  /**
   * The {@code System.nanoTime()} deadline of the innermost {@link #withBudget} scope on this
   * thread ({@link Long#MAX_VALUE} inside {@link #outsideLimits}).
   */
  private static final ScopedValue<Long> BUDGET = ScopedValue.newInstance();

  /**
   * Thrown by {@link #checkDeadline} when a {@link #withBudget} scope has used its time: the
   * strategy running in it is abandoned for another. Never leaves the compiler: every {@link
   * #withBudget} caller catches it. No stack trace (it is control flow).
   */
  static final class BudgetExceeded extends RuntimeException {
    BudgetExceeded() {
      super("compile-time budget used", null, false, false);
    }
  }

  /**
   * Runs {@code body} with at most {@code millis} more of compile time (within any enclosing budget
   * and the {@link GrammarLimits#maxCompileMillis()} of the {@link #withLimits} scope): past it,
   * the next {@link #checkDeadline} throws {@link BudgetExceeded}, which the caller must catch. For
   * a compiler that can try a cheaper strategy when its first one turns out slow (a JSON Schema's
   * single automaton, then the context-free layer).
   */
  static <T> T withBudget(long millis, Supplier<T> body) {
    long deadline = System.nanoTime() + Math.max(0, millis) * 1_000_000L;
    if (BUDGET.isBound()) {
      deadline = Math.min(deadline, BUDGET.get());
    }
    return ScopedValue.where(BUDGET, deadline).call(body::get);
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
          .where(BUDGET, Long.MAX_VALUE)
          .call(body::get);
    } finally {
      if (enclosing != Clock.NONE) {
        enclosing.excluded.addAndGet(System.nanoTime() - t0);
      }
    }
  }

  /**
   * Throws {@link ConstraintTooComplexException} ({@code maxCompileMillis}) once the outermost
   * {@link #withLimits} scope has run longer than the limit, {@link BudgetExceeded} once the
   * innermost {@link #withBudget} scope has used its time; no-op outside such scopes. Called
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
    if (BUDGET.isBound() && System.nanoTime() > BUDGET.get()) {
      throw new BudgetExceeded();
    }
  }

  /** The limits in force on this thread. */
  static GrammarLimits limits() {
    return LIMITS.orElse(GrammarLimits.DEFAULTS);
  }

  // ---------------------------------------------------------------- factories

  /** The empty language (accepts nothing). */
  static CharLang empty() {
    return fromDfa(IntAutomaton.EMPTY);
  }

  /** The language containing only the empty string. */
  static CharLang emptyString() {
    return fromDfa(IntAutomaton.EMPTY_STRING);
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
    IntAutomaton.Builder b = new IntAutomaton.Builder();
    int init = b.addState(false);
    int fin = b.addState(true);
    for (int i = 0; i < p.length; i += 2) {
      int lo = p[i];
      int hi = p[i + 1];
      if (lo < 0 || hi > MAX_CP || lo > hi || (i > 0 && lo <= p[i - 1])) {
        throw new IllegalArgumentException("bad code point range at pair " + i / 2);
      }
      addBmp(b, init, fin, lo, Math.min(hi, 0xD7FF));
      addBmp(b, init, fin, Math.max(lo, 0xE000), Math.min(hi, 0xFFFF));
      int slo = Math.max(lo, 0x10000);
      if (slo <= hi) {
        int h1 = high(slo);
        int h2 = high(hi);
        if (h1 == h2) {
          pair(b, init, fin, h1, h1, low(slo), low(hi));
        } else {
          pair(b, init, fin, h1, h1, low(slo), 0xDFFF);
          if (h2 - h1 > 1) {
            pair(b, init, fin, h1 + 1, h2 - 1, 0xDC00, 0xDFFF);
          }
          pair(b, init, fin, h2, h2, 0xDC00, low(hi));
        }
      }
    }
    return normalize(b.build(init, false), "a character class");
  }

  private static void addBmp(IntAutomaton.Builder b, int from, int to, int lo, int hi) {
    if (lo <= hi) {
      b.addTransition(from, lo, hi, to);
    }
  }

  private static void pair(
      IntAutomaton.Builder b, int from, int to, int hLo, int hHi, int lLo, int lHi) {
    int mid = b.addState(false);
    b.addTransition(from, hLo, hHi, mid);
    b.addTransition(mid, lLo, lHi, to);
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
    IntAutomaton.Builder b = new IntAutomaton.Builder();
    int init = b.addState(s.isEmpty());
    int q = init;
    for (int i = 0; i < s.length(); i++) {
      int next = b.addState(i == s.length() - 1);
      b.addTransition(q, s.charAt(i), s.charAt(i), next);
      q = next;
    }
    return fromDfa(b.build(init, true));
  }

  /**
   * Exactly the given strings (duplicates ignored): a trie of the sorted strings, minimized. Linear
   * in the total length after sorting.
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
    // Sorted input: the trie path of the previous string is the only one a string can share.
    IntAutomaton.Builder b = new IntAutomaton.Builder();
    int init = b.addState(withEmpty);
    int[] path = new int[16]; // path[i]: the state after the first i units of prev
    path[0] = init;
    String prev = "";
    for (String s : sorted) {
      int common = 0;
      int max = Math.min(prev.length(), s.length());
      while (common < max && prev.charAt(common) == s.charAt(common)) {
        common++;
      }
      if (path.length <= s.length()) {
        path = Arrays.copyOf(path, Math.max(path.length * 2, s.length() + 1));
      }
      for (int i = common; i < s.length(); i++) {
        int next = b.addState(false);
        b.addTransition(path[i], s.charAt(i), s.charAt(i), next);
        path[i + 1] = next;
      }
      b.setAccept(path[s.length()], true);
      prev = s;
    }
    return fromDfa(b.build(init, true));
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
    List<IntAutomaton> as = new ArrayList<>(parts.size());
    long states = 0;
    for (CharLang p : parts) {
      as.add(p.a);
      states += p.stateCount();
    }
    checkStates(states, "concatenating " + parts.size() + " parts");
    return normalize(IntAutomaton.concatenate(as), "a concatenation");
  }

  /** The union of {@code parts} (the empty language for an empty list). */
  static CharLang union(List<CharLang> parts) {
    if (parts.isEmpty()) {
      return empty();
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<IntAutomaton> as = new ArrayList<>(parts.size());
    long states = 0;
    for (CharLang p : parts) {
      as.add(p.a);
      states += p.stateCount();
    }
    checkStates(states, "a union of " + parts.size() + " alternatives");
    return normalize(IntAutomaton.union(as), "a union");
  }

  /**
   * The language of a deterministic automaton over code points: state 0 is initial; transition
   * {@code i} goes from {@code from[i]} to {@code to[i]} on code point {@code cp[i]}.
   */
  static CharLang fromCodePointDfa(int states, int[] from, int[] cp, int[] to, boolean[] accept) {
    IntAutomaton.Builder b = new IntAutomaton.Builder();
    for (int s = 0; s < states; s++) {
      b.addState(accept[s]);
    }
    boolean deterministic = true;
    for (int i = 0; i < from.length; i++) {
      int c = cp[i];
      if (c < 0x10000) {
        b.addTransition(from[i], c, c, to[i]);
      } else {
        deterministic = false; // surrogate pairs share high-surrogate prefixes
        int mid = b.addState(false);
        b.addTransition(from[i], high(c), high(c), mid);
        b.addTransition(mid, low(c), low(c), to[i]);
      }
    }
    return normalize(b.build(0, deterministic), "a code point automaton");
  }

  /**
   * The end indices {@code e > from} (UTF-16) such that {@code s.substring(from, e)} is accepted,
   * plus {@code from} itself when the empty string is. Linear in {@code s.length() - from}.
   */
  int[] acceptingEnds(String s, int from) {
    int[] out = new int[8];
    int n = 0;
    int q = 0;
    for (int i = from; ; i++) {
      if (a.accept[q]) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = i;
      }
      if (i == s.length()) {
        break;
      }
      q = a.step(q, s.charAt(i));
      if (q < 0) {
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
    String what = "intersecting two languages";
    return normalize(IntAutomaton.product(a, o.a, false, limits(), what), "an intersection");
  }

  /** Strings in this language and not in {@code o} (reachable product, as {@link #intersect}). */
  CharLang minus(CharLang o) {
    String what = "subtracting two languages";
    return normalize(IntAutomaton.product(a, o.a, true, limits(), what), "a difference");
  }

  /**
   * The image of this language under the substitution that writes each BMP character {@code c} with
   * an entry in {@code replacements} as {@code replacements.get(c)} (non-empty, without surrogates)
   * and every other character as itself: e.g. the JSON string contents that decode to a string of
   * this language.
   */
  CharLang substituted(java.util.Map<Character, String> replacements) {
    int[] units = new int[replacements.size()];
    int k = 0;
    for (char c : replacements.keySet()) {
      units[k++] = c;
    }
    Arrays.sort(units);
    IntAutomaton.Builder b = new IntAutomaton.Builder();
    for (int st = 0; st < a.states; st++) {
      b.addState(a.accept[st]);
    }
    for (int st = 0; st < a.states; st++) {
      for (int j = a.start[st]; j < a.start[st + 1]; j++) {
        int lo = a.min[j];
        int hi = a.max[j];
        int d = a.dest[j];
        int from = lo;
        for (int u : units) {
          if (u < lo || u > hi) {
            continue;
          }
          if (from < u) {
            b.addTransition(st, from, u - 1, d);
          }
          String r = replacements.get((char) u);
          int at = st;
          for (int i = 0; i < r.length(); i++) {
            int to = i == r.length() - 1 ? d : b.addState(false);
            b.addTransition(at, r.charAt(i), r.charAt(i), to);
            at = to;
          }
          from = u + 1;
        }
        if (from <= hi) {
          b.addTransition(st, from, hi, d);
        }
      }
    }
    return normalize(b.build(0, false), "a substitution");
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

  /** The repetition of {@code x} ({@code states} states) after the bound and size checks. */
  private static IntAutomaton repeated(IntAutomaton x, long states, int min, int max) {
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
    return max < 0 ? IntAutomaton.repeat(x, min) : IntAutomaton.repeat(x, min, max);
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
    // Minimal automata have no dead states: every state starts a path to acceptance.
    // A prefix may end between the two units of a surrogate pair: keep the well-formed ones.
    return normalize(a.allAccepting(), "the prefixes of a language").intersect(anyString());
  }

  // ---------------------------------------------------------------- queries

  boolean isEmpty() {
    return a.isEmptyShallow(); // exact: a is minimal
  }

  boolean acceptsEmptyString() {
    return a.accept[0];
  }

  boolean isFinite() {
    return a.isAcyclic(); // a has no dead states
  }

  boolean accepts(String s) {
    return a.run(s);
  }

  /**
   * The strings of a finite language of at most {@code limit} strings, else null. The empty string
   * is never among them (as with dk.brics' {@code getFiniteStrings}, which this replaces).
   */
  java.util.Set<String> finiteStrings(int limit) {
    if (!isFinite()) {
      return null;
    }
    return a.finiteStrings(limit);
  }

  /** True when some string is in both languages. */
  boolean overlaps(CharLang o) {
    return !intersect(o).isEmpty();
  }

  /** Number of states of the minimal UTF-16-level DFA. */
  int stateCount() {
    return a.states;
  }

  /** A shortest accepted string, or null when the language is empty. */
  String example() {
    return a.shortestExample();
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
   * repetition only wire automata together ({@link IntAutomaton}'s epsilon-free constructions), and
   * {@link #lang()} determinizes and minimizes once at the end. For parsers such as {@link Regex}
   * this replaces one determinization and minimization per operator by one per expression. An
   * operand above {@link #NORMALIZE_BEFORE_REPEAT} states is normalized before it is repeated, so
   * that counted repetition copies a minimal automaton. State counts are checked against {@link
   * GrammarLimits#maxDfaStates()} as with {@link CharLang}; determinization work is bounded in
   * {@link #lang()}.
   *
   * <p>Immutable: operations copy their operands.
   */
  static final class Nfa {
    private static final int NORMALIZE_BEFORE_REPEAT = 32;

    private final IntAutomaton a;
    private final int states;
    private final CharLang normalized; // non-null when a is minimal and deterministic

    private Nfa(IntAutomaton a, int states, CharLang normalized) {
      this.a = a;
      this.states = states;
      this.normalized = normalized;
    }

    /** A normalized language as a fragment. */
    static Nfa of(CharLang lang) {
      return new Nfa(lang.a, lang.stateCount(), lang);
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
      List<IntAutomaton> as = new ArrayList<>(parts.size());
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
      return raw(concat ? IntAutomaton.concatenate(as) : IntAutomaton.union(as));
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
      return normalized != null ? normalized : normalize(a, "an expression");
    }

    private static Nfa raw(IntAutomaton x) {
      return new Nfa(x, x.states, null);
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
      IntAutomaton.Builder b = new IntAutomaton.Builder();
      int init = b.addState(false);
      b.addTransition(init, unit, unit, b.addState(true));
      return raw(b.build(init, true));
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
    private final IntAutomaton[][] bodies; // [lookahead][previous class], resolved on first use
    private final boolean[][][] universal; // [lookahead][previous class][state]
    private final GrammarLimits lim = limits();
    private long work;

    Resolver(Lookaheads lookaheads) {
      this.lookaheads = lookaheads;
      this.bodies = new IntAutomaton[lookaheads.size()][3];
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
    private IntAutomaton body(int k, int prev) {
      if (bodies[k][prev] == null) {
        CharLang l = new Resolver(lookaheads).resolve(lookaheads.bodies.get(k).a, prev);
        bodies[k][prev] = l.a;
        universal[k][prev] = l.isEmpty() ? new boolean[0] : universalStates(l.a);
      }
      return bodies[k][prev].isEmptyShallow() ? null : bodies[k][prev];
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

    CharLang resolve(IntAutomaton marked, int startPrev) {
      return normalize(product(marked, startPrev), "an expression with assertions");
    }

    private IntAutomaton product(IntAutomaton t, int startPrev) {
      String what = "resolving assertions";
      int lastMarker = Lookaheads.FIRST_MARKER + lookaheads.size() - 1;
      IntAutomaton.LongIntMap made = new IntAutomaton.LongIntMap();
      IntAutomaton.OrderedBuilder out = new IntAutomaton.OrderedBuilder();
      long[] todo = new long[16];
      int head = 0;
      int tail = 0;
      long startKey = intern(context(startPrev, NEXT_ANY), NO_LONGS); // state 0, context id
      made.put(startKey, out.addState());
      todo[tail++] = startKey;
      long[] closure = new long[8];
      while (head < tail) {
        int from = head;
        long key = todo[head++];
        out.startState(from);
        // The epsilon closure of (state, context) over marker transitions.
        int nc = 0;
        closure[nc++] = key;
        for (int c = 0; c < nc; c++) {
          int q = (int) (closure[c] >>> 32);
          Ctx ctx = ctxs.get((int) closure[c]);
          if (ctx.bits == CTX_IN_PAIR) {
            continue;
          }
          for (int j = t.start[q]; j < t.start[q + 1]; j++) {
            int lo = Math.max(t.min[j], 0xDC00);
            int hi = Math.min(t.max[j], lastMarker);
            for (int m = lo; m <= hi; m++) {
              int after = marker(ctx, m);
              if (after < 0) {
                continue;
              }
              long k = (long) t.dest[j] << 32 | after;
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
          work += 1 + t.transitionCount(q);
          accept |= t.accept[q] && acceptsAtEnd(ctx);
          for (int j = t.start[q]; j < t.start[q + 1]; j++) {
            for (int u = 0; u < UNIT_CLASSES.length; u += 3) {
              int segLo = Math.max(t.min[j], UNIT_CLASSES[u]);
              int segHi = Math.min(t.max[j], UNIT_CLASSES[u + 1]);
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
                  long k = (long) t.dest[j] << 32 | after;
                  int to = made.get(k);
                  if (to < 0) {
                    to = out.addState();
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
                  out.addTransition(lo, hi, to);
                }
                lo = hi + 1;
              }
            }
          }
        }
        out.setAccept(from, accept);
        if (work > lim.maxDeterminizationWork()) {
          throw new ConstraintTooComplexException(
              "maxDeterminizationWork", lim.maxDeterminizationWork(), work, "steps", what);
        }
      }
      checkStates(made.size(), what);
      return out.build(false);
    }

    /** The context id after marker unit {@code m} in {@code ctx}, or -1 if it fails. */
    private int marker(Ctx ctx, int m) {
      if (m < Lookaheads.FIRST_MARKER) {
        int bits = afterAssertion(ctx.bits, Assertion.values()[m - Assertion.FIRST_MARKER]);
        return bits < 0 ? -1 : intern(bits, ctx.pending);
      }
      int k = m - Lookaheads.FIRST_MARKER;
      int prev = ctx.bits & 3;
      IntAutomaton b = body(k, prev);
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
      IntAutomaton b = bodies[(int) (pend >>> 32)][(int) (pend >>> 30) & 3];
      int s = (int) pend & ((1 << 30) - 1);
      for (int i = b.start[s]; i < b.start[s + 1]; i++) {
        if (b.max[i] >= lo) {
          return b.min[i] <= lo ? b.max[i] : b.min[i] - 1;
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
        IntAutomaton b = bodies[k][prev];
        int s = (int) pend & ((1 << 30) - 1);
        int next = b.step(s, unit);
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
        IntAutomaton b = bodies[k][(int) (pend >>> 30) & 3];
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
    private static boolean[] universalStates(IntAutomaton t) {
      int n = t.states;
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
        IntAutomaton t, int s, int lo, int hi, boolean[] into, boolean[] pairInto) {
      int next = lo;
      for (int i = t.start[s]; i < t.start[s + 1] && next <= hi; i++) {
        if (t.max[i] < next) {
          continue;
        }
        if (t.min[i] > next) {
          return false;
        }
        int to = t.dest[i];
        boolean ok = into != null ? into[to] : covers(t, to, 0xDC00, 0xDFFF, pairInto, null);
        if (!ok) {
          return false;
        }
        next = t.max[i] + 1;
      }
      return next > hi;
    }
  }

  private static final long[] NO_LONGS = new long[0];

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
  private static CharLang fromDfa(IntAutomaton x) {
    return normalize(x.asDeterministic(), "a literal");
  }

  /** Determinizes (bounded) unless known deterministic, and minimizes {@code x}. */
  private static CharLang normalize(IntAutomaton x, String what) {
    checkDeadline(what);
    IntAutomaton d = x.deterministic ? x : IntAutomaton.determinize(x, limits(), what);
    IntAutomaton m = IntAutomaton.minimize(d, what);
    checkStates(m.states, what);
    return new CharLang(m);
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
  /** The minimal UTF-8 automaton, built under {@code limits} (the final size is checked above). */
  private ByteDfa utf8Dfa(GrammarLimits limits) {
    int k = a.states;
    Utf8Expander ex = new Utf8Expander(limits, k);
    for (int i = 0; i < k; i++) {
      ex.b.setAccepting(i, a.accept[i]);
    }
    for (int i = 0; i < k; i++) {
      if ((i & 4095) == 4095) {
        checkDeadline("the UTF-8 automaton");
      }
      IntervalList iv = new IntervalList();
      for (int j = a.start[i]; j < a.start[i + 1]; j++) {
        int lo = a.min[j];
        int hi = a.max[j];
        int dest = a.dest[j];
        iv.add(lo, Math.min(hi, 0xD7FF), dest);
        iv.add(Math.max(lo, 0xE000), hi, dest);
        int hLo = Math.max(lo, 0xD800);
        int hHi = Math.min(hi, 0xDBFF);
        if (hLo <= hHi) {
          for (int lt = a.start[dest]; lt < a.start[dest + 1]; lt++) {
            int lLo = Math.max(a.min[lt], 0xDC00);
            int lHi = Math.min(a.max[lt], 0xDFFF);
            if (lLo > lHi) {
              continue;
            }
            int u = a.dest[lt];
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
