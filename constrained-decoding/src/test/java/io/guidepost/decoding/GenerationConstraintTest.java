package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.guidepost.grammar.Capture;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.JsonSchemaOptions;
import io.guidepost.grammar.Quote;
import io.guidepost.grammar.Regex;
import io.guidepost.grammar.Template;
import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded constrained generations on the demo model (random weights, so the model wanders over
 * everything the mask allows) with constraints from the real grammar compilers ({@link Regex},
 * {@link JsonSchema}, {@link Choice}, {@link Quote}, {@link Template}); ten constraints x 100 seeds
 * = 1,000 generations, half of them with fast-forward. Each output is judged by a checker that
 * shares no code with the compilers: {@code java.util.regex}, the networknt JSON Schema validator
 * with format assertions, list membership, substring search with word-boundary and length checks,
 * and a {@code java.util.regex} rendering of the template whose groups must equal the template's
 * captures. A STOP output must satisfy the checker and the compiled constraint; a LENGTH output
 * (the token budget ran out) must be a live prefix of the constraint's DFA within its length bound.
 */
class GenerationConstraintTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SEEDS = 100;

  private static final String PASSAGE_1 =
      "The patient, a 54-year-old male, was admitted with fever and a dry cough; chest X-ray"
          + " showed no consolidation. Café visit noted.";
  private static final String PASSAGE_2 =
      "Follow-up in two weeks: repeat CRP, continue amoxicillin 500 mg three times daily.";
  private static final Quote.Options QUOTE_OPTIONS = new Quote.Options(5, 40, true, true);

  private static final String FORMATS_SCHEMA =
      """
      {"type":"object","additionalProperties":false,
       "required":["id","email","born","seen"],
       "properties":{"id":{"type":"string","format":"uuid"},
                     "email":{"type":"string","format":"email","maxLength":30},
                     "born":{"type":"string","format":"date"},
                     "seen":{"type":"string","format":"date-time"},
                     "ip":{"type":"string","format":"ipv4"}}}
      """;
  private static final String SMALL_SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["tags","dose"],
       "properties":{"tags":{"type":"array","minItems":1,"maxItems":3,"uniqueItems":false,
                             "items":{"enum":["acute","chronic","resolved",null,7]}},
                     "dose":{"type":"number","minimum":0,"exclusiveMaximum":1000,
                             "multipleOf":0.5},
                     "count":{"type":"integer","minimum":-20,"maximum":300},
                     "note":{"type":"string","minLength":2,"maxLength":6,
                             "pattern":"^[a-z]+$"},
                     "flag":{"type":"boolean"}}}
      """;
  private static final String DOSE_SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["dose","unit"],
       "properties":{"dose":{"type":"integer","minimum":1,"maximum":2000},
                     "unit":{"enum":["mg","ml","g"]}}}
      """;

  /** One constraint under test: how to build it, its token budget, and its checker. */
  record Kind(
      String name,
      Supplier<CompiledConstraint> constraint,
      int maxTokens,
      Predicate<String> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** 3,000 distinct ICD-10-CM-shaped codes (letter, two digits, optional dot and 1-2 digits). */
  static final List<String> ICD_CODES = icdCodes();

  private static List<String> icdCodes() {
    Random r = new Random(5);
    Set<String> out = new TreeSet<>();
    while (out.size() < 3000) {
      String code = (char) ('A' + r.nextInt(26)) + String.format("%02d", r.nextInt(100));
      int tail = r.nextInt(3);
      if (tail == 1) {
        code += "." + r.nextInt(10);
      } else if (tail == 2) {
        code += "." + String.format("%02d", r.nextInt(100));
      }
      out.add(code);
    }
    return List.copyOf(out);
  }

  /** Words that are prefixes of one another: the end-of-sequence choice happens mid-trie. */
  static final List<String> ANSWERS =
      List.of("no", "none", "not applicable", "not known", "yes", "yes, confirmed", "unknown");

  static final List<Kind> KINDS =
      List.of(
          regex("regex_code", "[A-Z][0-9]{2}\\.[0-9]{1,2}", 16),
          regex("regex_email", "[a-z0-9._%+-]{1,12}@[a-z0-9-]{1,10}\\.[a-z]{2,4}", 48),
          regex(
              "regex_mixed",
              "(?:\\d{3}-\\d{4}|\\(\\d{3}\\) \\d{3}-\\d{4})|[A-Z][a-zé]{1,10}( [A-Z][a-z]{1,8})?"
                  + "|[αβγ]{2,4}!?",
              24),
          new Kind(
              "json_patient",
              () -> JsonSchema.compile(patientSchema()),
              256,
              s -> validJson(patientSchema(), s)),
          new Kind(
              "json_formats",
              () -> JsonSchema.compile(FORMATS_SCHEMA),
              128,
              s -> validJson(FORMATS_SCHEMA, s)),
          new Kind(
              "json_small",
              () -> JsonSchema.compile(SMALL_SCHEMA),
              64,
              s -> validJson(SMALL_SCHEMA, s)),
          new Kind("choice_icd", () -> Choice.compile(ICD_CODES), 16, ICD_CODES::contains),
          new Kind("choice_prefixes", () -> Choice.compile(ANSWERS), 16, ANSWERS::contains),
          new Kind(
              "quote",
              () -> Quote.compile(List.of(PASSAGE_1, PASSAGE_2), QUOTE_OPTIONS),
              48,
              GenerationConstraintTest::validQuote),
          new Kind(
              "template",
              GenerationConstraintTest::template,
              96,
              GenerationConstraintTest::validTemplate));

  private static Kind regex(String name, String pattern, int maxTokens) {
    Pattern p = Pattern.compile(pattern);
    return new Kind(name, () -> Regex.compile(pattern), maxTokens, s -> p.matcher(s).matches());
  }

  private static String patientSchema() {
    try {
      for (JsonNode c : JSON.readTree(SharedData.require("bench/cases.json").toFile())) {
        if (c.path("name").asText().equals("json_patient")) {
          return c.path("spec").asText();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("bench/cases.json has no json_patient case");
  }

  private static boolean validJson(String schema, String s) {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    com.networknt.schema.JsonSchema v =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
    try {
      JSON.readTree(s); // rejects trailing garbage the validator's parser might tolerate
      return v.validate(s, InputFormat.JSON).isEmpty();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean wordChar(int cp) {
    return Character.isLetterOrDigit(cp) || cp == '_';
  }

  /** Boundary unless both neighbouring code points are word characters. */
  private static boolean boundary(String p, int i) {
    return i == 0
        || i == p.length()
        || !(wordChar(p.codePointBefore(i)) && wordChar(p.codePointAt(i)));
  }

  private static boolean validQuote(String s) {
    int n = s.codePointCount(0, s.length());
    if (n < QUOTE_OPTIONS.minChars() || n > QUOTE_OPTIONS.maxChars()) {
      return false;
    }
    for (String p : List.of(PASSAGE_1, PASSAGE_2)) {
      for (int at = p.indexOf(s); at >= 0; at = p.indexOf(s, at + 1)) {
        if (boundary(p, at) && boundary(p, at + s.length())) {
          return true;
        }
      }
    }
    return false;
  }

  private static final List<String> SEXES = List.of("male", "female", "other");

  private static CompiledConstraint template() {
    return Template.builder()
        .literal("Code ")
        .regex("code", "[A-Z][0-9]{2}(\\.[0-9]{1,2})?")
        .literal(", sex ")
        .choice("sex", SEXES)
        .literal(", order ")
        .jsonSchema("order", DOSE_SCHEMA, JsonSchemaOptions.DEFAULTS)
        .literal(", note: ")
        .freeText("note", ".", 20)
        .compile();
  }

  private static final Pattern TEMPLATE_PATTERN =
      Pattern.compile(
          "Code (?<code>[A-Z][0-9]{2}(?:\\.[0-9]{1,2})?), sex (?<sex>male|female|other),"
              + " order (?<order>\\{[^}]*\\}), note: (?<note>[^.]*)\\.",
          Pattern.DOTALL);
  private static final CompiledConstraint TEMPLATE = template();

  private static boolean validTemplate(String s) {
    Matcher m = TEMPLATE_PATTERN.matcher(s);
    if (!m.matches()
        || m.group("note").codePointCount(0, m.group("note").length()) > 20
        || !validJson(DOSE_SCHEMA, m.group("order"))) {
      return false;
    }
    Map<String, Capture> captures = TEMPLATE.captures(s);
    for (String hole : List.of("code", "sex", "order", "note")) {
      Capture c = captures.get(hole);
      if (c == null
          || !c.text().equals(m.group(hole))
          || c.start() != m.start(hole)
          || c.end() != m.end(hole)) {
        return false;
      }
    }
    return true;
  }

  static Stream<Arguments> kinds() {
    return KINDS.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void seededGenerationsSatisfyTheirConstraint(Kind kind) {
    CompiledConstraint constraint = kind.constraint().get();
    Generator g = DemoModelFixture.generator(DemoModelSpec.defaults());
    TokenAutomaton automaton = TokenAutomaton.compile(constraint, g.vocabulary());
    List<String> invalid = new ArrayList<>();
    Set<String> distinct = new HashSet<>();
    int stopped = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      GenerationRequest req =
          GenerationRequest.chat(null, "Answer: " + kind.name(), kind.maxTokens())
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
              .withFastForward(seed % 2 == 0);
      GenerationResult r = g.generate(req, automaton.newCursor(), null);
      String text = r.text();
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      boolean ok =
          switch (r.finishReason()) {
            case STOP ->
                kind.check().test(text)
                    && constraint.matches(text)
                    && constraint.dfa().matches(bytes);
            case LENGTH ->
                r.generatedTokens() == kind.maxTokens()
                    && constraint.dfa().matchesPrefix(bytes)
                    && text.codePointCount(0, text.length()) <= constraint.maxChars();
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
    assertEquals(List.of(), invalid, kind.name());
    // The checks above must have had complete outputs to judge, and varied ones.
    assertTrue(stopped >= SEEDS / 4, kind.name() + ": only " + stopped + " complete outputs");
    assertTrue(distinct.size() > 1, kind.name() + ": one output for every seed " + distinct);
  }

  @Test
  void checkersRejectNearMisses() {
    // The checkers must be able to fail: each rejects a string just outside its constraint.
    Map<String, String> nearMisses =
        Map.of(
            "regex_code", "E11.",
            "regex_email", "a@b.c",
            "json_small", "{\"tags\":[],\"dose\":1}",
            "json_formats",
                "{\"id\":\"0\",\"email\":\"a@b.co\",\"born\":\"2020-01-01\","
                    + "\"seen\":\"2020-01-01T00:00:00Z\"}",
            "choice_icd", "A00.123",
            "choice_prefixes", "not",
            "quote", "dry coug",
            "template", "Code A00, sex male, order {\"dose\":0,\"unit\":\"mg\"}, note: x.");
    for (Kind kind : KINDS) {
      String miss = nearMisses.get(kind.name());
      if (miss != null) {
        assertTrue(!kind.check().test(miss), kind.name() + " accepted " + miss);
      }
    }
    assertTrue(validTemplate("Code A00, sex male, order {\"dose\":5,\"unit\":\"mg\"}, note: x."));
    assertTrue(validQuote("dry cough"));
  }

  @Test
  void fastForwardNeedsFewerModelCallsOnJsonPatient() {
    Generator g = DemoModelFixture.generator(DemoModelSpec.defaults());
    CompiledConstraint c = JsonSchema.compile(patientSchema());
    TokenAutomaton automaton = TokenAutomaton.compile(c, g.vocabulary());
    long callsOn = 0;
    long callsOff = 0;
    long tokensOn = 0;
    long tokensOff = 0;
    for (int seed = 0; seed < 10; seed++) {
      GenerationRequest req =
          GenerationRequest.raw("Patient record:", 128)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed));
      GenerationResult on = g.generate(req, automaton.newCursor(), null);
      GenerationResult off = g.generate(req.withFastForward(false), automaton.newCursor(), null);
      assertTrue(on.finishReason() == GenerationResult.FinishReason.LENGTH || c.matches(on.text()));
      assertTrue(
          off.finishReason() == GenerationResult.FinishReason.LENGTH || c.matches(off.text()));
      assertTrue(on.forcedTokens() > 0, "the JSON keys are forced");
      assertEquals(0, off.forcedTokens());
      // Tokens are appended lazily: one call per sampling step after the first, so the calls after
      // prefill never exceed the sampled (non-forced) tokens.
      assertTrue(
          on.modelCalls() - 1 <= on.generatedTokens() - on.forcedTokens(),
          on.modelCalls() + " calls for " + on.generatedTokens() + " tokens, " + on.forcedTokens());
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
