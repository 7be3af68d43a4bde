package it.io.guidepost;

import static it.io.guidepost.Http.contentType;
import static it.io.guidepost.Http.json;
import static it.io.guidepost.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JSON Schema keyword policy over HTTP, on the demo model: unknown keywords and unimplemented
 * formats are reported in {@code ignored_keywords} / {@code ignored_keywords_count} by compile,
 * generate (plain and streamed) and extract; {@code strict_keywords} turns them into 422 problems;
 * near misses are 422 either way; the server logs a schema's ignored keywords once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IgnoredKeywordsIT {
  /** {@code self} (Hyper-Schema-like), {@code discriminator} (OpenAPI) and an unknown format. */
  private static final String SCHEMA =
      "{\"type\": \"object\", \"self\": {\"href\": \"/items/{n}\"}, \"discriminator\":"
          + " {\"propertyName\": \"n\"}, \"properties\": {\"n\": {\"type\": \"integer\","
          + " \"minimum\": 0, \"maximum\": 99}, \"c\": {\"type\": \"string\", \"maxLength\": 4,"
          + " \"format\": \"color\"}}, \"required\": [\"n\"], \"additionalProperties\": false}";

  private static final List<String> POINTERS =
      List.of("/self", "/discriminator", "/properties/c/format");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private JsonObject ok(String path, String body) throws Exception {
    HttpResponse<String> res = post(base, path, body);
    assertEquals(200, res.statusCode(), res.body());
    return json(res.body());
  }

  private JsonObject problem(String path, String body, int status) throws Exception {
    HttpResponse<String> res = post(base, path, body);
    assertEquals(status, res.statusCode(), res.body());
    assertEquals("application/problem+json", contentType(res), res.body());
    return json(res.body());
  }

  private static String constraint(String schema, String more) {
    return "{\"type\": \"json_schema\", \"schema\": " + schema + more + "}";
  }

  private static void reportsTheThree(JsonObject answer) {
    JsonArray list = answer.getJsonArray("ignored_keywords");
    assertEquals(3, answer.getInt("ignored_keywords_count"), answer.toString());
    assertEquals(
        POINTERS,
        list.getValuesAs(JsonObject.class).stream().map(k -> k.getString("pointer")).toList(),
        answer.toString());
    assertEquals(
        List.of("self", "discriminator", "format"),
        list.getValuesAs(JsonObject.class).stream().map(k -> k.getString("keyword")).toList());
    assertTrue(
        list.getJsonObject(2).getString("reason").contains("\"color\" is not implemented"),
        answer.toString());
  }

  @Test
  void compileReportsIgnoredKeywordsNextToTheStats() throws Exception {
    JsonObject r =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": "
                + constraint(SCHEMA, "")
                + ", \"check\": [\"{\\\"n\\\":7,\\\"c\\\":\\\"red\\\"}\"]}");
    reportsTheThree(r);
    assertTrue(r.getJsonArray("checks").getJsonObject(0).getBoolean("accepts"), r.toString());

    JsonObject none =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": " + constraint("{\"type\": \"integer\"}", "") + "}");
    assertEquals(0, none.getJsonArray("ignored_keywords").size(), none.toString());
    assertEquals(0, none.getInt("ignored_keywords_count"));
    assertTrue(none.isNull("output_subset"), none.toString());

    JsonObject subset =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": "
                + constraint(
                    "{\"type\": \"object\", \"properties\": {\"e\": {\"type\": \"string\","
                        + " \"format\": \"email\"}}}",
                    "")
                + "}");
    assertEquals(
        "/properties/e: format \"email\"", subset.getString("output_subset"), subset.toString());

    JsonObject regex =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"regex\", \"pattern\": \"[a-z]+\"}}");
    assertFalse(regex.containsKey("ignored_keywords"), regex.toString());
  }

  @Test
  void answersCapTheListAndCountAll() throws Exception {
    StringBuilder schema = new StringBuilder("{\"type\": \"integer\"");
    for (int i = 0; i < 60; i++) {
      schema.append(", \"note").append(i).append("\": true");
    }
    JsonObject r =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": " + constraint(schema.append('}').toString(), "") + "}");
    assertEquals(50, r.getJsonArray("ignored_keywords").size(), r.toString());
    assertEquals(60, r.getInt("ignored_keywords_count"));
  }

  @Test
  void templateHolesReportTheirs() throws Exception {
    JsonObject r =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"template\", \"parts\": [{\"text\": \"n=\"}, {\"name\":"
                + " \"n\", \"json_schema\": {\"type\": \"integer\", \"x-unit\": \"kg\"}}]}}");
    assertEquals(1, r.getInt("ignored_keywords_count"), r.toString());
    JsonObject k = r.getJsonArray("ignored_keywords").getJsonObject(0);
    assertEquals("/x-unit", k.getString("pointer"));
    assertTrue(k.getString("reason").startsWith("template hole \"n\": "), r.toString());
  }

  @Test
  void strictKeywordsRejectsWhatWouldBeIgnored() throws Exception {
    // Compiled (and cached) leniently first: the strict request must not share that entry.
    ok("/api/v1/constraints/compile", "{\"constraint\": " + constraint(SCHEMA, "") + "}");
    JsonObject p =
        problem(
            "/api/v1/constraints/compile",
            "{\"constraint\": " + constraint(SCHEMA, ", \"strict_keywords\": true") + "}",
            422);
    assertEquals("schema-unsupported", p.getString("code"));
    assertEquals("/constraint/schema/self", p.getString("pointer"), p.toString());
    assertEquals("self", p.getString("keyword"));
    assertTrue(p.getString("detail").contains("strict_keywords"), p.toString());

    p =
        problem(
            "/api/v1/generate",
            "{\"prompt\": \"x\", \"constraint\": "
                + constraint(
                    "{\"type\": \"string\", \"format\": \"color\"}", ", \"strict_keywords\": true")
                + "}",
            422);
    assertEquals("/constraint/schema/format", p.getString("pointer"), p.toString());

    p =
        problem(
            "/api/v1/extract",
            "{\"text\": \"t\", \"strict_keywords\": true, \"schema\": " + SCHEMA + "}",
            422);
    assertEquals("/schema/self", p.getString("pointer"), p.toString());
  }

  @Test
  void strictKeywordsMustBeABoolean() throws Exception {
    JsonObject p =
        problem(
            "/api/v1/constraints/compile",
            "{\"constraint\": " + constraint(SCHEMA, ", \"strict_keywords\": \"yes\"") + "}",
            400);
    assertEquals("invalid-request", p.getString("code"));
    assertEquals("/constraint/strict_keywords", p.getString("pointer"), p.toString());
    p =
        problem(
            "/api/v1/extract", "{\"text\": \"t\", \"strict_keywords\": 1, \"schema\": {}}", 400);
    assertEquals("/strict_keywords", p.getString("pointer"), p.toString());
  }

  @Test
  void nearMissIs422WithTheSuggestionEvenWhenLenient() throws Exception {
    JsonObject p =
        problem(
            "/api/v1/generate",
            "{\"prompt\": \"x\", \"constraint\": "
                + constraint(
                    "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\","
                        + " \"maxlength\": 3}}}",
                    "")
                + "}",
            422);
    assertEquals("schema-unsupported", p.getString("code"));
    assertEquals("/constraint/schema/properties/a/maxlength", p.getString("pointer"));
    assertEquals("/properties/a/maxlength", p.getString("schema_pointer"));
    assertEquals("maxlength", p.getString("keyword"));
    assertTrue(p.getString("detail").contains("did you mean \"maxLength\"?"), p.toString());
  }

  @Test
  void generateAnswersCarryThemPlainAndStreamed() throws Exception {
    String body =
        "{\"prompt\": \"Item:\", \"max_tokens\": 48, \"constraint\": " + constraint(SCHEMA, "");
    JsonObject r = ok("/api/v1/generate", body + "}");
    assertEquals("json_schema", r.getString("constraint_type"));
    reportsTheThree(r);

    HttpResponse<String> res = post(base, "/api/v1/generate", body + ", \"stream\": true}");
    assertEquals(200, res.statusCode(), res.body());
    JsonObject done = null;
    String event = null;
    for (String line : res.body().split("\n")) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && "done".equals(event)) {
        done = json(line.substring(6));
      }
    }
    assertTrue(done != null, res.body());
    reportsTheThree(done);

    JsonObject regex =
        ok(
            "/api/v1/generate",
            "{\"prompt\": \"x\", \"max_tokens\": 8, \"constraint\": {\"type\": \"regex\","
                + " \"pattern\": \"[a-z]{1,4}\"}}");
    assertFalse(regex.containsKey("ignored_keywords"), regex.toString());
  }

  @Test
  void extractAnswersCarryThem() throws Exception {
    JsonObject r =
        ok(
            "/api/v1/extract",
            "{\"text\": \"Item 7, colour red.\", \"max_tokens\": 64, \"schema\": " + SCHEMA + "}");
    assertTrue(r.getJsonObject("data").containsKey("n"), r.toString());
    reportsTheThree(r);
  }

  /** Two compilations of one schema, one of them a cache hit: one log line. */
  @Test
  void theServerLogsASchemasIgnoredKeywordsOnce() throws Exception {
    String property = "p" + UUID.randomUUID().toString().replace("-", "");
    String schema =
        "{\"type\": \"object\", \"properties\": {\""
            + property
            + "\": {\"type\": \"integer\", \"x-note\": 1}}}";
    for (int i = 0; i < 2; i++) {
      ok("/api/v1/constraints/compile", "{\"constraint\": " + constraint(schema, "") + "}");
    }
    Path log =
        Path.of(
            System.getProperty("liberty.wlp.home"),
            "usr",
            "servers",
            System.getProperty("liberty.test.server.name"),
            "logs",
            "messages.log");
    String needle = "/properties/" + property + "/x-note";
    long lines = 0;
    for (int attempt = 0; attempt < 50 && lines == 0; attempt++) {
      lines = Files.readAllLines(log).stream().filter(l -> l.contains(needle)).count();
      if (lines == 0) {
        Thread.sleep(100);
      }
    }
    assertEquals(1, lines, "log lines naming " + needle + " in " + log);
    String line =
        Files.readAllLines(log).stream().filter(l -> l.contains(needle)).findFirst().orElseThrow();
    assertTrue(line.contains("1 schema keyword constrained nothing"), line);
    assertFalse(line.contains("\"integer\""), "the schema itself is never logged: " + line);
  }
}
