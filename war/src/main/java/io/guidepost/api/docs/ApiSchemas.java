package io.guidepost.api.docs;

import io.guidepost.api.ConstraintRequests;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Shapes of the request and response bodies, for the OpenAPI document only: resources read and
 * write JSON directly (so that every error can name its JSON pointer), and these records describe
 * that JSON.
 */
public final class ApiSchemas {
  /** The {@code strict_keywords} request member (JSON Schema constraints, extract). */
  static final String STRICT_KEYWORDS =
      "reject unknown keywords and unimplemented formats (422 schema-unsupported) instead of"
          + " reporting them in ignored_keywords";

  /** The {@code ignored_keywords} answer member (compile, generate, extract). */
  static final String IGNORED_KEYWORDS =
      "JSON Schema constraints (and templates with JSON Schema holes): the first "
          + ConstraintRequests.MAX_IGNORED_KEYWORDS
          + " keywords that constrained nothing, in the order the compiler met them";

  /** The {@code ignored_keywords_count} answer member. */
  static final String IGNORED_KEYWORDS_COUNT =
      "How many keywords constrained nothing (all of them, not capped)";

  private ApiSchemas() {}

  /** A chat turn. */
  @Schema(name = "Message")
  public record Message(
      @Schema(enumeration = {"system", "user", "assistant"}) String role, String content) {}

  /** A constraint: exactly the members of its type apply. */
  @Schema(
      name = "Constraint",
      description =
          "type regex: pattern. json_schema: schema, whitespace (compact|flexible),"
              + " free_form_depth (absent: free-form values and recursion exact at any depth; 0..8: a speed hint that bounds free-form nesting and keeps the single-DFA path), strict_keywords (default false), max_nesting (1..10000, default 64: the deepest nesting of arrays and objects a generated document may reach before the generation stops with 413 too-complex)."
              + " choice: options."
              + " quote: passages [{id, text}] or corpus + query + top_k; min_length, max_length,"
              + " word_boundaries. template: parts, each {text} or {name, one of regex | choice |"
              + " json_schema | quote | free_text {stop, max_length}}.")
  public record Constraint(
      @Schema(
              required = true,
              enumeration = {"regex", "json_schema", "choice", "quote", "template"})
          String type,
      String pattern,
      Map<String, Object> schema,
      @Schema(enumeration = {"compact", "flexible"}) String whitespace,
      @Schema(
              minimum = "0",
              maximum = "8",
              description =
                  "json_schema: absent, free-form values (no additionalProperties, {}) and"
                      + " recursive $refs are exact at any depth (context-free where needed);"
                      + " 0..8, a speed hint: one automaton, with arrays and objects nested at"
                      + " most this deep inside free-form values")
          Integer free_form_depth,
      @Schema(defaultValue = "false", description = "json_schema: " + STRICT_KEYWORDS)
          Boolean strict_keywords,
      @Schema(
              defaultValue = "64",
              minimum = "1",
              maximum = "10000",
              description =
                  "json_schema: the deepest nesting of arrays and objects a generated document"
                      + " may reach; reaching it stops the generation with 413 too-complex"
                      + " (maxNesting), never a cut document")
          Integer max_nesting,
      List<String> options,
      List<Map<String, String>> passages,
      String corpus,
      String query,
      Integer top_k,
      Integer min_length,
      Integer max_length,
      Boolean word_boundaries,
      List<Map<String, Object>> parts) {}

  /** Body of POST /api/v1/generate. */
  @Schema(name = "GenerateRequest")
  public record GenerateRequest(
      @Schema(description = "Raw prompt; or give messages") String prompt,
      List<Message> messages,
      Constraint constraint,
      @Schema(defaultValue = "256", minimum = "1") Integer max_tokens,
      @Schema(defaultValue = "0", minimum = "0", maximum = "2") Double temperature,
      @Schema(defaultValue = "1") Double top_p,
      @Schema(defaultValue = "0") Integer top_k,
      @Schema(defaultValue = "0") Long seed,
      @Schema(description = "Free text only") List<String> stop,
      @Schema(defaultValue = "false") Boolean stream,
      @Schema(defaultValue = "0", description = "0 = the server default") Integer timeout_ms) {}

  /** Token counts. */
  @Schema(name = "Usage")
  public record Usage(
      int prompt_tokens, int completion_tokens, int forced_tokens, int model_calls) {}

  /** A schema keyword that constrained nothing. */
  @Schema(
      name = "IgnoredKeyword",
      description =
          "An unknown keyword or unimplemented format: an annotation that did not constrain the"
              + " output")
  public record IgnoredKeyword(
      @Schema(
              description =
                  "JSON pointer of the keyword in the schema (for a template hole: in the hole's"
                      + " schema)")
          String pointer,
      @Schema(description = "The keyword's name (format for an unimplemented format)")
          String keyword,
      @Schema(description = "Why it constrained nothing; for a template hole it names the hole")
          String reason) {}

  /** Where a quote comes from. */
  @Schema(name = "QuoteSource")
  public record QuoteSource(
      String passage_id, int passage_index, int start, int end, Map<String, Object> source) {}

  /** Answer of POST /api/v1/generate (and the done event of a stream). */
  @Schema(name = "GenerateResponse")
  public record GenerateResponse(
      String text,
      String constraint_type,
      @Schema(maxItems = ConstraintRequests.MAX_IGNORED_KEYWORDS, description = IGNORED_KEYWORDS)
          List<IgnoredKeyword> ignored_keywords,
      @Schema(description = IGNORED_KEYWORDS_COUNT) Integer ignored_keywords_count,
      boolean complete,
      @Schema(description = "json_schema constraints: the parsed document") Object json,
      @Schema(description = "template constraints: name -> {text, start, end}")
          Map<String, Object> captures,
      @Schema(description = "quote constraints") QuoteSource quote,
      @Schema(enumeration = {"stop", "length", "timeout", "cancelled"}) String finish_reason,
      Usage usage,
      Map<String, Double> timings_ms) {}

  /** Body of POST /api/v1/extract. */
  @Schema(name = "ExtractRequest")
  public record ExtractRequest(
      @Schema(required = true) String text,
      @Schema(required = true) Map<String, Object> schema,
      @Schema(defaultValue = "false", description = STRICT_KEYWORDS) Boolean strict_keywords,
      String instructions,
      Integer max_tokens,
      Double temperature,
      Long seed) {}

  /** Answer of POST /api/v1/extract. */
  @Schema(name = "ExtractResponse")
  public record ExtractResponse(
      Map<String, Object> data,
      String text,
      @Schema(maxItems = ConstraintRequests.MAX_IGNORED_KEYWORDS, description = IGNORED_KEYWORDS)
          List<IgnoredKeyword> ignored_keywords,
      @Schema(description = IGNORED_KEYWORDS_COUNT) Integer ignored_keywords_count,
      String finish_reason,
      Usage usage,
      Map<String, Double> timings_ms) {}

  /** Body of POST /api/v1/constraints/compile. */
  @Schema(name = "CompileRequest")
  public record CompileRequest(
      @Schema(required = true) Constraint constraint, List<String> check) {}

  /** Answer of POST /api/v1/constraints/compile. */
  @Schema(name = "CompileResponse")
  public record CompileResponse(
      boolean valid,
      String type,
      Map<String, Object> stats,
      Map<String, Object> token_automaton,
      @Schema(maxItems = ConstraintRequests.MAX_IGNORED_KEYWORDS, description = IGNORED_KEYWORDS)
          List<IgnoredKeyword> ignored_keywords,
      @Schema(description = IGNORED_KEYWORDS_COUNT) Integer ignored_keywords_count,
      String shortest_example,
      @Schema(
              description =
                  "Per check text: {text, accepts (valid for the constraint, every JSON spelling of"
                      + " a valid number included), generable (the automaton accepts this exact"
                      + " spelling, so generation can produce it), prefix (some accepted output"
                      + " extends it)}")
          List<Map<String, Object>> checks) {}

  /** An RFC 9457 problem. */
  @Schema(name = "Problem")
  public record Problem(
      String type,
      String title,
      int status,
      String detail,
      String code,
      @Schema(description = "JSON pointer of the offending request member") String pointer,
      @Schema(description = "Regex: 0-based index of the error") Integer position,
      @Schema(description = "JSON Schema keyword at fault") String keyword,
      String limit_name,
      Long limit,
      Long observed) {}

  /** Body of POST /api/v1/corpora/{name}/quote. */
  @Schema(name = "QuoteRequest")
  public record QuoteRequest(
      @Schema(required = true) String question,
      Integer top_k,
      Integer min_length,
      Integer max_length,
      Boolean word_boundaries,
      Integer max_tokens,
      Double temperature,
      Long seed) {}

  /** Answer of POST /api/v1/corpora/{name}/quote. */
  @Schema(name = "QuoteResponse")
  public record QuoteResponse(
      String quote,
      String document_id,
      String document_title,
      int passage_id,
      @Schema(description = "UTF-16 offset of the quote in the document text") int start,
      int end,
      float score,
      String finish_reason,
      Usage usage) {}

  /** Body of POST /api/v1/codelists/{name}/select. */
  @Schema(name = "SelectRequest")
  public record SelectRequest(
      @Schema(required = true) String text,
      @Schema(defaultValue = "50", description = "0 = every code of the list") Integer candidates,
      @Schema(defaultValue = "false") Boolean multiple,
      @Schema(defaultValue = "5") Integer max_codes,
      Double temperature,
      Long seed) {}

  /** A selected code. */
  @Schema(name = "SelectedCode")
  public record SelectedCode(String code, String description, float score) {}

  /** Answer of POST /api/v1/codelists/{name}/select. */
  @Schema(name = "SelectResponse")
  public record SelectResponse(
      String code, String description, Float score, List<SelectedCode> codes, int candidates) {}
}
