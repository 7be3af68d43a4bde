package io.guidepost.grammar;

/**
 * Any other malformed constraint input ({@code invalid-constraint}): an empty choice list, a quote
 * with no passages or with {@code minChars > maxChars}, a template hole with a duplicate name, a
 * string containing a lone surrogate.
 */
public final class InvalidConstraintException extends ConstraintException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason user-facing description of what is wrong
   */
  public InvalidConstraintException(String reason) {
    super("invalid constraint: " + reason);
    this.reason = reason;
  }

  @Override
  public String type() {
    return "invalid-constraint";
  }

  @Override
  public String reason() {
    return reason;
  }
}
