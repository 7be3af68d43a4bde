package io.guidepost.grammar;

/**
 * A JSON Schema that is invalid ({@code schema-invalid}: e.g. {@code "minLength": -1}) or uses a
 * keyword or combination that cannot be compiled exactly ({@code schema-unsupported}). Carries the
 * JSON pointer of the offending schema node and the keyword.
 */
public final class SchemaException extends ConstraintException {
  private static final long serialVersionUID = 1L;

  private final String pointer;
  private final String keyword;
  private final String reason;
  private final boolean unsupported;

  private SchemaException(String pointer, String keyword, String reason, boolean unsupported) {
    super(
        (unsupported ? "unsupported JSON Schema at " : "invalid JSON Schema at ")
            + (pointer.isEmpty() ? "the root" : pointer)
            + (keyword == null ? "" : " (keyword \"" + keyword + "\")")
            + ": "
            + reason);
    this.pointer = pointer;
    this.keyword = keyword;
    this.reason = reason;
    this.unsupported = unsupported;
  }

  /**
   * A schema using something that cannot be honoured exactly.
   *
   * @param pointer JSON pointer of the schema node ("" for the root)
   * @param keyword the keyword involved, or null
   */
  public static SchemaException unsupported(String pointer, String keyword, String reason) {
    return new SchemaException(pointer, keyword, reason, true);
  }

  /** A schema that is not valid JSON Schema. */
  public static SchemaException invalid(String pointer, String keyword, String reason) {
    return new SchemaException(pointer, keyword, reason, false);
  }

  @Override
  public String type() {
    return unsupported ? "schema-unsupported" : "schema-invalid";
  }

  @Override
  public String reason() {
    return reason;
  }

  @Override
  public String jsonPointer() {
    return pointer;
  }

  @Override
  public String keyword() {
    return keyword;
  }

  /** True for {@code schema-unsupported}, false for {@code schema-invalid}. */
  public boolean isUnsupported() {
    return unsupported;
  }
}
