package io.guidepost.grammar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a {@link GrammarDef} to a {@link ContextFreeGrammar}: what is regular becomes a lexeme,
 * only what recursion needs becomes productions.
 *
 * <p>Algorithm: rules that lie on a cycle of references, or reference one, need the parser; every
 * other rule is regular and is inlined as a {@link CharLang}. An expression without a reference to
 * a parser rule is one lexeme (its language, computed with the algebra), unless its automaton
 * would exceed {@link ParserLimits#maxLexemeStates()}, in which case it is lowered structurally
 * like the rest. Structural lowering: a rule is a nonterminal with one production per top-level
 * alternative; in a sequence, each maximal run of regular items is concatenated into one lexeme
 * (so {@code "{" ws} or {@code string ":" ws} is a single automaton); an inner alternation is a
 * fresh nonterminal; {@code x*} is a fresh left-recursive {@code L -> ε | L x}; {@code x{n,m}} is
 * {@code n} copies then a chain of {@code m - n} optional ones. Finally unproductive productions
 * (deriving no string) are removed, so the parser's items all lead somewhere.
 *
 * <p>Not thread-safe; one instance per compilation.
 */
final class GrammarLowering {
  private final GrammarDef def;
  private final GrammarLimits limits;
  private final ParserLimits parserLimits;
  private final Map<String, Boolean> needsParser = new HashMap<>();
  private final Map<String, CharLang> ruleLang = new HashMap<>(); // regular rules' languages
  private final Map<String, CharLang> ruleLexeme = new HashMap<>(); // lexeme or NOT_REGULAR
  private final Map<String, Integer> ruleSymbol = new HashMap<>();
  private final Map<CharLang, Integer> lexemeOf = new IdentityHashMap<>();
  private final List<CharLang> lexemes = new ArrayList<>();
  private final List<String> lexemeLabels = new ArrayList<>();
  private final List<int[]> productions = new ArrayList<>();
  private final List<Integer> productionLhs = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final ArrayDeque<String> pendingRules = new ArrayDeque<>();
  private long symbols;

  /** Marks an expression that is not a single lexeme. */
  private static final CharLang NOT_REGULAR = CharLang.emptyString();

  GrammarLowering(GrammarDef def, GrammarLimits limits, ParserLimits parserLimits) {
    this.def = def;
    this.limits = limits;
    this.parserLimits = parserLimits;
    markParserRules();
  }

  /** True when the start rule needs no parser: the whole grammar is one regular language. */
  boolean isRegular() {
    return !needsParser.get(def.start());
  }

  /** The whole grammar's language, for {@link #isRegular()} grammars, under the full limits. */
  CharLang regularLanguage() {
    return CharLang.withLimits(limits, () -> exprLang(def.rules().get(def.start()).body()));
  }

  ContextFreeGrammar lower(String description) {
    return lower(description, 0);
  }

  /**
   * The lowered grammar; {@code maxJsonNesting} > 0 marks one of JSON documents (see {@link
   * ContextFreeGrammar#maxJsonNesting()}).
   */
  ContextFreeGrammar lower(String description, int maxJsonNesting) {
    return CharLang.withLimits(
        limits,
        () -> {
          names.add("start");
          productions.add(null); // S' -> S, filled below
          productionLhs.add(0);
          int start = symbolOfRule(def.start());
          productions.set(0, new int[] {start});
          while (!pendingRules.isEmpty()) {
            lowerRule(pendingRules.poll());
          }
          return build(description, maxJsonNesting);
        });
  }

  // ------------------------------------------------------------------ which rules need the parser

  /** Tarjan's strongly connected components over references; then propagation to referrers. */
  private void markParserRules() {
    List<String> order = new ArrayList<>(def.rules().keySet());
    Map<String, List<String>> refs = new HashMap<>();
    for (String r : order) {
      List<String> out = new ArrayList<>();
      collectRefs(def.rules().get(r).body(), out);
      refs.put(r, out);
    }
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    ArrayDeque<String> stack = new ArrayDeque<>();
    java.util.Set<String> onStack = new java.util.HashSet<>();
    java.util.Set<String> cyclic = new java.util.HashSet<>();
    int[] counter = {0};
    for (String r : order) {
      if (!index.containsKey(r)) {
        strongConnect(r, refs, index, low, stack, onStack, cyclic, counter);
      }
    }
    // needsParser(r) = r is cyclic or references a rule that needs the parser: a fixpoint.
    for (String r : order) {
      needsParser.put(r, cyclic.contains(r));
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String r : order) {
        if (needsParser.get(r)) {
          continue;
        }
        for (String t : refs.get(r)) {
          if (needsParser.get(t)) {
            needsParser.put(r, true);
            changed = true;
            break;
          }
        }
      }
    }
  }

  /** Iterative Tarjan (grammars can be deep; no Java recursion over rules). */
  private static void strongConnect(
      String root,
      Map<String, List<String>> refs,
      Map<String, Integer> index,
      Map<String, Integer> low,
      ArrayDeque<String> stack,
      java.util.Set<String> onStack,
      java.util.Set<String> cyclic,
      int[] counter) {
    ArrayDeque<Object[]> work = new ArrayDeque<>(); // {rule, next child index}
    work.push(new Object[] {root, 0});
    index.put(root, counter[0]);
    low.put(root, counter[0]++);
    stack.push(root);
    onStack.add(root);
    while (!work.isEmpty()) {
      Object[] frame = work.peek();
      String v = (String) frame[0];
      List<String> children = refs.get(v);
      int i = (Integer) frame[1];
      if (i < children.size()) {
        frame[1] = i + 1;
        String w = children.get(i);
        if (w.equals(v)) {
          cyclic.add(v);
        }
        if (!index.containsKey(w)) {
          index.put(w, counter[0]);
          low.put(w, counter[0]++);
          stack.push(w);
          onStack.add(w);
          work.push(new Object[] {w, 0});
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
        continue;
      }
      work.pop();
      if (!work.isEmpty()) {
        String parent = (String) work.peek()[0];
        low.put(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> component = new ArrayList<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        if (component.size() > 1) {
          cyclic.addAll(component);
        }
      }
    }
  }

  private static void collectRefs(GrammarExpr e, List<String> out) {
    switch (e) {
      case GrammarExpr.Lang l -> {}
      case GrammarExpr.Ref r -> out.add(r.name());
      case GrammarExpr.Seq s -> s.items().forEach(x -> collectRefs(x, out));
      case GrammarExpr.Alt a -> a.alternatives().forEach(x -> collectRefs(x, out));
      case GrammarExpr.Repeat r -> collectRefs(r.body(), out);
    }
  }

  // ------------------------------------------------------------------ regular parts

  /**
   * The language of {@code e} if it is regular and (with {@code budget}) small enough to be one
   * lexeme, else {@link #NOT_REGULAR}.
   */
  private CharLang lexemeLang(GrammarExpr e) {
    if (referencesParserRule(e)) {
      return NOT_REGULAR;
    }
    if (e instanceof GrammarExpr.Ref r) {
      CharLang known = ruleLexeme.get(r.name());
      if (known == null) {
        known = budgetedLang(e);
        ruleLexeme.put(r.name(), known);
      }
      return known;
    }
    return budgetedLang(e);
  }

  private CharLang budgetedLang(GrammarExpr e) {
    CharLang l = underLexemeBudget(() -> exprLang(e));
    return l == null ? NOT_REGULAR : l;
  }

  /**
   * {@code build}'s language when it fits {@link ParserLimits#maxLexemeStates()}, else null (a size
   * choice, not an error); the compile-time limit still propagates.
   */
  private CharLang underLexemeBudget(java.util.function.Supplier<CharLang> build) {
    return unlessTooComplex(
        () ->
            CharLang.withLimits(
                limits.withMaxDfaStates(
                    Math.min(limits.maxDfaStates(), parserLimits.maxLexemeStates())),
                build));
  }

  /**
   * {@code build}'s result, or null when it exceeds a size limit: the caller then takes the
   * structural (parser) path instead. The compile-time limit is an error and propagates.
   */
  static <T> T unlessTooComplex(java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (ConstraintTooComplexException x) {
      if ("maxCompileMillis".equals(x.limitName())) {
        throw x;
      }
      return null;
    }
  }

  private boolean referencesParserRule(GrammarExpr e) {
    return switch (e) {
      case GrammarExpr.Lang l -> false;
      case GrammarExpr.Ref r -> needsParser.get(r.name());
      case GrammarExpr.Seq s -> s.items().stream().anyMatch(this::referencesParserRule);
      case GrammarExpr.Alt a -> a.alternatives().stream().anyMatch(this::referencesParserRule);
      case GrammarExpr.Repeat r -> referencesParserRule(r.body());
    };
  }

  /**
   * The language of an expression without parser rules, built with the algebra under the limits in
   * force; regular rules' languages are memoised (they do not depend on the limits, only whether
   * they can be built does).
   */
  private CharLang exprLang(GrammarExpr e) {
    CharLang.checkDeadline("the grammar");
    return switch (e) {
      case GrammarExpr.Lang l -> l.lang();
      case GrammarExpr.Ref r -> {
        CharLang known = ruleLang.get(r.name());
        if (known == null) {
          known = exprLang(def.rules().get(r.name()).body());
          ruleLang.put(r.name(), known);
        }
        yield known;
      }
      case GrammarExpr.Seq s -> {
        List<CharLang> parts = new ArrayList<>();
        for (GrammarExpr x : s.items()) {
          parts.add(exprLang(x));
        }
        yield parts.isEmpty() ? CharLang.emptyString() : CharLang.concat(parts);
      }
      case GrammarExpr.Alt a -> {
        List<CharLang> parts = new ArrayList<>();
        for (GrammarExpr x : a.alternatives()) {
          parts.add(exprLang(x));
        }
        yield CharLang.union(parts);
      }
      case GrammarExpr.Repeat r -> {
        checkRepeat(r);
        CharLang body = exprLang(r.body());
        yield body.repeat(r.min(), r.max());
      }
    };
  }

  private void checkRepeat(GrammarExpr.Repeat r) {
    int bound = r.max() == GrammarExpr.Repeat.UNBOUNDED ? r.min() : r.max();
    if (bound > limits.maxRepeatCount()) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount",
          limits.maxRepeatCount(),
          bound,
          "repetitions",
          "the repetition at line " + r.line() + ", column " + r.column());
    }
  }

  // ------------------------------------------------------------------ structural lowering

  private int symbolOfRule(String name) {
    Integer s = ruleSymbol.get(name);
    if (s != null) {
      return s;
    }
    int n = newNonterminal(name);
    ruleSymbol.put(name, n);
    pendingRules.add(name);
    return n;
  }

  private void lowerRule(String name) {
    int n = ruleSymbol.get(name);
    GrammarExpr body = def.rules().get(name).body();
    if (body instanceof GrammarExpr.Alt a) {
      for (GrammarExpr alt : a.alternatives()) {
        addProduction(n, sequence(alt));
      }
    } else {
      addProduction(n, sequence(body));
    }
  }

  /** The symbols of {@code e} read as a sequence (nested sequences flattened, runs merged). */
  private int[] sequence(GrammarExpr e) {
    List<GrammarExpr> items = new ArrayList<>();
    flatten(e, items);
    List<Integer> out = new ArrayList<>();
    List<CharLang> run = new ArrayList<>();
    List<GrammarExpr> runItems = new ArrayList<>();
    for (GrammarExpr item : items) {
      CharLang l = lexemeLang(item);
      if (l != NOT_REGULAR) {
        run.add(l);
        runItems.add(item);
        continue;
      }
      flushRun(run, runItems, out);
      out.add(symbol(item));
    }
    flushRun(run, runItems, out);
    int[] a = new int[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  private static void flatten(GrammarExpr e, List<GrammarExpr> out) {
    if (e instanceof GrammarExpr.Seq s) {
      for (GrammarExpr x : s.items()) {
        flatten(x, out);
      }
    } else {
      out.add(e);
    }
  }

  /** Emits the pending regular run as one lexeme (or one per item if the concatenation is big). */
  private void flushRun(List<CharLang> run, List<GrammarExpr> runItems, List<Integer> out) {
    if (run.isEmpty()) {
      return;
    }
    CharLang joined = run.size() == 1 ? run.get(0) : tryConcat(run);
    if (joined != null) {
      out.add(lexeme(joined, label(runItems)));
    } else {
      for (int i = 0; i < run.size(); i++) {
        out.add(lexeme(run.get(i), label(List.of(runItems.get(i)))));
      }
    }
    run.clear();
    runItems.clear();
  }

  private CharLang tryConcat(List<CharLang> run) {
    return underLexemeBudget(() -> CharLang.concat(run));
  }

  /** The symbol for a non-lexeme expression. */
  private int symbol(GrammarExpr e) {
    return switch (e) {
      case GrammarExpr.Ref r -> symbolOfRule(r.name());
      case GrammarExpr.Lang l -> lexeme(l.lang(), l.label());
      case GrammarExpr.Seq s -> {
        int n = newNonterminal("(sequence at " + s.line() + ":" + s.column() + ")");
        addProduction(n, sequence(s));
        yield n;
      }
      case GrammarExpr.Alt a -> {
        int n = newNonterminal("(alternatives at " + a.line() + ":" + a.column() + ")");
        for (GrammarExpr alt : a.alternatives()) {
          addProduction(n, sequence(alt));
        }
        yield n;
      }
      case GrammarExpr.Repeat r -> repetition(r);
    };
  }

  private int repetition(GrammarExpr.Repeat r) {
    checkRepeat(r);
    int[] body = sequence(r.body());
    String where = " at " + r.line() + ":" + r.column() + ")";
    int n = newNonterminal("(repetition" + where);
    int[] prefix = repeat(body, r.min());
    if (r.max() == GrammarExpr.Repeat.UNBOUNDED) {
      int loop = newNonterminal("(repetition loop" + where);
      addProduction(loop, new int[0]);
      addProduction(loop, concat(new int[] {loop}, body));
      addProduction(n, concat(prefix, new int[] {loop}));
    } else {
      // O_k -> ε | body O_{k-1}, O_1 -> ε | body; n -> body^min O_{max-min}
      int tail = -1;
      for (int k = 1; k <= r.max() - r.min(); k++) {
        int o = newNonterminal("(optional repetition" + where);
        addProduction(o, new int[0]);
        addProduction(o, tail < 0 ? body : concat(body, new int[] {tail}));
        tail = o;
      }
      addProduction(n, tail < 0 ? prefix : concat(prefix, new int[] {tail}));
    }
    return n;
  }

  private static int[] repeat(int[] body, int times) {
    int[] out = new int[body.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(body, 0, out, i * body.length, body.length);
    }
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private int newNonterminal(String name) {
    names.add(name);
    return names.size() - 1;
  }

  private void addProduction(int lhs, int[] rhs) {
    symbols += rhs.length + 1;
    if (symbols > parserLimits.maxGrammarSymbols()) {
      throw new ConstraintTooComplexException(
          "maxGrammarSymbols",
          parserLimits.maxGrammarSymbols(),
          symbols,
          "symbols",
          "the grammar's productions");
    }
    productions.add(rhs);
    productionLhs.add(lhs);
  }

  private int lexeme(CharLang lang, String label) {
    Integer t = lexemeOf.get(lang);
    if (t == null) {
      t = lexemes.size();
      lexemes.add(lang);
      lexemeLabels.add(label);
      lexemeOf.put(lang, t);
    }
    return -t - 1;
  }

  private static String label(List<GrammarExpr> items) {
    StringBuilder b = new StringBuilder();
    for (GrammarExpr e : items) {
      if (!b.isEmpty()) {
        b.append(' ');
      }
      b.append(
          switch (e) {
            case GrammarExpr.Lang l -> l.label();
            case GrammarExpr.Ref r -> r.name();
            default -> "(...)";
          });
      if (b.length() > 80) {
        b.setLength(77);
        b.append("...");
        break;
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ productivity and tables

  private ContextFreeGrammar build(String description, int maxJsonNesting) {
    int nLex = lexemes.size();
    ByteDfa[] dfas = new ByteDfa[nLex];
    boolean[] lexemeProductive = new boolean[nLex];
    for (int t = 0; t < nLex; t++) {
      CharLang.checkDeadline("the grammar's lexemes");
      dfas[t] = lexemes.get(t).toByteDfa(limits);
      lexemeProductive[t] = !dfas[t].isEmpty();
    }
    int nNt = names.size();
    boolean[] productive = new boolean[nNt];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < productions.size(); r++) {
        int l = productionLhs.get(r);
        if (!productive[l] && allProductive(productions.get(r), productive, lexemeProductive)) {
          productive[l] = true;
          changed = true;
        }
      }
    }
    if (!productive[0]) {
      throw new EmptyConstraintException(description + " derives no string");
    }
    List<int[]> keep = new ArrayList<>();
    List<Integer> keepLhs = new ArrayList<>();
    for (int r = 0; r < productions.size(); r++) {
      if (productive[productionLhs.get(r)]
          && allProductive(productions.get(r), productive, lexemeProductive)) {
        keep.add(productions.get(r));
        keepLhs.add(productionLhs.get(r));
      }
    }
    int[] lhsArray = new int[keepLhs.size()];
    for (int i = 0; i < lhsArray.length; i++) {
      lhsArray[i] = keepLhs.get(i);
    }
    return new ContextFreeGrammar(
        dfas,
        lexemeLabels.toArray(new String[0]),
        keep.toArray(new int[0][]),
        lhsArray,
        names.toArray(new String[0]),
        parserLimits,
        description,
        maxJsonNesting);
  }

  private static boolean allProductive(
      int[] rhs, boolean[] productive, boolean[] lexemeProductive) {
    for (int s : rhs) {
      if (s >= 0 ? !productive[s] : !lexemeProductive[-s - 1]) {
        return false;
      }
    }
    return true;
  }
}
