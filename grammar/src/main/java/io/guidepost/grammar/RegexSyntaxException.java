package io.guidepost.grammar;

/**
 * A regular expression that is malformed ({@code regex-syntax}) or uses a feature that cannot be
 * compiled to a finite automaton exactly ({@code regex-unsupported}: backreferences, lookbehind,
 * possessive quantifiers, inline flags).
 *
 * <p>{@link #position()} is the 0-based index, in UTF-16 units, of the offending character in
 * {@link #pattern()}; it equals {@code pattern().length()} for "unexpected end of pattern".
 */
public final class RegexSyntaxException extends ConstraintException {
  private static final long serialVersionUID = 1L;

  private final String pattern;
  private final int index;
  private final String reason;
  private final boolean unsupported;

  private RegexSyntaxException(String pattern, int index, String reason, boolean unsupported) {
    super(
        (unsupported ? "unsupported regex feature at index " : "regex syntax error at index ")
            + index
            + ": "
            + reason
            + " (pattern: "
            + quote(pattern)
            + ")");
    this.pattern = pattern;
    this.index = index;
    this.reason = reason;
    this.unsupported = unsupported;
  }

  /** A malformed pattern. */
  public static RegexSyntaxException syntax(String pattern, int index, String reason) {
    return new RegexSyntaxException(pattern, index, reason, false);
  }

  /** A well-formed pattern using a feature outside the supported subset. */
  public static RegexSyntaxException unsupported(String pattern, int index, String reason) {
    return new RegexSyntaxException(pattern, index, reason, true);
  }

  static String quote(String pattern) {
    String p = pattern.length() > 200 ? pattern.substring(0, 200) + "..." : pattern;
    return "\"" + p + "\"";
  }

  @Override
  public String type() {
    return unsupported ? "regex-unsupported" : "regex-syntax";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public int position() {
    return index;
  }

  /** The whole pattern as given. */
  public String pattern() {
    return pattern;
  }

  /** True for {@code regex-unsupported}, false for {@code regex-syntax}. */
  public boolean isUnsupported() {
    return unsupported;
  }
}
