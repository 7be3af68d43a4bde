package io.guidepost.grammar;

import java.util.function.Consumer;

/**
 * Limits on the work and memory a constraint compilation may use. Exceeding one raises {@link
 * ConstraintTooComplexException} naming the component below, its value and the value reached.
 *
 * <p>Immutable; {@link #DEFAULTS} suits a server with a few GiB of heap. Costs are per compiled
 * constraint (compiled constraints are cached and shared by the service).
 *
 * @param maxDfaStates most states of any automaton built, character- or byte-level (default 200,000
 *     states; the byte DFA costs about {@code 4 * classes} bytes per state, e.g. 200,000 states x
 *     40 classes = 32 MB, and token-level masks are computed per reached state)
 * @param maxDeterminizationWork most steps of one subset construction, counted as NFA states
 *     visited plus transitions split (default 20,000,000 steps, roughly 1 s of CPU); guards against
 *     the exponential blow-up of patterns like {@code (a|b)*a(a|b){30}}
 * @param maxRegexLength longest regex pattern accepted, in UTF-16 chars (default 10,000 chars)
 * @param maxRepeatCount largest bound in a {@code {n}}, {@code {n,}} or {@code {n,m}} quantifier
 *     (default 10,000; each unit of a bound copies the repeated automaton once)
 * @param maxSchemaDepth deepest nesting of JSON Schema subschemas (default 64 levels)
 * @param maxSchemaNodes most subschemas in one JSON Schema, after {@code $ref} expansion (default
 *     10,000 subschemas)
 * @param recursionUnrollDepth how many times a recursive {@code $ref} is unrolled before the
 *     recursion is cut (default 3 levels; each level multiplies the automaton size)
 * @param maxChoiceCount most entries in a choice list (default 200,000 entries; compile time and
 *     DFA size are linear in the total UTF-8 size)
 * @param maxChoiceBytes total UTF-8 bytes of all choice entries (default 16 MiB)
 * @param maxPassageBytes total UTF-8 bytes of all quote passages (default 1 MiB; the suffix
 *     automaton has at most {@code 2n} states for {@code n} code points)
 * @param maxTemplateParts most literal and hole parts in one template (default 256 parts)
 * @param maxCompileMillis wall-clock time one compilation may take, in milliseconds (default 10,000
 *     ms), checked between automaton operations and inside subset constructions; the work and state
 *     limits above bound the cost of each operation, this bounds their sum, so a schema with many
 *     large operations cannot hold a request thread for minutes
 */
public record GrammarLimits(
    int maxDfaStates,
    long maxDeterminizationWork,
    int maxRegexLength,
    int maxRepeatCount,
    int maxSchemaDepth,
    int maxSchemaNodes,
    int recursionUnrollDepth,
    int maxChoiceCount,
    long maxChoiceBytes,
    long maxPassageBytes,
    int maxTemplateParts,
    long maxCompileMillis) {

  /** The defaults documented on each component. */
  public static final GrammarLimits DEFAULTS =
      new GrammarLimits(
          200_000,
          20_000_000L,
          10_000,
          10_000,
          64,
          10_000,
          3,
          200_000,
          16L << 20,
          1L << 20,
          256,
          10_000L);

  /** Validates that every limit is positive (the unroll depth may be 0). */
  public GrammarLimits {
    if (maxDfaStates < 1
        || maxDeterminizationWork < 1
        || maxRegexLength < 1
        || maxRepeatCount < 1
        || maxSchemaDepth < 1
        || maxSchemaNodes < 1
        || recursionUnrollDepth < 0
        || maxChoiceCount < 1
        || maxChoiceBytes < 1
        || maxPassageBytes < 1
        || maxTemplateParts < 1
        || maxCompileMillis < 1) {
      throw new IllegalArgumentException("grammar limits must be positive: " + this);
    }
  }

  /** A copy with {@code maxDfaStates} replaced. */
  public GrammarLimits withMaxDfaStates(int v) {
    return edit(e -> e.maxDfaStates = v);
  }

  /** A copy with {@code maxDeterminizationWork} replaced. */
  public GrammarLimits withMaxDeterminizationWork(long v) {
    return edit(e -> e.maxDeterminizationWork = v);
  }

  /** A copy with {@code maxRegexLength} replaced. */
  public GrammarLimits withMaxRegexLength(int v) {
    return edit(e -> e.maxRegexLength = v);
  }

  /** A copy with {@code maxRepeatCount} replaced. */
  public GrammarLimits withMaxRepeatCount(int v) {
    return edit(e -> e.maxRepeatCount = v);
  }

  /** A copy with {@code maxSchemaDepth} replaced. */
  public GrammarLimits withMaxSchemaDepth(int v) {
    return edit(e -> e.maxSchemaDepth = v);
  }

  /** A copy with {@code maxSchemaNodes} replaced. */
  public GrammarLimits withMaxSchemaNodes(int v) {
    return edit(e -> e.maxSchemaNodes = v);
  }

  /** A copy with {@code recursionUnrollDepth} replaced. */
  public GrammarLimits withRecursionUnrollDepth(int v) {
    return edit(e -> e.recursionUnrollDepth = v);
  }

  /** A copy with {@code maxChoiceCount} replaced. */
  public GrammarLimits withMaxChoiceCount(int v) {
    return edit(e -> e.maxChoiceCount = v);
  }

  /** A copy with {@code maxChoiceBytes} replaced. */
  public GrammarLimits withMaxChoiceBytes(long v) {
    return edit(e -> e.maxChoiceBytes = v);
  }

  /** A copy with {@code maxPassageBytes} replaced. */
  public GrammarLimits withMaxPassageBytes(long v) {
    return edit(e -> e.maxPassageBytes = v);
  }

  /** A copy with {@code maxTemplateParts} replaced. */
  public GrammarLimits withMaxTemplateParts(int v) {
    return edit(e -> e.maxTemplateParts = v);
  }

  /** A copy with {@code maxCompileMillis} replaced. */
  public GrammarLimits withMaxCompileMillis(long v) {
    return edit(e -> e.maxCompileMillis = v);
  }

  /** The components as mutable fields, for the with-methods. */
  private static final class Edit {
    int maxDfaStates;
    long maxDeterminizationWork;
    int maxRegexLength;
    int maxRepeatCount;
    int maxSchemaDepth;
    int maxSchemaNodes;
    int recursionUnrollDepth;
    int maxChoiceCount;
    long maxChoiceBytes;
    long maxPassageBytes;
    int maxTemplateParts;
    long maxCompileMillis;
  }

  private GrammarLimits edit(Consumer<Edit> change) {
    Edit e = new Edit();
    e.maxDfaStates = maxDfaStates;
    e.maxDeterminizationWork = maxDeterminizationWork;
    e.maxRegexLength = maxRegexLength;
    e.maxRepeatCount = maxRepeatCount;
    e.maxSchemaDepth = maxSchemaDepth;
    e.maxSchemaNodes = maxSchemaNodes;
    e.recursionUnrollDepth = recursionUnrollDepth;
    e.maxChoiceCount = maxChoiceCount;
    e.maxChoiceBytes = maxChoiceBytes;
    e.maxPassageBytes = maxPassageBytes;
    e.maxTemplateParts = maxTemplateParts;
    e.maxCompileMillis = maxCompileMillis;
    change.accept(e);
    return new GrammarLimits(
        e.maxDfaStates,
        e.maxDeterminizationWork,
        e.maxRegexLength,
        e.maxRepeatCount,
        e.maxSchemaDepth,
        e.maxSchemaNodes,
        e.recursionUnrollDepth,
        e.maxChoiceCount,
        e.maxChoiceBytes,
        e.maxPassageBytes,
        e.maxTemplateParts,
        e.maxCompileMillis);
  }
}
