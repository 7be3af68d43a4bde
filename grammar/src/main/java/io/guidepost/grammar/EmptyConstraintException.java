package io.guidepost.grammar;

/**
 * The constraint accepts no output at all ({@code empty-language}), e.g. {@code [^\s\S]}, or a
 * schema with {@code "minLength": 5, "maxLength": 2}. Generation under it could never finish.
 */
public final class EmptyConstraintException extends ConstraintException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param what the constraint, described for the user (e.g. {@code regex "[^\s\S]"})
   */
  public EmptyConstraintException(String what) {
    super("constraint accepts no output: " + what);
    this.reason = what;
  }

  @Override
  public String type() {
    return "empty-language";
  }

  @Override
  public String reason() {
    return reason;
  }
}
