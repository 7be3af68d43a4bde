package it.io.guidepost;

import static it.io.guidepost.Http.contentType;
import static it.io.guidepost.Http.json;
import static it.io.guidepost.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Grammar constraints over HTTP, on the demo model: {@code type: "grammar"} (GBNF) in compile
 * (context-free stats, checks with prefixes, a valid shortest example) and generate (outputs parse
 * as JSON), {@code guided_grammar} on the OpenAI endpoint, and typed problems with line and column.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GrammarApiIT {
  /** JSON in GBNF (recursive, so it takes the context-free path). */
  private static final String JSON_GBNF =
      "root ::= value\n"
          + "value ::= object | array | string | number | \"true\" | \"false\" | \"null\"\n"
          + "object ::= \"{\" ( string \":\" value ( \",\" string \":\" value )* )? \"}\"\n"
          + "array ::= \"[\" ( value ( \",\" value )* )? \"]\"\n"
          + "string ::= \"\\\"\" [a-z ]{0,8} \"\\\"\"\n"
          + "number ::= \"-\"? [0-9]{1,4}\n";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static String quoted(String s) {
    return Json.createValue(s).toString();
  }

  private JsonObject ok(String path, String body) throws Exception {
    HttpResponse<String> res = post(base, path, body);
    assertEquals(200, res.statusCode(), res.body());
    return json(res.body());
  }

  private JsonObject problem(String body, int status) throws Exception {
    HttpResponse<String> res = post(base, "/api/v1/constraints/compile", body);
    assertEquals(status, res.statusCode(), res.body());
    assertEquals("application/problem+json", contentType(res), res.body());
    return json(res.body());
  }

  private static boolean isJson(String s) {
    try {
      Json.createReader(new StringReader(s)).readValue();
      return true;
    } catch (JsonParsingException e) {
      return false;
    }
  }

  @Test
  void compileReportsAContextFreeConstraintAndChecksPrefixes() throws Exception {
    JsonObject r =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"grammar\", \"syntax\": \"gbnf\", \"grammar\": "
                + quoted(JSON_GBNF)
                + "}, \"check\": [\"{\\\"a\\\":[1,[2]]}\", \"{\\\"a\\\":[\", \"{\\\"a\\\"]\"]}");
    assertEquals("grammar", r.getString("type"));
    assertTrue(r.getJsonObject("stats").getBoolean("context_free"), r.toString());
    assertTrue(
        r.getJsonObject("token_automaton").getInt("first_step_allowed_tokens") > 0, r.toString());
    assertTrue(isJson(r.getString("shortest_example")), r.toString());
    JsonArray checks = r.getJsonArray("checks");
    List<Boolean> accepts =
        checks.getValuesAs(JsonObject.class).stream().map(c -> c.getBoolean("accepts")).toList();
    List<Boolean> prefixes =
        checks.getValuesAs(JsonObject.class).stream().map(c -> c.getBoolean("prefix")).toList();
    assertEquals(List.of(true, false, false), accepts, r.toString());
    assertEquals(List.of(true, true, false), prefixes, r.toString());
  }

  @Test
  void generatedOutputsParse() throws Exception {
    for (int seed = 0; seed < 6; seed++) {
      JsonObject r =
          ok(
              "/api/v1/generate",
              "{\"prompt\": \"JSON:\", \"max_tokens\": 48, \"temperature\": 1, \"seed\": "
                  + seed
                  + ", \"constraint\": {\"type\": \"grammar\", \"grammar\": "
                  + quoted(JSON_GBNF)
                  + "}}");
      String text = r.getString("text");
      if (r.getString("finish_reason").equals("stop")) {
        assertTrue(isJson(text), r.toString());
      } else {
        assertEquals("length", r.getString("finish_reason"), r.toString());
      }
    }
  }

  @Test
  void openAiGuidedGrammar() throws Exception {
    JsonObject r =
        ok(
            "/v1/chat/completions",
            "{\"model\": \"guidepost-demo\", \"messages\": [{\"role\": \"user\", \"content\": \"JSON\"}],"
                + " \"max_tokens\": 48, \"seed\": 1, \"guided_grammar\": "
                + quoted(JSON_GBNF)
                + "}");
    JsonObject choice = r.getJsonArray("choices").getJsonObject(0);
    String content = ((JsonString) choice.getJsonObject("message").get("content")).getString();
    if (choice.getString("finish_reason").equals("stop")) {
      assertTrue(isJson(content), r.toString());
    }
  }

  private static final String JSON_LARK =
      """
      start: value
      ?value: object | array | ESCAPED_STRING | SIGNED_NUMBER | "true" | "false" | "null"
      array: "[" [value ("," value)*] "]"
      object: "{" [pair ("," pair)*] "}"
      pair.2: ESCAPED_STRING ":" value
      %import common (ESCAPED_STRING, SIGNED_NUMBER, WS)
      %ignore WS
      """;

  @Test
  void larkGrammarCompilesGeneratesAndReportsItsNotes() throws Exception {
    JsonObject r =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"grammar\", \"grammar\": "
                + quoted(JSON_LARK)
                + "}, \"check\": [\"{ \\\"a\\\" : [1, 2] }\", \"[1,\"]}");
    assertTrue(r.getJsonObject("stats").getBoolean("context_free"), r.toString());
    JsonArray checks = r.getJsonArray("checks");
    assertTrue(checks.getJsonObject(0).getBoolean("accepts"), r.toString());
    assertTrue(checks.getJsonObject(1).getBoolean("prefix"), r.toString());
    JsonArray notes = r.getJsonArray("grammar_notes");
    assertEquals(1, notes.size(), r.toString());
    assertEquals(5, notes.getJsonObject(0).getInt("line"), r.toString());
    assertTrue(notes.getJsonObject(0).getString("note").contains("priority 2"), r.toString());

    for (int seed = 0; seed < 4; seed++) {
      JsonObject g =
          ok(
              "/api/v1/generate",
              "{\"prompt\": \"JSON:\", \"max_tokens\": 48, \"temperature\": 1, \"seed\": "
                  + seed
                  + ", \"constraint\": {\"type\": \"grammar\", \"syntax\": \"lark\","
                  + " \"grammar\": "
                  + quoted(JSON_LARK)
                  + "}}");
      if (g.getString("finish_reason").equals("stop")) {
        assertTrue(isJson(g.getString("text")), g.toString());
      }
    }

    JsonObject p =
        problem(
            "{\"constraint\": {\"type\": \"grammar\", \"syntax\": \"lark\", \"grammar\": "
                + quoted("start: item\nitem: /a(?=b)/")
                + "}}",
            422);
    assertTrue(p.getString("type").endsWith("grammar-unsupported"), p.toString());
    assertEquals(2, p.getInt("line"), p.toString());
    assertEquals(9, p.getInt("column"), p.toString());
  }

  @Test
  void templateGrammarHole() throws Exception {
    String template =
        "{\"type\": \"template\", \"parts\": [{\"text\": \"v=\"}, {\"name\": \"v\", \"syntax\":"
            + " \"gbnf\", \"grammar\": "
            + quoted(JSON_GBNF)
            + "}, {\"text\": \";\"}]}";
    JsonObject r =
        ok(
            "/api/v1/constraints/compile",
            "{\"constraint\": "
                + template
                + ", \"check\": [\"v=[1,{\\\"a\\\":[]}];\", \"v=[1;\"]}");
    assertTrue(r.getJsonObject("stats").getBoolean("context_free"), r.toString());
    JsonArray checks = r.getJsonArray("checks");
    assertTrue(checks.getJsonObject(0).getBoolean("accepts"), r.toString());
    assertFalse(checks.getJsonObject(1).getBoolean("accepts"), r.toString());
    for (int seed = 0; seed < 4; seed++) {
      JsonObject g =
          ok(
              "/api/v1/generate",
              "{\"prompt\": \"v\", \"max_tokens\": 48, \"seed\": "
                  + seed
                  + ", \"constraint\": "
                  + template
                  + "}");
      if (g.getString("finish_reason").equals("stop")) {
        String v = g.getJsonObject("captures").getJsonObject("v").getString("text");
        assertTrue(isJson(v), g.toString());
        assertEquals("v=" + v + ";", g.getString("text"), g.toString());
      }
    }
  }

  @Test
  void grammarErrorsNameLineAndColumn() throws Exception {
    JsonObject p =
        problem(
            "{\"constraint\": {\"type\": \"grammar\", \"syntax\": \"gbnf\", \"grammar\": "
                + quoted("root ::= item\nitem ::= \"a\" | [b-")
                + "}}",
            400);
    assertTrue(p.getString("type").endsWith("grammar-syntax"), p.toString());
    assertEquals("/constraint/grammar", p.getString("pointer"), p.toString());
    assertEquals(2, p.getInt("line"), p.toString());
    assertTrue(p.getInt("column") > 1, p.toString());

    JsonObject u =
        problem(
            "{\"constraint\": {\"type\": \"grammar\", \"syntax\": \"gbnf\", \"grammar\": "
                + quoted("root ::= <[1234]>")
                + "}}",
            422);
    assertTrue(u.getString("type").endsWith("grammar-unsupported"), u.toString());
    assertEquals(1, u.getInt("line"), u.toString());

    JsonObject s =
        problem(
            "{\"constraint\": {\"type\": \"grammar\", \"syntax\": \"ebnf\", \"grammar\": \"x\"}}",
            400);
    assertEquals("/constraint/syntax", s.getString("pointer"), s.toString());

    JsonObject undefined =
        problem(
            "{\"constraint\": {\"type\": \"grammar\", \"grammar\": "
                + quoted("root ::= a b\na ::= \"x\"")
                + "}}",
            400);
    assertEquals(1, undefined.getInt("line"), undefined.toString());
    assertEquals(12, undefined.getInt("column"), undefined.toString());
  }
}
