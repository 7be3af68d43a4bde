package io.guidepost.grammar;

/**
 * A grammar (Lark or GBNF) that is malformed ({@code grammar-syntax}) or uses a feature that cannot
 * be honoured exactly ({@code grammar-unsupported}: e.g. Lark's {@code %declare}, lookbehind in a
 * terminal regex, llama.cpp token references).
 *
 * <p>{@link #line()} and {@link #column()} are 1-based and point at the offending character of the
 * grammar text ({@link #position()} is the same place as a 0-based UTF-16 index); for "unexpected
 * end of grammar" they point just past the last character.
 */
public final class GrammarSyntaxException extends ConstraintException {
  private static final long serialVersionUID = 1L;

  private final String syntax;
  private final int line;
  private final int column;
  private final int index;
  private final String reason;
  private final boolean unsupported;

  private GrammarSyntaxException(
      String syntax, int line, int column, int index, String reason, boolean unsupported) {
    super(
        (unsupported ? "unsupported " : "")
            + syntax
            + " grammar"
            + (unsupported ? " feature" : " syntax error")
            + " at line "
            + line
            + ", column "
            + column
            + ": "
            + reason);
    this.syntax = syntax;
    this.line = line;
    this.column = column;
    this.index = index;
    this.reason = reason;
    this.unsupported = unsupported;
  }

  /**
   * A malformed grammar.
   *
   * @param syntax {@code "lark"} or {@code "gbnf"}
   * @param source the whole grammar text (to compute line and column)
   * @param index 0-based UTF-16 index of the offending character
   */
  public static GrammarSyntaxException syntax(
      String syntax, String source, int index, String reason) {
    return at(syntax, source, index, reason, false);
  }

  /** A well-formed grammar using a feature outside the supported subset. */
  public static GrammarSyntaxException unsupported(
      String syntax, String source, int index, String reason) {
    return at(syntax, source, index, reason, true);
  }

  private static GrammarSyntaxException at(
      String syntax, String source, int index, String reason, boolean unsupported) {
    int i = Math.max(0, Math.min(index, source.length()));
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < i; k++) {
      char c = source.charAt(k);
      if (c == '\n' || (c == '\r' && (k + 1 >= source.length() || source.charAt(k + 1) != '\n'))) {
        line++;
        lineStart = k + 1;
      }
    }
    return new GrammarSyntaxException(syntax, line, i - lineStart + 1, i, reason, unsupported);
  }

  @Override
  public String type() {
    return unsupported ? "grammar-unsupported" : "grammar-syntax";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public int position() {
    return index;
  }

  /** 1-based line of the offending character. */
  public int line() {
    return line;
  }

  /** 1-based column (UTF-16 units) of the offending character. */
  public int column() {
    return column;
  }

  /** {@code "lark"} or {@code "gbnf"}. */
  public String syntaxName() {
    return syntax;
  }

  /** True for {@code grammar-unsupported}, false for {@code grammar-syntax}. */
  public boolean isUnsupported() {
    return unsupported;
  }
}
