package io.guidepost.service.grounding;

/**
 * Everything that can go wrong with a request to the corpus store or the code-list registry because
 * of what the caller asked for (as opposed to I/O faults, which surface as {@link
 * java.io.UncheckedIOException}).
 *
 * <p>Each subclass has a stable {@link #type()} slug (for {@code application/problem+json} type
 * URIs) and a {@link #category()} that says how a REST layer should answer: {@link
 * Category#NOT_FOUND} (404), {@link Category#CONFLICT} (409) or {@link Category#INVALID} (400, or
 * 422 for well-formed requests whose content cannot be processed). Messages are precise and name
 * the offending value, line or limit; they never contain stack traces or file-system paths.
 *
 * <p>Immutable, so thread-safe.
 */
public abstract sealed class GroundingException extends RuntimeException
    permits GroundingException.NotFound,
        GroundingException.AlreadyExists,
        GroundingException.InvalidName,
        GroundingException.InvalidInput,
        GroundingException.MalformedLine,
        GroundingException.LimitExceeded {

  private static final long serialVersionUID = 1L;

  /** How a REST layer should classify the error. */
  public enum Category {
    /** The named corpus, code list, document or code does not exist. */
    NOT_FOUND,
    /** The request conflicts with existing state (e.g. the name is taken). */
    CONFLICT,
    /** The request or its content is invalid. */
    INVALID
  }

  GroundingException(String message) {
    super(message);
  }

  /**
   * A stable, lower-case, hyphenated identifier of the error kind, e.g. {@code corpus-not-found}.
   */
  public abstract String type();

  /** How a REST layer should classify the error. */
  public abstract Category category();

  /** What kind of named thing a {@link NotFound} or {@link AlreadyExists} refers to. */
  public enum ResourceKind {
    /** A corpus of documents. */
    CORPUS("corpus"),
    /** A document inside a corpus. */
    DOCUMENT("document"),
    /** A passage inside a document. */
    PASSAGE("passage"),
    /** A code list (code system). */
    CODE_LIST("code-list"),
    /** A code inside a code list. */
    CODE("code");

    private final String slug;

    ResourceKind(String slug) {
      this.slug = slug;
    }

    /** The lower-case hyphenated name, e.g. {@code code-list}. */
    public String slug() {
      return slug;
    }

    String words() {
      return slug.replace('-', ' ');
    }
  }

  /** A named corpus, document, passage, code list or code does not exist. */
  public static final class NotFound extends GroundingException {
    private static final long serialVersionUID = 1L;
    private final ResourceKind kind;
    private final String name;

    NotFound(ResourceKind kind, String name, String where) {
      super(kind.words() + " '" + name + "' not found" + (where == null ? "" : " in " + where));
      this.kind = kind;
      this.name = name;
    }

    /** What kind of thing is missing. */
    public ResourceKind kind() {
      return kind;
    }

    /** The name or id that was asked for. */
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return kind.slug() + "-not-found";
    }

    @Override
    public Category category() {
      return Category.NOT_FOUND;
    }
  }

  /** A corpus or code list with this name already exists. */
  public static final class AlreadyExists extends GroundingException {
    private static final long serialVersionUID = 1L;
    private final ResourceKind kind;
    private final String name;

    AlreadyExists(ResourceKind kind, String name) {
      super(kind.words() + " '" + name + "' already exists");
      this.kind = kind;
      this.name = name;
    }

    /** What kind of thing exists. */
    public ResourceKind kind() {
      return kind;
    }

    /** The name that is taken. */
    public String name() {
      return name;
    }

    @Override
    public String type() {
      return kind.slug() + "-exists";
    }

    @Override
    public Category category() {
      return Category.CONFLICT;
    }
  }

  /** A corpus or code-list name does not match {@code [a-z0-9][a-z0-9_-]{0,63}}. */
  public static final class InvalidName extends GroundingException {
    private static final long serialVersionUID = 1L;

    InvalidName(ResourceKind kind, String name) {
      super(
          kind.words()
              + " name "
              + Names.quoteForMessage(name)
              + " is invalid: it must match "
              + Names.PATTERN_TEXT);
    }

    @Override
    public String type() {
      return "invalid-name";
    }

    @Override
    public Category category() {
      return Category.INVALID;
    }
  }

  /** A document, code list, option or query is invalid (e.g. empty text, bad overlap). */
  public static final class InvalidInput extends GroundingException {
    private static final long serialVersionUID = 1L;

    InvalidInput(String message) {
      super(message);
    }

    @Override
    public String type() {
      return "invalid-input";
    }

    @Override
    public Category category() {
      return Category.INVALID;
    }
  }

  /**
   * A line of an NDJSON body, an ICD-10-CM codes file or a CSV file is malformed, or repeats a key
   * that must be unique. {@link #lineNumber()} is 1-based.
   */
  public static final class MalformedLine extends GroundingException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final long lineNumber;

    MalformedLine(String source, long lineNumber, String detail) {
      super(source + " line " + lineNumber + ": " + detail);
      this.source = source;
      this.lineNumber = lineNumber;
    }

    /** What was being read, e.g. {@code NDJSON}, {@code ICD-10-CM codes file}, {@code CSV}. */
    public String source() {
      return source;
    }

    /** The 1-based line number of the offending line (for CSV: where the record starts). */
    public long lineNumber() {
      return lineNumber;
    }

    @Override
    public String type() {
      return "malformed-line";
    }

    @Override
    public Category category() {
      return Category.INVALID;
    }
  }

  /** A configured limit would be exceeded; the message names the limit and both numbers. */
  public static final class LimitExceeded extends GroundingException {
    private static final long serialVersionUID = 1L;
    private final String limit;
    private final long max;
    private final long actual;

    LimitExceeded(String limit, long max, long actual, String what) {
      super(what + ": " + actual + " exceeds the limit " + limit + " = " + max);
      this.limit = limit;
      this.max = max;
      this.actual = actual;
    }

    /** The limit's configuration name, e.g. {@code max-document-bytes}. */
    public String limit() {
      return limit;
    }

    /** The configured maximum. */
    public long max() {
      return max;
    }

    /** The value that exceeded it. */
    public long actual() {
      return actual;
    }

    @Override
    public String type() {
      return "limit-exceeded";
    }

    @Override
    public Category category() {
      return Category.INVALID;
    }
  }
}
