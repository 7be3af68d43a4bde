package io.guidepost.decoding.bench;

import io.guidepost.decoding.BenchWorkloads;
import io.guidepost.decoding.ConstraintCursor;
import io.guidepost.decoding.GrammarAutomaton;
import io.guidepost.decoding.GrammarCursor;
import io.guidepost.decoding.TestGrammars;
import io.guidepost.decoding.TestVocabularies;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.CompiledConstraint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-step mask cost of context-free grammars ({@link TestGrammars}) over the full 32,064-logit
 * Phi-3 vocabulary, as distributions ({@link Mode#SampleTime}). The steps are those of 16 seeded
 * random walks of up to 48 tokens each (uniform over the allowed tokens, then the end of sequence
 * once allowed with probability 1/8); a cursor is kept at every step, so each call fills the mask
 * of the next step.
 *
 * <ul>
 *   <li>{@code maskWarm}: lexer masks memoised (after the first pass).
 *   <li>{@code maskCold}: a fresh automaton at the start of every pass (first visits compute the
 *       lexer masks).
 *   <li>{@code firstMask}: grammar text to the first mask: compile, lift, one fill.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GrammarMaskBench {
  @Param({
    "json_gbnf",
    "arith_gbnf",
    "json_lark",
    "sum_lark",
    "json_tree_schema",
    "json_freeform_schema",
    "json_freeform_depth10",
    "json_allof_schema"
  })
  public String workload;

  private TestGrammars.Case grammar;
  private Vocabulary vocab;
  private CompiledConstraint compiled;
  private GrammarAutomaton warm;
  private List<GrammarCursor> warmSteps;
  private List<GrammarCursor> coldSteps;
  private List<int[]> prefixes;
  private long[] mask;
  private int step;
  private int coldStep;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    // json_freeform_depth10: the free-form schema, every walk starting 10 arrays deep inside it
    String name = workload.equals("json_freeform_depth10") ? "json_freeform_schema" : workload;
    grammar =
        TestGrammars.CASES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    vocab = BenchWorkloads.phi3();
    compiled = grammar.compile();
    warm = GrammarAutomaton.compile(compiled, vocab);
    mask = new long[(vocab.logitsSize() + 63) >>> 6];
    start =
        workload.equals("json_freeform_depth10")
            ? singleByteTokens("{\"id\":1,\"meta\":[[[[[[[[[[")
            : List.of();
    prefixes = walks(GrammarAutomaton.compile(compiled, vocab));
    warmSteps = cursors(warm, prefixes);
  }

  private List<Integer> start; // tokens every walk starts with

  /** The single-byte tokens spelling {@code text}. */
  private List<Integer> singleByteTokens(String text) {
    List<Integer> out = new ArrayList<>();
    for (char ch : text.toCharArray()) {
      out.add(TestVocabularies.singleByteToken(vocab, ch));
    }
    return out;
  }

  /** The token prefix before every step of seeded random walks over {@code a}. */
  private List<int[]> walks(GrammarAutomaton a) {
    List<int[]> steps = new ArrayList<>();
    Random rnd = new Random(7);
    for (int walk = 0; walk < 16; walk++) {
      List<Integer> tokens = new ArrayList<>(start);
      GrammarCursor c = a.newCursor();
      for (int t : start) {
        c.advance(t);
      }
      for (int k = 0; k < 48 && !c.isComplete(); k++) {
        steps.add(tokens.stream().mapToInt(Integer::intValue).toArray());
        c.fillMask(mask);
        List<Integer> allowed = new ArrayList<>();
        boolean eos = false;
        for (int t = 0; t < vocab.logitsSize(); t++) {
          if ((mask[t >>> 6] & (1L << t)) != 0) {
            if (vocab.isEos(t)) {
              eos = true;
            } else {
              allowed.add(t);
            }
          }
        }
        if (allowed.isEmpty() || (eos && rnd.nextInt(8) == 0)) {
          break;
        }
        int t = allowed.get(rnd.nextInt(allowed.size()));
        c.advance(t);
        tokens.add(t);
      }
    }
    return steps;
  }

  /** A cursor on {@code a} after each prefix (advancing uses no mask, so no cache is filled). */
  private static List<GrammarCursor> cursors(GrammarAutomaton a, List<int[]> prefixes) {
    List<GrammarCursor> out = new ArrayList<>();
    for (int[] prefix : prefixes) {
      GrammarCursor c = a.newCursor();
      for (int t : prefix) {
        c.advance(t);
      }
      out.add(c);
    }
    return out;
  }

  /** Untimed: a fresh automaton (only the first lexer mask cached) at the start of every pass. */
  @Setup(Level.Invocation)
  public void coldPass() {
    if (coldSteps == null || coldStep == coldSteps.size()) {
      coldSteps = cursors(GrammarAutomaton.compile(compiled, vocab), prefixes);
      coldStep = 0;
    }
  }

  @Benchmark
  public long[] maskWarm() {
    int i = step;
    step = i + 1 == warmSteps.size() ? 0 : i + 1;
    warmSteps.get(i).fillMask(mask);
    return mask;
  }

  @Benchmark
  public long[] maskCold() {
    coldSteps.get(coldStep++).fillMask(mask);
    return mask;
  }

  @Benchmark
  public long[] firstMask() {
    ConstraintCursor c = GrammarAutomaton.compile(grammar.compile(), vocab).newCursor();
    c.fillMask(mask);
    return mask;
  }
}
