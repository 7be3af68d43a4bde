package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays {@code shared/bench/tokens.json}: at every step the full mask over 32,064 logits allows
 * the recorded token; end-of-sequence is allowed exactly at the end (where the text is accepted)
 * and nowhere before where the constraint does not accept.
 */
class BenchReplayTest {

  static String[] workloads() {
    return BenchWorkloads.COMPILABLE;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void everyRecordedTokenIsAllowed(String name) throws IOException {
    BenchWorkloads.Workload w = BenchWorkloads.load(name);
    Vocabulary v = BenchWorkloads.phi3();
    TokenAutomaton a = TokenAutomaton.compile(w.compile(), v);
    long[] mask = new long[(v.logitsSize() + 63) >>> 6];
    int eos = 32007;
    for (int[] seq : w.sequences()) {
      TokenCursor c = a.newCursor();
      // The recorded sequences may or may not end with <|end|>; the replay always ends with it.
      int n = seq.length > 0 && v.isEos(seq[seq.length - 1]) ? seq.length - 1 : seq.length;
      for (int i = 0; i <= n; i++) {
        int t = i < n ? seq[i] : eos;
        c.fillMask(mask);
        assertTrue((mask[t >>> 6] & (1L << t)) != 0, "step " + i + " token " + t);
        assertEquals(i == n, v.isEos(t), "EOS only at the end");
        boolean eosAllowed = (mask[eos >>> 6] & (1L << eos)) != 0;
        assertEquals(c.isAccepting(), eosAllowed, "EOS allowed iff accepting, step " + i);
        for (int never : new int[] {0, 1, 2, 32006, 32010, 32011, 32063}) {
          assertFalse((mask[never >>> 6] & (1L << never)) != 0, "id " + never + " never allowed");
        }
        c.advance(t);
      }
      assertTrue(c.isFinished());
    }
  }
}
