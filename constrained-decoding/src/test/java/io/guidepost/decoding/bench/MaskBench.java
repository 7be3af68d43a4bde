package io.guidepost.decoding.bench;

import io.guidepost.decoding.Sampler;
import io.guidepost.decoding.SamplingParams;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.TokenCursor;
import java.io.IOException;
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
 * Per-step costs while replaying {@code shared/bench/tokens.json} over the full 32,064-logit Phi-3
 * vocabulary, as distributions ({@link Mode#SampleTime}: JMH samples individual calls and reports
 * p0.50 / p0.99): each call handles the next step of the replay, cycling over all steps of all
 * sequences of the workload.
 *
 * <ul>
 *   <li>{@code maskWarm}: fill the caller's {@code long[]} mask for the step's state, all masks
 *       memoised (warm passes).
 *   <li>{@code maskCold}: the same on a fresh automaton per pass (first visit of each state pays
 *       the trie walk; the automaton is rebuilt, untimed, at the start of every pass).
 *   <li>{@code advance}: move a cursor past the step's token (a new cursor after each sequence,
 *       inside the timed call).
 *   <li>{@code maskAndGreedy}: mask then greedy sampling over 32,064 fixed random logits.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MaskBench {
  @Param({"json_patient", "regex_code", "regex_email", "choice_10k"})
  public String workload;

  private Replay replay;
  private TokenAutomaton warm;
  private TokenAutomaton cold;
  private TokenCursor cursor;
  private long[] mask;
  private float[] logits;
  private Sampler sampler;
  private final SamplingParams greedy = SamplingParams.greedy();
  private int step;
  private int coldStep;
  private int advanceStep;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    replay = new Replay(workload);
    warm =
        TokenAutomaton.compile(
            replay.dfa, replay.vocab, new TokenAutomaton.Options(1L << 30, Integer.MAX_VALUE));
    mask = new long[(replay.vocab.logitsSize() + 63) >>> 6];
    logits = new float[replay.vocab.logitsSize()];
    Random rnd = new Random(1);
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) rnd.nextGaussian();
    }
    sampler = new Sampler(logits.length);
    cursor = warm.newCursor();
    coldStep = replay.steps();
  }

  /** Untimed: a fresh automaton at the start of every cold pass. */
  @Setup(Level.Invocation)
  public void coldPass() {
    if (coldStep == replay.steps()) {
      cold =
          TokenAutomaton.compile(replay.dfa, replay.vocab, new TokenAutomaton.Options(1L << 30, 0));
      coldStep = 0;
    }
  }

  @Benchmark
  public long[] maskWarm() {
    int i = step;
    step = i + 1 == replay.steps() ? 0 : i + 1;
    warm.fillMask(replay.states[i], mask);
    return mask;
  }

  @Benchmark
  public long[] maskCold() {
    cold.fillMask(replay.states[coldStep++], mask);
    return mask;
  }

  @Benchmark
  public int advance() {
    int i = advanceStep;
    advanceStep = i + 1 == replay.steps() ? 0 : i + 1;
    cursor.advance(replay.tokens[i]);
    if (replay.lastOfSequence[i]) {
      cursor = warm.newCursor();
    }
    return cursor.state();
  }

  @Benchmark
  public int maskAndGreedy() {
    int i = step;
    step = i + 1 == replay.steps() ? 0 : i + 1;
    warm.fillMask(replay.states[i], mask);
    return sampler.sample(logits, mask, greedy, null);
  }
}
