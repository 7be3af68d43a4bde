package io.guidepost.service;

import io.guidepost.grammar.JsonSchemaOptions;
import java.util.List;

/**
 * A constraint as a client states it, before compilation. Records with value equality: a spec is
 * its own cache key in {@link ConstraintService} (JSON Schemas are given as canonical JSON text, so
 * equal schemas written with different spacing or member order share an entry only when the caller
 * canonicalises them).
 */
public sealed interface ConstraintSpec {

  /** The wire name of the kind: regex, json_schema, choice, quote, template, grammar. */
  String kind();

  /**
   * True when the compiled constraint can report ignored schema keywords: a JSON Schema, or a
   * template with at least one JSON Schema hole.
   */
  default boolean hasJsonSchema() {
    if (this instanceof Template t) {
      return t.parts().stream().anyMatch(p -> p.hole() instanceof JsonSchema);
    }
    return this instanceof JsonSchema;
  }

  /** A regular expression (ECMA-262 / java.util.regex subset), full-match. */
  record Regex(String pattern) implements ConstraintSpec {
    @Override
    public String kind() {
      return "regex";
    }
  }

  /**
   * A JSON Schema (draft 2020-12 or draft-07), as JSON text.
   *
   * @param schema the schema's JSON text
   * @param flexibleWhitespace allow bounded whitespace between tokens (default: compact output)
   * @param freeFormDepth -1 (the default): free-form values and recursive references are exact, on
   *     the context-free layer where needed; 0..8: a speed hint that keeps the single-DFA path,
   *     with arrays and objects inside free-form values nested at most this deep (see {@code
   *     JsonSchemaOptions.anyValueDepth})
   * @param strictKeywords reject unknown keywords and unimplemented formats (422) instead of
   *     reporting them as ignored annotations (see {@code JsonSchemaOptions.strictKeywords}); part
   *     of the cache key, so strict and lenient compilations of one schema are separate entries
   * @param maxNesting the deepest nesting of arrays and objects a generated document may reach on
   *     the context-free layer (default 64); reaching it stops the generation as too complex
   */
  record JsonSchema(
      String schema,
      boolean flexibleWhitespace,
      int freeFormDepth,
      boolean strictKeywords,
      int maxNesting)
      implements ConstraintSpec {
    /** The default deepest nesting of arrays and objects a generated document may reach. */
    public static final int DEFAULT_MAX_NESTING = JsonSchemaOptions.DEFAULT_MAX_NESTING;

    /** The largest {@code maxNesting} a request may ask for. */
    public static final int MAX_MAX_NESTING = 10_000;

    /** The default free-form nesting depth: -1, exact. */
    public static final int DEFAULT_FREE_FORM_DEPTH = JsonSchemaOptions.DEFAULTS.anyValueDepth();

    /** The deepest free-form nesting a request may ask for. */
    public static final int MAX_FREE_FORM_DEPTH = JsonSchemaOptions.MAX_ANY_VALUE_DEPTH;

    /** Checks the depth. */
    public JsonSchema {
      if (freeFormDepth < -1 || freeFormDepth > MAX_FREE_FORM_DEPTH) {
        throw new IllegalArgumentException(
            "freeFormDepth must be -1 (exact) or 0.." + MAX_FREE_FORM_DEPTH + ": " + freeFormDepth);
      }
      if (maxNesting < 1 || maxNesting > MAX_MAX_NESTING) {
        throw new IllegalArgumentException(
            "maxNesting must be 1.." + MAX_MAX_NESTING + ": " + maxNesting);
      }
    }

    /** With the default nesting limit. */
    public JsonSchema(
        String schema, boolean flexibleWhitespace, int freeFormDepth, boolean strictKeywords) {
      this(schema, flexibleWhitespace, freeFormDepth, strictKeywords, DEFAULT_MAX_NESTING);
    }

    /** Unknown keywords reported, not rejected. */
    public JsonSchema(String schema, boolean flexibleWhitespace, int freeFormDepth) {
      this(schema, flexibleWhitespace, freeFormDepth, false);
    }

    /** With the default free-form depth; unknown keywords reported, not rejected. */
    public JsonSchema(String schema, boolean flexibleWhitespace) {
      this(schema, flexibleWhitespace, DEFAULT_FREE_FORM_DEPTH);
    }

    /** A copy with the keyword policy replaced. */
    public JsonSchema withStrictKeywords(boolean strict) {
      return new JsonSchema(schema, flexibleWhitespace, freeFormDepth, strict, maxNesting);
    }

    @Override
    public String kind() {
      return "json_schema";
    }
  }

  /**
   * A context-free grammar.
   *
   * @param grammar the grammar text
   * @param syntax {@code lark} or {@code gbnf}
   */
  record Grammar(String grammar, String syntax) implements ConstraintSpec {
    /** Checks the syntax name. */
    public Grammar {
      if (io.guidepost.grammar.Grammar.Syntax.of(syntax) == null) {
        throw new IllegalArgumentException("syntax must be lark or gbnf: " + syntax);
      }
    }

    @Override
    public String kind() {
      return "grammar";
    }
  }

  /** One of a fixed list of strings. */
  record Choice(List<String> options) implements ConstraintSpec {
    public Choice {
      options = List.copyOf(options);
    }

    @Override
    public String kind() {
      return "choice";
    }
  }

  /**
   * A passage a quote may be taken from; passages retrieved from a corpus also say which document
   * they come from and where they start in it.
   *
   * @param id the passage's id as the client sees it
   * @param text the passage text
   * @param documentId the corpus document, or null for passages given inline
   * @param documentStart UTF-16 offset of the passage in the document text, or -1
   */
  record Passage(String id, String text, String documentId, int documentStart) {
    /** An inline passage. */
    public Passage(String id, String text) {
      this(id, text, null, -1);
    }
  }

  /**
   * A verbatim quote from one of the passages.
   *
   * @param minLength fewest characters (code points)
   * @param maxLength most characters (code points)
   * @param wordBoundaries start and end on word boundaries
   */
  record Quote(List<Passage> passages, int minLength, int maxLength, boolean wordBoundaries)
      implements ConstraintSpec {
    public Quote {
      passages = List.copyOf(passages);
    }

    @Override
    public String kind() {
      return "quote";
    }
  }

  /**
   * One part of a template: literal text, or a named hole constrained by {@code hole} (a regex,
   * choice, JSON Schema or quote spec) or, when {@code hole} is null, free text that ends with
   * {@code stop} and has at most {@code maxLength} characters.
   */
  record TemplatePart(String text, String name, ConstraintSpec hole, String stop, int maxLength) {
    /** A literal part. */
    public static TemplatePart literal(String text) {
      return new TemplatePart(text, null, null, null, 0);
    }

    /** True for literal text. */
    public boolean isLiteral() {
      return name == null;
    }
  }

  /** Literal text interleaved with named holes. */
  record Template(List<TemplatePart> parts) implements ConstraintSpec {
    public Template {
      parts = List.copyOf(parts);
    }

    @Override
    public String kind() {
      return "template";
    }
  }
}
