package io.guidepost.api.problem;

import io.guidepost.grammar.ConstraintException;
import io.guidepost.grammar.GrammarSyntaxException;

/**
 * Problem details for constraints that cannot be compiled or honoured exactly.
 *
 * <p>Status: 400 for malformed input ({@code regex-syntax}, {@code grammar-syntax}, {@code
 * schema-invalid}, {@code invalid-constraint}); 422 for well-formed constraints the engine cannot
 * honour exactly ({@code regex-unsupported}, {@code grammar-unsupported}, {@code
 * schema-unsupported}, {@code empty-language}); 413 for constraints past a compile limit ({@code
 * too-complex}, with the limit's name, value, observed value and unit). Members: {@code pointer}
 * (where in the request), {@code position} (regex or grammar index), {@code line} and {@code
 * column} (grammar, 1-based), {@code schema_pointer} and {@code keyword} (JSON Schema).
 */
public final class ConstraintProblems {
  private ConstraintProblems() {}

  /**
   * The problem for {@code e}, raised by the constraint found at {@code requestPointer} in the
   * request body ({@code memberPointer} is the member holding the regex or schema, or null).
   */
  public static Problem of(ConstraintException e, String requestPointer, String memberPointer) {
    int status =
        switch (e.type()) {
          case "regex-unsupported", "grammar-unsupported", "schema-unsupported", "empty-language" ->
              422;
          case "too-complex" -> 413;
          default -> 400;
        };
    String title =
        switch (e.type()) {
          case "regex-syntax" -> "Invalid regular expression";
          case "regex-unsupported" -> "Unsupported regular expression feature";
          case "grammar-syntax" -> "Invalid grammar";
          case "grammar-unsupported" -> "Unsupported grammar feature";
          case "schema-invalid" -> "Invalid JSON Schema";
          case "schema-unsupported" -> "Unsupported JSON Schema keyword";
          case "too-complex" -> "Constraint too complex";
          case "empty-language" -> "Constraint accepts nothing";
          default -> "Invalid constraint";
        };
    String pointer = requestPointer;
    if (memberPointer != null) {
      pointer = memberPointer;
      if (e.jsonPointer() != null && !e.jsonPointer().isEmpty()) {
        pointer = memberPointer + e.jsonPointer();
      }
    }
    Problem p =
        Problem.of(status, e.type(), title, e.getMessage())
            .with("pointer", pointer)
            .with("reason", e.reason());
    if (e.position() >= 0) {
      p.with("position", e.position());
    }
    if (e instanceof GrammarSyntaxException g) {
      p.with("line", g.line()).with("column", g.column());
    }
    p.with("schema_pointer", e.jsonPointer()).with("keyword", e.keyword());
    if (e.limitName() != null) {
      p.with("limit_name", e.limitName())
          .with("limit", e.limit())
          .with("observed", e.observed())
          .with("unit", e.unit());
    }
    return p;
  }

  /** Wraps {@link #of} in an exception for resources to throw. */
  public static ProblemException exception(
      ConstraintException e, String requestPointer, String memberPointer) {
    return new ProblemException(of(e, requestPointer, memberPointer));
  }
}
