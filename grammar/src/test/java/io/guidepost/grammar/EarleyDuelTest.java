package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Earley parser against a brute-force fixpoint recognizer ({@link GrammarOracle}) on seeded
 * random grammars with epsilon rules, left and right recursion and ambiguity: on every string over
 * {a, b, c} up to length 6, full acceptance and the prefix answer (checked against the oracle on
 * the grammar's prefix grammar) must agree.
 */
class EarleyDuelTest {
  private static final int MAX_LEN = 6;

  static LongStream seeds() {
    return LongStream.range(0, 120);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void parserAgreesWithOracle(long seed) {
    GrammarDef def = CharLang.withLimits(GrammarLimits.DEFAULTS, () -> randomGrammar(seed));
    ContextFreeGrammar g =
        CharLang.withLimits(
            GrammarLimits.DEFAULTS,
            () ->
                ContextFreeGrammar.compile(
                    def, GrammarLimits.DEFAULTS, ParserLimits.DEFAULTS, "random grammar " + seed));
    GrammarOracle full = new GrammarOracle(def);
    GrammarOracle prefix =
        new GrammarOracle(CharLang.withLimits(GrammarLimits.DEFAULTS, () -> prefixGrammar(def)));
    List<String> strings = new ArrayList<>();
    strings.add("");
    for (int len = 1, from = 0; len <= MAX_LEN; len++) {
      int to = strings.size();
      for (int i = from; i < to; i++) {
        for (char c : new char[] {'a', 'b', 'c'}) {
          strings.add(strings.get(i) + c);
        }
      }
      from = to;
    }
    for (String s : strings) {
      EarleyParser p = g.newParser();
      boolean alive = true;
      for (int i = 0; i < s.length() && alive; i++) {
        alive = p.push(s.charAt(i));
      }
      boolean viable = CharLang.withLimits(GrammarLimits.DEFAULTS, () -> prefix.accepts(s));
      assertEquals(viable, alive, () -> "prefix \"" + s + "\" of " + describe(def));
      boolean accepted = CharLang.withLimits(GrammarLimits.DEFAULTS, () -> full.accepts(s));
      assertEquals(accepted, alive && p.isAccepting(), () -> "\"" + s + "\" in " + describe(def));
      assertEquals(accepted, g.matches(s), () -> "matches \"" + s + "\" in " + describe(def));
      if (alive && s.length() < MAX_LEN) {
        boolean more =
            CharLang.withLimits(
                GrammarLimits.DEFAULTS,
                () ->
                    prefix.accepts(s + "a") || prefix.accepts(s + "b") || prefix.accepts(s + "c"));
        assertEquals(
            more, p.canContinue(), () -> "continuation of \"" + s + "\" in " + describe(def));
      }
    }
  }

  // ------------------------------------------------------------------ random grammars

  /**
   * Rules r0..r(n-1), start r0. Each rule's first alternative references only higher rules (the
   * last rule uses leaves only), so every rule is productive; the other alternatives reference any
   * rule, which gives left, right and mutual recursion.
   */
  static GrammarDef randomGrammar(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 2 + rnd.nextInt(3);
    Map<String, GrammarDef.Rule> rules = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      List<GrammarExpr> alts = new ArrayList<>();
      alts.add(expr(rnd, 2, r + 1, n));
      int more = rnd.nextInt(3);
      for (int k = 0; k < more; k++) {
        alts.add(expr(rnd, 2, 0, n));
      }
      GrammarExpr body = alts.size() == 1 ? alts.get(0) : new GrammarExpr.Alt(alts, 1, 1);
      rules.put("r" + r, new GrammarDef.Rule("r" + r, body, r + 1, 1));
    }
    return new GrammarDef("test", "", rules, "r0", List.of());
  }

  /** A random expression referencing rules in [refFrom, n) (none when refFrom == n). */
  private static GrammarExpr expr(SplittableRandom rnd, int depth, int refFrom, int n) {
    int kind = rnd.nextInt(depth <= 0 ? 2 : 5);
    switch (kind) {
      case 0:
        return leaf(rnd);
      case 1:
        if (refFrom < n) {
          return new GrammarExpr.Ref("r" + (refFrom + rnd.nextInt(n - refFrom)), 1, 1);
        }
        return leaf(rnd);
      case 2:
        {
          List<GrammarExpr> items = new ArrayList<>();
          int len = rnd.nextInt(4); // 0: the empty sequence
          for (int i = 0; i < len; i++) {
            items.add(expr(rnd, depth - 1, refFrom, n));
          }
          return new GrammarExpr.Seq(items, 1, 1);
        }
      case 3:
        {
          List<GrammarExpr> alts = new ArrayList<>();
          int len = 1 + rnd.nextInt(3);
          for (int i = 0; i < len; i++) {
            alts.add(expr(rnd, depth - 1, refFrom, n));
          }
          return new GrammarExpr.Alt(alts, 1, 1);
        }
      default:
        {
          int min = rnd.nextInt(3);
          int max = rnd.nextInt(3) == 0 ? GrammarExpr.Repeat.UNBOUNDED : min + rnd.nextInt(3);
          return new GrammarExpr.Repeat(expr(rnd, depth - 1, refFrom, n), min, max, 1, 1);
        }
    }
  }

  private static GrammarExpr leaf(SplittableRandom rnd) {
    String[] pool = {"", "a", "b", "c", "ab", "ba", "abc"};
    CharLang l =
        switch (rnd.nextInt(4)) {
          case 0, 1 -> CharLang.literal(pool[rnd.nextInt(pool.length)]);
          case 2 -> CharLang.codePointRange('a', 'b');
          default -> CharLang.literal(pool[1 + rnd.nextInt(3)]).star();
        };
    return new GrammarExpr.Lang(l, l.toString(), 1, 1);
  }

  // ------------------------------------------------------------------ the prefix grammar

  /**
   * A grammar for the prefixes of {@code def}'s sentences: rule {@code r'} derives the prefixes of
   * {@code r}'s strings. pre(x1..xn) = x1..x(i-1) pre(xi) for some i (or the empty string);
   * pre(x{min,max}) = x{0,max-1} pre(x). Exact because every rule is productive.
   */
  static GrammarDef prefixGrammar(GrammarDef def) {
    Map<String, GrammarDef.Rule> rules = new LinkedHashMap<>(def.rules());
    for (GrammarDef.Rule r : def.rules().values()) {
      rules.put(r.name() + "'", new GrammarDef.Rule(r.name() + "'", pre(r.body()), 1, 1));
    }
    return new GrammarDef("test", "", rules, def.start() + "'", List.of());
  }

  private static GrammarExpr pre(GrammarExpr e) {
    GrammarExpr eps = new GrammarExpr.Seq(List.of(), 1, 1);
    return switch (e) {
      case GrammarExpr.Lang l -> new GrammarExpr.Lang(l.lang().prefixes(), "pre", 1, 1);
      case GrammarExpr.Ref r -> new GrammarExpr.Ref(r.name() + "'", 1, 1);
      case GrammarExpr.Alt a ->
          new GrammarExpr.Alt(a.alternatives().stream().map(EarleyDuelTest::pre).toList(), 1, 1);
      case GrammarExpr.Seq s -> {
        List<GrammarExpr> alts = new ArrayList<>();
        alts.add(eps);
        for (int i = 0; i < s.items().size(); i++) {
          List<GrammarExpr> items = new ArrayList<>(s.items().subList(0, i));
          items.add(pre(s.items().get(i)));
          alts.add(new GrammarExpr.Seq(items, 1, 1));
        }
        yield new GrammarExpr.Alt(alts, 1, 1);
      }
      case GrammarExpr.Repeat r -> {
        if (r.max() == 0) {
          yield eps;
        }
        int max = r.max() == GrammarExpr.Repeat.UNBOUNDED ? r.max() : r.max() - 1;
        yield new GrammarExpr.Alt(
            List.of(
                eps,
                new GrammarExpr.Seq(
                    List.of(new GrammarExpr.Repeat(r.body(), 0, max, 1, 1), pre(r.body())), 1, 1)),
            1,
            1);
      }
    };
  }

  static String describe(GrammarDef def) {
    StringBuilder b = new StringBuilder();
    for (GrammarDef.Rule r : def.rules().values()) {
      b.append(r.name()).append(" := ").append(r.body()).append('\n');
    }
    return b.toString();
  }
}
