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
 * @param limits compile limits (DFA states, schema size and depth, recursion unrolling)
 */
public record JsonSchemaOptions(int maxWhitespaceRun, int anyValueDepth, GrammarLimits limits) {

  /** Compact output, free-form values nested up to 2 levels, default limits. */
  public static final JsonSchemaOptions DEFAULTS =
      new JsonSchemaOptions(0, 2, GrammarLimits.DEFAULTS);

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

  /** Compact output (no whitespace). */
  public JsonSchemaOptions compact() {
    return new JsonSchemaOptions(0, anyValueDepth, limits);
  }

  /** Flexible whitespace: runs of up to {@code maxRun} whitespace characters between tokens. */
  public JsonSchemaOptions flexible(int maxRun) {
    return new JsonSchemaOptions(maxRun, anyValueDepth, limits);
  }

  /** A copy with the free-form nesting depth replaced. */
  public JsonSchemaOptions withAnyValueDepth(int depth) {
    return new JsonSchemaOptions(maxWhitespaceRun, depth, limits);
  }

  /** A copy with the recursion unroll depth replaced (see {@link GrammarLimits}). */
  public JsonSchemaOptions withRecursionDepth(int depth) {
    return new JsonSchemaOptions(
        maxWhitespaceRun, anyValueDepth, limits.withRecursionUnrollDepth(depth));
  }

  /** A copy with other limits. */
  public JsonSchemaOptions withLimits(GrammarLimits newLimits) {
    return new JsonSchemaOptions(maxWhitespaceRun, anyValueDepth, newLimits);
  }
}
