package io.guidepost.grammar;

import java.util.List;

/**
 * Context-free grammars as constraints: Lark (the subset llguidance and onnxruntime-genai accept)
 * and llama.cpp's GBNF, compiled exactly.
 *
 * <p>Compilation: the front-end ({@link LarkGrammar}, {@link GbnfGrammar}) parses the text into a
 * {@link GrammarDef}. A grammar with no recursion is regular: it compiles to one DFA, exactly as a
 * regex does (same masks, same speed), unless that DFA exceeds the {@link GrammarLimits}, in which
 * case it takes the context-free path like a recursive grammar does. On that path {@link
 * GrammarLowering} folds every regular part into a byte-DFA lexeme and leaves only recursion to the
 * {@link EarleyParser} ({@link CompiledConstraint#isContextFree()}, {@link
 * CompiledConstraint#grammar()}).
 *
 * <p>Thread-safety: stateless; safe to call concurrently.
 */
public final class Grammar {
  private Grammar() {}

  /** The grammar notations accepted. */
  public enum Syntax {
    /** Lark, as llguidance and onnxruntime-genai accept it ({@link LarkGrammar}). */
    LARK("lark"),
    /** llama.cpp's GBNF ({@link GbnfGrammar}). */
    GBNF("gbnf");

    private final String wireName;

    Syntax(String wireName) {
      this.wireName = wireName;
    }

    /** The name on the wire: {@code lark} or {@code gbnf}. */
    public String wireName() {
      return wireName;
    }

    /** The syntax named {@code name} ({@code lark}, {@code gbnf}), or null. */
    public static Syntax of(String name) {
      for (Syntax s : values()) {
        if (s.wireName.equals(name)) {
          return s;
        }
      }
      return null;
    }
  }

  /**
   * Compiles a grammar with the default limits.
   *
   * @throws GrammarSyntaxException malformed or unsupported grammar, with line and column
   * @throws EmptyConstraintException the grammar derives no string
   * @throws ConstraintTooComplexException a limit is exceeded
   */
  public static CompiledConstraint compile(String source, Syntax syntax) {
    return compile(source, syntax, GrammarLimits.DEFAULTS, ParserLimits.DEFAULTS);
  }

  /** Compiles a grammar under the given limits (see {@link #compile(String, Syntax)}). */
  public static CompiledConstraint compile(
      String source, Syntax syntax, GrammarLimits limits, ParserLimits parserLimits) {
    GrammarDef def = parse(source, syntax, limits, parserLimits);
    return compile(def, syntax.wireName() + " grammar", limits, parserLimits)
        .withGrammarNotes(notes(def));
  }

  /** Parses {@code source} with the front-end of {@code syntax} (see {@link #compile}). */
  static GrammarDef parse(
      String source, Syntax syntax, GrammarLimits limits, ParserLimits parserLimits) {
    if (source.length() > parserLimits.maxGrammarChars()) {
      throw new ConstraintTooComplexException(
          "maxGrammarChars",
          parserLimits.maxGrammarChars(),
          source.length(),
          "chars",
          "the grammar text");
    }
    return switch (syntax) {
      case LARK -> LarkGrammar.parse(source, limits);
      case GBNF -> GbnfGrammar.parse(source, limits);
    };
  }

  /** The notes of {@code def} as the compiled constraint reports them. */
  static List<GrammarNote> notes(GrammarDef def) {
    return def.notes().stream()
        .map(n -> new GrammarNote(n.line(), n.column(), n.reason()))
        .toList();
  }

  /** Compiles {@code def} (a front-end's output) under the given limits. */
  static CompiledConstraint compile(
      GrammarDef def, String description, GrammarLimits limits, ParserLimits parserLimits) {
    long t0 = System.nanoTime();
    return CharLang.withLimits(
        limits,
        () -> {
          GrammarLowering lowering = new GrammarLowering(def, limits, parserLimits);
          if (lowering.isRegular()) {
            ByteDfa dfa = regularDfa(lowering, limits);
            if (dfa != null) {
              if (dfa.isEmpty()) {
                throw new EmptyConstraintException(description + " derives no string");
              }
              return CompiledConstraint.of(ConstraintKind.GRAMMAR, description, dfa, t0);
            }
          }
          return CompiledConstraint.ofGrammar(
              ConstraintKind.GRAMMAR, description, lowering.lower(description), t0);
        });
  }

  /** The DFA of a grammar without recursion, or null when it exceeds the DFA limits. */
  static ByteDfa regularDfa(GrammarLowering lowering, GrammarLimits limits) {
    return GrammarLowering.unlessTooComplex(() -> lowering.regularLanguage().toByteDfa(limits));
  }
}
