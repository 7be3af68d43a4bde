package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.guidepost.grammar.ByteDfa;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded constrained generations on the demo model (random weights, so the model tries everything
 * the mask allows), each output checked by an independent checker: {@code java.util.regex}, a JSON
 * Schema validator (networknt), list membership, substring search. Five kinds x 200 seeds = 1,000
 * generations, half with fast-forward. The DFAs are built by hand ({@link GenerationTestDfas}): the
 * grammar compilers (regex, JSON Schema, template) are not on this branch yet.
 */
class GenerationConstraintTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSAGE =
      "The patient, a 54-year-old male, was admitted with fever and a dry cough; chest X-ray"
          + " showed no consolidation. Café visit noted.";
  private static final JsonSchema PERSON_SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(
              """
              {"type":"object","additionalProperties":false,"required":["name","age","code"],
               "properties":{"name":{"type":"string","minLength":1,"maxLength":12,
                                     "pattern":"^[A-Za-z ]+$"},
                             "age":{"type":"integer","minimum":1,"maximum":999},
                             "code":{"type":"string","pattern":"^[A-Z][0-9]{2}$"}}}
              """);

  record Kind(String name, ByteDfa dfa, Predicate<String> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<String> CHOICES = choices();

  private static List<String> choices() {
    Random r = new Random(5);
    List<String> out = new ArrayList<>(List.of("yes", "no", "unknown", "not applicable"));
    for (int i = 0; i < 300; i++) {
      out.add(
          (char) ('A' + r.nextInt(26))
              + String.format("%02d", r.nextInt(100))
              + (r.nextBoolean() ? "." + r.nextInt(10) : ""));
    }
    return out.stream().distinct().toList();
  }

  static final List<Kind> KINDS =
      List.of(
          new Kind(
              "regex_code",
              new GenerationTestDfas.Chain()
                  .rep("AZ", 1, 1)
                  .rep("09", 2, 2)
                  .lit(".")
                  .rep("09", 1, 2)
                  .build(),
              s -> Pattern.matches("[A-Z][0-9]{2}\\.[0-9]{1,2}", s)),
          new Kind(
              "regex_email",
              new GenerationTestDfas.Chain()
                  .rep("az09", 1, 10)
                  .lit("@")
                  .rep("az", 1, 8)
                  .lit(".")
                  .rep("az", 2, 3)
                  .build(),
              s -> Pattern.matches("[a-z0-9]{1,10}@[a-z]{1,8}\\.[a-z]{2,3}", s)),
          new Kind(
              "json_person",
              new GenerationTestDfas.Chain()
                  .lit("{\"name\":\"")
                  .rep("AZaz  ", 1, 12)
                  .lit("\",\"age\":")
                  .rep("19", 1, 1)
                  .rep("09", 0, 2)
                  .lit(",\"code\":\"")
                  .rep("AZ", 1, 1)
                  .rep("09", 2, 2)
                  .lit("\"}")
                  .build(),
              GenerationConstraintTest::validPerson),
          new Kind("choice", GenerationTestDfas.choice(CHOICES), CHOICES::contains),
          new Kind(
              "quote",
              GenerationTestDfas.substrings(PASSAGE),
              s -> !s.isEmpty() && PASSAGE.contains(s)));

  private static boolean validPerson(String s) {
    try {
      JsonNode node = JSON.readTree(s);
      return PERSON_SCHEMA.validate(node).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  static Stream<Arguments> kinds() {
    return KINDS.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void twoHundredSeededGenerationsAreAllValid(Kind kind) {
    Generator g = DemoModelFixture.generator(DemoModelSpec.defaults());
    TokenAutomaton automaton = TokenAutomaton.compile(kind.dfa(), g.vocabulary());
    List<String> invalid = new ArrayList<>();
    IntStream.range(0, 200)
        .forEach(
            seed -> {
              GenerationRequest req =
                  GenerationRequest.chat(null, "Answer: " + kind.name(), 96)
                      .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
                      .withFastForward(seed % 2 == 0);
              TokenCursor cursor = automaton.newCursor();
              GenerationResult r = g.generate(req, cursor, null);
              boolean ok =
                  r.finishReason() == GenerationResult.FinishReason.STOP
                      && kind.check().test(r.text())
                      && kind.dfa()
                          .matches(r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
              if (!ok) {
                invalid.add(seed + ": " + r.finishReason() + " '" + r.text() + "'");
              }
            });
    assertEquals(List.of(), invalid, kind.name());
  }

  @Test
  void fastForwardTakesForcedRunsInFewerModelCalls() {
    Generator g = DemoModelFixture.generator(DemoModelSpec.defaults());
    Kind json = KINDS.get(2);
    TokenAutomaton automaton = TokenAutomaton.compile(json.dfa(), g.vocabulary());
    long callsOn = 0;
    long callsOff = 0;
    long tokensOn = 0;
    long tokensOff = 0;
    for (int seed = 0; seed < 20; seed++) {
      GenerationRequest req =
          GenerationRequest.raw("Patient record:", 96)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed));
      GenerationResult on = g.generate(req, automaton.newCursor(), null);
      GenerationResult off = g.generate(req.withFastForward(false), automaton.newCursor(), null);
      assertTrue(json.check().test(on.text()), on.text());
      assertTrue(json.check().test(off.text()), off.text());
      assertTrue(on.forcedTokens() > 0, "the JSON keys are forced");
      assertEquals(0, off.forcedTokens());
      callsOn += on.modelCalls() - 1;
      callsOff += off.modelCalls() - 1;
      tokensOn += on.generatedTokens();
      tokensOff += off.generatedTokens();
    }
    double perTokenOn = (double) callsOn / tokensOn;
    double perTokenOff = (double) callsOff / tokensOff;
    assertTrue(
        perTokenOn < perTokenOff,
        "model calls per token: " + perTokenOn + " with fast-forward, " + perTokenOff + " without");
  }
}
