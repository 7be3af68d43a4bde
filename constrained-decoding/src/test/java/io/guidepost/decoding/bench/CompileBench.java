package io.guidepost.decoding.bench;

import io.guidepost.decoding.BenchWorkloads;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.ByteDfa;
import java.io.IOException;
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
 * byte DFA plus the token automaton with its initial mask (default options, which precompute every
 * mask of DFAs up to 64 states); {@code liftOnly} = the token automaton alone from a ready DFA. The
 * vocabulary and its byte trie are built once per model, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBench {
  @Param({"json_patient", "regex_code", "regex_email", "choice_10k"})
  public String workload;

  private BenchWorkloads.Workload w;
  private Vocabulary vocab;
  private ByteDfa dfa;

  @Setup
  public void setup() throws IOException {
    w = BenchWorkloads.load(workload);
    vocab = BenchWorkloads.phi3();
    dfa = w.compileDfa();
    TokenAutomaton.compile(dfa, vocab); // builds the vocabulary's trie once
  }

  @Benchmark
  public TokenAutomaton compile() {
    return TokenAutomaton.compile(w.compileDfa(), vocab);
  }

  @Benchmark
  public TokenAutomaton liftOnly() {
    return TokenAutomaton.compile(dfa, vocab);
  }
}
