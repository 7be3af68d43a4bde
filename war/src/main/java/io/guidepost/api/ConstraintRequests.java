package io.guidepost.api;

import io.guidepost.api.problem.ConstraintProblems;
import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.ConstraintException;
import io.guidepost.grammar.GrammarNote;
import io.guidepost.grammar.IgnoredKeyword;
import io.guidepost.service.ConstraintService;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.PreparedConstraint;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code constraint} object of a request into a {@link ConstraintSpec}, with errors that
 * name the JSON pointer of what is wrong.
 *
 * <pre>
 * {"type": "regex", "pattern": "[A-Z][0-9]{2}"}
 * {"type": "json_schema", "schema": {...}, "whitespace": "compact" | "flexible",
 *  "free_form_depth": 2, "strict_keywords": false, "max_nesting": 64}
 * {"type": "choice", "options": ["...", "..."]}
 * {"type": "quote", "passages": [{"id": "...", "text": "..."}], "min_length": 1, "max_length": 400,
 *  "word_boundaries": false}
 * {"type": "template", "parts": [{"text": "Name: "}, {"name": "name", "regex": "[A-Z][a-z]+"},
 *  {"name": "code", "choice": [...]}, {"name": "data", "json_schema": {...}},
 *  {"name": "q", "quote": {"passages": [...]}}, {"name": "notes", "free_text": {"stop": "\n",
 *  "max_length": 200}}]}
 * {"type": "grammar", "syntax": "lark" | "gbnf", "grammar": "start: ..."}
 * </pre>
 */
public final class ConstraintRequests {
  /** Most characters of a quote unless the request says otherwise. */
  public static final int DEFAULT_QUOTE_MAX = 400;

  private ConstraintRequests() {}

  /** Most ignored schema keywords an answer lists; {@code ignored_keywords_count} counts all. */
  public static final int MAX_IGNORED_KEYWORDS = 50;

  /** The kinds accepted in {@code type}. */
  public static final List<String> KINDS =
      List.of("regex", "json_schema", "choice", "quote", "template", "grammar");

  /** Parses a constraint object that refers to no corpus or code list. */
  public static ConstraintSpec parse(JsonRequest c) {
    return parse(c, GroundingResolver.NONE);
  }

  /** Parses a constraint object, resolving corpus and code-list references with {@code g}. */
  public static ConstraintSpec parse(JsonRequest c, GroundingResolver g) {
    String type = c.requireString("type");
    return switch (type) {
      case "regex" -> {
        c.onlyMembers(Set.of("type", "pattern"));
        yield new ConstraintSpec.Regex(c.requireString("pattern"));
      }
      case "json_schema" -> {
        c.onlyMembers(
            Set.of(
                "type",
                "schema",
                "whitespace",
                "free_form_depth",
                "strict_keywords",
                "max_nesting"));
        yield jsonSchema(c, "schema", g);
      }
      case "choice" -> {
        c.onlyMembers(Set.of("type", "options"));
        yield new ConstraintSpec.Choice(c.requireStrings("options"));
      }
      case "quote" -> {
        c.onlyMembers(
            Set.of(
                "type",
                "passages",
                "corpus",
                "query",
                "top_k",
                "min_length",
                "max_length",
                "word_boundaries"));
        yield quote(c, g);
      }
      case "template" -> {
        c.onlyMembers(Set.of("type", "parts"));
        yield template(c, g);
      }
      case "grammar" -> {
        c.onlyMembers(Set.of("type", "syntax", "grammar"));
        yield grammar(c, "grammar", c.optString("syntax", null), c.pointer("syntax"));
      }
      default ->
          throw ProblemException.invalidRequest(
              c.pointer("type"),
              "Unknown constraint type \"" + type + "\". Use one of " + String.join(", ", KINDS));
    };
  }

  /**
   * Prepares {@code spec} for the loaded model; a constraint that cannot be compiled exactly
   * becomes the problem for the request members at {@code requestPointer} / {@code memberPointer}.
   */
  static PreparedConstraint prepare(
      ConstraintService cs, ConstraintSpec spec, String requestPointer, String memberPointer) {
    try {
      return cs.prepare(spec);
    } catch (ConstraintException e) {
      throw ConstraintProblems.exception(e, requestPointer, memberPointer);
    }
  }

  /**
   * Adds {@code ignored_keywords} (the first {@link #MAX_IGNORED_KEYWORDS} schema keywords that
   * constrained nothing, as {@code {pointer, keyword, reason}}) and {@code ignored_keywords_count}
   * (all of them), and for a json_schema constraint {@code output_subset} (null when every valid
   * document can be generated, else the first bound of the output format applied, starting with its
   * JSON pointer), to an answer whose constraint has a JSON Schema (a json_schema constraint or a
   * template with JSON Schema holes; for holes the pointer is into the hole's schema and the reason
   * names the hole); to the answer of a grammar constraint or a template with grammar holes, {@code
   * grammar_notes} (what a grammar's text wrote that does not constrain the output, as {@code
   * {line, column, note}}; a hole's notes start with its name); nothing for other constraints.
   */
  static JsonObjectBuilder addIgnoredKeywords(
      JsonObjectBuilder out, ConstraintSpec spec, CompiledConstraint compiled) {
    boolean grammarHoles =
        spec instanceof ConstraintSpec.Template t
            && t.parts().stream().anyMatch(p -> p.hole() instanceof ConstraintSpec.Grammar);
    if (spec instanceof ConstraintSpec.Grammar || grammarHoles) {
      JsonArrayBuilder notes = Json.createArrayBuilder();
      for (GrammarNote n : compiled.grammarNotes()) {
        notes.add(
            Json.createObjectBuilder()
                .add("line", n.line())
                .add("column", n.column())
                .add("note", n.note()));
      }
      out.add("grammar_notes", notes);
    }
    if (!spec.hasJsonSchema()) {
      return out;
    }
    if (spec instanceof ConstraintSpec.JsonSchema) {
      if (compiled.subsetReason() == null) {
        out.addNull("output_subset");
      } else {
        out.add("output_subset", compiled.subsetReason());
      }
    }
    List<IgnoredKeyword> ignored = compiled.ignoredKeywords();
    JsonArrayBuilder list = Json.createArrayBuilder();
    for (IgnoredKeyword k : ignored.subList(0, Math.min(ignored.size(), MAX_IGNORED_KEYWORDS))) {
      list.add(
          Json.createObjectBuilder()
              .add("pointer", k.pointer())
              .add("keyword", k.keyword())
              .add("reason", k.reason()));
    }
    return out.add("ignored_keywords", list).add("ignored_keywords_count", ignored.size());
  }

  /** The pointer of the member holding the regex or schema of a constraint, or null. */
  public static String memberPointer(JsonRequest c, ConstraintSpec spec) {
    return switch (spec) {
      case ConstraintSpec.Regex r -> c.pointer("pattern");
      case ConstraintSpec.JsonSchema s -> c.pointer("schema");
      case ConstraintSpec.Choice ch -> c.pointer("options");
      case ConstraintSpec.Quote q -> c.pointer("passages");
      case ConstraintSpec.Template t -> c.pointer("parts");
      case ConstraintSpec.Grammar gr -> c.pointer("grammar");
    };
  }

  /**
   * A grammar spec from member {@code member} of {@code c}; {@code syntax} is {@code lark}, {@code
   * gbnf}, or null to detect it: GBNF when the text defines a rule with {@code ::=}, else Lark.
   */
  static ConstraintSpec.Grammar grammar(
      JsonRequest c, String member, String syntax, String syntaxPointer) {
    String text = c.requireString(member);
    if (syntax == null) {
      syntax = looksLikeGbnf(text) ? "gbnf" : "lark";
    } else if (io.guidepost.grammar.Grammar.Syntax.of(syntax) == null) {
      throw ProblemException.invalidRequest(
          syntaxPointer, "\"syntax\" must be \"lark\" or \"gbnf\", not \"" + syntax + "\".");
    }
    return new ConstraintSpec.Grammar(text, syntax);
  }

  /** True when some line (outside a comment) defines a rule with {@code ::=}, as GBNF does. */
  static boolean looksLikeGbnf(String text) {
    for (String line : text.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("#") || t.startsWith("//")) {
        continue;
      }
      int def = t.indexOf("::=");
      if (def > 0 && t.substring(0, def).strip().matches("[A-Za-z0-9_-]+")) {
        return true;
      }
    }
    return false;
  }

  /** A compact JSON Schema spec from member {@code member} of {@code c} (OpenAI and vLLM forms). */
  static ConstraintSpec.JsonSchema jsonSchemaOf(JsonRequest c, String member, GroundingResolver g) {
    JsonValue schema = c.json().get(member);
    if (schema != null && schema.getValueType() == JsonValue.ValueType.STRING) {
      // vLLM's guided_json also takes the schema as a JSON string.
      schema = JsonRequest.parse(((jakarta.json.JsonString) schema).getString()).json();
    }
    if (schema == null
        || (schema.getValueType() != JsonValue.ValueType.OBJECT
            && schema.getValueType() != JsonValue.ValueType.TRUE)) {
      throw ProblemException.invalidRequest(
          c.pointer(member), "\"" + member + "\" is required (a JSON Schema object).");
    }
    return new ConstraintSpec.JsonSchema(
        g.expandCodeLists(schema, c.pointer(member)).toString(), false);
  }

  static ConstraintSpec.JsonSchema jsonSchema(JsonRequest c, String member, GroundingResolver g) {
    JsonValue schema = c.json().get(member);
    if (schema == null
        || (schema.getValueType() != JsonValue.ValueType.OBJECT
            && schema.getValueType() != JsonValue.ValueType.TRUE)) {
      throw ProblemException.invalidRequest(
          c.pointer(member), "\"" + member + "\" is required (a JSON Schema object).");
    }
    String ws = c.optString("whitespace", "compact");
    if (!ws.equals("compact") && !ws.equals("flexible")) {
      throw ProblemException.invalidRequest(
          c.pointer("whitespace"), "\"whitespace\" must be \"compact\" or \"flexible\".");
    }
    int depth =
        c.optInt(
            "free_form_depth",
            ConstraintSpec.JsonSchema.DEFAULT_FREE_FORM_DEPTH,
            0,
            ConstraintSpec.JsonSchema.MAX_FREE_FORM_DEPTH);
    boolean strict = c.optBoolean("strict_keywords", false);
    int nesting =
        c.optInt(
            "max_nesting",
            ConstraintSpec.JsonSchema.DEFAULT_MAX_NESTING,
            1,
            ConstraintSpec.JsonSchema.MAX_MAX_NESTING);
    return new ConstraintSpec.JsonSchema(
        g.expandCodeLists(schema, c.pointer(member)).toString(),
        ws.equals("flexible"),
        depth,
        strict,
        nesting);
  }

  static ConstraintSpec.Quote quote(JsonRequest c, GroundingResolver g) {
    List<ConstraintSpec.Passage> passages = new ArrayList<>();
    if (c.has("corpus")) {
      if (c.has("passages")) {
        throw ProblemException.invalidRequest(
            c.pointer("passages"),
            "Give either \"passages\" or \"corpus\" with \"query\", not both.");
      }
      passages.addAll(
          g.passages(
              c.requireString("corpus"),
              c.requireString("query"),
              c.optInt("top_k", 5, 1, 50),
              c.pointer("corpus")));
    } else {
      for (JsonRequest p : c.requireObjects("passages")) {
        p.onlyMembers(Set.of("id", "text"));
        passages.add(new ConstraintSpec.Passage(p.optString("id", ""), p.requireString("text")));
      }
    }
    if (passages.isEmpty()) {
      throw ProblemException.invalidRequest(c.pointer("passages"), "Give at least one passage.");
    }
    int min = c.optInt("min_length", 1, 1, Integer.MAX_VALUE);
    int max = c.optInt("max_length", DEFAULT_QUOTE_MAX, 1, Integer.MAX_VALUE);
    if (max < min) {
      throw ProblemException.invalidRequest(
          c.pointer("max_length"),
          "\"max_length\" (" + max + ") must be at least \"min_length\" (" + min + ").");
    }
    return new ConstraintSpec.Quote(passages, min, max, c.optBoolean("word_boundaries", false));
  }

  static ConstraintSpec.Template template(JsonRequest c, GroundingResolver g) {
    List<ConstraintSpec.TemplatePart> parts = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>();
    for (JsonRequest p : c.requireObjects("parts")) {
      if (p.has("text")) {
        p.onlyMembers(Set.of("text"));
        parts.add(ConstraintSpec.TemplatePart.literal(p.requireString("text")));
        continue;
      }
      p.onlyMembers(
          Set.of(
              "name", "regex", "choice", "json_schema", "quote", "free_text", "grammar", "syntax"));
      String name = p.requireString("name");
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
        throw ProblemException.invalidRequest(
            p.pointer("name"),
            "Hole names are identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters), not \""
                + name
                + "\".");
      }
      if (!names.add(name)) {
        throw ProblemException.invalidRequest(
            p.pointer("name"), "Hole name \"" + name + "\" is used twice.");
      }
      List<String> kinds = new ArrayList<>();
      for (String k : List.of("regex", "choice", "json_schema", "quote", "free_text", "grammar")) {
        if (p.has(k)) {
          kinds.add(k);
        }
      }
      if (kinds.size() != 1) {
        throw ProblemException.invalidRequest(
            p.pointer(),
            "A hole needs exactly one of regex, choice, json_schema, quote, free_text or grammar"
                + " (hole \""
                + name
                + "\" has "
                + (kinds.isEmpty() ? "none" : String.join(", ", kinds))
                + ").");
      }
      if (p.has("syntax") && !kinds.getFirst().equals("grammar")) {
        throw ProblemException.invalidRequest(
            p.pointer("syntax"),
            "\"syntax\" belongs to grammar holes only (hole \"" + name + "\").");
      }
      parts.add(
          switch (kinds.getFirst()) {
            case "grammar" ->
                new ConstraintSpec.TemplatePart(
                    null,
                    name,
                    grammar(p, "grammar", p.optString("syntax", null), p.pointer("syntax")),
                    null,
                    0);
            case "regex" ->
                new ConstraintSpec.TemplatePart(
                    null, name, new ConstraintSpec.Regex(p.requireString("regex")), null, 0);
            case "choice" ->
                new ConstraintSpec.TemplatePart(
                    null, name, new ConstraintSpec.Choice(p.requireStrings("choice")), null, 0);
            case "json_schema" ->
                new ConstraintSpec.TemplatePart(
                    null, name, jsonSchemaOf(p, "json_schema", g), null, 0);
            case "quote" ->
                new ConstraintSpec.TemplatePart(
                    null, name, quote(p.requireObject("quote"), g), null, 0);
            default -> {
              JsonRequest f = p.requireObject("free_text");
              f.onlyMembers(Set.of("stop", "max_length"));
              String stop = f.requireString("stop");
              if (stop.isEmpty()) {
                throw ProblemException.invalidRequest(
                    f.pointer("stop"), "\"stop\" must not be empty.");
              }
              yield new ConstraintSpec.TemplatePart(
                  null, name, null, stop, f.optInt("max_length", 200, 1, 10_000));
            }
          });
    }
    if (parts.isEmpty()) {
      throw ProblemException.invalidRequest(c.pointer("parts"), "A template needs parts.");
    }
    return new ConstraintSpec.Template(parts);
  }
}
