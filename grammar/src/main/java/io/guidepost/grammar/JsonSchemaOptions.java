package io.guidepost.grammar;

/**
 * Options of {@link JsonSchema#compile(String, JsonSchemaOptions)}.
 *
 * <p>{@code maxWhitespaceRun == 0} is the compact output format (no whitespace at all); a positive
 * value allows up to that many of {@code ' ' \t \n \r} after each {@code {}, {@code [}, {@code :}
 * and {@code ,} and before each {@code :}, {@code ,}, {@code }} and {@code ]}, bounded so that the
 * automaton stays finite in that dimension and generation cannot stall in whitespace.
 *
 * <p>{@code anyValueDepth} bounds the nesting of free-form values (under {@code {}}, {@code true},
 * absent {@code additionalProperties} or {@code items}): arrays and objects inside them nest at
 * most this deep (the automaton of arbitrary JSON grows about twofold per level). Where such a
 * value sits at a location whose members other subschemas name, those known levels do not count (up
 * to a fixed number of them). A schema with free-form values therefore compiles to a subset of its
 * valid documents. The unrolling of recursive {@code $ref}s is {@link
 * GrammarLimits#recursionUnrollDepth()}.
 *
 * @param maxWhitespaceRun 0 for compact output, else the longest whitespace run between tokens
 * @param anyValueDepth nesting depth of free-form values, 0..8
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
 */
public record JsonSchemaOptions(
    int maxWhitespaceRun, int anyValueDepth, GrammarLimits limits, boolean strictKeywords) {

  /** Compact output, free-form values nested up to 2 levels, default limits. */
  public static final JsonSchemaOptions DEFAULTS =
      new JsonSchemaOptions(0, 2, GrammarLimits.DEFAULTS, false);

  /** The deepest free-form nesting accepted ({@code anyValueDepth}). */
  public static final int MAX_ANY_VALUE_DEPTH = 8;

  /** Checks the ranges. */
  public JsonSchemaOptions {
    if (maxWhitespaceRun < 0 || maxWhitespaceRun > 64) {
      throw new IllegalArgumentException("maxWhitespaceRun must be 0..64: " + maxWhitespaceRun);
    }
    if (anyValueDepth < 0 || anyValueDepth > MAX_ANY_VALUE_DEPTH) {
      throw new IllegalArgumentException(
          "anyValueDepth must be 0.." + MAX_ANY_VALUE_DEPTH + ": " + anyValueDepth);
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
  }

  /** Options with the default keyword policy (unknown keywords are reported annotations). */
  public JsonSchemaOptions(int maxWhitespaceRun, int anyValueDepth, GrammarLimits limits) {
    this(maxWhitespaceRun, anyValueDepth, limits, false);
  }

  /** A copy with the keyword policy replaced (see {@code strictKeywords} above). */
  public JsonSchemaOptions withStrictKeywords(boolean strict) {
    return new JsonSchemaOptions(maxWhitespaceRun, anyValueDepth, limits, strict);
  }

  /** Compact output (no whitespace). */
  public JsonSchemaOptions compact() {
    return new JsonSchemaOptions(0, anyValueDepth, limits, strictKeywords);
  }

  /** Flexible whitespace: runs of up to {@code maxRun} whitespace characters between tokens. */
  public JsonSchemaOptions flexible(int maxRun) {
    return new JsonSchemaOptions(maxRun, anyValueDepth, limits, strictKeywords);
  }

  /** A copy with the free-form nesting depth replaced. */
  public JsonSchemaOptions withAnyValueDepth(int depth) {
    return new JsonSchemaOptions(maxWhitespaceRun, depth, limits, strictKeywords);
  }

  /** A copy with the recursion unroll depth replaced (see {@link GrammarLimits}). */
  public JsonSchemaOptions withRecursionDepth(int depth) {
    return new JsonSchemaOptions(
        maxWhitespaceRun, anyValueDepth, limits.withRecursionUnrollDepth(depth), strictKeywords);
  }

  /** A copy with other limits. */
  public JsonSchemaOptions withLimits(GrammarLimits newLimits) {
    return new JsonSchemaOptions(maxWhitespaceRun, anyValueDepth, newLimits, strictKeywords);
  }
}
