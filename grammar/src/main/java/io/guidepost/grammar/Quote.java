package io.guidepost.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A verbatim quote: the outputs are the non-empty substrings of one or more passages, optionally
 * bounded in length and required to start and/or end on a word boundary.
 *
 * <p><b>Word boundary.</b> A position of a passage (between two code points, or at either end) is a
 * boundary unless it lies inside a word, i.e. unless both neighbours are word characters ({@link
 * Character#isLetterOrDigit(int)} or {@code '_'}). With {@code wordStart} a quote must begin at a
 * boundary, with {@code wordEnd} it must end at one; so "quick bro" is not a quote of "the quick
 * brown fox" with {@code wordEnd}, while "quick brown" is.
 *
 * <p><b>Construction (exact).</b> Over the code points of the passages (joined by separators that
 * match nothing), a DFA state is the set of passage positions where the text read so far can end,
 * given that it began at an allowed start: the start state holds every allowed start position; on
 * code point {@code c} a set {@code E} moves to {@code {e + 1 : e in E, text[e] = c}}. Equal sets
 * are one state, and a state accepts iff one of its positions is an allowed end (the start state
 * never accepts: quotes are non-empty). Without {@code wordStart} these sets are exactly the
 * end-position classes of the suffix automaton (Blumer et al., "The smallest automaton recognizing
 * the subwords of a text", 1985), which is then built directly, online and in linear time, as a
 * generalized suffix automaton of all passages (at most {@code 2n} states). With {@code wordStart}
 * the sets (end positions of word-start occurrences) are built explicitly; that costs the sum of
 * the set sizes, O(n r) for n code points and r the length of the longest repeated substring (small
 * for natural text; a highly repetitive text such as "aaaa..." is quadratic and is stopped by
 * {@link GrammarLimits#maxDeterminizationWork()}). Both constructions give the same automaton where
 * both apply (tested). The code-point DFA is expanded to UTF-8 (the one conversion in {@link
 * CharLang#toByteDfa}'s expander; ASCII transitions map to themselves) and minimized (acyclic:
 * {@link ByteDfa.Builder#buildMinimal()}'s linear bottom-up merge). Total passage size is bounded
 * by {@link GrammarLimits#maxPassageBytes()}.
 *
 * <p><b>Length bounds</b> ({@code minChars}, {@code maxChars}, in code points) are carried by the
 * {@link CompiledConstraint} (see {@link CompiledConstraint#canComplete}) instead of the DFA, whose
 * size would otherwise grow with n times the bound.
 *
 * <p><b>Provenance.</b> {@link CompiledConstraint#locate} returns the first passage and leftmost
 * occurrence satisfying the options; {@link QuoteMatch} gives offsets in UTF-16 chars and in code
 * points.
 *
 * <p>Thread-safety: stateless; results immutable.
 */
public final class Quote {
  private Quote() {}

  /**
   * Quote options.
   *
   * @param minChars least length in code points (at least 1)
   * @param maxChars greatest length in code points ({@code Integer.MAX_VALUE}: unbounded)
   * @param wordStart the quote must start on a word boundary
   * @param wordEnd the quote must end on a word boundary
   */
  public record Options(int minChars, int maxChars, boolean wordStart, boolean wordEnd) {
    /** Any non-empty substring. */
    public static final Options ANY = new Options(1, Integer.MAX_VALUE, false, false);

    /** Validates the bounds. */
    public Options {
      if (minChars < 1) {
        throw new InvalidConstraintException("quote minChars must be at least 1, got " + minChars);
      }
      if (maxChars < minChars) {
        throw new InvalidConstraintException(
            "quote maxChars (" + maxChars + ") is less than minChars (" + minChars + ")");
      }
    }
  }

  /** Any non-empty substring of the passages. */
  public static CompiledConstraint compile(List<String> passages) {
    return compile(passages, Options.ANY, GrammarLimits.DEFAULTS);
  }

  /** Substrings of the passages under {@code options}. */
  public static CompiledConstraint compile(List<String> passages, Options options) {
    return compile(passages, options, GrammarLimits.DEFAULTS);
  }

  /** Substrings of the passages under {@code options} and {@code limits}. */
  public static CompiledConstraint compile(
      List<String> passages, Options options, GrammarLimits limits) {
    long t0 = System.nanoTime();
    Text text = new Text(passages, limits);
    CpDfa cpd = build(text, options, limits);
    ByteDfa dfa = toByteDfa(cpd, limits);
    int min = options.minChars() <= 1 ? 0 : options.minChars();
    return CompiledConstraint.of(
        ConstraintKind.QUOTE,
        "quote of " + passages.size() + " passage(s)",
        dfa,
        min,
        options.maxChars(),
        new Locator(passages, options),
        t0,
        limits);
  }

  static boolean isWord(int cp) {
    return cp == '_' || Character.isLetterOrDigit(cp);
  }

  /** The passages as one code-point array; -1 separates passages and ends the text. */
  private static final class Text {
    final int[] cps;
    final boolean[] passageEdge; // position is the start or end of a passage

    Text(List<String> passages, GrammarLimits limits) {
      if (passages.isEmpty()) {
        throw new InvalidConstraintException("a quote needs at least one passage");
      }
      long bytes = 0;
      int n = 0;
      for (int i = 0; i < passages.size(); i++) {
        String p = passages.get(i);
        for (int k = 0; k < p.length(); k++) {
          char c = p.charAt(k);
          if (Character.isHighSurrogate(c)
              && k + 1 < p.length()
              && Character.isLowSurrogate(p.charAt(k + 1))) {
            k++;
          } else if (Character.isSurrogate(c)) {
            throw new InvalidConstraintException(
                "passage " + i + " contains a lone surrogate at index " + k);
          }
        }
        bytes += p.getBytes(StandardCharsets.UTF_8).length;
        n += p.codePointCount(0, p.length()) + 1;
      }
      if (bytes > limits.maxPassageBytes()) {
        throw new ConstraintTooComplexException(
            "maxPassageBytes", limits.maxPassageBytes(), bytes, "bytes", "the quote passages");
      }
      cps = new int[n];
      passageEdge = new boolean[n];
      int at = 0;
      for (String p : passages) {
        passageEdge[at] = true;
        for (int k = 0; k < p.length(); ) {
          int cp = p.codePointAt(k);
          cps[at++] = cp;
          k += Character.charCount(cp);
        }
        passageEdge[at] = true;
        cps[at++] = -1;
      }
    }

    /** True when position {@code p} is not inside a word. */
    boolean boundary(int p) {
      return passageEdge[p] || !isWord(cps[p - 1]) || !isWord(cps[p]);
    }
  }

  /**
   * The code-point DFA of the quotes: a suffix automaton when quotes may start anywhere, else the
   * position-set construction (word-start occurrence sets are not end-position classes).
   */
  private static CpDfa build(Text text, Options options, GrammarLimits limits) {
    return options.wordStart()
        ? buildFromPositionSets(text, options, limits)
        : buildSuffixAutomaton(text, options, limits);
  }

  /** Test hook: the minimal DFA of the position-set construction, whatever the options. */
  static ByteDfa positionSetDfa(List<String> passages, Options options) {
    GrammarLimits limits = GrammarLimits.DEFAULTS;
    return toByteDfa(buildFromPositionSets(new Text(passages, limits), options, limits), limits);
  }

  /**
   * The generalized suffix automaton of the passages (Blumer et al. 1985; several strings in one
   * automaton by restarting from the root at each passage, and splitting a state reached by an
   * existing transition whose length does not fit): at most 2n states, O(n) time for a bounded
   * alphabet. Its states are the end-position classes, i.e. exactly the states of {@link
   * #buildFromPositionSets} without {@code wordStart}. Every state but the root accepts; with
   * {@code wordEnd}, a state accepts when one of its end positions is a boundary, propagated up the
   * suffix-link tree (a state's end positions are those of its subtree). States are renumbered
   * breadth-first (smallest code point first) for locality in the later passes.
   */
  private static CpDfa buildSuffixAutomaton(Text text, Options options, GrammarLimits limits) {
    int[] cps = text.cps;
    int n = cps.length;
    int[] distinct = Arrays.stream(cps).filter(c -> c >= 0).sorted().distinct().toArray();
    Sam sam = new Sam(2 * n + 2, Math.max(distinct.length, 1), limits);
    boolean[] endsOnBoundary = options.wordEnd() ? new boolean[2 * n + 2] : null;
    int last = 0;
    for (int p = 0; p < n; p++) {
      if (cps[p] < 0) {
        last = 0; // next passage
        continue;
      }
      last = sam.extend(last, Arrays.binarySearch(distinct, cps[p]));
      if (endsOnBoundary != null && text.boundary(p + 1)) {
        endsOnBoundary[last] = true;
      }
    }
    int states = sam.count;
    if (endsOnBoundary != null) {
      // Propagate from longer to shorter states (counting sort by length).
      int[] byLen = new int[n + 2];
      for (int st = 0; st < states; st++) {
        byLen[sam.len[st] + 1]++;
      }
      for (int i = 0; i + 1 < byLen.length; i++) {
        byLen[i + 1] += byLen[i];
      }
      int[] order = new int[states];
      for (int st = 0; st < states; st++) {
        order[byLen[sam.len[st]]++] = st;
      }
      for (int i = states - 1; i > 0; i--) {
        int st = order[i];
        if (endsOnBoundary[st]) {
          endsOnBoundary[sam.link[st]] = true;
        }
      }
    }
    // Breadth-first renumbering; transitions emitted sorted by source, then code point.
    int[] newId = new int[states];
    Arrays.fill(newId, -1);
    int[] queue = new int[states];
    int tail = 0;
    newId[0] = 0;
    queue[tail++] = 0;
    IntList tFrom = new IntList();
    IntList tCp = new IntList();
    IntList tTo = new IntList();
    int[] rk = new int[distinct.length];
    int[] tg = new int[distinct.length];
    boolean[] accept = new boolean[states];
    for (int head = 0; head < tail; head++) {
      int st = queue[head];
      accept[head] = head > 0 && (endsOnBoundary == null || endsOnBoundary[st]);
      int k = sam.sortedTransitions(st, rk, tg);
      for (int j = 0; j < k; j++) {
        int t = tg[j];
        if (newId[t] < 0) {
          newId[t] = tail;
          queue[tail++] = t;
        }
        tFrom.add(head);
        tCp.add(distinct[rk[j]]);
        tTo.add(newId[t]);
      }
    }
    return new CpDfa(
        tail,
        Arrays.copyOf(tFrom.v, tFrom.size),
        Arrays.copyOf(tCp.v, tCp.size),
        Arrays.copyOf(tTo.v, tTo.size),
        Arrays.copyOf(accept, tail));
  }

  /**
   * A suffix automaton under construction: per state a linked list of (rank, target) edges, and a
   * dense row for the root, whose transitions are looked up most often.
   */
  private static final class Sam {
    final int[] len;
    final int[] link;
    final int[] head; // first edge of each state, -1 = none
    final int[] rootTo; // rank -> target from the root, -1 = none
    final GrammarLimits limits;
    int count = 1; // state 0 is the root
    int[] eRank = new int[1024];
    int[] eTo = new int[1024];
    int[] eNext = new int[1024];
    int edges;

    Sam(int maxStates, int d, GrammarLimits limits) {
      this.len = new int[maxStates];
      this.link = new int[maxStates];
      this.head = new int[maxStates];
      this.rootTo = new int[d];
      this.limits = limits;
      link[0] = -1;
      Arrays.fill(head, -1);
      Arrays.fill(rootTo, -1);
    }

    /** Appends rank {@code c} after state {@code last}; returns the new last state. */
    int extend(int last, int c) {
      int q = target(last, c);
      if (q >= 0) {
        // The text read so far already continues with c (an earlier passage).
        return len[last] + 1 == len[q] ? q : split(last, c, q);
      }
      int cur = newState(len[last] + 1);
      int p = last;
      while (p >= 0 && target(p, c) < 0) {
        put(p, c, cur);
        p = link[p];
      }
      if (p < 0) {
        link[cur] = 0;
      } else {
        q = target(p, c);
        link[cur] = len[p] + 1 == len[q] ? q : split(p, c, q);
      }
      return cur;
    }

    /** Clones {@code q} with length {@code len[p] + 1}; redirects p's suffix chain to the clone. */
    private int split(int p, int c, int q) {
      int clone = newState(len[p] + 1);
      for (int e = head[q]; e >= 0; e = eNext[e]) {
        add(clone, eRank[e], eTo[e]);
      }
      link[clone] = link[q];
      while (p >= 0 && target(p, c) == q) {
        put(p, c, clone);
        p = link[p];
      }
      link[q] = clone;
      return clone;
    }

    private int newState(int length) {
      if (count >= limits.maxDfaStates()) {
        throw new ConstraintTooComplexException(
            "maxDfaStates",
            limits.maxDfaStates(),
            count + 1,
            "states",
            "building the quote automaton");
      }
      len[count] = length;
      return count++;
    }

    int target(int s, int c) {
      if (s == 0) {
        return rootTo[c];
      }
      for (int e = head[s]; e >= 0; e = eNext[e]) {
        if (eRank[e] == c) {
          return eTo[e];
        }
      }
      return -1;
    }

    void put(int s, int c, int t) {
      if (s == 0) {
        rootTo[c] = t;
        return;
      }
      for (int e = head[s]; e >= 0; e = eNext[e]) {
        if (eRank[e] == c) {
          eTo[e] = t;
          return;
        }
      }
      add(s, c, t);
    }

    private void add(int s, int c, int t) {
      if (edges == eRank.length) {
        int cap = edges * 2;
        eRank = Arrays.copyOf(eRank, cap);
        eTo = Arrays.copyOf(eTo, cap);
        eNext = Arrays.copyOf(eNext, cap);
      }
      eRank[edges] = c;
      eTo[edges] = t;
      eNext[edges] = head[s];
      head[s] = edges++;
    }

    /** Writes the transitions of {@code s} sorted by rank into rk/tg; returns their number. */
    int sortedTransitions(int s, int[] rk, int[] tg) {
      int k = 0;
      if (s == 0) {
        for (int c = 0; c < rootTo.length; c++) {
          if (rootTo[c] >= 0) {
            rk[k] = c;
            tg[k++] = rootTo[c];
          }
        }
        return k;
      }
      for (int e = head[s]; e >= 0; e = eNext[e]) {
        int j = k++;
        while (j > 0 && rk[j - 1] > eRank[e]) {
          rk[j] = rk[j - 1];
          tg[j] = tg[j - 1];
          j--;
        }
        rk[j] = eRank[e];
        tg[j] = eTo[e];
      }
      return k;
    }
  }

  /** The position-set construction (see the class comment); required with {@code wordStart}. */
  private static CpDfa buildFromPositionSets(Text text, Options options, GrammarLimits limits) {
    int[] cps = text.cps;
    int n = cps.length;
    int[] start = new int[n];
    int ns = 0;
    for (int p = 0; p < n; p++) {
      if (cps[p] >= 0 && (!options.wordStart() || text.boundary(p))) {
        start[ns++] = p;
      }
    }
    // Dense ranks of the distinct code points (ascending), so that a set's positions can be
    // grouped by code point with a counting sort.
    int[] distinct = Arrays.stream(cps).filter(c -> c >= 0).sorted().distinct().toArray();
    int[] rank = new int[n];
    for (int p = 0; p < n; p++) {
      rank[p] = cps[p] < 0 ? -1 : Arrays.binarySearch(distinct, cps[p]);
    }
    int d = distinct.length;
    int[] bucket = new int[d + 1];
    // Without wordStart the sets are end-position sets of substrings (endpos classes), which are
    // nested or disjoint: two sets of equal size that share their first element are equal.
    boolean nested = !options.wordStart();
    // Code-point DFA: states are the position sets, found again through an open-addressing table.
    List<int[]> sets = new ArrayList<>();
    IntList hashes = new IntList();
    int[] slots = new int[1024]; // state + 1, 0 = empty
    sets.add(Arrays.copyOf(start, ns));
    hashes.add(Arrays.hashCode(sets.get(0)));
    IntList tFrom = new IntList();
    IntList tCp = new IntList();
    IntList tTo = new IntList();
    long work = 0;
    int[] grouped = new int[16];
    int[] groupRank = new int[16];
    long[] keys = new long[16];
    for (int s = 0; s < sets.size(); s++) {
      int[] set = sets.get(s);
      if (grouped.length < set.length) {
        int cap = Math.max(set.length, grouped.length * 2);
        grouped = new int[cap];
        groupRank = new int[cap];
        keys = new long[cap];
      }
      int m = 0;
      if (set.length > 64) {
        // Stable counting sort by rank: positions stay ascending within a group.
        Arrays.fill(bucket, 0);
        for (int e : set) {
          if (rank[e] >= 0) {
            bucket[rank[e] + 1]++;
            m++;
          }
        }
        for (int r = 0; r < d; r++) {
          bucket[r + 1] += bucket[r];
        }
        for (int e : set) {
          int r = rank[e];
          if (r >= 0) {
            grouped[bucket[r]] = e;
            groupRank[bucket[r]++] = r;
          }
        }
      } else {
        for (int e : set) {
          if (rank[e] >= 0) {
            keys[m++] = ((long) rank[e] << 32) | e;
          }
        }
        Arrays.sort(keys, 0, m);
        for (int i = 0; i < m; i++) {
          grouped[i] = (int) keys[i];
          groupRank[i] = (int) (keys[i] >>> 32);
        }
      }
      work += set.length + m;
      if (work > limits.maxDeterminizationWork()) {
        throw new ConstraintTooComplexException(
            "maxDeterminizationWork",
            limits.maxDeterminizationWork(),
            work,
            "steps",
            "building the quote automaton");
      }
      int i = 0;
      while (i < m) {
        int r = groupRank[i];
        int j = i;
        while (j < m && groupRank[j] == r) {
          j++;
        }
        int h = 1;
        for (int x = i; x < j; x++) {
          h = 31 * h + grouped[x] + 1;
        }
        int mask = slots.length - 1;
        int slot = mix(h) & mask;
        int to = -1;
        while (slots[slot] != 0) {
          int cand = slots[slot] - 1;
          if (hashes.v[cand] == h
              && sets.get(cand).length == j - i
              && (nested
                  ? sets.get(cand)[0] == grouped[i] + 1
                  : equalsShifted(sets.get(cand), grouped, i, j))) {
            to = cand;
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (to < 0) {
          int[] next = new int[j - i];
          for (int x = i; x < j; x++) {
            next[x - i] = grouped[x] + 1;
          }
          to = sets.size();
          sets.add(next);
          hashes.add(h);
          slots[slot] = to + 1;
          if (sets.size() > limits.maxDfaStates()) {
            throw new ConstraintTooComplexException(
                "maxDfaStates",
                limits.maxDfaStates(),
                sets.size(),
                "states",
                "building the quote automaton");
          }
          if (2 * sets.size() > slots.length) {
            slots = rehash(slots.length * 2, hashes);
          }
        }
        tFrom.add(s);
        tCp.add(distinct[r]);
        tTo.add(to);
        i = j;
      }
    }
    int states = sets.size();
    boolean[] accept = new boolean[states];
    for (int s = 1; s < states; s++) {
      for (int e : sets.get(s)) {
        if (!options.wordEnd() || text.boundary(e)) {
          accept[s] = true;
          break;
        }
      }
    }
    return new CpDfa(
        states,
        Arrays.copyOf(tFrom.v, tFrom.size),
        Arrays.copyOf(tCp.v, tCp.size),
        Arrays.copyOf(tTo.v, tTo.size),
        accept);
  }

  /**
   * A code-point DFA: state 0 initial; transitions sorted by source then code point.
   *
   * @param from source state of each transition
   * @param cp code point of each transition
   * @param to target state of each transition
   */
  record CpDfa(int states, int[] from, int[] cp, int[] to, boolean[] accept) {}

  /** UTF-8 expansion, then the acyclic minimization of {@link ByteDfa.Builder#buildMinimal()}. */
  private static ByteDfa toByteDfa(CpDfa d, GrammarLimits limits) {
    ByteDfa direct = asciiDfa(d);
    return direct != null ? direct : expandAndBuild(d, limits);
  }

  /** Test hook: the quote DFA through the general UTF-8 expander and builder path. */
  static ByteDfa builderDfa(List<String> passages, Options options) {
    GrammarLimits limits = GrammarLimits.DEFAULTS;
    return expandAndBuild(build(new Text(passages, limits), options, limits), limits);
  }

  private static ByteDfa expandAndBuild(CpDfa d, GrammarLimits limits) {
    CharLang.Utf8Expander ex = new CharLang.Utf8Expander(limits, d.states());
    for (int s = 0; s < d.states(); s++) {
      ex.b.setAccepting(s, d.accept()[s]);
    }
    CharLang.IntervalList iv = new CharLang.IntervalList();
    int t = 0;
    int[] from = d.from();
    int[] cp = d.cp();
    int[] to = d.to();
    for (int s = 0; s < d.states(); s++) {
      int first = t;
      boolean ascii = true;
      while (t < from.length && from[t] == s) {
        ascii &= cp[t] < 0x80;
        t++;
      }
      if (ascii) {
        for (int i = first; i < t; i++) {
          ex.b.addTransition(s, cp[i], cp[i], to[i]); // UTF-8 of ASCII is the byte itself
        }
      } else {
        iv.size = 0;
        for (int i = first; i < t; i++) {
          iv.add(cp[i], cp[i], to[i]);
        }
        ex.expand(s, iv); // transitions were produced in increasing cp order
      }
    }
    return ex.b.buildMinimal();
  }

  /**
   * The quote's language as a {@link CharLang} (for template holes); length bounds are applied by
   * intersection, which costs up to (states x maxChars) and is bounded by the limits.
   */
  static CharLang toLang(List<String> passages, Options options) {
    GrammarLimits limits = CharLang.limits();
    CpDfa d = build(new Text(passages, limits), options, limits);
    CharLang lang = CharLang.fromCodePointDfa(d.states(), d.from(), d.cp(), d.to(), d.accept());
    if (options.minChars() > 1 || options.maxChars() != Integer.MAX_VALUE) {
      int max = options.maxChars() == Integer.MAX_VALUE ? -1 : options.maxChars();
      lang = lang.intersect(CharLang.anyCodePoint().repeat(options.minChars(), max));
    }
    return lang;
  }

  private static int mix(int h) {
    h *= 0x9E3779B1;
    return h ^ (h >>> 16);
  }

  /** True when {@code set} equals {@code grouped[from..to)} each plus one. */
  private static boolean equalsShifted(int[] set, int[] grouped, int from, int to) {
    for (int x = from; x < to; x++) {
      if (set[x - from] != grouped[x] + 1) {
        return false;
      }
    }
    return true;
  }

  private static int[] rehash(int capacity, IntList hashes) {
    int[] slots = new int[capacity];
    for (int st = 0; st < hashes.size; st++) {
      int slot = mix(hashes.v[st]) & (capacity - 1);
      while (slots[slot] != 0) {
        slot = (slot + 1) & (capacity - 1);
      }
      slots[slot] = st + 1;
    }
    return slots;
  }

  /**
   * The minimal byte DFA of an all-ASCII acyclic code-point DFA (bytes are the code points), or
   * null when some code point is not ASCII. Minimized directly on the sorted transition arrays: in
   * reverse topological order (Kahn), states with equal acceptance and equal rows of (byte,
   * canonical target) are merged through a hash table (Revuz 1992); then the merged states are
   * numbered breadth-first, smallest byte first, and identical byte columns merged, which is the
   * canonical form {@link ByteDfa.Builder#buildMinimal()} produces. O(n + m) plus the table.
   */
  private static ByteDfa asciiDfa(CpDfa d) {
    int[] from = d.from();
    int[] cp = d.cp();
    int[] to = d.to();
    int n = d.states();
    int m = from.length;
    for (int c : cp) {
      if (c >= 0x80) {
        return null;
      }
    }
    int[] start = new int[n + 1]; // transitions are sorted by source
    for (int i = 0; i < m; i++) {
      start[from[i] + 1]++;
    }
    for (int s = 0; s < n; s++) {
      start[s + 1] += start[s];
    }
    int[] indegree = new int[n];
    for (int t : to) {
      indegree[t]++;
    }
    int[] order = new int[n];
    int tail = 0;
    for (int s = 0; s < n; s++) {
      if (indegree[s] == 0) {
        order[tail++] = s;
      }
    }
    for (int head = 0; head < tail; head++) {
      int s = order[head];
      for (int i = start[s]; i < start[s + 1]; i++) {
        if (--indegree[to[i]] == 0) {
          order[tail++] = to[i];
        }
      }
    }
    if (tail < n) {
      throw new IllegalStateException("quote automaton has a cycle"); // cannot happen
    }
    boolean[] accept = d.accept();
    boolean[] live = new boolean[n];
    int[] canonical = new int[n];
    int cap = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
    int[] slots = new int[cap]; // representative + 1
    for (int k = n - 1; k >= 0; k--) {
      int s = order[k];
      boolean lv = accept[s];
      int h = accept[s] ? 0x5bd1e995 : 0x1b873593;
      for (int i = start[s]; i < start[s + 1]; i++) {
        if (live[to[i]]) {
          lv = true;
          h = (h ^ cp[i]) * 0x9E3779B1;
          h = (h ^ canonical[to[i]]) * 0x9E3779B1;
        }
      }
      live[s] = lv;
      if (!lv) {
        continue;
      }
      int slot = DfaMinimizer.fmix(h) & (cap - 1);
      int found = -1;
      while (slots[slot] != 0) {
        int r = slots[slot] - 1;
        if (sameRow(r, s, start, cp, to, accept, live, canonical)) {
          found = r;
          break;
        }
        slot = (slot + 1) & (cap - 1);
      }
      if (found < 0) {
        slots[slot] = s + 1;
        found = s;
      }
      canonical[s] = found;
    }
    if (!live[0]) {
      throw new EmptyConstraintException("the quote");
    }
    // Canonical numbering of the representatives.
    int[] newId = new int[n];
    Arrays.fill(newId, -1);
    int[] queue = new int[n];
    int count = 0;
    newId[canonical[0]] = count;
    queue[count++] = canonical[0];
    for (int head = 0; head < count; head++) {
      int s = queue[head];
      for (int i = start[s]; i < start[s + 1]; i++) {
        if (live[to[i]]) {
          int t = canonical[to[i]];
          if (newId[t] < 0) {
            newId[t] = count;
            queue[count++] = t;
          }
        }
      }
    }
    // One class per byte used, one for all others; ordered by first byte.
    boolean[] used = new boolean[128];
    for (int c : cp) {
      used[c] = true;
    }
    byte[] byteClass = new byte[256];
    int[] classOfByte = new int[256];
    int k = 0;
    int other = -1;
    for (int b = 0; b < 256; b++) {
      if (b < 128 && used[b]) {
        classOfByte[b] = k++;
      } else {
        if (other < 0) {
          other = k++;
        }
        classOfByte[b] = other;
      }
      byteClass[b] = (byte) classOfByte[b];
    }
    int[] table = new int[count * k];
    Arrays.fill(table, -1);
    boolean[] acc = new boolean[count];
    for (int id = 0; id < count; id++) {
      int s = queue[id];
      acc[id] = accept[s];
      for (int i = start[s]; i < start[s + 1]; i++) {
        if (live[to[i]]) {
          table[id * k + classOfByte[cp[i]]] = newId[canonical[to[i]]];
        }
      }
    }
    return ByteDfa.fromCanonicalTable(byteClass, k, table, acc, count);
  }

  /** Equal acceptance and equal rows of live transitions to canonical targets. */
  private static boolean sameRow(
      int r,
      int s,
      int[] start,
      int[] cp,
      int[] to,
      boolean[] accept,
      boolean[] live,
      int[] canonical) {
    if (accept[r] != accept[s]) {
      return false;
    }
    int i = start[r];
    int j = start[s];
    while (true) {
      while (i < start[r + 1] && !live[to[i]]) {
        i++;
      }
      while (j < start[s + 1] && !live[to[j]]) {
        j++;
      }
      boolean endR = i == start[r + 1];
      boolean endS = j == start[s + 1];
      if (endR || endS) {
        return endR && endS;
      }
      if (cp[i] != cp[j] || canonical[to[i]] != canonical[to[j]]) {
        return false;
      }
      i++;
      j++;
    }
  }

  /** Growable int list. */
  private static final class IntList {
    int[] v = new int[64];
    int size;

    void add(int x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }
  }

  /** Finds an accepted output in the passages (first passage, leftmost occurrence). */
  private static final class Locator implements CompiledConstraint.Interpretation {
    private final List<String> passages;
    private final Options options;

    Locator(List<String> passages, Options options) {
      this.passages = List.copyOf(passages);
      this.options = options;
    }

    @Override
    public Map<String, Capture> captures(String output) {
      return Map.of();
    }

    @Override
    public QuoteMatch locate(String output) {
      int len = output.codePointCount(0, output.length());
      if (output.isEmpty() || len < options.minChars() || len > options.maxChars()) {
        return null;
      }
      for (int i = 0; i < passages.size(); i++) {
        String p = passages.get(i);
        for (int at = p.indexOf(output); at >= 0; at = p.indexOf(output, at + 1)) {
          int end = at + output.length();
          if (Character.isLowSurrogate(p.charAt(at))) {
            continue; // would split a surrogate pair (cannot happen for well-formed output)
          }
          if ((!options.wordStart() || boundary(p, at))
              && (!options.wordEnd() || boundary(p, end))) {
            int cpStart = p.codePointCount(0, at);
            return new QuoteMatch(i, at, end, cpStart, cpStart + len);
          }
        }
      }
      return null;
    }

    private static boolean boundary(String p, int at) {
      if (at == 0 || at == p.length()) {
        return true;
      }
      return !isWord(p.codePointBefore(at)) || !isWord(p.codePointAt(at));
    }
  }
}
