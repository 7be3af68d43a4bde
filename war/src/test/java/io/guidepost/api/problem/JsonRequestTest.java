package io.guidepost.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonRequestTest {

  private static JsonObject problemOf(Runnable r) {
    ProblemException e = assertThrows(ProblemException.class, r::run);
    return e.problem().toJson();
  }

  @Test
  void malformedJsonReportsLineAndColumn() {
    JsonObject p = problemOf(() -> JsonRequest.parse("{\n  \"prompt\": \"hi\",\n  oops\n}"));
    assertEquals(400, p.getInt("status"));
    assertEquals("invalid-json", p.getString("code"));
    assertEquals(Problem.TYPE_BASE + "invalid-json", p.getString("type"));
    assertEquals(3, p.getInt("line"));
    assertTrue(p.getString("detail").startsWith("Malformed JSON"), p.toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|The request body is empty.",
        "[1,2]|The request body must be a JSON object, not an array.",
        "\"text\"|The request body must be a JSON object, not a string."
      })
  void nonObjectBodies(String body, String detail) {
    JsonObject p = problemOf(() -> JsonRequest.parse(body));
    assertEquals(400, p.getInt("status"));
    assertEquals(detail, p.getString("detail"));
  }

  @Test
  void typedAccessorsNameThePointer() {
    JsonRequest r =
        JsonRequest.parse(
            "{\"max_tokens\": 2.5, \"temperature\": \"hot\", \"constraint\": {\"type\": 3},"
                + " \"options\": [\"a\", 1], \"a/b\": true}");
    JsonObject p = problemOf(() -> r.optInt("max_tokens", 1, 1, 100));
    assertEquals("/max_tokens", p.getString("pointer"));
    assertEquals("\"max_tokens\" must be an integer, not 2.5.", p.getString("detail"));

    p = problemOf(() -> r.optDouble("temperature", 0, 0, 2));
    assertEquals("\"temperature\" must be a number, not a string.", p.getString("detail"));

    p = problemOf(() -> r.requireObject("constraint").requireString("type"));
    assertEquals("/constraint/type", p.getString("pointer"));

    p = problemOf(() -> r.requireStrings("options"));
    assertEquals("/options/1", p.getString("pointer"));

    p = problemOf(() -> r.requireString("prompt"));
    assertEquals("\"prompt\" is required (a string).", p.getString("detail"));

    p = problemOf(() -> r.onlyMembers(Set.of("max_tokens")));
    assertEquals("invalid-request", p.getString("code"));
    assertTrue(r.pointer("a/b").endsWith("a~1b"));
  }

  @Test
  void rangesAreChecked() {
    JsonRequest r = JsonRequest.parse("{\"max_tokens\": 100000, \"top_p\": 1.5, \"n\": 3}");
    JsonObject p = problemOf(() -> r.optInt("max_tokens", 1, 1, 4096));
    assertEquals("\"max_tokens\" must be between 1 and 4096, not 100000.", p.getString("detail"));
    problemOf(() -> r.optDouble("top_p", 1, 0, 1));
    assertEquals(3, r.optInt("n", 1, 1, 8));
    assertEquals(7, r.optInt("missing", 7, 1, 8));
    assertFalse(r.has("missing"));
    assertEquals(List.of(), JsonRequest.parse("{\"o\": []}").requireStrings("o"));
  }

  @Test
  void problemJsonCarriesTypeCodeAndExtensions() {
    Problem p =
        Problem.of(429, "saturated", "Too many requests", "Busy.")
            .header("Retry-After", "2")
            .with("queue", 5)
            .with("skipped", null);
    JsonObject json = p.toJson();
    assertEquals(Problem.TYPE_BASE + "saturated", json.getString("type"));
    assertEquals("saturated", json.getString("code"));
    assertEquals(429, json.getInt("status"));
    assertEquals(5, json.getInt("queue"));
    assertFalse(json.containsKey("skipped"));
    assertEquals("2", p.headers().get("Retry-After"));
  }
}
