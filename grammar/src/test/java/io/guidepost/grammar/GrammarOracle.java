package io.guidepost.grammar;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A brute-force recognizer for a {@link GrammarDef}, independent of the Earley engine: for a given
 * string it computes, by least fixpoint, the set of spans {@code (i, j)} each rule derives (a CYK
 * over the EBNF tree, correct for left and right recursion, epsilon and ambiguity). Cost is
 * polynomial and large: for strings of a few dozen code points only.
 */
final class GrammarOracle {
  private final GrammarDef def;

  GrammarOracle(GrammarDef def) {
    this.def = def;
  }

  /** True when the whole of {@code s} derives from the start rule. */
  boolean accepts(String s) {
    return run(s).ends(def.start(), 0).get(cps(s).length);
  }

  /** True when some string of the language starts with {@code s} (brute force needs a bound). */
  private static int[] cps(String s) {
    return s.codePoints().toArray();
  }

  private Table run(String s) {
    int[] cp = cps(s);
    Table t = new Table(cp);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (GrammarDef.Rule r : def.rules().values()) {
        for (int i = 0; i <= cp.length; i++) {
          BitSet now = t.ends(r.name(), i);
          BitSet next = t.eval(r.body(), i);
          next.or(now);
          if (!next.equals(now)) {
            t.spans.get(r.name())[i] = next;
            changed = true;
          }
        }
      }
    }
    return t;
  }

  private final class Table {
    final int[] cp;
    final Map<String, BitSet[]> spans = new HashMap<>();
    final Map<CharLang, boolean[][]> leafCache = new HashMap<>();

    Table(int[] cp) {
      this.cp = cp;
      for (String name : def.rules().keySet()) {
        BitSet[] b = new BitSet[cp.length + 1];
        for (int i = 0; i <= cp.length; i++) {
          b[i] = new BitSet();
        }
        spans.put(name, b);
      }
    }

    BitSet ends(String rule, int i) {
      return spans.get(rule)[i];
    }

    BitSet eval(GrammarExpr e, int i) {
      BitSet from = new BitSet();
      from.set(i);
      return evalFrom(e, from);
    }

    /** Ends reachable by matching {@code e} from any start in {@code from}. */
    BitSet evalFrom(GrammarExpr e, BitSet from) {
      BitSet out = new BitSet();
      switch (e) {
        case GrammarExpr.Lang l -> {
          boolean[][] m = leaf(l.lang());
          for (int i = from.nextSetBit(0); i >= 0; i = from.nextSetBit(i + 1)) {
            for (int j = i; j <= cp.length; j++) {
              if (m[i][j]) {
                out.set(j);
              }
            }
          }
        }
        case GrammarExpr.Ref r -> {
          for (int i = from.nextSetBit(0); i >= 0; i = from.nextSetBit(i + 1)) {
            out.or(ends(r.name(), i));
          }
        }
        case GrammarExpr.Seq s -> {
          BitSet cur = (BitSet) from.clone();
          for (GrammarExpr item : s.items()) {
            cur = evalFrom(item, cur);
          }
          out = cur;
        }
        case GrammarExpr.Alt a -> {
          for (GrammarExpr alt : a.alternatives()) {
            out.or(evalFrom(alt, from));
          }
        }
        case GrammarExpr.Repeat r -> {
          BitSet cur = (BitSet) from.clone();
          Set<BitSet> seen = new HashSet<>();
          for (int k = 0; ; k++) {
            if (k >= r.min()) {
              out.or(cur);
              if (!seen.add((BitSet) cur.clone())) {
                break; // the sequence of sets repeats from here: nothing new can appear
              }
            }
            if (cur.isEmpty() || (r.max() != GrammarExpr.Repeat.UNBOUNDED && k >= r.max())) {
              break;
            }
            cur = evalFrom(r.body(), cur);
          }
        }
      }
      return out;
    }

    boolean[][] leaf(CharLang lang) {
      return leafCache.computeIfAbsent(
          lang,
          l -> {
            boolean[][] m = new boolean[cp.length + 1][cp.length + 1];
            for (int i = 0; i <= cp.length; i++) {
              for (int j = i; j <= cp.length; j++) {
                m[i][j] = l.accepts(new String(cp, i, j - i));
              }
            }
            return m;
          });
    }
  }

  /** Asserts that {@code def} accepts every one of {@code strings}. */
  static void assertAccepts(GrammarDef def, String... strings) {
    GrammarOracle oracle = new GrammarOracle(def);
    for (String s : strings) {
      org.junit.jupiter.api.Assertions.assertTrue(
          oracle.accepts(s), () -> "should accept " + show(s));
    }
  }

  /** Asserts that {@code def} rejects every one of {@code strings}. */
  static void assertRejects(GrammarDef def, String... strings) {
    GrammarOracle oracle = new GrammarOracle(def);
    for (String s : strings) {
      org.junit.jupiter.api.Assertions.assertFalse(
          oracle.accepts(s), () -> "should reject " + show(s));
    }
  }

  /** {@code s} quoted, control characters as {@code \xHH}. */
  static String show(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(cp -> b.append(cp < 0x20 ? String.format("\\x%02X", cp) : Character.toString(cp)));
    return b.append('"').toString();
  }
}
