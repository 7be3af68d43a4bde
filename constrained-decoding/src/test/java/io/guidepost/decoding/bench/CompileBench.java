package io.guidepost.decoding.bench;

import io.guidepost.decoding.BenchWorkloads;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.ByteDfa;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Compile time, constraint text to "ready to give the first mask": {@code compile} = constraint to
 * byte DFA plus the token automaton with its initial mask (default options: other masks are
 * computed on first visit); {@code compileEager} = the same with every mask of DFAs up to 64 states
 * precomputed in parallel ({@code precomputeMaxStates = 64}); {@code liftOnly} = the token
 * automaton alone from a ready DFA (default options). The vocabulary and its byte trie are built
 * once per model, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBench {
  @Param({"json_patient", "regex_code", "regex_email", "choice_10k", "choice_74k"})
  public String workload;

  private BenchWorkloads.Workload w;
  private List<String> codes74k;
  private Vocabulary vocab;
  private ByteDfa dfa;

  @Setup
  public void setup() throws IOException {
    vocab = BenchWorkloads.phi3();
    if (workload.equals("choice_74k")) {
      codes74k = codes(74_000);
      dfa = Choice.compile(codes74k).dfa();
    } else {
      w = BenchWorkloads.load(workload);
      dfa = w.compileDfa();
    }
    TokenAutomaton.compile(dfa, vocab); // builds the vocabulary's trie once
  }

  /**
   * {@code n} distinct ICD-10-CM-shaped codes (letter, two digits, optional dot and 1-3 more
   * characters), deterministic.
   */
  static List<String> codes(int n) {
    List<String> out = new ArrayList<>(n);
    Random rnd = new Random(74);
    java.util.Set<String> seen = new java.util.HashSet<>();
    String tail = "0123456789ABXZ";
    while (out.size() < n) {
      StringBuilder sb = new StringBuilder();
      sb.append((char) ('A' + rnd.nextInt(26))).append(rnd.nextInt(10)).append(rnd.nextInt(10));
      int extra = rnd.nextInt(4);
      if (extra > 0) {
        sb.append('.');
        for (int i = 0; i < extra; i++) {
          sb.append(tail.charAt(rnd.nextInt(tail.length())));
        }
      }
      if (seen.add(sb.toString())) {
        out.add(sb.toString());
      }
    }
    return out;
  }

  @Benchmark
  public TokenAutomaton compile() {
    CompiledConstraint c = codes74k != null ? Choice.compile(codes74k) : w.compile();
    return TokenAutomaton.compile(c, vocab);
  }

  @Benchmark
  public TokenAutomaton compileEager() {
    CompiledConstraint c = codes74k != null ? Choice.compile(codes74k) : w.compile();
    return TokenAutomaton.compile(c, vocab, EAGER);
  }

  private static final TokenAutomaton.Options EAGER = new TokenAutomaton.Options(64L << 20, 64);

  @Benchmark
  public TokenAutomaton liftOnly() {
    return TokenAutomaton.compile(dfa, vocab);
  }
}
