package io.guidepost.grammar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A compiled constraint: the byte-level {@link ByteDfa} that masks decoding, an optional length
 * bound in code points, and what is needed to interpret an accepted output (template captures,
 * quote provenance).
 *
 * <p>An output is accepted iff its UTF-8 bytes are accepted by {@link #dfa()} and its length in
 * code points lies in {@code [minChars(), maxChars()]} ({@link #matches}). The token layer keeps
 * the pair (DFA state, code points so far) and allows a token iff {@link #canComplete} holds after
 * it: then some accepted output extends the text, so generation can always finish validly.
 *
 * <p>Length feasibility is exact: for bounded constraints each state carries the set of achievable
 * remaining lengths (in code points, counted as UTF-8 lead bytes) capped at {@code maxChars} (or
 * saturating at {@code minChars} when only a lower bound is set), computed by a fixpoint over
 * reverse transitions (Cost O(n k L / 64) words, L the cap). Unbounded constraints have {@code
 * minChars = 0}, {@code maxChars = Integer.MAX_VALUE} and {@code canComplete == dfa().isLive}.
 *
 * <p>Where a constraint's language admits several spellings of one value but generates only some of
 * them (JSON Schema numbers: exponent spellings of bounded values), {@link #accepts} also accepts a
 * text whose normal form is accepted; {@link #matches} is the exact automaton.
 *
 * <p>Thread-safety: immutable; shared by all requests. {@link #canComplete} allocates nothing.
 */
public final class CompiledConstraint {
  /** Sizes and compile time. */
  public record Stats(int states, int classes, int transitions, long bytes, long compileNanos) {}

  /** Interprets accepted outputs (templates, quotes); package-private hook. */
  interface Interpretation {
    Map<String, Capture> captures(String output);

    QuoteMatch locate(String output);
  }

  private final ConstraintKind kind;
  private final String description;
  private final ByteDfa dfa;
  private final int minChars;
  private final int maxChars;
  private final int cap; // top length tracked by the bitsets
  private final int words; // longs per state in remaining
  private final long[] remaining; // state * words: bit r set = a completion of r code points exists
  private final Interpretation interpretation;
  private final UnaryOperator<String> normalizer; // null: none; answers null when not normalizable
  private final Stats stats;
  private final List<IgnoredKeyword> ignoredKeywords;
  private final List<GrammarNote> grammarNotes;
  private final String subsetReason; // null: every valid output can be generated
  private final ContextFreeGrammar cfg; // null for a DFA constraint

  private CompiledConstraint(
      ConstraintKind kind,
      String description,
      ByteDfa dfa,
      int minChars,
      int maxChars,
      Interpretation interpretation,
      UnaryOperator<String> normalizer,
      long startNanos,
      GrammarLimits limits) {
    if (dfa.isEmpty()) {
      throw new EmptyConstraintException(description + " accepts no output");
    }
    if (minChars < 0 || maxChars < minChars) {
      throw new InvalidConstraintException(
          "length bounds must satisfy 0 <= minChars <= maxChars, got ["
              + minChars
              + ", "
              + maxChars
              + "]");
    }
    this.ignoredKeywords = List.of();
    this.grammarNotes = List.of();
    this.subsetReason = null;
    this.cfg = null;
    this.kind = kind;
    this.description = description;
    this.dfa = dfa;
    this.minChars = minChars;
    this.maxChars = maxChars;
    this.interpretation = interpretation;
    this.normalizer = normalizer;
    boolean bounded = minChars > 0 || maxChars != Integer.MAX_VALUE;
    if (bounded) {
      this.cap = maxChars != Integer.MAX_VALUE ? maxChars : minChars;
      this.words = (cap >>> 6) + 1;
      long cost = (long) dfa.stateCount() * words;
      if (cost > limits.maxDeterminizationWork()) {
        throw new ConstraintTooComplexException(
            "maxDeterminizationWork",
            limits.maxDeterminizationWork(),
            cost,
            "steps",
            "the length bound table (" + dfa.stateCount() + " states x " + (cap + 1) + " lengths)");
      }
      this.remaining = remainingLengths(dfa, cap, words, maxChars == Integer.MAX_VALUE);
      if (!canComplete(dfa.initialState(), 0)) {
        throw new EmptyConstraintException(
            description
                + " has no output of "
                + minChars
                + " to "
                + (maxChars == Integer.MAX_VALUE ? "any number of" : String.valueOf(maxChars))
                + " characters");
      }
    } else {
      this.cap = 0;
      this.words = 0;
      this.remaining = null;
    }
    this.stats =
        new Stats(
            dfa.stateCount(),
            dfa.classCount(),
            dfa.transitionCount(),
            dfa.sizeInBytes() + (remaining == null ? 0 : 8L * remaining.length),
            System.nanoTime() - startNanos);
  }

  /**
   * A copy of {@code c} as {@code kind} with {@code description} and {@code interpretation}, that
   * reports {@code ignored}, {@code notes} and {@code subsetReason}.
   */
  private CompiledConstraint(
      CompiledConstraint c,
      ConstraintKind kind,
      String description,
      Interpretation interpretation,
      List<IgnoredKeyword> ignored,
      List<GrammarNote> notes,
      String subsetReason) {
    this.kind = kind;
    this.description = description;
    this.dfa = c.dfa;
    this.minChars = c.minChars;
    this.maxChars = c.maxChars;
    this.cap = c.cap;
    this.words = c.words;
    this.remaining = c.remaining;
    this.interpretation = interpretation;
    this.stats = c.stats;
    this.normalizer = c.normalizer;
    this.cfg = c.cfg;
    this.ignoredKeywords = List.copyOf(ignored);
    this.grammarNotes = List.copyOf(notes);
    this.subsetReason = subsetReason;
  }

  /** A context-free constraint (no DFA, no length bounds, no interpretation). */
  private CompiledConstraint(
      ConstraintKind kind,
      String description,
      ContextFreeGrammar cfg,
      long startNanos,
      UnaryOperator<String> normalizer) {
    this.kind = kind;
    this.description = description;
    this.cfg = cfg;
    this.dfa = null;
    this.minChars = 0;
    this.maxChars = Integer.MAX_VALUE;
    this.cap = 0;
    this.words = 0;
    this.remaining = null;
    this.interpretation = null;
    this.normalizer = normalizer;
    this.ignoredKeywords = List.of();
    this.grammarNotes = List.of();
    this.subsetReason = null;
    this.stats =
        new Stats(
            cfg.lexemeStates(),
            cfg.lexemeCount(),
            cfg.productionCount(),
            cfg.sizeInBytes(),
            System.nanoTime() - startNanos);
  }

  /**
   * A constraint of {@code kind} that is exactly the language of {@code cfg}.
   *
   * @param startNanos {@code System.nanoTime()} when compilation began (for {@link #stats()})
   */
  static CompiledConstraint ofGrammar(
      ConstraintKind kind, String description, ContextFreeGrammar cfg, long startNanos) {
    return new CompiledConstraint(kind, description, cfg, startNanos, null);
  }

  /** {@link #ofGrammar(ConstraintKind, String, ContextFreeGrammar, long)} with a normalizer. */
  static CompiledConstraint ofGrammar(
      ConstraintKind kind,
      String description,
      ContextFreeGrammar cfg,
      long startNanos,
      UnaryOperator<String> normalizer) {
    return new CompiledConstraint(kind, description, cfg, startNanos, normalizer);
  }

  /** This constraint, reporting {@code ignored} as the schema keywords that constrained nothing. */
  CompiledConstraint withIgnoredKeywords(List<IgnoredKeyword> ignored) {
    return ignored.isEmpty() && ignoredKeywords.isEmpty()
        ? this
        : new CompiledConstraint(
            this, kind, description, interpretation, ignored, grammarNotes, subsetReason);
  }

  /** This constraint, reporting {@code notes} as what its grammar wrote but does not enforce. */
  CompiledConstraint withGrammarNotes(List<GrammarNote> notes) {
    return notes.isEmpty() && grammarNotes.isEmpty()
        ? this
        : new CompiledConstraint(
            this, kind, description, interpretation, ignoredKeywords, notes, subsetReason);
  }

  /**
   * This constraint, reporting why it is a subset of the valid outputs ({@code reason}: the first
   * bound of the output format applied, with its JSON pointer), or that it is not (null).
   */
  CompiledConstraint withSubsetReason(String reason) {
    return java.util.Objects.equals(reason, subsetReason)
        ? this
        : new CompiledConstraint(
            this, kind, description, interpretation, ignoredKeywords, grammarNotes, reason);
  }

  /** This constraint as a {@code kind} constraint with {@code description} and captures. */
  CompiledConstraint as(ConstraintKind kind, String description, Interpretation interpretation) {
    return new CompiledConstraint(
        this, kind, description, interpretation, ignoredKeywords, grammarNotes, subsetReason);
  }

  /**
   * A constraint of {@code kind} that is exactly {@code dfa} (no length bound, no interpretation);
   * for compilers of other kinds (e.g. JSON Schema).
   *
   * @param description user-facing description used in error messages
   * @param startNanos {@code System.nanoTime()} when compilation began (for {@link #stats()})
   * @throws EmptyConstraintException when the DFA accepts nothing
   */
  public static CompiledConstraint of(
      ConstraintKind kind, String description, ByteDfa dfa, long startNanos) {
    return of(kind, description, dfa, startNanos, null);
  }

  /**
   * Like {@link #of(ConstraintKind, String, ByteDfa, long)}, with a normalizer for {@link
   * #accepts}: it maps a text to the spelling of the same value that the DFA is meant to accept (or
   * null when it has none); it must preserve validity.
   */
  static CompiledConstraint of(
      ConstraintKind kind,
      String description,
      ByteDfa dfa,
      long startNanos,
      UnaryOperator<String> normalizer) {
    return new CompiledConstraint(
        kind,
        description,
        dfa,
        0,
        Integer.MAX_VALUE,
        null,
        normalizer,
        startNanos,
        GrammarLimits.DEFAULTS);
  }

  /** A constraint with length bounds and an optional interpretation. */
  static CompiledConstraint of(
      ConstraintKind kind,
      String description,
      ByteDfa dfa,
      int minChars,
      int maxChars,
      Interpretation interpretation,
      long startNanos,
      GrammarLimits limits) {
    return new CompiledConstraint(
        kind, description, dfa, minChars, maxChars, interpretation, null, startNanos, limits);
  }

  /** Fixpoint of R[s] = (accept(s) ? {0} : {}) ∪ ⋃ shift(R[t]) over transitions s -b-> t. */
  private static long[] remainingLengths(ByteDfa dfa, int cap, int words, boolean saturate) {
    int n = dfa.stateCount();
    int k = dfa.classCount();
    // Per class: does it contain lead bytes (start a code point) and/or continuation bytes.
    boolean[] hasLead = new boolean[k];
    boolean[] hasCont = new boolean[k];
    for (int b = 0; b < 256; b++) {
      if ((b & 0xC0) == 0x80) {
        hasCont[dfa.byteClass(b)] = true;
      } else {
        hasLead[dfa.byteClass(b)] = true;
      }
    }
    int[] revStart = new int[n + 1];
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < k; c++) {
        int t = dfa.stepClass(s, c);
        if (t >= 0) {
          revStart[t + 1]++;
        }
      }
    }
    for (int s = 0; s < n; s++) {
      revStart[s + 1] += revStart[s];
    }
    int[] revSrc = new int[revStart[n]];
    int[] revCls = new int[revStart[n]];
    int[] fill = Arrays.copyOf(revStart, n);
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < k; c++) {
        int t = dfa.stepClass(s, c);
        if (t >= 0) {
          revSrc[fill[t]] = s;
          revCls[fill[t]++] = c;
        }
      }
    }
    long[] r = new long[n * words];
    int[] queue = new int[n];
    boolean[] queued = new boolean[n];
    int head = 0;
    int size = 0;
    for (int s = 0; s < n; s++) {
      if (dfa.isAccepting(s)) {
        r[s * words] = 1L;
      }
    }
    // Seed the worklist in reverse topological order when the DFA is acyclic (quotes, choices):
    // then every state is final when it is taken, and each is processed once. Otherwise seed the
    // accepting states and iterate to the fixpoint.
    int[] topo = reverseTopologicalOrder(dfa);
    if (topo != null) {
      for (int s : topo) {
        queue[(head + size++) % n] = s;
        queued[s] = true;
      }
    } else {
      for (int s = 0; s < n; s++) {
        if (dfa.isAccepting(s)) {
          queue[(head + size++) % n] = s;
          queued[s] = true;
        }
      }
    }
    long[] shifted = new long[words];
    while (size > 0) {
      int t = queue[head];
      head = (head + 1) % n;
      size--;
      queued[t] = false;
      // shifted = R[t] << 1, capped (saturating at cap when only a lower bound is tracked)
      long carry = 0;
      for (int w = 0; w < words; w++) {
        long v = r[t * words + w];
        shifted[w] = (v << 1) | carry;
        carry = v >>> 63;
      }
      int topWord = cap >>> 6;
      long topMask = (cap & 63) == 63 ? -1L : (1L << ((cap & 63) + 1)) - 1;
      if (saturate && (r[t * words + topWord] & (1L << (cap & 63))) != 0) {
        shifted[topWord] |= 1L << (cap & 63);
      }
      shifted[topWord] &= topMask;
      for (int e = revStart[t]; e < revStart[t + 1]; e++) {
        int s = revSrc[e];
        int c = revCls[e];
        boolean changed = false;
        for (int w = 0; w < words; w++) {
          long add = (hasLead[c] ? shifted[w] : 0) | (hasCont[c] ? r[t * words + w] : 0);
          long old = r[s * words + w];
          if ((old | add) != old) {
            r[s * words + w] = old | add;
            changed = true;
          }
        }
        if (changed && !queued[s]) {
          queued[s] = true;
          queue[(head + size++) % n] = s;
        }
      }
    }
    return r;
  }

  /**
   * States ordered so that every state comes after all its successors, or null when the DFA has a
   * cycle. Iterative depth-first search, O(n k).
   */
  private static int[] reverseTopologicalOrder(ByteDfa dfa) {
    int n = dfa.stateCount();
    int k = dfa.classCount();
    int[] color = new int[n]; // 0 new, 1 on stack, 2 done
    int[] order = new int[n];
    int done = 0;
    int[] stack = new int[n];
    int[] next = new int[n]; // next class to explore per stacked state
    for (int root = 0; root < n; root++) {
      if (color[root] != 0) {
        continue;
      }
      int sp = 0;
      stack[sp++] = root;
      color[root] = 1;
      next[root] = 0;
      while (sp > 0) {
        int s = stack[sp - 1];
        if (next[s] == k) {
          color[s] = 2;
          order[done++] = s;
          sp--;
          continue;
        }
        int t = dfa.stepClass(s, next[s]++);
        if (t < 0 || color[t] == 2) {
          continue;
        }
        if (color[t] == 1) {
          return null;
        }
        color[t] = 1;
        next[t] = 0;
        stack[sp++] = t;
      }
    }
    return order;
  }

  public ConstraintKind kind() {
    return kind;
  }

  /** User-facing description, e.g. {@code regex "[a-z]+"}. */
  public String description() {
    return description;
  }

  /**
   * The byte-level DFA of a regular constraint.
   *
   * @throws IllegalStateException for a context-free constraint ({@link #isContextFree()}), which
   *     has no single DFA: use {@link #grammar()}
   */
  public ByteDfa dfa() {
    if (dfa == null) {
      throw new IllegalStateException(description + " is context-free: it has no single DFA");
    }
    return dfa;
  }

  /**
   * True when this constraint needs the parser ({@link #grammar()}): its language is not regular,
   * or not within the DFA budget. Regular constraints, which are most, have a {@link #dfa()}.
   */
  public boolean isContextFree() {
    return cfg != null;
  }

  /**
   * The context-free grammar of a context-free constraint.
   *
   * @throws IllegalStateException for a regular constraint
   */
  public ContextFreeGrammar grammar() {
    if (cfg == null) {
      throw new IllegalStateException(description + " is regular: it has a DFA, not a grammar");
    }
    return cfg;
  }

  /** Least accepted length in code points (0 when unbounded). */
  public int minChars() {
    return minChars;
  }

  /** Greatest accepted length in code points ({@code Integer.MAX_VALUE} when unbounded). */
  public int maxChars() {
    return maxChars;
  }

  /** True when the constraint carries a length bound beyond its DFA. */
  public boolean hasLengthBounds() {
    return remaining != null;
  }

  /**
   * True when some accepted output extends the text that led to {@code dfaState} and has {@code
   * charsSoFar} code points (UTF-8 lead bytes) so far. Exact; allocation free.
   */
  public boolean canComplete(int dfaState, int charsSoFar) {
    if (!dfa().isLive(dfaState)) {
      return false;
    }
    if (remaining == null) {
      return true;
    }
    if (charsSoFar > maxChars) {
      return false;
    }
    // need some r in R[state] with minChars - charsSoFar <= r <= maxChars - charsSoFar
    int lo = Math.max(0, minChars - charsSoFar);
    int hi = maxChars == Integer.MAX_VALUE ? cap : maxChars - charsSoFar;
    if (lo > cap) {
      lo = cap; // only reachable when saturating: cap means ">= cap"
    }
    hi = Math.min(hi, cap);
    if (lo > hi) {
      return false;
    }
    int base = dfaState * words;
    for (int w = lo >>> 6; w <= hi >>> 6; w++) {
      long bits = remaining[base + w];
      if (w == lo >>> 6) {
        bits &= -1L << (lo & 63);
      }
      if (w == hi >>> 6 && (hi & 63) != 63) {
        bits &= (1L << ((hi & 63) + 1)) - 1;
      }
      if (bits != 0) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code output} is accepted, length bounds included. */
  public boolean matches(String output) {
    if (cfg != null) {
      return cfg.matches(output);
    }
    if (!dfa.matches(output.getBytes(StandardCharsets.UTF_8))) {
      return false;
    }
    int n = output.codePointCount(0, output.length());
    return n >= minChars && n <= maxChars;
  }

  /**
   * True when some output the constraint generates starts with {@code text} (length bounds
   * included): the text is a prefix generation can extend to a complete output.
   */
  public boolean isPrefix(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (cfg != null) {
      EarleyParser p = cfg.newParser();
      return p.pushAll(bytes, 0, bytes.length);
    }
    int state = dfa.run(dfa.initialState(), bytes, 0, bytes.length);
    int chars = text.codePointCount(0, text.length());
    return dfa.isLive(state) && chars <= maxChars && canComplete(state, chars);
  }

  /**
   * The schema keywords that constrained nothing (annotations outside the JSON Schema vocabulary,
   * unimplemented {@code format}s), in document order; empty for other kinds. Complete: nothing is
   * ignored without being listed here.
   */
  public List<IgnoredKeyword> ignoredKeywords() {
    return ignoredKeywords;
  }

  /**
   * What a grammar constraint's text wrote that does not change its language (Lark priorities), in
   * text order; empty for other kinds. Complete: nothing is ignored without being listed here.
   */
  public List<GrammarNote> grammarNotes() {
    return grammarNotes;
  }

  /**
   * Why some valid outputs cannot be generated (a JSON Schema compiled with a bound of the output
   * format: a format subset, a free-form value's nesting, the complement universe of a {@code not},
   * ...; the reason starts with the JSON pointer of the subschema), or null when every valid output
   * can be. Generated outputs are valid either way.
   */
  public String subsetReason() {
    return subsetReason;
  }

  /**
   * True when {@code text} is valid for the constraint in the sense of its source: accepted as it
   * is ({@link #matches}) or in its normal form. For JSON Schema the normal form is the same text
   * with every number in canonical spelling ({@code 1E+2} is {@code 100}, draft-04: {@code 100.0};
   * numbers whose canonical spelling exceeds 4,096 characters have none), so every spelling of a
   * valid value is accepted, while {@link #matches} tells whether generation can produce this exact
   * spelling. Other kinds: {@link #matches}.
   */
  public boolean accepts(String text) {
    if (matches(text)) {
      return true;
    }
    if (normalizer == null) {
      return false;
    }
    String normal = normalizer.apply(text);
    return normal != null && !normal.equals(text) && matches(normal);
  }

  /** Sizes and compile time. */
  public Stats stats() {
    return stats;
  }

  /**
   * A shortest accepted output (fewest UTF-8 bytes; with length bounds, the walk is restricted to
   * states where {@link #canComplete} holds), or null when none exists.
   */
  public String shortestExample() {
    if (cfg != null) {
      return cfg.shortestExample();
    }
    if (remaining == null) {
      byte[] b = dfa.shortestExample();
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
    // Breadth-first search over (state, chars so far) pairs, pruned by canComplete.
    int width = maxChars == Integer.MAX_VALUE ? minChars + 1 : maxChars + 1;
    int n = dfa.stateCount();
    long pairs = (long) n * width;
    if (pairs > (1 << 22) && maxChars != Integer.MAX_VALUE) {
      return guidedWalk();
    }
    int[] parent = new int[(int) Math.min(pairs, Integer.MAX_VALUE - 8)];
    Arrays.fill(parent, -2);
    byte[] via = new byte[parent.length];
    int[] queue = new int[parent.length];
    int head = 0;
    int tail = 0;
    int start = dfa.initialState() * width;
    parent[start] = -1;
    queue[tail++] = start;
    while (head < tail) {
      int node = queue[head++];
      int s = node / width;
      int chars = node % width;
      if (dfa.isAccepting(s) && chars >= Math.min(minChars, width - 1) && chars <= maxChars) {
        int len = 0;
        for (int x = node; parent[x] != -1; x = parent[x]) {
          len++;
        }
        byte[] out = new byte[len];
        for (int x = node, i = len - 1; parent[x] != -1; x = parent[x], i--) {
          out[i] = via[x];
        }
        return new String(out, StandardCharsets.UTF_8);
      }
      for (int b = 0; b < 256; b++) {
        int t = dfa.step(s, b);
        int c = (b & 0xC0) == 0x80 ? chars : chars + 1;
        if (t < 0 || c > maxChars || !canComplete(t, c)) {
          continue;
        }
        int next = t * width + Math.min(c, width - 1);
        if (parent[next] == -2) {
          parent[next] = node;
          via[next] = (byte) b;
          queue[tail++] = next;
        }
      }
    }
    return null;
  }

  /**
   * A short accepted output when the exact search space is too large: always takes the smallest
   * byte after which completion stays possible. Terminates because {@code maxChars} is finite and a
   * UTF-8 DFA reads at most 4 bytes per code point.
   */
  private String guidedWalk() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int s = dfa.initialState();
    int chars = 0;
    while (!(dfa.isAccepting(s) && chars >= minChars)) {
      int next = -1;
      for (int b = 0; b < 256 && next < 0; b++) {
        int t = dfa.step(s, b);
        int c = (b & 0xC0) == 0x80 ? chars : chars + 1;
        if (t >= 0 && c <= maxChars && canComplete(t, c)) {
          next = t;
          chars = c;
          out.write(b);
        }
      }
      s = next;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The named captures of a template output; empty for other kinds or a non-matching output. */
  public Map<String, Capture> captures(String output) {
    return interpretation == null ? Map.of() : interpretation.captures(output);
  }

  /** Where a quote output occurs in the passages; null for other kinds or no match. */
  public QuoteMatch locate(String output) {
    return interpretation == null ? null : interpretation.locate(output);
  }

  @Override
  public String toString() {
    return kind + " " + description + " " + stats;
  }
}
