package io.guidepost.grammar;

/**
 * Compiling the constraint would exceed a {@link GrammarLimits} limit ({@code too-complex}).
 * Carries the limit's name (the {@code GrammarLimits} component), its value, the observed or
 * attempted value and the unit, e.g. {@code maxDfaStates = 200000 states, reached 200001}.
 */
public final class ConstraintTooComplexException extends ConstraintException {
  private static final long serialVersionUID = 1L;

  private final String limitName;
  private final long limit;
  private final long observed;
  private final String unit;
  private final String reason;

  /**
   * @param limitName the {@link GrammarLimits} component, e.g. "maxDfaStates"
   * @param limit its configured value
   * @param observed the value reached or requested (greater than {@code limit})
   * @param unit e.g. "states"
   * @param what what was being compiled, e.g. "determinizing the regex"
   */
  public ConstraintTooComplexException(
      String limitName, long limit, long observed, String unit, String what) {
    super(
        "constraint too complex: "
            + what
            + " needs "
            + (observed == limit + 1 ? "more than " + limit : String.valueOf(observed))
            + " "
            + unit
            + ", limit "
            + limitName
            + " = "
            + limit
            + " "
            + unit);
    this.limitName = limitName;
    this.limit = limit;
    this.observed = observed;
    this.unit = unit;
    this.reason = what;
  }

  @Override
  public String type() {
    return "too-complex";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public String limitName() {
    return limitName;
  }

  @Override
  public long limit() {
    return limit;
  }

  @Override
  public long observed() {
    return observed;
  }

  @Override
  public String unit() {
    return unit;
  }
}
