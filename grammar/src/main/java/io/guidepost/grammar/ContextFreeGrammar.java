package io.guidepost.grammar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A context-free constraint: productions over nonterminals and <em>lexemes</em>, where each lexeme
 * is a byte-level {@link ByteDfa} (a regular part of the grammar folded into one automaton). The
 * language is the set of byte strings derivable from the start symbol, each lexeme occurrence
 * standing for any string of its DFA's language (no longest-match or other lexer rule: every
 * derivation counts, as in llama.cpp's grammars).
 *
 * <p>Built by {@link #compile} from a front-end's {@link GrammarDef}; parsed incrementally, one
 * byte at a time, by an {@link EarleyParser} ({@link #newParser()}), which the token layer drives
 * to mask logits.
 *
 * <p>Tables (all immutable): symbols are ints, a nonterminal {@code n >= 0}, a lexeme {@code t} as
 * {@code -(t + 1)}; the productions are laid out one after the other in {@code rhs}, each followed
 * by {@link #END}; an Earley item's dot is a position in that array. Invariants established by
 * {@link #compile}: every nonterminal and lexeme is productive (derives some string), so every
 * Earley item is on the way to an accepted output (the parser's prefix property needs it);
 * production 0 is the augmented start {@code S' -> S}.
 *
 * <p>Thread-safety: immutable; shared by all requests.
 */
public final class ContextFreeGrammar {
  /** Marks the end of a production in {@link #rhs}. */
  static final int END = Integer.MIN_VALUE;

  final ByteDfa[] lexemes;
  final String[] lexemeLabels;
  final boolean[][] extendable; // lexeme -> state -> some byte leads to a live state
  final int[] rhs; // productions, each followed by END
  final int[] posRule; // position in rhs -> production id
  final int[] ruleStart; // production id -> first position in rhs
  final int[] lhs; // production id -> nonterminal
  final int[][] rulesOf; // nonterminal -> production ids
  final boolean[] nullable; // nonterminal -> derives the empty string
  final String[] names; // nonterminal -> name for messages
  final ParserLimits limits;
  private final String description;
  private final int maxJsonNesting; // 0: the output is not tracked as JSON

  ContextFreeGrammar(
      ByteDfa[] lexemes,
      String[] lexemeLabels,
      int[][] productions,
      int[] productionLhs,
      String[] names,
      ParserLimits limits,
      String description,
      int maxJsonNesting) {
    this.lexemes = lexemes;
    this.maxJsonNesting = maxJsonNesting;
    this.lexemeLabels = lexemeLabels;
    this.names = names;
    this.limits = limits;
    this.description = description;
    this.extendable = new boolean[lexemes.length][];
    for (int t = 0; t < lexemes.length; t++) {
      ByteDfa d = lexemes[t];
      boolean[] ext = new boolean[d.stateCount()];
      for (int s = 0; s < d.stateCount(); s++) {
        for (int c = 0; c < d.classCount() && !ext[s]; c++) {
          int n = d.stepClass(s, c);
          ext[s] = n >= 0 && d.isLive(n);
        }
      }
      extendable[t] = ext;
    }
    int total = 0;
    for (int[] p : productions) {
      total += p.length + 1;
    }
    this.rhs = new int[total];
    this.posRule = new int[total];
    this.ruleStart = new int[productions.length];
    this.lhs = productionLhs.clone();
    int pos = 0;
    int[] count = new int[names.length];
    for (int r = 0; r < productions.length; r++) {
      ruleStart[r] = pos;
      for (int s : productions[r]) {
        posRule[pos] = r;
        rhs[pos++] = s;
      }
      posRule[pos] = r;
      rhs[pos++] = END;
      count[lhs[r]]++;
    }
    this.rulesOf = new int[names.length][];
    for (int n = 0; n < names.length; n++) {
      rulesOf[n] = new int[count[n]];
    }
    Arrays.fill(count, 0);
    for (int r = 0; r < productions.length; r++) {
      rulesOf[lhs[r]][count[lhs[r]]++] = r;
    }
    this.nullable = new boolean[names.length];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < productions.length; r++) {
        if (nullable[lhs[r]]) {
          continue;
        }
        boolean all = true;
        for (int s : productions[r]) {
          all &= s >= 0 ? nullable[s] : lexemeNullable(-s - 1);
        }
        if (all) {
          nullable[lhs[r]] = true;
          changed = true;
        }
      }
    }
  }

  /**
   * Lowers a parsed grammar: regular parts become lexemes, recursion stays with the parser. A
   * grammar that is regular as a whole is not lowered here: {@link Grammar} compiles it to one DFA.
   *
   * @throws EmptyConstraintException the grammar derives no string
   * @throws ConstraintTooComplexException a limit is exceeded
   */
  static ContextFreeGrammar compile(
      GrammarDef def, GrammarLimits limits, ParserLimits parserLimits, String description) {
    return new GrammarLowering(def, limits, parserLimits).lower(description);
  }

  /** Lexeme {@code t}'s DFA state after byte {@code b} from {@code q}, or -1 when it dies. */
  public int lexemeStep(int t, int q, int b) {
    ByteDfa d = lexemes[t];
    int n = d.step(q, b);
    return d.isLive(n) ? n : -1;
  }

  /** True when lexeme {@code t}'s DFA accepts in state {@code q}. */
  public boolean lexemeAccepts(int t, int q) {
    return lexemes[t].isAccepting(q);
  }

  /** True when some byte leads lexeme {@code t}'s DFA from {@code q} to a live state. */
  public boolean lexemeExtendable(int t, int q) {
    return extendable[t][q];
  }

  boolean lexemeNullable(int t) {
    return lexemes[t].isAccepting(lexemes[t].initialState());
  }

  /** A fresh parser at the start of the output. */
  public EarleyParser newParser() {
    return new EarleyParser(this);
  }

  /** True when {@code bytes} is a complete sentence of the grammar. */
  public boolean matches(byte[] bytes) {
    EarleyParser p = newParser();
    for (byte b : bytes) {
      if (!p.push(b & 0xFF)) {
        return false;
      }
    }
    return p.isAccepting();
  }

  /** True when {@code text} (as UTF-8) is a complete sentence of the grammar. */
  public boolean matches(String text) {
    return matches(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Number of lexemes. */
  public int lexemeCount() {
    return lexemes.length;
  }

  /** Number of nonterminals, the augmented start included. */
  public int nonterminalCount() {
    return names.length;
  }

  /** Number of productions, the augmented start included. */
  public int productionCount() {
    return lhs.length;
  }

  /** Total states of all lexeme DFAs. */
  public int lexemeStates() {
    int n = 0;
    for (ByteDfa d : lexemes) {
      n += d.stateCount();
    }
    return n;
  }

  /** Approximate heap footprint in bytes. */
  public long sizeInBytes() {
    long n = 16L * rhs.length + 8L * lhs.length;
    for (ByteDfa d : lexemes) {
      n += d.sizeInBytes();
    }
    return n;
  }

  /**
   * For grammars of JSON documents (JSON Schema on this layer): the deepest nesting of arrays and
   * objects a generation may reach before it stops with {@code maxNesting}; 0 when the grammar is
   * not one of JSON documents.
   */
  public int maxJsonNesting() {
    return maxJsonNesting;
  }

  /** The parser limits this grammar runs under. */
  public ParserLimits limits() {
    return limits;
  }

  /**
   * A shortest sentence (fewest bytes): each nonterminal's shortest derivation, computed by a
   * fixpoint over the productions with each lexeme's shortest string.
   */
  public String shortestExample() {
    byte[][] lexemeMin = new byte[lexemes.length][];
    for (int t = 0; t < lexemes.length; t++) {
      lexemeMin[t] = lexemes[t].shortestExample();
    }
    long[] best = new long[names.length];
    int[] via = new int[names.length];
    Arrays.fill(best, Long.MAX_VALUE);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < lhs.length; r++) {
        long len = 0;
        for (int p = ruleStart[r]; rhs[p] != END && len != Long.MAX_VALUE; p++) {
          int s = rhs[p];
          long l = s >= 0 ? best[s] : lexemeMin[-s - 1].length;
          len = l == Long.MAX_VALUE ? Long.MAX_VALUE : len + l;
        }
        if (len < best[lhs[r]]) {
          best[lhs[r]] = len;
          via[lhs[r]] = r;
          changed = true;
        }
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    expand(lhs[0], via, lexemeMin, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private void expand(int n, int[] via, byte[][] lexemeMin, java.io.ByteArrayOutputStream out) {
    // Shortest derivations never revisit a nonterminal on one path, so the depth is bounded by the
    // nonterminal count; an explicit stack keeps deep grammars off the Java stack.
    java.util.ArrayDeque<int[]> stack = new java.util.ArrayDeque<>();
    stack.push(new int[] {ruleStart[via[n]]});
    while (!stack.isEmpty()) {
      int[] top = stack.peek();
      int s = rhs[top[0]];
      if (s == END) {
        stack.pop();
        continue;
      }
      top[0]++;
      if (s >= 0) {
        stack.push(new int[] {ruleStart[via[s]]});
      } else {
        out.writeBytes(lexemeMin[-s - 1]);
      }
    }
  }

  @Override
  public String toString() {
    return description
        + " ("
        + names.length
        + " nonterminals, "
        + lhs.length
        + " productions, "
        + lexemes.length
        + " lexemes)";
  }

  /** User-facing description. */
  public String description() {
    return description;
  }
}
