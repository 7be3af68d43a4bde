package io.guidepost.decoding.bench;

import io.guidepost.decoding.BenchWorkloads;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.TokenCursor;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.ByteDfa;
import java.io.IOException;

/**
 * One workload prepared for replay: its DFA, and for every step of every recorded sequence (each
 * closed by {@code <|end|>}) the DFA state before the step and the token taken.
 */
final class Replay {
  static final int END = 32007;

  final BenchWorkloads.Workload workload;
  final Vocabulary vocab;
  final ByteDfa dfa;
  final int[] states;
  final int[] tokens;
  final boolean[] lastOfSequence;

  Replay(String name) throws IOException {
    workload = BenchWorkloads.load(name);
    vocab = BenchWorkloads.phi3();
    dfa = workload.compileDfa();
    TokenAutomaton a = TokenAutomaton.compile(dfa, vocab);
    int steps = 0;
    for (int[] seq : workload.sequences()) {
      steps += stripEnd(seq) + 1;
    }
    states = new int[steps];
    tokens = new int[steps];
    lastOfSequence = new boolean[steps];
    int i = 0;
    for (int[] seq : workload.sequences()) {
      TokenCursor c = a.newCursor();
      int n = stripEnd(seq);
      for (int k = 0; k <= n; k++) {
        states[i] = c.state();
        tokens[i] = k < n ? seq[k] : END;
        lastOfSequence[i] = k == n;
        c.advance(tokens[i]);
        i++;
      }
    }
  }

  private int stripEnd(int[] seq) {
    return seq.length > 0 && vocab.isEos(seq[seq.length - 1]) ? seq.length - 1 : seq.length;
  }

  int steps() {
    return states.length;
  }
}
