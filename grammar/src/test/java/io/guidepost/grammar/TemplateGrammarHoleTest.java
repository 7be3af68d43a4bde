package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Template grammar holes: regular ones stay on the DFA path, recursive ones parse exactly. */
class TemplateGrammarHoleTest {
  private static final String ARITH =
      """
      root   ::= expr
      expr   ::= term ( ("+" | "-") term )*
      term   ::= factor ( ("*" | "/") factor )*
      factor ::= [0-9]+ | "(" expr ")"
      """;

  private static String capture(CompiledConstraint c, String output, String name) {
    Map<String, Capture> m = c.captures(output);
    return m.containsKey(name) ? m.get(name).text() : null;
  }

  @Test
  void regularGrammarHoleIsOneDfa() {
    CompiledConstraint c =
        Template.builder()
            .literal("x=")
            .grammar(
                "v", "start: \"a\"+ | B\nB: /[0-9]{2}/", Grammar.Syntax.LARK, ParserLimits.DEFAULTS)
            .literal(";")
            .compile();
    assertFalse(c.isContextFree());
    assertEquals(ConstraintKind.TEMPLATE, c.kind());
    assertTrue(c.matches("x=aaa;"));
    assertTrue(c.matches("x=42;"));
    assertFalse(c.matches("x=4;"));
    assertEquals("aaa", capture(c, "x=aaa;", "v"));
  }

  @Test
  void recursiveGrammarHoleIsExact() {
    CompiledConstraint c =
        Template.builder()
            .literal("expr: ")
            .grammar("e", ARITH, Grammar.Syntax.GBNF, ParserLimits.DEFAULTS)
            .literal(" = ")
            .regex("n", "-?[0-9]+")
            .compile();
    assertTrue(c.isContextFree());
    assertEquals(ConstraintKind.TEMPLATE, c.kind());
    String out = "expr: ((1+2))*3 = 9";
    assertTrue(c.matches(out));
    assertFalse(c.matches("expr: ((1+2)*3 = 9"));
    assertTrue(c.isPrefix("expr: ((1+"));
    assertFalse(c.isPrefix("expr: )"));
    assertEquals("((1+2))*3", capture(c, out, "e"));
    assertEquals("9", capture(c, out, "n"));
  }

  @Test
  void twoGrammarHolesKeepTheirOwnRules() {
    CompiledConstraint c =
        Template.builder()
            .grammar(
                "a",
                "root ::= \"(\" root \")\" | \"x\"",
                Grammar.Syntax.GBNF,
                ParserLimits.DEFAULTS)
            .literal(",")
            .grammar(
                "b",
                "root ::= \"[\" root \"]\" | \"y\"",
                Grammar.Syntax.GBNF,
                ParserLimits.DEFAULTS)
            .compile();
    assertTrue(c.matches("((x)),[[y]]"));
    assertFalse(c.matches("((x)),[(y)]"));
    assertFalse(c.matches("([x]),[y]"));
    Map<String, Capture> m = c.captures("(x),[[y]]");
    assertEquals(List.of("(x)", "[[y]]"), List.of(m.get("a").text(), m.get("b").text()));
  }

  @Test
  void notesNameTheirHole() {
    CompiledConstraint c =
        Template.builder()
            .literal("> ")
            .grammar("g", "start: a\na.3: \"z\"", Grammar.Syntax.LARK, ParserLimits.DEFAULTS)
            .compile();
    assertEquals(1, c.grammarNotes().size());
    GrammarNote n = c.grammarNotes().get(0);
    assertEquals(List.of(2, 2), List.of(n.line(), n.column()));
    assertTrue(n.note().startsWith("hole \"g\": the priority 3"), n::note);
  }

  @Test
  void holeErrorsKeepTheirPosition() {
    GrammarSyntaxException e =
        assertThrows(
            GrammarSyntaxException.class,
            () ->
                Template.builder()
                    .literal("a")
                    .grammar("g", "start: x\n", Grammar.Syntax.LARK, ParserLimits.DEFAULTS)
                    .compile());
    assertEquals(List.of(1, 8), List.of(e.line(), e.column()));
    assertThrows(
        InvalidConstraintException.class,
        () ->
            Template.builder()
                .grammar("g", "root ::= \"a\"", Grammar.Syntax.GBNF, ParserLimits.DEFAULTS)
                .grammar("g", "root ::= \"a\"", Grammar.Syntax.GBNF, ParserLimits.DEFAULTS));
  }
}
