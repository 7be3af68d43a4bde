package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.CompiledConstraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded generations on the demo model (random weights: the model wanders over everything the mask
 * allows) under context-free grammars, 1,250 seeds per grammar (5,000 generations), half with
 * fast-forward. Every complete (STOP) output must pass the grammar's independent checker (Jackson,
 * or a hand-written recursive-descent recognizer) and the compiled grammar; an output cut by the
 * token budget (LENGTH) must be a viable prefix.
 */
class GrammarGenerationTest {
  private static final int SEEDS = Integer.getInteger("grammar.generation.seeds", 1250);
  private static final int MAX_TOKENS = 40;

  static Stream<TestGrammars.Case> cases() {
    return TestGrammars.CASES.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyCompleteOutputParses(TestGrammars.Case c) {
    CompiledConstraint compiled = c.compile();
    Generator g = DemoModelFixture.generator(DemoModelSpec.defaults());
    GrammarAutomaton automaton = GrammarAutomaton.compile(compiled, g.vocabulary());
    List<String> invalid = new ArrayList<>();
    Set<String> distinct = new HashSet<>();
    int stopped = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      GenerationRequest req =
          GenerationRequest.raw("Output:", MAX_TOKENS)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
              .withFastForward(seed % 2 == 0);
      GenerationResult r = g.generate(req, automaton.newCursor(), null);
      String text = r.text();
      boolean ok =
          switch (r.finishReason()) {
            case STOP -> c.check().test(text) && compiled.matches(text);
            case LENGTH -> r.generatedTokens() == MAX_TOKENS && compiled.isPrefix(text);
            default -> false;
          };
      if (!ok) {
        invalid.add(seed + ": " + r.finishReason() + " '" + text + "'");
      }
      if (r.finishReason() == GenerationResult.FinishReason.STOP) {
        stopped++;
        distinct.add(text);
      }
    }
    assertEquals(List.of(), invalid, c.name());
    assertTrue(stopped >= SEEDS / 10, c.name() + ": only " + stopped + " complete outputs");
    assertTrue(
        distinct.size() > SEEDS / 20, c.name() + ": few distinct outputs " + distinct.size());
  }

  @Test
  void checkersRejectNearMisses() {
    // The checkers must be able to fail.
    for (TestGrammars.Case c : TestGrammars.CASES) {
      String miss = c.name().startsWith("json") ? "{\"a\":01}" : "1+*2";
      assertTrue(!c.check().test(miss), c.name() + " accepted " + miss);
      assertTrue(!c.compile().matches(miss), c.name() + " grammar accepted " + miss);
    }
  }
}
