package io.guidepost.grammar;

import static io.guidepost.grammar.GrammarOracle.assertAccepts;
import static io.guidepost.grammar.GrammarOracle.assertRejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GbnfGrammar}: languages checked with {@link GrammarOracle} on hand-written strings (each
 * rejection with its reason), node positions, and every error with its line, column and type.
 * Grammars are Java text blocks, so a GBNF backslash is written {@code \\} here.
 */
class GbnfGrammarTest {

  private static GrammarDef parse(String grammar) {
    return GbnfGrammar.parse(grammar, GrammarLimits.DEFAULTS);
  }

  // ---------------------------------------------------------------- languages

  private static final String JSON =
      """
      # JSON text: one value, whitespace allowed around every token
      root    ::= ws element
      element ::= value ws
      value   ::= object | array | string | number | "true" | "false" | "null"
      object  ::= "{" ws ( member ( "," ws member )* )? "}"
      member  ::= string ws ":" ws element
      array   ::= "[" ws ( element ( "," ws element )* )? "]"
      string  ::= "\\"" char* "\\""
      char    ::= [^"\\\\\\x00-\\x1F] | "\\\\" escape
      escape  ::= ["\\\\/bfnrt] | "u" hex{4}
      hex     ::= [0-9a-fA-F]
      number  ::= "-"? int frac? exp?
      int     ::= "0" | [1-9] [0-9]*
      frac    ::= "." [0-9]+
      exp     ::= [eE] [+\\-]? [0-9]+
      ws      ::= [ \\t\\n\\r]*
      """;

  @Test
  void json() {
    GrammarDef def = parse(JSON);
    assertEquals("gbnf", def.syntax());
    assertEquals("root", def.start());
    assertEquals(
        List.of(
            "root", "element", "value", "object", "member", "array", "string", "char", "escape",
            "hex", "number", "int", "frac", "exp", "ws"),
        List.copyOf(def.rules().keySet()));
    assertTrue(def.notes().isEmpty());
    assertAccepts(
        def,
        "{}",
        "[]",
        " [ ] ",
        "{\"a\": 1}",
        "[1, -2.5e+3, true]",
        "{\"a\":{\"b\":[null]}}",
        "\"\\u00e9\\n\\\"\"",
        "\"é😀\"",
        "0",
        "-0.0",
        "1E9",
        "[[[]]]",
        "{\"\":\"\"}",
        "\n\tfalse\r\n");
    assertRejects(
        def,
        "", // no value
        "{\"a\" 1}", // no colon
        "[1,]", // trailing comma
        "01", // leading zero
        "\"\\x41\"", // \x is not a JSON escape
        "\"abc", // unterminated string
        "\"\\u12\"", // \\u needs four hex digits
        "tru", // truncated literal
        "{a:1}", // unquoted key
        "\"\t\"", // raw control character in a string
        "\"\u0000\"", // U+0000 in a string
        "1.", // no fraction digits
        ".5", // no integer part
        "[1 2]", // no comma
        "{}}"); // trailing garbage
  }

  /** A small C subset in the layout of llama.cpp's c.gbnf: alternatives over several lines. */
  private static final String C_LIKE =
      """
      root        ::= (function)*
      function    ::= type name "(" param? ")" ws? "{" ws? statement* "}" ws?
      type        ::= ("int" | "char" | "void") " "
      name        ::= [a-zA-Z_] [a-zA-Z_0-9]*
      param       ::= type name
      statement   ::=
          ( type name ws? "=" ws? expr ";" ws? ) |
          ( name ws? "=" ws? expr ";" ws? ) |
          ( "return" " " expr ";" ws? ) |
          ( "while" ws? "(" cond ")" ws? "{" ws? statement* "}" ws? ) |
          ( "if" ws? "(" cond ")" ws? "{" ws? statement* "}" ws?
            ( "else" ws? "{" ws? statement* "}" ws? )? ) |
          ( "/*" ( [^*] | "*"+ [^*/] )* "*"+ "/" ws? )
      cond        ::= expr ws? ("<=" | "<" | "==" | "!=" | ">=" | ">") ws? expr
      expr        ::= term ( ws? ("+" | "-") ws? term )*
      term        ::= factor ( ws? ("*" | "/") ws? factor )*
      factor      ::= name | [0-9]+ | "-" factor | name "(" (expr ("," ws? expr)*)? ")" |
                      "(" ws? expr ws? ")"
      ws          ::= [ \t\n]+
      """;

  @Test
  void cLikeGrammarOverSeveralLines() {
    GrammarDef def = parse(C_LIKE);
    assertEquals("root", def.start());
    assertAccepts(
        def,
        "",
        "int main(){return 0;}",
        "int f(int x) {\n  int y = x * (x - 1);\n  while (y > 0) { y = y - 1; }\n  return f(y);\n}\n",
        "void g(){ if (a == b) { c = -d; } else { /* no * way */ } }");
    assertRejects(
        def,
        "int main(){return 0}",
        "int main(){ if (a) { } }",
        "int f(int x) { return (x; }",
        "void g(){ /* open }",
        "main(){}");
  }

  @Test
  void leftRecursiveArithmetic() {
    GrammarDef def =
        parse(
            """
            root   ::= expr
            expr   ::= expr ws [-+] ws term | term
            term   ::= term ws [*/] ws factor | factor
            factor ::= [0-9]+ | "(" ws expr ws ")" | "-" factor
            ws     ::= " "*
            """);
    assertAccepts(
        def, "1", "12+3", "1 - 2 * 3", "(1+2)*3", "-(4) / 2", "((7))", "2*-3", "1-2-3-4-5");
    assertRejects(
        def, "", // no number
        "1+", // operand missing
        "+1", // no unary plus
        "(1", // unclosed
        "1)", // unopened
        "1 2", // no operator
        "1**2", // doubled operator
        "a", // not a number
        "1 +\n2"); // ws is spaces only
  }

  @Test
  void rightRecursiveArithmetic() {
    GrammarDef def =
        parse(
            """
            # sums and products of numbers of up to three digits, one per line
            root    ::= sum "\\n"
            sum     ::= product ( [+-] sum )?
            product ::= atom ( "*" product )?
            atom    ::= [0-9]{1,3} | "(" sum ")"
            """);
    assertAccepts(def, "1+2*3\n", "(1+2)*345\n", "999\n", "1-(2-(3))\n");
    assertRejects(
        def, "1000\n", // four digits
        "1+2", // no newline
        "()\n", // empty parentheses
        "1+*2\n", // operator without operand
        "1/2\n"); // no division
  }

  @Test
  void list() {
    GrammarDef def =
        parse(
            """
            # a numbered list of one to three lines
            root ::= line{1,3}
            line ::= [1-9] ". " text "\\n"
            text ::= [^\\n\\r]+
            """);
    assertAccepts(def, "1. a\n", "1. a\n2. b c\n", "1. x\n1. y\n9. z\n", "3. é😀\n");
    assertRejects(
        def,
        "", // at least one line
        "1. a", // no final newline
        "1. \n", // empty text
        "0. a\n", // numbers start at 1
        "10. a\n", // one digit only
        "1. a\n1. b\n1. c\n1. d\n", // four lines
        "1. a\r\n", // carriage return is not text
        "1.a\n"); // space required
  }

  @Test
  void balancedParentheses() {
    GrammarDef def = parse("root ::= \"(\" root \")\" root | \"\"\n");
    assertAccepts(def, "", "()", "(())", "()()", "(()())");
    assertRejects(def, "(", ")", "(()", "())(");
  }

  @Test
  void everyOperator() {
    GrammarDef def =
        parse(
            """
            root ::= "1" star | "2" plus | "3" opt | "4" exact |
                     "5" atleast | "6" between | "7" group | "8" stacked | "9" zero
            star    ::= "ab"*
            plus    ::= [xy]+
            opt     ::= "a"? "b"
            exact   ::= "a"{3}
            atleast ::= "a"{2,}
            between ::= "a"{ 1 , 3 }
            group   ::= ("a" | "bc")* "d"
            stacked ::= "ab"{2}? "c"+*   # ("ab"{2})? then ("c"+)*
            zero    ::= "a"{0} "b" "x"{0,0}
            """);
    assertAccepts(
        def,
        "1",
        "1abab",
        "2x",
        "2yxy",
        "3b",
        "3ab",
        "4aaa",
        "5aa",
        "5aaaaaa",
        "6a",
        "6aaa",
        "7d",
        "7abcad",
        "8",
        "8abab",
        "8ababccc",
        "8c",
        "9b");
    assertRejects(
        def, "1aba", // "ab" repeats whole
        "2", // + needs one
        "3aab", // ? is at most one
        "3a", // b required
        "4aa", // exactly three
        "4aaaa", // exactly three
        "5a", // at least two
        "6", // at least one
        "6aaaa", // at most three
        "7", // d required
        "7ab", // "bc" is one unit
        "8ab", // {2} means abab
        "8ababab", // ? allows abab once
        "9", // b required
        "9ab", // {0} is the empty string
        "9bx"); // {0,0} is the empty string
  }

  @Test
  void everyEscape() {
    GrammarDef def =
        parse(
            """
            root ::= lit cls
            lit  ::= "\\x41\\u00e9\\U0001F600\\t\\r\\n\\\\\\"\\[\\]\\-"
            cls  ::= [\\x30-\\x32\\u00e0\\U0001F601\\t\\r\\n\\\\\\"\\[\\]\\-]
            """);
    String lit = "Aé😀\t\r\n\\\"[]-";
    assertAccepts(def, lit + "0", lit + "2", lit + "à", lit + "😁", lit + "\t", lit + "\r");
    assertAccepts(def, lit + "\n", lit + "\\", lit + "\"", lit + "[", lit + "]", lit + "-");
    assertRejects(
        def,
        lit, // class item missing
        lit + "3", // outside \x30-\x32
        lit + "😀", // not in the class
        "A\u00e9\uD83D\uDE00\t\r\n\\\"[]0", // literal lacks '-'
        "a" + lit.substring(1) + "0"); // \x41 is 'A'
  }

  @Test
  void characterClassesAndDot() {
    GrammarDef def =
        parse(
            """
            root ::= "1" [a-cx] | "2" [^a-c] | "3" [-a] | "4" [a-] | "5" [\\]\\[\\\\^] |
                     "6" [^\\n\\-] | "7" . | "8" [😀-😂] | "9" [\\uD700-\\uE000] |
                     "a" [\\x00-\\x41] | "b" [a-z.#] | "c" [a^] | "d" [^\\x00] | "e" [a-z-9]
            """);
    assertAccepts(
        def,
        "1a",
        "1b",
        "1c",
        "1x",
        "2d",
        "2\n",
        "2😀",
        "3-",
        "3a",
        "4a",
        "4-",
        "5]",
        "5[",
        "5\\",
        "5^",
        "6a",
        "6😀",
        "7a",
        "7\n",
        "7😀",
        "7\u00e9",
        "7\uFFFF",
        "7\uDBFF\uDFFF",
        "8😀",
        "8😁",
        "8😂",
        "9\uD7FF",
        "9\uE000",
        "9\uD700",
        "aA",
        "a\u0001",
        "b.",
        "b#",
        "bz",
        "c^",
        "ca",
        "d\u0001",
        "dé",
        "e-",
        "e9",
        "eq");
    assertRejects(
        def, "1d", // not in a-c or x
        "1", // one character required
        "1ab", // exactly one character
        "2a", // negated a-c
        "2c", // negated a-c
        "2\u0000", // U+0000 is never a character
        "3b", // only - and a
        "4b", // only a and -
        "5a", // only ] [ \ ^
        "6\n", // negated newline
        "6-", // negated escaped -
        "7", // . is one character
        "7ab", // . is one character
        "7\u0000", // . never matches U+0000
        "8😃", // past the range end
        "8a", // not an emoji
        "9\uE001", // past the range end
        "9\uD800", // a lone surrogate is not a character
        "9😀", // above the range
        "aB", // past \x41
        "a\u0000", // the range's U+0000 is left out
        "b,", // '.' in a class is a literal dot
        "c-", // only a and ^
        "d\u0000", // U+0000 is never a character
        "e8"); // '-' after a range is itself, then 9
  }

  @Test
  void classesLeaveOutWhatIsNoCharacter() {
    GrammarDef def =
        parse("root ::= \"1\" [\\U0010FFF0-\\UFFFFFFFF] | \"2\" [\\x00] | \"3\" [\\uD800-\\uDFFF]");
    assertAccepts(def, "1\uDBFF\uDFFF", "1\uDBFF\uDFF0");
    assertRejects(
        def, "1a", // below the range
        "2\u0000", // U+0000 is never a character
        "2", // [\x00] matches no character, not the empty string
        "3\uD800", // surrogates are not characters
        "3"); // a class that contains no character matches nothing
  }

  @Test
  void namesAndReferences() {
    GrammarDef def =
        parse(
            """
            root ::= 1-x Ab ab - x1
            1-x  ::= "a"
            Ab   ::= "b"
            ab   ::= "c"
            -    ::= "d"
            x1   ::= later
            later ::= "e"
            """);
    assertAccepts(def, "abcde");
    assertRejects(def, "acbde"); // names are case-sensitive
  }

  @Test
  void emptyAlternativesAndRules() {
    GrammarDef def = parse("root ::= | \"a\" e ()\ne ::=");
    assertAccepts(def, "", "a");
    assertRejects(def, "aa");
    assertEquals(new GrammarExpr.Seq(List.of(), 2, 6), def.rules().get("e").body());
    assertEquals(new GrammarExpr.Seq(List.of(), 1, 10), alt(def, "root").alternatives().get(0));
  }

  /** Randomized cross-check of the operators against an equivalent java.util.regex pattern. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "root ::= ( \"a\" [bc]* | \"b\"{2,3} \"c\"? )+ \"d\"? @@ (?:a[bc]*|b{2,3}c?)+d?",
        "root ::= [^b]{1,2} ( \"ab\" | . )* @@ [^b]{1,2}(?:ab|.)*",
        "root ::= x{0,2} \"d\" x\nx ::= \"a\" | \"b\" \"c\"? @@ (?:a|bc?){0,2}d(?:a|bc?)",
        "root ::= (\"a\"? \"b\"?){2} [\\n-d]+? @@ (?:a?b?){2}[\\n-d]*"
      })
  void randomStringsAgreeWithRegex(String pair) {
    String[] parts = pair.split(" @@ ");
    GrammarOracle oracle = new GrammarOracle(parse(parts[0]));
    Pattern regex = Pattern.compile(parts[1], Pattern.DOTALL);
    Random random = new Random(pair.hashCode());
    String alphabet = "abcd\n";
    for (int k = 0; k < 300; k++) {
      StringBuilder s = new StringBuilder();
      for (int len = random.nextInt(9); len > 0; len--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String str = s.toString();
      assertEquals(
          regex.matcher(str).matches(), oracle.accepts(str), () -> GrammarOracle.show(str));
    }
  }

  // ---------------------------------------------------------------- tree and positions

  private static GrammarExpr.Alt alt(GrammarDef def, String rule) {
    return assertInstanceOf(GrammarExpr.Alt.class, def.rules().get(rule).body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void nodePositions(String lineBreak) {
    String grammar =
        String.join(
            lineBreak, "root ::= \"a\" b* |", "  ( c", "  | \"d\" )", "b ::= [x]", "c ::= .");
    GrammarDef def = parse(grammar);
    GrammarDef.Rule root = def.rules().get("root");
    assertEquals(1, root.line());
    assertEquals(1, root.column());
    GrammarDef.Rule b = def.rules().get("b");
    assertEquals(4, b.line());
    assertEquals(1, b.column());

    GrammarExpr.Alt top = alt(def, "root");
    assertEquals(List.of(1, 10), List.of(top.line(), top.column()));
    GrammarExpr.Seq first = assertInstanceOf(GrammarExpr.Seq.class, top.alternatives().get(0));
    assertEquals(List.of(1, 10), List.of(first.line(), first.column()));
    GrammarExpr.Lang a = assertInstanceOf(GrammarExpr.Lang.class, first.items().get(0));
    assertEquals("\"a\"", a.label());
    assertEquals(List.of(1, 10), List.of(a.line(), a.column()));
    GrammarExpr.Repeat star = assertInstanceOf(GrammarExpr.Repeat.class, first.items().get(1));
    assertEquals(0, star.min());
    assertEquals(GrammarExpr.Repeat.UNBOUNDED, star.max());
    assertEquals(List.of(1, 14), List.of(star.line(), star.column()));
    assertEquals(new GrammarExpr.Ref("b", 1, 14), star.body());

    GrammarExpr.Alt group = assertInstanceOf(GrammarExpr.Alt.class, top.alternatives().get(1));
    assertEquals(List.of(2, 3), List.of(group.line(), group.column()));
    assertEquals(new GrammarExpr.Ref("c", 2, 5), group.alternatives().get(0));
    GrammarExpr.Lang d = assertInstanceOf(GrammarExpr.Lang.class, group.alternatives().get(1));
    assertEquals(List.of(3, 5), List.of(d.line(), d.column()));

    GrammarExpr.Lang x = assertInstanceOf(GrammarExpr.Lang.class, b.body());
    assertEquals("[x]", x.label());
    assertEquals(List.of(4, 7), List.of(x.line(), x.column()));
    GrammarExpr.Lang dot = assertInstanceOf(GrammarExpr.Lang.class, def.rules().get("c").body());
    assertEquals(".", dot.label());
    assertEquals(List.of(5, 7), List.of(dot.line(), dot.column()));
    assertAccepts(def, "a", "axxx", "é", "d");
    assertRejects(def, "ab", "ax\n"); // b is [x]; nothing follows the repetition
  }

  @Test
  void repeatOfAGroupStartsAtTheParenthesis() {
    GrammarDef def = parse("root ::= \"x\" ( \"a\" ){2}");
    GrammarExpr.Seq seq = assertInstanceOf(GrammarExpr.Seq.class, def.rules().get("root").body());
    GrammarExpr.Repeat r = assertInstanceOf(GrammarExpr.Repeat.class, seq.items().get(1));
    assertEquals(List.of(1, 14, 2, 2), List.of(r.line(), r.column(), r.min(), r.max()));
  }

  @Test
  void boundsUpTo2000AreKept() {
    GrammarExpr.Repeat r =
        assertInstanceOf(
            GrammarExpr.Repeat.class, parse("root ::= \"a\"{2000}").rules().get("root").body());
    assertEquals(List.of(2000, 2000), List.of(r.min(), r.max()));
    r =
        assertInstanceOf(
            GrammarExpr.Repeat.class, parse("root ::= \"a\"{0,2000}").rules().get("root").body());
    assertEquals(List.of(0, 2000), List.of(r.min(), r.max()));
  }

  // ---------------------------------------------------------------- line breaks

  @Test
  void lineBreaksWhereLlamaCppAllowsThem() {
    assertAccepts(parse("root ::=\n  \"a\""), "a"); // after ::=
    assertAccepts(parse("root ::= \"a\" |\n  \"b\""), "a", "b"); // after |
    assertAccepts(parse("root ::= \"a\" |   # comment\n\n  \"b\""), "b"); // after | and a comment
    assertAccepts(parse("root ::= (\n  \"a\"\n  \"b\"\n)"), "ab"); // inside parentheses
    assertAccepts(parse("root ::= ( \"a\"\n  | \"b\" )"), "a", "b"); // leading | inside parentheses
    assertAccepts(
        parse("root ::= ( \"a\" {1,\n 2}\n * )"), "", "aaa"); // inside braces in parentheses
    assertAccepts(parse("# c\n\nroot ::= \"a\" # trailing\n# more\n\n"), "a"); // comments
    assertAccepts(parse("root ::= \"#\" [#]"), "##"); // # in a literal or class is no comment
    assertAccepts(
        parse("root ::= \"a\nb\" [\n]"), "a\nb\n"); // raw line breaks in literals, classes
    assertAccepts(parse("root ::= x\r\nx ::= \"a\"\r"), "a"); // CRLF and CR
    assertAccepts(parse("root ::= x\rx ::= \"a\""), "a"); // CR alone ends a rule
    assertAccepts(parse("root ::= \"a\" # no newline at the end"), "a");
    assertAccepts(parse("root ::= \"a\"\t\"b\"  \"c\""), "abc"); // tabs and spaces
    assertAccepts(parse("root::=\"a\"\"b\"x\nx::=\"c\""), "abc"); // no space needed
  }

  // ---------------------------------------------------------------- errors

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        // rule structure and line breaks
        err("", 1, 1, "no root rule"),
        err("a ::= \"x\"\n", 1, 1, "no root rule"),
        err("root ::= \"a\"\n  \"b\"", 2, 3, "expected a rule name"),
        err("root ::= \"a\"\n  | \"b\"", 2, 3, "a line cannot start with '|'"),
        err("root\n::= \"a\"", 1, 5, "unexpected line break: expected '::='"),
        err("root = \"a\"", 1, 6, "unexpected '=': expected '::='"),
        err("root ::= \"a\"{1,\n2}", 1, 16, "unexpected line break: expected '}'"),
        err("root ::= \"a\" |\nb ::= \"c\"", 2, 3, "unexpected ':'"),
        err("root ::=\nb ::= \"c\"", 2, 3, "unexpected ':'"), // b continues root's body
        err("root ::= \"a\"\r\n\r\n  \"b\"", 3, 3, "expected a rule name"),
        err("root ::= \"a\" )", 1, 14, "unexpected ')': expected a rule element, '|' or the end"),
        err("root ::= \"a\" ; \"b\"", 1, 14, "unexpected ';'"),
        err("root ::= \"a\"\f", 1, 13, "unexpected U+000C"),
        err("root ::= (\"a\"\n", 2, 1, "the group '(' at line 1, column 10 is not closed"),
        err("root ::= ( \"a\" ]", 1, 16, "unexpected ']': expected a rule element, '|' or ')'"),
        // names
        err("root ::= a b\na ::= \"x\"", 1, 12, "undefined rule 'b'"),
        err("root ::= x{0}", 1, 10, "undefined rule 'x'"),
        err("root ::= \"a\"\nroot ::= \"b\"", 2, 1, "already defined at line 1, column 1"),
        err("root ::= line_char\n", 1, 14, "'_' is not allowed in a rule name"),
        err("line_char ::= \"a\"", 1, 5, "'_' is not allowed in a rule name"),
        err("_x ::= \"a\"\nroot ::= \"b\"", 1, 1, "'_' is not allowed in a rule name"),
        err("café ::= \"a\"", 1, 4, "unexpected 'é' (U+00E9): expected '::='"),
        // literals, classes, escapes
        err("root ::= \"abc", 1, 14, "the string literal at line 1, column 10 is not closed"),
        err("root ::= [abc", 1, 14, "the character class at line 1, column 10 is not closed"),
        err("root ::= [a-", 1, 13, "the character class at line 1, column 10 is not closed"),
        err("root ::= \"\\", 1, 12, "unexpected end of grammar after '\\'"),
        err("root ::= \"\\q\"", 1, 11, "unknown escape '\\' followed by 'q'"),
        err("root ::= [\\s]", 1, 11, "unknown escape"),
        err("root ::= \"\\x4\"", 1, 11, "\\x needs exactly 2 hex digits"),
        err("root ::= \"\\u12G4\"", 1, 11, "\\u needs exactly 4 hex digits"),
        err("root ::= \"\\U0001F60\"", 1, 11, "\\U needs exactly 8 hex digits"),
        err("root ::= \"\\uD83D\\uDE00\"", 1, 11, "lone surrogate"),
        err("root ::= [a\\uDC00]", 1, 12, "lone surrogate"),
        err("root ::= \"\\U00110000\"", 1, 11, "above U+10FFFF"),
        err("root ::= [\\UFFFFFFFF]", 1, 11, "above U+10FFFF"),
        err("root ::= \"a\\x00\"", 1, 12, "U+0000 in a string literal can never match"),
        err("root ::= \"a\u0000\"", 1, 12, "U+0000 in the grammar text"),
        err("# \u0000\nroot ::= \"a\"", 1, 3, "U+0000 in the grammar text"),
        err("root ::= \"\uD800\"", 1, 11, "unpaired surrogate U+D800"),
        err("root ::= [0-9z-a]", 1, 14, "the range z-a is reversed"),
        err("root ::= [a--]", 1, 11, "the range a-- is reversed"),
        // repetitions
        err("root ::= *\"a\"", 1, 10, "'*' has nothing to repeat: it must follow an item"),
        err("root ::= \"a\" | +", 1, 16, "'+' has nothing to repeat"),
        err("root ::= (\"a\" | ?)", 1, 17, "'?' has nothing to repeat"),
        err("root ::= \"\"*", 1, 12, "cannot repeat \"\" or an item repeated {0} times"),
        err("root ::= \"a\"{0}?", 1, 16, "cannot repeat"),
        err("root ::= \"a\"{0,0}{2}", 1, 18, "cannot repeat"),
        err("root ::= \"a\"{,3}", 1, 14, "unexpected ',': expected a number after '{'"),
        err("root ::= \"a\"{3,2}", 1, 13, "upper bound 2 is below its lower bound 3"),
        err("root ::= \"a\"{2", 1, 15, "unexpected end of grammar: expected ',' or '}'"),
        err("root ::= \"a\"{2;", 1, 15, "unexpected ';': expected ',' or '}'"),
        err("root ::= \"a\"{1,2", 1, 17, "expected '}' to close the repetition"),
        err("root ::= \"a\"{1,x}", 1, 16, "unexpected 'x': expected '}'"),
        // tokens
        err("root ::= !x", 1, 11, "unexpected 'x': expected '<' after '!'"));
  }

  private static Arguments err(String grammar, int line, int column, String fragment) {
    return Arguments.of(grammar, line, column, fragment);
  }

  @ParameterizedTest
  @MethodSource
  void syntaxErrors(String grammar, int line, int column, String fragment) {
    GrammarSyntaxException e = assertThrows(GrammarSyntaxException.class, () -> parse(grammar));
    assertEquals("grammar-syntax", e.type(), e.getMessage());
    assertFalse(e.isUnsupported());
    assertEquals("gbnf", e.syntaxName());
    assertEquals(List.of(line, column), List.of(e.line(), e.column()), e.getMessage());
    assertTrue(e.reason().contains(fragment), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("gbnf grammar syntax error at line " + line), e::getMessage);
  }

  static Stream<Arguments> unsupportedFeatures() {
    return Stream.of(
        err("root ::= <think> \"a\"", 1, 10, "token references"),
        err("root ::= \"a\" <[123]>", 1, 14, "token references"),
        err("root ::= !<[5]>*", 1, 10, "token references"),
        err("root ::= \"a\"\nx ::= !</think>", 2, 7, "token references"),
        err("root ::= \"a\" []", 1, 14, "the empty character class []"),
        err("root ::= [^]", 1, 10, "the empty character class [^]"),
        err("root ::= \"a\"{2001}", 1, 14, "lower bound 2001 is above 2000"),
        err("root ::= \"a\"{2001,}", 1, 14, "lower bound 2001 is above 2000"),
        err("root ::= \"a\"{0,2001}", 1, 16, "upper bound 2001 is above 2000"),
        err("root ::= \"a\"{1, 99999999999999999999}", 1, 17, "99999999999999999999 is above"));
  }

  @ParameterizedTest
  @MethodSource
  void unsupportedFeatures(String grammar, int line, int column, String fragment) {
    GrammarSyntaxException e = assertThrows(GrammarSyntaxException.class, () -> parse(grammar));
    assertEquals("grammar-unsupported", e.type(), e.getMessage());
    assertTrue(e.isUnsupported());
    assertEquals(List.of(line, column), List.of(e.line(), e.column()), e.getMessage());
    assertTrue(e.reason().contains(fragment), e.getMessage());
  }

  @Test
  void repeatCountLimit() {
    GrammarLimits limits = GrammarLimits.DEFAULTS.withMaxRepeatCount(5);
    for (String bound : List.of("{5}", "{0,5}", "{5,}")) {
      GbnfGrammar.parse("root ::= \"a\"" + bound, limits);
    }
    for (String bound : List.of("{6}", "{0,6}", "{6,}")) {
      ConstraintTooComplexException e =
          assertThrows(
              ConstraintTooComplexException.class,
              () -> GbnfGrammar.parse("root ::= \"a\"" + bound, limits));
      assertEquals("too-complex", e.type());
      assertEquals("maxRepeatCount", e.limitName());
      assertEquals(5, e.limit());
      assertEquals(6, e.observed());
      assertEquals("repetitions", e.unit());
    }
  }

  @Test
  void nestingDepth() {
    assertAccepts(parse("root ::= " + "(".repeat(1000) + "\"a\"" + ")".repeat(1000)), "a");
    parse("root ::= \"a\"" + "?".repeat(999));
    GrammarSyntaxException e =
        assertThrows(
            GrammarSyntaxException.class,
            () -> parse("root ::= " + "(".repeat(1001) + "\"a\"" + ")".repeat(1001)));
    assertEquals(List.of(1, 1010), List.of(e.line(), e.column()));
    assertTrue(e.isUnsupported());
    assertTrue(e.reason().contains("more than 1000 levels"), e::getMessage);
    e =
        assertThrows(
            GrammarSyntaxException.class, () -> parse("root ::= \"a\"" + "?".repeat(1000)));
    assertEquals(List.of(1, 1012), List.of(e.line(), e.column()));
    assertTrue(e.isUnsupported());
  }

  @Test
  void messagesAreReadable() {
    GrammarSyntaxException e =
        assertThrows(GrammarSyntaxException.class, () -> parse("root ::= \"a\"\n  | \"b\""));
    assertEquals(
        "gbnf grammar syntax error at line 2, column 3: a line cannot start with '|' outside"
            + " parentheses: end the previous line with the '|' or put the alternatives in"
            + " parentheses",
        e.getMessage());
    e = assertThrows(GrammarSyntaxException.class, () -> parse("root ::= <think>"));
    assertEquals(
        "unsupported gbnf grammar feature at line 1, column 10: token references (<...>, <[id]>,"
            + " !<...>) match tokens of a model's vocabulary, not characters",
        e.getMessage());
  }
}
