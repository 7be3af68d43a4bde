package io.guidepost.grammar;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The syntax tree shared by the grammar front-ends ({@link LarkGrammar}, {@link GbnfGrammar}): an
 * EBNF expression over regular leaves and rule references. {@link ContextFreeGrammar#compile}
 * lowers it: regular parts become byte-DFA lexemes, only recursion goes to the Earley parser.
 *
 * <p>Every node carries the 1-based line and column in the grammar text where it starts (for error
 * messages); nodes built by a front-end for its own rewriting may repeat the position of the text
 * they stand for.
 */
sealed interface GrammarExpr {
  /** 1-based line of the node's first character in the grammar text. */
  int line();

  /** 1-based column (in UTF-16 units) of the node's first character. */
  int column();

  /**
   * {@code e} rebuilt bottom-up: every node, once its children are rebuilt, is replaced by {@code
   * f} applied to it (a node {@code f} returns is not walked again). The front-ends' rewrites
   * (renaming references, moving imported nodes, inserting ignored text) are all this walk.
   */
  static GrammarExpr map(GrammarExpr e, UnaryOperator<GrammarExpr> f) {
    GrammarExpr rebuilt =
        switch (e) {
          case Lang l -> l;
          case Ref r -> r;
          case Seq s ->
              new Seq(s.items().stream().map(x -> map(x, f)).toList(), s.line(), s.column());
          case Alt a ->
              new Alt(a.alternatives().stream().map(x -> map(x, f)).toList(), a.line(), a.column());
          case Repeat r -> new Repeat(map(r.body(), f), r.min(), r.max(), r.line(), r.column());
        };
    return f.apply(rebuilt);
  }

  /** This node, with the same children, at another position. */
  default GrammarExpr at(int line, int column) {
    return switch (this) {
      case Lang l -> new Lang(l.lang(), l.label(), line, column);
      case Ref r -> new Ref(r.name(), line, column);
      case Seq s -> new Seq(s.items(), line, column);
      case Alt a -> new Alt(a.alternatives(), line, column);
      case Repeat r -> new Repeat(r.body(), r.min(), r.max(), line, column);
    };
  }

  /**
   * A regular leaf: a string literal, a character class, a regex terminal.
   *
   * @param lang its language (a lexeme)
   * @param label how the grammar wrote it, for messages (e.g. {@code "\"{\""}, {@code /[0-9]+/})
   */
  record Lang(CharLang lang, String label, int line, int column) implements GrammarExpr {}

  /** A reference to the rule (or terminal) named {@code name}. */
  record Ref(String name, int line, int column) implements GrammarExpr {}

  /** The items in order; an empty sequence is the empty string. */
  record Seq(List<GrammarExpr> items, int line, int column) implements GrammarExpr {
    public Seq {
      items = List.copyOf(items);
    }
  }

  /** Any one of the alternatives (at least one). */
  record Alt(List<GrammarExpr> alternatives, int line, int column) implements GrammarExpr {
    public Alt {
      alternatives = List.copyOf(alternatives);
      if (alternatives.isEmpty()) {
        throw new IllegalArgumentException("an alternation needs at least one alternative");
      }
    }
  }

  /**
   * {@code body} repeated {@code min} to {@code max} times; {@code max == UNBOUNDED} for no upper
   * bound ({@code *} is 0..UNBOUNDED, {@code +} 1..UNBOUNDED, {@code ?} 0..1).
   */
  record Repeat(GrammarExpr body, int min, int max, int line, int column) implements GrammarExpr {
    /** {@link #max()} of an unbounded repetition. */
    static final int UNBOUNDED = -1;

    public Repeat {
      if (min < 0 || (max != UNBOUNDED && max < min)) {
        throw new IllegalArgumentException("bad repetition bounds {" + min + "," + max + "}");
      }
    }
  }
}
