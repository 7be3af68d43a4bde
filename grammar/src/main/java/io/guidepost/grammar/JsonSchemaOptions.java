package io.guidepost.grammar;

/**
 * Options of {@link JsonSchema#compile(String, JsonSchemaOptions)}.
 *
 * <p>{@code maxWhitespaceRun == 0} is the compact output format (no whitespace at all); a positive
 * value allows up to that many of {@code ' ' \t \n \r} after each {@code {}, {@code [}, {@code :}
 * and {@code ,} and before each {@code :}, {@code ,}, {@code }} and {@code ]}, bounded so that the
 * automaton stays finite in that dimension and generation cannot stall in whitespace.
 *
 * <p>{@code anyValueDepth}: by default ({@link #EXACT_NESTING}, -1) free-form values (under {@code
 * {}}, {@code true}, absent {@code additionalProperties} or {@code items}) and recursive {@code
 * $ref}s are exact: such a schema compiles on the context-free layer ({@link SchemaGrammar}),
 * nesting as deep as the document needs, up to {@code maxNesting} at generation time. A value of
 * 0..8 is a speed hint that keeps the single-DFA path: arrays and objects inside free-form values
 * nest at most this deep (the automaton of arbitrary JSON grows about twofold per level; where such
 * a value sits at a location whose members other subschemas name, those known levels do not count,
 * up to a fixed number of them), recursive {@code $ref}s are unrolled {@link
 * GrammarLimits#recursionUnrollDepth()} times, and the schema compiles to a subset of its valid
 * documents (masks then cost what a DFA's do). The same bounds apply wherever the context-free
 * layer cannot take the schema apart exactly (see {@link SchemaGrammar}) and inside template holes.
 *
 * <p>{@code maxNesting}: on the context-free layer, the deepest nesting of arrays and objects a
 * generated document may reach (default {@value #DEFAULT_MAX_NESTING}); a generation that reaches
 * it stops with {@link ConstraintTooComplexException} ({@code maxNesting}), never with a document
 * cut short.
 *
 * @param maxWhitespaceRun 0 for compact output, else the longest whitespace run between tokens
 * @param anyValueDepth -1 for exact free-form values and recursion, else the bounded nesting depth
 *     of free-form values, 0..8
 *     <p>{@code strictKeywords}: by default a keyword the JSON Schema vocabularies do not define,
 *     and a {@code format} that is not implemented, is an annotation (JSON Schema 2020-12 Core
 *     §6.5: unknown keywords are collected as annotations): it constrains nothing and is reported
 *     in {@link CompiledConstraint#ignoredKeywords()}. A near-miss spelling of an assertion keyword
 *     ({@code maxlength}, {@code requried}) is an error either way. With {@code strictKeywords},
 *     every unknown keyword and unimplemented format is an error too (only the specification's own
 *     annotations, those of the well-known vocabularies listed in {@link JsonSchema} and {@code
 *     x-}/{@code _}/{@code $} names are ignored, and reported as before).
 * @param limits compile limits (DFA states, schema size and depth, recursion unrolling)
 * @param strictKeywords reject unknown keywords and unimplemented formats instead of reporting them
 * @param maxNesting deepest nesting of arrays and objects generated on the context-free layer
 */
public record JsonSchemaOptions(
    int maxWhitespaceRun,
    int anyValueDepth,
    GrammarLimits limits,
    boolean strictKeywords,
    int maxNesting) {

  /** {@code anyValueDepth} of exact free-form values and recursion (the default). */
  public static final int EXACT_NESTING = -1;

  /** The default {@code maxNesting}. */
  public static final int DEFAULT_MAX_NESTING = 64;

  /** Free-form nesting of the DFA path where the context-free layer is not used. */
  static final int BOUNDED_DEPTH = 2;

  /** Compact output, exact free-form values and recursion, default limits. */
  public static final JsonSchemaOptions DEFAULTS =
      new JsonSchemaOptions(0, EXACT_NESTING, GrammarLimits.DEFAULTS, false, DEFAULT_MAX_NESTING);

  /** The deepest free-form nesting accepted ({@code anyValueDepth}). */
  public static final int MAX_ANY_VALUE_DEPTH = 8;

  /** Checks the ranges. */
  public JsonSchemaOptions {
    if (maxWhitespaceRun < 0 || maxWhitespaceRun > 64) {
      throw new IllegalArgumentException("maxWhitespaceRun must be 0..64: " + maxWhitespaceRun);
    }
    if (anyValueDepth < EXACT_NESTING || anyValueDepth > MAX_ANY_VALUE_DEPTH) {
      throw new IllegalArgumentException(
          "anyValueDepth must be -1 (exact) or 0.." + MAX_ANY_VALUE_DEPTH + ": " + anyValueDepth);
    }
    if (maxNesting < 1 || maxNesting > 100_000) {
      throw new IllegalArgumentException("maxNesting must be 1..100000: " + maxNesting);
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
  }

  /** Options with the default keyword policy (unknown keywords are reported annotations). */
  public JsonSchemaOptions(int maxWhitespaceRun, int anyValueDepth, GrammarLimits limits) {
    this(maxWhitespaceRun, anyValueDepth, limits, false);
  }

  /** Options with the default {@code maxNesting}. */
  public JsonSchemaOptions(
      int maxWhitespaceRun, int anyValueDepth, GrammarLimits limits, boolean strictKeywords) {
    this(maxWhitespaceRun, anyValueDepth, limits, strictKeywords, DEFAULT_MAX_NESTING);
  }

  /** Whether free-form values and recursion are exact (context-free where needed). */
  public boolean exactNesting() {
    return anyValueDepth == EXACT_NESTING;
  }

  /** The free-form depth the DFA path uses: {@code anyValueDepth}, or 2 where it is exact. */
  int boundedDepth() {
    return exactNesting() ? BOUNDED_DEPTH : anyValueDepth;
  }

  /** A copy with {@code maxNesting} replaced. */
  public JsonSchemaOptions withMaxNesting(int n) {
    return new JsonSchemaOptions(maxWhitespaceRun, anyValueDepth, limits, strictKeywords, n);
  }

  /** A copy with the keyword policy replaced (see {@code strictKeywords} above). */
  public JsonSchemaOptions withStrictKeywords(boolean strict) {
    return new JsonSchemaOptions(maxWhitespaceRun, anyValueDepth, limits, strict, maxNesting);
  }

  /** Compact output (no whitespace). */
  public JsonSchemaOptions compact() {
    return new JsonSchemaOptions(0, anyValueDepth, limits, strictKeywords, maxNesting);
  }

  /** Flexible whitespace: runs of up to {@code maxRun} whitespace characters between tokens. */
  public JsonSchemaOptions flexible(int maxRun) {
    return new JsonSchemaOptions(maxRun, anyValueDepth, limits, strictKeywords, maxNesting);
  }

  /** A copy with the free-form nesting depth replaced (-1: exact). */
  public JsonSchemaOptions withAnyValueDepth(int depth) {
    return new JsonSchemaOptions(maxWhitespaceRun, depth, limits, strictKeywords, maxNesting);
  }

  /** A copy with the recursion unroll depth replaced (see {@link GrammarLimits}). */
  public JsonSchemaOptions withRecursionDepth(int depth) {
    return new JsonSchemaOptions(
        maxWhitespaceRun,
        anyValueDepth,
        limits.withRecursionUnrollDepth(depth),
        strictKeywords,
        maxNesting);
  }

  /** A copy with other limits. */
  public JsonSchemaOptions withLimits(GrammarLimits newLimits) {
    return new JsonSchemaOptions(
        maxWhitespaceRun, anyValueDepth, newLimits, strictKeywords, maxNesting);
  }
}
