package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.Regex;
import io.guidepost.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fast-forward in the real loop on the demo model: model calls are spent on sampling steps only,
 * forced tokens spell exactly the forced bytes, and where the forced tokens are the only allowed
 * ones (a one-byte-per-token vocabulary over the demo model) greedy output is identical with and
 * without fast-forward. (The logits after a multi-token append equal those of one-by-one appends up
 * to float rounding, see KvCacheTest; only an exact near-tie could flip an argmax.)
 */
class FastForwardTest {
  private static final DemoModelSpec SPEC = DemoModelSpec.defaults();
  private static OnnxModel model;
  private static Tokenizer tokenizer;
  private static Generator bytes; // the demo model over its single-byte tokens only

  @BeforeAll
  static void open() throws IOException {
    model = DemoModelFixture.load(SPEC, ModelOptions.defaults());
    tokenizer = Tokenizer.load(DemoModelFixture.folder(SPEC));
    Vocabulary full = DemoModelFixture.generator(SPEC).vocabulary();
    byte[][] tokenBytes = new byte[full.tokenizerSize()][];
    Set<Integer> seen = new HashSet<>();
    for (int t = 0; t < tokenBytes.length; t++) {
      // One id per byte value: a forced byte then has exactly one token.
      if (full.isText(t) && full.tokenLength(t) == 1 && seen.add(full.tokenBytes(t)[0] & 0xFF)) {
        tokenBytes[t] = full.tokenBytes(t);
      }
    }
    Vocabulary byteVocab =
        Vocabulary.fromTokenBytes(tokenBytes, null, full.logitsSize(), full.eosIds());
    bytes = new Generator(model, tokenizer, byteVocab);
  }

  @AfterAll
  static void close() {
    if (model != null) {
      model.close();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  private static CompiledConstraint patient() throws IOException {
    return JsonSchema.compile(Files.readString(SharedData.require("bench/patient.schema.json")));
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 4);
  }

  /** Greedy (argmax over the mask) in place of the sampler, counting its steps. */
  private static final class CountingGreedy implements Generator.TokenChooser {
    int steps;

    @Override
    public int choose(float[] logits, long[] mask) {
      steps++;
      int best = -1;
      for (int w = 0; w < mask.length; w++) {
        long bits = mask[w];
        while (bits != 0) {
          int t = (w << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          if (best < 0 || logits[t] > logits[best]) {
            best = t;
          }
        }
      }
      return best;
    }
  }

  @ParameterizedTest(name = "prompt {0}")
  @MethodSource("seeds")
  void greedyOutputIsIdenticalWithAndWithoutFastForward(long prompt) throws IOException {
    TokenAutomaton a = TokenAutomaton.compile(patient(), bytes.vocabulary());
    GenerationRequest req = GenerationRequest.raw("Patient record " + prompt + ":", 200);
    CountingGreedy onSteps = new CountingGreedy();
    CountingGreedy offSteps = new CountingGreedy();
    GenerationResult on =
        bytes.generate(req, a.newCursor(), null, new GenerationControl(), onSteps);
    GenerationResult off =
        bytes.generate(
            req.withFastForward(false), a.newCursor(), null, new GenerationControl(), offSteps);
    assertArrayEquals(off.tokenIds(), on.tokenIds());
    assertEquals(off.text(), on.text());
    assertEquals(0, off.forcedTokens());
    assertTrue(on.forcedTokens() > 10, on.forcedTokens() + " forced tokens");
    // One call per sampling step, however many tokens were forced before it.
    assertEquals(onSteps.steps, on.modelCalls());
    assertEquals(offSteps.steps, off.modelCalls());
    assertEquals(off.modelCalls() - on.forcedTokens(), on.modelCalls());
    // The sampler proper (not the counting chooser) gives the same text.
    GenerationResult sampled = bytes.generate(req, a.newCursor(), null);
    assertEquals(on.text(), sampled.text());
    assertEquals(on.modelCalls(), sampled.modelCalls());
  }

  /** A cursor that never reports forced bytes: only the one-allowed-token rule can skip calls. */
  private record NoForcedBytes(TokenCursor inner) implements ConstraintCursor {
    @Override
    public void fillMask(long[] dst) {
      inner.fillMask(dst);
    }

    @Override
    public void advance(int tokenId) {
      inner.advance(tokenId);
    }

    @Override
    public boolean isAccepting() {
      return inner.isAccepting();
    }

    @Override
    public boolean isComplete() {
      return inner.isComplete();
    }

    @Override
    public byte[] forcedBytes() {
      return new byte[0];
    }
  }

  @Test
  void aStateWithOneAllowedTokenTakesItWithoutAModelCall() throws IOException {
    TokenAutomaton a = TokenAutomaton.compile(patient(), bytes.vocabulary());
    GenerationRequest req = GenerationRequest.raw("Patient record:", 200);
    CountingGreedy steps = new CountingGreedy();
    GenerationResult single =
        bytes.generate(req, new NoForcedBytes(a.newCursor()), null, new GenerationControl(), steps);
    GenerationResult off =
        bytes.generate(
            req.withFastForward(false), a.newCursor(), null, new GenerationControl(), null);
    assertArrayEquals(off.tokenIds(), single.tokenIds());
    assertTrue(single.forcedTokens() > 10, single.forcedTokens() + " single-token steps");
    assertEquals(steps.steps, single.modelCalls());
    assertEquals(off.modelCalls() - single.forcedTokens(), single.modelCalls());
  }

  @Test
  void anOutputForcedEntirelyNeedsNoModelCall() {
    Generator g = DemoModelFixture.generator(SPEC);
    String literal = "Diagnosis E11 confirmed by the clinic";
    TokenAutomaton a = TokenAutomaton.compile(Regex.compile(literal), g.vocabulary());
    StringBuilder streamed = new StringBuilder();
    int[] sampled = new int[1];
    GenerationResult r =
        g.generate(
            GenerationRequest.chat(null, "Diagnosis?", 64),
            a.newCursor(),
            (id, delta, forced) -> {
              streamed.append(delta);
              sampled[0] += forced ? 0 : 1;
            });
    assertEquals(literal, r.text());
    assertEquals(literal, streamed.toString());
    assertEquals(GenerationResult.FinishReason.STOP, r.finishReason());
    assertEquals(0, r.modelCalls(), "nothing was sampled, so the model never ran");
    assertEquals(r.generatedTokens(), r.forcedTokens());
    assertEquals(0, sampled[0]);
    assertArrayEquals(
        new ForcedTokens(g.tokenizer(), g.vocabulary())
            .tokenizeContinuation(literal.getBytes(StandardCharsets.UTF_8)),
        r.tokenIds(),
        "the canonical tokens of the literal");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void modelCallsAreSamplingStepsAndOutputsStayValid(long seed) throws IOException {
    Generator g = DemoModelFixture.generator(SPEC);
    CompiledConstraint c = patient();
    TokenAutomaton a = TokenAutomaton.compile(c, g.vocabulary());
    TokenCursor cursor = a.newCursor();
    Vocabulary v = g.vocabulary();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int[] sampledSteps = new int[1];
    GenerationResult r;
    g.speculateHeldBackTokens(false); // exact count: no speculative token saves a call here
    try {
      r =
          g.generate(
              GenerationRequest.chat(null, "Patient?", 160)
                  .withSampling(new SamplingParams(1.0, 0, 1.0, seed)),
              cursor,
              (id, delta, forced) -> {
                text.writeBytes(v.tokenBytes(id));
                assertTrue(
                    c.dfa().matchesPrefix(text.toByteArray()), "prefix of an accepted output");
                sampledSteps[0] += forced ? 0 : 1;
              });
    } finally {
      g.speculateHeldBackTokens(true);
    }
    assertEquals(r.text(), text.toString(StandardCharsets.UTF_8));
    assertTrue(r.forcedTokens() > 0);
    assertEquals(cursor.forcedTokenCount(), r.forcedTokens());
    // Calls: one per sampling step (the prefill is the first); a step that chose end-of-sequence
    // emitted no token.
    int eosStep =
        r.finishReason() == GenerationResult.FinishReason.STOP && cursor.isFinished() ? 1 : 0;
    assertEquals(sampledSteps[0] + eosStep, r.modelCalls());
    if (r.finishReason() == GenerationResult.FinishReason.STOP) {
      assertTrue(c.matches(r.text()), r.text());
    }
  }

  /**
   * Appending the held-back boundary token speculatively (and dropping it from the KV cache when
   * another token is chosen) changes no output, greedy or sampled, and saves calls.
   */
  @org.junit.jupiter.api.Test
  void speculativeHeldBackTokensChangeNoOutputAndSaveCalls() throws IOException {
    Generator g = DemoModelFixture.generator(SPEC);
    TokenAutomaton a = TokenAutomaton.compile(patient(), g.vocabulary());
    int saved = 0;
    for (long seed = 1; seed <= 8; seed++) {
      GenerationRequest greedy = GenerationRequest.chat(null, "Patient " + seed + "?", 160);
      GenerationRequest sampled = greedy.withSampling(new SamplingParams(1.0, 0, 1.0, seed));
      for (GenerationRequest req : java.util.List.of(greedy, sampled)) {
        GenerationResult off;
        g.speculateHeldBackTokens(false);
        try {
          off = g.generate(req, a.newCursor(), null);
        } finally {
          g.speculateHeldBackTokens(true);
        }
        GenerationResult on = g.generate(req, a.newCursor(), null);
        assertArrayEquals(off.tokenIds(), on.tokenIds(), "seed " + seed);
        assertEquals(off.text(), on.text());
        assertEquals(off.forcedTokens(), on.forcedTokens());
        assertTrue(on.modelCalls() <= off.modelCalls());
        saved += off.modelCalls() - on.modelCalls();
      }
    }
    assertTrue(saved > 0, "no speculative token was ever kept");
  }
}
