package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateTest {

  static CompiledConstraint patient() {
    return Template.builder()
        .literal("Patient: ")
        .regex("name", "[A-Z][a-z]+( [A-Z][a-z]+)?")
        .literal(", code: ")
        .choice("code", List.of("E11.65", "I10", "N18.3"))
        .literal(", note: ")
        .freeText("note", "\n", 20)
        .literal("Source: ")
        .quote("source", List.of("Seen in clinic today."), new Quote.Options(1, 40, true, true))
        .compile();
  }

  @Test
  void acceptsAndCaptures() {
    CompiledConstraint c = patient();
    assertEquals(ConstraintKind.TEMPLATE, c.kind());
    String out = "Patient: Maria Garcia, code: I10, note: stable, \u00e9 ok\nSource: in clinic";
    assertTrue(c.matches(out));
    Map<String, Capture> caps = c.captures(out);
    assertEquals(List.of("name", "code", "note", "source"), List.copyOf(caps.keySet()));
    assertEquals(new Capture("name", "Maria Garcia", 9, 21), caps.get("name"));
    assertEquals(new Capture("code", "I10", 29, 32), caps.get("code"));
    assertEquals("stable, \u00e9 ok", caps.get("note").text());
    assertEquals("in clinic", caps.get("source").text());
    assertEquals(out.length(), caps.get("source").end());
    assertFalse(c.matches("Patient: maria, code: I10, note: x\nSource: in clinic"));
    assertFalse(c.matches("Patient: Maria, code: I11, note: x\nSource: in clinic"));
    assertFalse(c.matches("Patient: Maria, code: I10, note: a\nb\nSource: in clinic"));
    assertFalse(c.matches("Patient: Maria, code: I10, note: x\nSource: n clinic"));
    assertFalse(
        c.matches("Patient: Maria, code: I10, note: 123456789012345678901\nSource: clinic"));
    assertTrue(c.captures("not a match").isEmpty());
    assertTrue(c.matches(c.shortestExample()));
  }

  @Test
  void jsonSchemaHole() {
    CompiledConstraint c =
        Template.builder()
            .literal("Result: ")
            .jsonSchema(
                "result",
                "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},"
                    + "\"required\":[\"ok\"],\"additionalProperties\":false}")
            .literal(" done")
            .compile();
    String out = "Result: {\"ok\":true} done";
    assertTrue(c.matches(out));
    assertEquals("{\"ok\":true}", c.captures(out).get("result").text());
    assertFalse(c.matches("Result: {\"ok\":1} done"));
    assertFalse(c.matches("Result: {} done"));
  }

  @Test
  void ambiguityIsResolvedLeftmostShortest() {
    CompiledConstraint c =
        Template.builder().regex("a", "x*").regex("b", "x*").literal("!").compile();
    Map<String, Capture> caps = c.captures("xxx!");
    assertEquals(new Capture("a", "", 0, 0), caps.get("a"));
    assertEquals(new Capture("b", "xxx", 0, 3), caps.get("b"));
    CompiledConstraint d = Template.builder().regex("a", "x+").regex("b", "x+y|y").compile();
    assertEquals("x", d.captures("xxy").get("a").text());
    assertEquals("xy", d.captures("xxy").get("b").text());
  }

  @Test
  void freeTextStopIsTheFirstOccurrence() {
    CompiledConstraint c = Template.builder().freeText("t", "aa", 10).literal("z").compile();
    assertTrue(c.matches("baaz"));
    assertFalse(c.matches("aaaz")); // "aa" already ends at index 2
    assertFalse(c.matches("aabaaz"));
    assertEquals("b", c.captures("baaz").get("t").text());
  }

  @Test
  void errors() {
    assertThrows(InvalidConstraintException.class, () -> Template.builder().compile());
    InvalidConstraintException dup =
        assertThrows(
            InvalidConstraintException.class,
            () -> Template.builder().regex("x", "a").choice("x", List.of("b")));
    assertEquals("duplicate template hole name \"x\"", dup.reason());
    assertThrows(InvalidConstraintException.class, () -> Template.builder().freeText("x", "", 3));
    RegexSyntaxException bad =
        assertThrows(
            RegexSyntaxException.class,
            () -> Template.builder().literal("a").regex("x", "(b").compile());
    assertEquals(0, bad.position());
    assertThrows(
        EmptyConstraintException.class, () -> Template.builder().regex("x", "[^\\s\\S]").compile());
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 40).boxed();
  }

  /** Sampled outputs: captures are accepted by their holes and tile the output exactly. */
  @ParameterizedTest
  @MethodSource("seeds")
  void capturesTileSampledOutputs(int seed) {
    Random rnd = new Random(seed);
    String[] regexes = {"a*", "[ab]+", "b?", "(ab)*", "\u00e9|a", "\\u{1F600}*b?"};
    Template.Builder b = Template.builder();
    int parts = 1 + rnd.nextInt(4);
    String[] holes = new String[parts];
    for (int i = 0; i < parts; i++) {
      if (rnd.nextBoolean()) {
        b.literal(rnd.nextBoolean() ? "-" : "a");
      }
      holes[i] = regexes[rnd.nextInt(regexes.length)];
      b.regex("h" + i, holes[i]);
    }
    CompiledConstraint c = b.compile();
    for (int k = 0; k < 30; k++) {
      String out = RegexDuelTest.sample(rnd, c.dfa());
      assertTrue(c.matches(out));
      Map<String, Capture> caps = c.captures(out);
      assertEquals(parts, caps.size(), out);
      int prevEnd = 0;
      for (int i = 0; i < parts; i++) {
        Capture cap = caps.get("h" + i);
        assertTrue(cap.start() >= prevEnd);
        assertEquals(out.substring(cap.start(), cap.end()), cap.text());
        assertTrue(Regex.toLang(holes[i], true).accepts(cap.text()), holes[i] + " " + cap);
        prevEnd = cap.end();
      }
    }
  }
}
