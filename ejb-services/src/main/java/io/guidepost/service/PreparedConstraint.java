package io.guidepost.service;

import io.guidepost.decoding.ConstraintCursor;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.TokenConstraint;
import io.guidepost.grammar.Capture;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.QuoteMatch;
import java.util.Map;

/**
 * A constraint compiled for the loaded model's vocabulary: the byte-level constraint, its token
 * layer (a {@link TokenAutomaton} for a regular constraint, shared, lazily filled, thread-safe; a
 * {@link io.guidepost.decoding.GrammarAutomaton} for a context-free one) and what is needed to
 * interpret an output. Immutable apart from the automaton's memo; shared by all requests that use
 * the same spec.
 *
 * @param spec what the client asked for
 * @param compiled the byte-level DFA and its interpretation (captures, quote provenance)
 * @param automaton the token layer over the model's vocabulary
 * @param compileNanos time to compile the spec to the first mask
 */
public record PreparedConstraint(
    ConstraintSpec spec,
    CompiledConstraint compiled,
    TokenConstraint automaton,
    long compileNanos) {

  /** A fresh per-request cursor. */
  public ConstraintCursor newCursor() {
    return automaton.newCursor();
  }

  /** Number of token ids (end of sequence included) allowed at the first step. */
  public int firstStepAllowedTokens() {
    if (automaton instanceof TokenAutomaton a) {
      return a.allowedCount(a.initialState());
    }
    long[] mask = new long[(automaton.vocabulary().logitsSize() + 63) >>> 6];
    automaton.newCursor().fillMask(mask);
    int n = 0;
    for (long w : mask) {
      n += Long.bitCount(w);
    }
    return n;
  }

  /** Number of states whose masks are memoised (0 for a context-free constraint). */
  public int cachedStates() {
    return automaton instanceof TokenAutomaton a ? a.cachedStates() : 0;
  }

  /** True when the constraint needs the parser (no single DFA). */
  public boolean isContextFree() {
    return compiled.isContextFree();
  }

  /** The constraint kind's wire name. */
  public String kind() {
    return spec.kind();
  }

  /** Named captures of a template output (empty for other kinds). */
  public Map<String, Capture> captures(String output) {
    return spec instanceof ConstraintSpec.Template ? compiled.captures(output) : Map.of();
  }

  /**
   * Where a quote output comes from: the passage and its offsets (UTF-16 units), or null for other
   * kinds.
   */
  public QuoteSource quoteSource(String output) {
    if (!(spec instanceof ConstraintSpec.Quote q)) {
      return null;
    }
    QuoteMatch m = compiled.locate(output);
    if (m == null) {
      return null;
    }
    ConstraintSpec.Passage p = q.passages().get(m.passage());
    return new QuoteSource(m.passage(), p, m.start(), m.end());
  }

  /**
   * The provenance of a quote.
   *
   * @param passageIndex index of the passage in the constraint
   * @param passage the passage (with its document, for corpus passages)
   * @param start first char (UTF-16 unit) of the quote in the passage text
   * @param end char after the last
   */
  public record QuoteSource(int passageIndex, ConstraintSpec.Passage passage, int start, int end) {
    /** The passage's id. */
    public String passageId() {
      return passage.id();
    }
  }

  /** Approximate heap footprint: DFA tables plus the token automaton's memo so far. */
  public long sizeInBytes() {
    return compiled.stats().bytes() + automaton.cacheBytes();
  }
}
