package io.guidepost.grammar;

/**
 * Limits of the context-free layer, on top of the {@link GrammarLimits} that bound its lexemes.
 * Exceeding one raises {@link ConstraintTooComplexException} naming the component, its value and
 * the value reached: at compile time for the grammar's size, at generation time for the parser's
 * work per byte.
 *
 * @param maxGrammarChars longest grammar text accepted, in UTF-16 chars (default 1,000,000)
 * @param maxGrammarSymbols most symbols in all productions after lowering (default 200,000; the
 *     lowering of bounded repetitions {@code x{n,m}} makes {@code m} copies)
 * @param maxRowItems most Earley items in the parser's set after one byte (default 100,000; a
 *     highly ambiguous grammar can need many items per byte, each costing time at every step)
 * @param maxLexemeStates most states of one lexeme's automaton before a regular part of the grammar
 *     stays with the parser instead of being folded into a lexeme (default 4,096 states; not an
 *     error, a size choice: larger lexemes mean fewer parser steps but more memory)
 * @param maxStepMillis wall-clock time one decoding step's mask may take, in milliseconds (default
 *     1,000; a mask normally takes microseconds, so this stops only a pathological grammar)
 */
public record ParserLimits(
    int maxGrammarChars,
    int maxGrammarSymbols,
    int maxRowItems,
    int maxLexemeStates,
    long maxStepMillis) {

  /** The defaults documented on each component. */
  public static final ParserLimits DEFAULTS =
      new ParserLimits(1_000_000, 200_000, 100_000, 4_096, 1_000L);

  /** Validates that every limit is positive. */
  public ParserLimits {
    if (maxGrammarChars < 1
        || maxGrammarSymbols < 1
        || maxRowItems < 1
        || maxLexemeStates < 1
        || maxStepMillis < 1) {
      throw new IllegalArgumentException("parser limits must be positive: " + this);
    }
  }

  /** A copy with {@code maxRowItems} replaced. */
  public ParserLimits withMaxRowItems(int v) {
    return new ParserLimits(maxGrammarChars, maxGrammarSymbols, v, maxLexemeStates, maxStepMillis);
  }

  /** A copy with {@code maxGrammarSymbols} replaced. */
  public ParserLimits withMaxGrammarSymbols(int v) {
    return new ParserLimits(maxGrammarChars, v, maxRowItems, maxLexemeStates, maxStepMillis);
  }

  /** A copy with {@code maxLexemeStates} replaced. */
  public ParserLimits withMaxLexemeStates(int v) {
    return new ParserLimits(maxGrammarChars, maxGrammarSymbols, maxRowItems, v, maxStepMillis);
  }

  /** A copy with {@code maxStepMillis} replaced. */
  public ParserLimits withMaxStepMillis(long v) {
    return new ParserLimits(maxGrammarChars, maxGrammarSymbols, maxRowItems, maxLexemeStates, v);
  }
}
