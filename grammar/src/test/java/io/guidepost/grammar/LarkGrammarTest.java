package io.guidepost.grammar;

import static io.guidepost.grammar.GrammarOracle.assertAccepts;
import static io.guidepost.grammar.GrammarOracle.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LarkGrammar}: languages checked with {@link GrammarOracle} on hand-written strings, the
 * built-in {@code common} terminals, {@code %ignore}, and every error with its line, column and
 * type. Grammars are Java text blocks, so a Lark backslash is written {@code \\} here.
 */
class LarkGrammarTest {

  private static GrammarDef parse(String grammar) {
    return LarkGrammar.parse(grammar, GrammarLimits.DEFAULTS);
  }

  static final String JSON =
      """
      ?start: value
      ?value: object
            | array
            | string
            | SIGNED_NUMBER      -> number
            | "true"             -> true
            | "false"            -> false
            | "null"             -> null
      array  : "[" [value ("," value)*] "]"
      object : "{" [pair ("," pair)*] "}"
      pair   : string ":" value
      string : ESCAPED_STRING

      %import common.ESCAPED_STRING
      %import common.SIGNED_NUMBER
      %import common.WS
      %ignore WS
      """;

  @Test
  void json() {
    GrammarDef def = parse(JSON);
    assertEquals("lark", def.syntax());
    assertEquals(LarkGrammar.START, def.start());
    assertTrue(def.notes().isEmpty());
    assertAccepts(
        def,
        "{}",
        " { } ",
        "[1, -2.5e3, \"a\\\"b\", true, null, {\"k\": [false]}]",
        "\n[\n]\n",
        "\"\\\\\"",
        "+1",
        "1.",
        ".5");
    assertRejects(
        def,
        "",
        "{",
        "[1,]",
        "{\"a\"}",
        "\"a\nb\"",
        "\"a\\\"",
        "tru e",
        "1 2",
        "[1 2]",
        "\"\\\n\"");
  }

  @Test
  void arithmeticWithPrecedence() {
    GrammarDef def =
        parse(
            """
            start: sum
            ?sum: product | sum "+" product | sum "-" product
            ?product: atom | product "*" atom | product "/" atom
            ?atom: NUMBER | "-" atom | "(" sum ")"
            %import common.NUMBER
            %import common.WS_INLINE
            %ignore WS_INLINE
            """);
    assertAccepts(def, "1", "1+2*3", " ( 1 + 2 ) * -3 ", "2.5e10/4", "--1", "1 +\t2");
    assertRejects(def, "", "1+", "(1", "1)", "1 + \n 2", "()", "1 2");
  }

  @Test
  void everyOperator() {
    GrammarDef def =
        parse(
            """
            start: a? b* c+ d~2 e~1..3 ["f"] g{2} h{1,} i{,1} j{0,2}
            a: "a"
            b: "b"
            c: "c"
            d: "d"
            e: "e"
            g: "g"
            h: "h"
            i: "i"
            j: "j"
            """);
    assertAccepts(def, "cddeggh", "abbcccddeeefgghhhij", "cddegghjj");
    assertRejects(def, "ddeggh", "cdeggh", "cddeeeeggh", "cddeggh" + "ii", "cddeggg", "cddegghjjj");
  }

  @Test
  void stringsRangesAndEscapes() {
    GrammarDef def =
        parse(
            """
            start: "a".."c" "\\n\\t\\r\\f" "\\x41\\u00e9\\U0001F600" "\\\\" "\\"" "\\d" "ab"i
            """);
    assertAccepts(
        def, "b\n\t\r\fAé😀\\\"\\dAB", "a\n\t\r\fAé😀\\\"\\dab", "c\n\t\r\fAé😀\\\"\\daB");
    assertRejects(def, "d\n\t\r\fAé😀\\\"\\dab", "b\n\t\r\fAé😀\\\"dab");
    GrammarDef ci = parse("start: \"sk\"i");
    // Python's IGNORECASE equivalence: long s with s, the Kelvin sign with k
    assertAccepts(ci, "sk", "SK", "ſk", "s\u212A");
    assertRejects(ci, "sq");
  }

  @Test
  void regexTerminals() {
    GrammarDef def =
        parse(
            """
            start: NAME "=" /\\d+(\\.\\d+)?/ ";" /[a-z]+/i /x.y/s /x.y/ /a\\/b/
            NAME: /[_a-zA-Z][_a-zA-Z0-9]*/
            """);
    assertAccepts(
        def, "x1=42;abcDEFx\ny" + "x-y" + "a/b", "_=3.14;Ax_yx yA/b".replace("A/b", "a/b"));
    assertRejects(def, "x1=42;abcx\nyx\nya/b", "1x=4;ax.yx.ya/b");
    GrammarDef unicode = parse("start: /\\d\\w\\s/");
    assertAccepts(unicode, "٣é\u3000", "0_ ", "9٣\u0085", "1\u00b2\u001c");
    assertRejects(unicode, "a00", "00\ufeff", "0-0");
  }

  @Test
  void rulesTerminalsAndReferences() {
    GrammarDef def =
        parse(
            """
            start: list
            list: item ("," item)*
            item: WORD | list_in_brackets
            list_in_brackets: "[" list "]"
            WORD: LETTER+
            LETTER: "a".."z"
            """);
    assertAccepts(def, "a", "ab,c", "[a,[b]],c");
    assertRejects(def, "a,", "[a", "A");
  }

  @Test
  void lineContinuationsAndComments() {
    GrammarDef def =
        parse(
            """
            // a comment line
            start: "a"    // after a rule
                 | "b"    # also a comment

                 | ( "c"
                     "d" )
            """);
    assertAccepts(def, "a", "b", "cd");
    assertRejects(def, "c", "ab");
  }

  @Test
  void ignoreAllowsIgnoredTextBetweenTerminalsOnly() {
    GrammarDef def =
        parse(
            """
            start: WORD ("," WORD)*
            WORD: /[a-z]+/
            %ignore " "
            %ignore /#[^\\n]*\\n/
            """);
    assertAccepts(def, "a,b", " a , b ", "a #c\n, b", "a  ,b  ");
    // not inside a terminal: "a b" is two WORDs without a comma
    assertRejects(def, "a b", "a,b c");
  }

  @Test
  void commonLibraryTerminals() {
    GrammarDef def =
        parse(
            """
            start: "d" DIGIT | "h" HEXDIGIT | "i" INT | "si" SIGNED_INT | "dec" DECIMAL
                 | "f" FLOAT | "sf" SIGNED_FLOAT | "n" NUMBER | "sn" SIGNED_NUMBER
                 | "s" ESCAPED_STRING | "l" LETTER | "w" WORD | "c" CNAME
                 | "wi" WS_INLINE | "ws" WS | "nl" NEWLINE | "sh" SH_COMMENT
                 | "cpp" CPP_COMMENT | "cc" C_COMMENT | "sql" SQL_COMMENT | "cr" CR | "lf" LF
                 | "lc" LCASE_LETTER | "uc" UCASE_LETTER
            %import common (DIGIT, HEXDIGIT, INT, SIGNED_INT, DECIMAL, FLOAT, SIGNED_FLOAT)
            %import common (NUMBER, SIGNED_NUMBER, ESCAPED_STRING, LETTER, WORD, CNAME)
            %import common (WS_INLINE, WS, NEWLINE, SH_COMMENT, CPP_COMMENT, C_COMMENT, CR, LF)
            %import common (SQL_COMMENT, LCASE_LETTER, UCASE_LETTER)
            """);
    assertAccepts(
        def,
        "d7",
        "hF",
        "i0042",
        "si-1",
        "dec1.",
        "dec.5",
        "dec1.5",
        "f1e5",
        "f1.5E-3",
        "sf+1e1",
        "n1",
        "n1.5",
        "sn-2",
        "s\"\"",
        "s\"a\\\"\\\\\"",
        "lq",
        "wAbc",
        "c_x9",
        "wi \t ",
        "ws\n\f",
        "nl\r\n\n",
        "sh# x",
        "cpp// y",
        "cc/* a * b **/",
        "cc/***/",
        "sql-- z",
        "cr\r",
        "lf\n",
        "lcq",
        "ucQ");
    assertRejects(
        def,
        "dx",
        "hg",
        "i",
        "si+",
        "dec.",
        "f1",
        "f1e",
        "sf1",
        "s\"a",
        "s\"\\\"",
        "w_",
        "c9a",
        "wi\n",
        "nl\r",
        "sh#\n",
        "cc/* */ */",
        "cc/*/",
        "sql-\n",
        "lcQ");
  }

  @Test
  void importAlias() {
    GrammarDef def =
        parse(
            """
            start: N ("," N)*
            DIGIT: "x"
            %import common.INT -> N
            """);
    // the library's INT uses its own DIGIT, not the grammar's
    assertAccepts(def, "1", "12,3");
    assertRejects(def, "x", "N");
  }

  @Test
  void prioritiesAreNotes() {
    GrammarDef def =
        parse(
            """
            start: a | B
            a.2: "x"
            B.-1: "x"
            """);
    assertEquals(2, def.notes().size());
    GrammarSyntaxException note = def.notes().get(0);
    assertEquals(List.of(2, 2), List.of(note.line(), note.column()));
    assertTrue(note.reason().contains("the priority 2 of a is ignored"), note::getMessage);
    assertAccepts(def, "x");
  }

  @Test
  void nodePositions() {
    GrammarDef def = parse("start: x\n\nx:  \"a\" b\nb: /c/");
    GrammarDef.Rule x = def.rules().get("x");
    assertEquals(List.of(3, 1), List.of(x.line(), x.column()));
    GrammarExpr.Seq body = (GrammarExpr.Seq) x.body();
    assertEquals(List.of(3, 5), List.of(body.line(), body.column()));
    GrammarExpr.Ref b = (GrammarExpr.Ref) body.items().get(1);
    assertEquals(List.of(3, 9), List.of(b.line(), b.column()));
  }

  @Test
  void compilesThroughGrammar() {
    CompiledConstraint c = Grammar.compile(JSON, Grammar.Syntax.LARK);
    assertTrue(c.isContextFree());
    assertTrue(c.matches("{\"a\": [1, 2]}"));
    assertFalse(c.matches("{\"a\": [1, 2]"));
    assertTrue(c.isPrefix("{\"a\": [1, 2"));
    CompiledConstraint regular =
        Grammar.compile("start: \"a\"+ B\nB: /[0-9]/", Grammar.Syntax.LARK);
    assertFalse(regular.isContextFree());
    assertTrue(regular.matches("aa7"));
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        err("start: a", 1, 8, "undefined rule 'a'"),
        err("start: A", 1, 8, "undefined terminal 'A'"),
        err("start: WS", 1, 8, "%import common.WS"),
        err("x: \"a\"", 1, 1, "no start rule"),
        err("start: \"a\"\nstart: \"b\"", 2, 1, "rule 'start' is already defined at line 1"),
        err("start: A\nA: \"a\"\nA: \"b\"", 3, 1, "terminal 'A' is already defined"),
        err("start: \"a\" \"b", 1, 12, "the string starting here is not closed"),
        err("start: /ab", 1, 8, "the regex starting here is not closed"),
        err("start: (\"a\"", 1, 12, "expected ')' to close the '(' at line 1, column 8"),
        err("start: [\"a\"", 1, 12, "expected ']'"),
        err("start: \"a\" )", 1, 12, "expected the end of the line"),
        err("start \"a\"", 1, 7, "expected ':' after the name 'start'"),
        err("start: A\nA: b\nb: \"x\"", 2, 4, "the rule 'b' cannot be used in the terminal A"),
        err("start: A\nA: \"a\" A", 2, 1, "the terminal 'A' refers to itself"),
        err("start: A\nA: B\nB: A", 2, 1, "refers to itself"),
        err("start: \"a\"**", 1, 12, "a second operator"),
        err("start: \"a\"~3..2", 1, 12, "upper bound 2 is below its lower bound 3"),
        err("start: \"a\"{3,2}", 1, 12, "upper bound 2 is below"),
        err("start: \"ab\"..\"c\"", 1, 8, "a range bound must be one character"),
        err("start: \"c\"..\"a\"", 1, 8, "is reversed"),
        err("start: Foo", 1, 8, "mixes cases"),
        err("?START: \"a\"", 1, 1, "applies to rules only"),
        err("start: \"a\"\n%ignore x\nx: \"b\"", 2, 9, "cannot be used in %ignore"),
        err("start: \"a\"\n%bogus", 2, 1, "unknown directive '%bogus'"),
        err("start: A\n%import common.NOPE", 2, 16, "'NOPE' is not in the built-in common"),
        err("start: /a/q", 1, 11, "unknown regex flag"),
        err("start: /a{2,1}/", 1, 10, "min repeat greater than max repeat"),
        err("start: /(a/", 1, 9, "missing ), unterminated subpattern"),
        err("start: /[a/", 1, 9, "unterminated character set"),
        err("start: /a)/", 1, 10, "unbalanced parenthesis"),
        err("start: /*a/", 1, 9, "nothing to repeat"),
        err("start: /a**/", 1, 11, "multiple repeat"),
        err("start: /\\q/", 1, 9, "bad escape \\q"),
        err("start: /[z-a]/", 1, 10, "bad character range z-a"),
        err("start: /\\x4/", 1, 9, "incomplete escape"),
        err("start: \"\\x4\"", 1, 9, "needs 2 hex digits"));
  }

  private static Arguments err(String grammar, int line, int column, String fragment) {
    return Arguments.of(grammar, line, column, fragment);
  }

  @ParameterizedTest
  @MethodSource
  void syntaxErrors(String grammar, int line, int column, String fragment) {
    GrammarSyntaxException e = assertThrows(GrammarSyntaxException.class, () -> parse(grammar));
    assertEquals("grammar-syntax", e.type(), e.getMessage());
    assertEquals("lark", e.syntaxName());
    assertEquals(List.of(line, column), List.of(e.line(), e.column()), e.getMessage());
    assertTrue(e.reason().contains(fragment), e.getMessage());
  }

  static Stream<Arguments> unsupportedFeatures() {
    return Stream.of(
        err("start: x{\"a\"}\nx{p}: p", 1, 9, "templates"),
        err("start: \"a\"\n%declare X", 2, 1, "%declare"),
        err("start: \"a\"\n%import .other.X", 2, 9, "relative imports"),
        err("start: \"a\"\n%import other.X", 2, 9, "only the built-in 'common'"),
        err("start: \"a\"\n%override start: \"b\"", 2, 1, "%override"),
        err("start: <[128]>", 1, 8, "special tokens"),
        err("start: %json {}", 1, 8, "%json"),
        err("start: /^a/", 1, 9, "the anchor '^'"),
        err("start: /a$/", 1, 10, "the anchor '$'"),
        err("start: /a\\b/", 1, 10, "the boundary \\b"),
        err("start: /a(?=b)/", 1, 10, "lookaround"),
        err("start: /(?<!a)b/", 1, 9, "lookaround"),
        err("start: /a*?/", 1, 11, "lazy quantifiers"),
        err("start: /(a)\\1/", 1, 12, "backreferences"),
        err("start: /(?i)a/", 1, 9, "inline flags"),
        err("start: /a/x", 1, 11, "the regex flag 'x'"),
        err("start: " + "(".repeat(301) + "\"a\"" + ")".repeat(301), 1, 308, "nest more than"));
  }

  @ParameterizedTest
  @MethodSource
  void unsupportedFeatures(String grammar, int line, int column, String fragment) {
    GrammarSyntaxException e = assertThrows(GrammarSyntaxException.class, () -> parse(grammar));
    assertTrue(e.isUnsupported(), e.getMessage());
    assertEquals(List.of(line, column), List.of(e.line(), e.column()), e.getMessage());
    assertTrue(e.reason().contains(fragment), e.getMessage());
  }

  @Test
  void repeatCountLimit() {
    GrammarLimits limits = GrammarLimits.DEFAULTS.withMaxRepeatCount(5);
    LarkGrammar.parse("start: \"a\"~5 /b{0,5}/", limits);
    for (String g : List.of("start: \"a\"~6", "start: \"a\"{2,6}", "start: /b{6}/")) {
      ConstraintTooComplexException e =
          assertThrows(ConstraintTooComplexException.class, () -> LarkGrammar.parse(g, limits));
      assertEquals("maxRepeatCount", e.limitName());
      assertEquals(6, e.observed());
    }
  }

  @Test
  void messagesAreReadable() {
    GrammarSyntaxException e =
        assertThrows(GrammarSyntaxException.class, () -> parse("start: x\n  | y"));
    assertEquals(
        "lark grammar syntax error at line 1, column 8: undefined rule 'x'", e.getMessage());
  }
}
