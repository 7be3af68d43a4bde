package io.guidepost.decoding;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.Grammar;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.Template;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Context-free test grammars, each with a checker that shares no code with the grammar engine: a
 * strict JSON parser (Jackson) or a hand-written recursive-descent recognizer.
 */
public final class TestGrammars {
  private TestGrammars() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A named grammar, its syntax (null: {@code text} is a JSON Schema, compiled on the context-free
   * layer), and an independent membership check for complete outputs.
   */
  public record Case(
      String name,
      Grammar.Syntax syntax,
      String text,
      Predicate<String> check,
      java.util.function.Supplier<CompiledConstraint> build) {
    /** A JSON Schema ({@code syntax} null) or grammar case. */
    public Case(String name, Grammar.Syntax syntax, String text, Predicate<String> check) {
      this(name, syntax, text, check, null);
    }

    public CompiledConstraint compile() {
      if (build != null) {
        return build.get();
      }
      return syntax == null ? JsonSchema.compile(text) : Grammar.compile(text, syntax);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** JSON in GBNF, in the style of llama.cpp's json.gbnf (bounded whitespace). */
  static final String JSON_GBNF =
      """
      root   ::= value
      value  ::= object | array | string | number | ("true" | "false" | "null")
      object ::= "{" ws ( string ws ":" ws value ws ( "," ws string ws ":" ws value ws )* )? "}"
      array  ::= "[" ws ( value ws ( "," ws value ws )* )? "]"
      string ::= "\\"" ( [^"\\\\\\x00-\\x1f] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F]{4} ) )* "\\""
      number ::= "-"? ( "0" | [1-9] [0-9]* ) ( "." [0-9]+ )? ( [eE] [-+]? [0-9]+ )?
      ws     ::= " "?
      """;

  /** Arithmetic with left-associative operators and parentheses, in GBNF. */
  static final String ARITH_GBNF =
      """
      root   ::= expr
      expr   ::= term ( ("+" | "-") term )*
      term   ::= factor ( ("*" | "/") factor )*
      factor ::= [0-9]+ | "(" expr ")" | "-" factor
      """;

  /** JSON in Lark, with JSON's own string and number terminals and spaces ignored. */
  static final String JSON_LARK =
      """
      start: value
      ?value: object | array | STRING | NUMBER | "true" | "false" | "null"
      array: "[" [value ("," value)*] "]"
      object: "{" [pair ("," pair)*] "}"
      pair: STRING ":" value
      STRING: /"([^"\\\\\\x00-\\x1f]|\\\\["\\\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4})*"/
      NUMBER: /-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?/
      %ignore " "
      """;

  /** Left-recursive sums in Lark. */
  static final String SUM_LARK =
      """
      start: sum
      sum: sum "+" product | product
      product: product "*" atom | atom
      atom: INT | "(" sum ")"
      %import common.INT
      """;

  /** A recursive tree: every node an object with an integer and optional children. */
  static final String TREE_SCHEMA =
      """
      {"$defs": {"n": {"type": "object",
        "properties": {"v": {"type": "integer"}, "c": {"type": "array", "items": {"$ref": "#/$defs/n"}}},
        "required": ["v"], "additionalProperties": false}},
       "$ref": "#/$defs/n"}""";

  /** A free-form member: any JSON value at any depth. */
  static final String FREEFORM_SCHEMA =
      """
      {"type": "object", "properties": {"id": {"type": "integer"}, "meta": true},
       "required": ["id", "meta"], "additionalProperties": false}""";

  /** Nested lists of naturals (recursion through anyOf), narrowed by allOf to a list. */
  static final String ALLOF_SCHEMA =
      """
      {"$defs": {"e": {"anyOf": [{"type": "integer", "minimum": 0},
                                 {"type": "array", "items": {"$ref": "#/$defs/e"}, "maxItems": 3}]}},
       "type": "object", "properties": {"x": {"allOf": [{"$ref": "#/$defs/e"}, {"type": "array"}]}},
       "required": ["x"], "additionalProperties": false}""";

  /** Valid JSON (Jackson) and valid against {@code schema} (networknt's validator). */
  static Predicate<String> validAgainst(String schema) {
    com.networknt.schema.JsonSchema v =
        com.networknt.schema.JsonSchemaFactory.getInstance(
                com.networknt.schema.SpecVersion.VersionFlag.V202012)
            .getSchema(schema);
    return s -> isJson(s) && v.validate(s, com.networknt.schema.InputFormat.JSON).isEmpty();
  }

  public static final List<Case> CASES =
      List.of(
          new Case("json_tree_schema", null, TREE_SCHEMA, validAgainst(TREE_SCHEMA)),
          new Case("json_freeform_schema", null, FREEFORM_SCHEMA, validAgainst(FREEFORM_SCHEMA)),
          new Case("json_allof_schema", null, ALLOF_SCHEMA, validAgainst(ALLOF_SCHEMA)),
          new Case(
              "template_tree_hole",
              null,
              TREE_SCHEMA,
              TestGrammars::isTreeTemplate,
              () ->
                  Template.builder()
                      .literal("Tree: ")
                      .jsonSchema("tree", TREE_SCHEMA)
                      .literal("; done: ")
                      .choice("done", List.of("yes", "no"))
                      .compile()),
          new Case("json_gbnf", Grammar.Syntax.GBNF, JSON_GBNF, TestGrammars::isJson),
          new Case("arith_gbnf", Grammar.Syntax.GBNF, ARITH_GBNF, s -> new Arith(s, true).ok()),
          new Case("json_lark", Grammar.Syntax.LARK, JSON_LARK, TestGrammars::isJson),
          new Case("sum_lark", Grammar.Syntax.LARK, SUM_LARK, s -> new Arith(s, false).ok()));

  private static final Predicate<String> TREE_VALID = validAgainst(TREE_SCHEMA);

  /** "Tree: " + a document valid against {@link #TREE_SCHEMA} + "; done: " + yes or no. */
  static boolean isTreeTemplate(String s) {
    if (!s.startsWith("Tree: ")) {
      return false;
    }
    for (String end : List.of("; done: yes", "; done: no")) {
      if (s.endsWith(end)) {
        return TREE_VALID.test(s.substring("Tree: ".length(), s.length() - end.length()));
      }
    }
    return false;
  }

  static boolean isJson(String s) {
    try {
      JSON.readTree(s);
      // Jackson reads one value and stops: require that nothing but spaces follows it.
      try (var p = JSON.createParser(s)) {
        p.readValueAsTree();
        return p.nextToken() == null;
      }
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Recursive-descent recognizer for {@link #ARITH_GBNF} ({@code full}: with - and /, unary minus)
   * or {@link #SUM_LARK} (+ and * only, no unary minus).
   */
  private static final class Arith {
    private final String s;
    private final boolean full;
    private int i;

    Arith(String s, boolean full) {
      this.s = s;
      this.full = full;
    }

    boolean ok() {
      return expr() && i == s.length();
    }

    private boolean expr() {
      if (!term()) {
        return false;
      }
      while (i < s.length() && (s.charAt(i) == '+' || (full && s.charAt(i) == '-'))) {
        i++;
        if (!term()) {
          return false;
        }
      }
      return true;
    }

    private boolean term() {
      if (!factor()) {
        return false;
      }
      while (i < s.length() && (s.charAt(i) == '*' || (full && s.charAt(i) == '/'))) {
        i++;
        if (!factor()) {
          return false;
        }
      }
      return true;
    }

    private boolean factor() {
      if (i >= s.length()) {
        return false;
      }
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        return true;
      }
      if (c == '(') {
        i++;
        if (!expr() || i >= s.length() || s.charAt(i) != ')') {
          return false;
        }
        i++;
        return true;
      }
      if (full && c == '-') {
        i++;
        return factor();
      }
      return false;
    }
  }
}
