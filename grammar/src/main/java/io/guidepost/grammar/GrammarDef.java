package io.guidepost.grammar;

import java.util.List;
import java.util.Map;

/**
 * A parsed grammar, before lowering: named rules over {@link GrammarExpr}, the start rule, and the
 * source text for error messages. Produced by a front-end ({@link LarkGrammar}, {@link
 * GbnfGrammar}); compiled by {@link ContextFreeGrammar#compile}.
 *
 * @param syntax {@code "lark"} or {@code "gbnf"} (for messages)
 * @param source the grammar text as given
 * @param rules rule name to definition, in definition order; every {@link GrammarExpr.Ref} names a
 *     key of this map (front-ends check this and report undefined names with their position)
 * @param start the start rule's name (a key of {@code rules})
 * @param notes what the front-end accepted but does not enforce (e.g. Lark priorities, which only
 *     steer Lark's own lexer), each with its position; reported to the caller, never silent
 */
record GrammarDef(
    String syntax,
    String source,
    Map<String, Rule> rules,
    String start,
    List<GrammarSyntaxException> notes) {

  /**
   * One rule.
   *
   * @param name as written
   * @param body its definition
   * @param line 1-based line of the rule's name
   * @param column 1-based column of the rule's name
   */
  record Rule(String name, GrammarExpr body, int line, int column) {}

  GrammarDef {
    rules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rules));
    notes = List.copyOf(notes);
    if (!rules.containsKey(start)) {
      throw new IllegalArgumentException("start rule " + start + " is not defined");
    }
  }

  /** The rules with every name, defined and referenced, prefixed by {@code prefix}. */
  Map<String, Rule> prefixedRules(String prefix) {
    Map<String, Rule> out = new java.util.LinkedHashMap<>();
    for (Rule r : rules.values()) {
      out.put(
          prefix + r.name(),
          new Rule(prefix + r.name(), prefixed(r.body(), prefix), r.line(), r.column()));
    }
    return out;
  }

  private static GrammarExpr prefixed(GrammarExpr e, String prefix) {
    return GrammarExpr.map(
        e,
        x ->
            x instanceof GrammarExpr.Ref r
                ? new GrammarExpr.Ref(prefix + r.name(), r.line(), r.column())
                : x);
  }
}
