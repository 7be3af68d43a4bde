package io.guidepost.grammar;

/**
 * Base of every error raised when a constraint cannot be compiled or honoured exactly.
 *
 * <p>The family is sealed: callers (the HTTP layer maps these to {@code application/problem+json})
 * can switch over the subclasses exhaustively. {@link #type()} is a stable, lower-case slug
 * suitable for a problem type URI; it never changes between releases. The accessors that do not
 * apply to a subclass return {@code -1} or {@code null}.
 *
 * <p>Messages are user-facing: they name what is wrong and where (regex index, JSON pointer, limit
 * with its numbers) and never contain internal class names.
 */
public abstract sealed class ConstraintException extends RuntimeException
    permits RegexSyntaxException,
        GrammarSyntaxException,
        SchemaException,
        ConstraintTooComplexException,
        EmptyConstraintException,
        InvalidConstraintException {
  private static final long serialVersionUID = 1L;

  ConstraintException(String message) {
    super(message);
  }

  /**
   * Stable slug: {@code regex-syntax}, {@code regex-unsupported}, {@code grammar-syntax}, {@code
   * grammar-unsupported}, {@code schema-invalid}, {@code schema-unsupported}, {@code too-complex},
   * {@code empty-language} or {@code invalid-constraint}.
   */
  public abstract String type();

  /** The reason alone, without position or limit decoration. */
  public abstract String reason();

  /** 0-based char (UTF-16 unit) index into the regex pattern, or -1 when not applicable. */
  public int position() {
    return -1;
  }

  /** JSON pointer (RFC 6901) into the schema, or null when not applicable. */
  public String jsonPointer() {
    return null;
  }

  /** The offending JSON Schema keyword, or null when not applicable. */
  public String keyword() {
    return null;
  }

  /** Name of the limit that was exceeded (a {@link GrammarLimits} component), or null. */
  public String limitName() {
    return null;
  }

  /** Value of the exceeded limit, or -1. */
  public long limit() {
    return -1;
  }

  /** The observed or attempted value that exceeded the limit, or -1. */
  public long observed() {
    return -1;
  }

  /** Unit of {@link #limit()} and {@link #observed()} (e.g. "states"), or null. */
  public String unit() {
    return null;
  }
}
