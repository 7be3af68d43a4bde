package it.io.guidepost;

import static it.io.guidepost.Http.contentType;
import static it.io.guidepost.Http.json;
import static it.io.guidepost.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/v1/generate}, {@code /api/v1/extract}, {@code /api/v1/constraints/compile} and {@code
 * /api/v1/models} on the built-in demo model (random weights): every constrained output is checked
 * with an independent checker.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GenerationApiIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private JsonObject generate(String body) throws Exception {
    HttpResponse<String> res = post(base, "/api/v1/generate", body);
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(contentType(res).startsWith("application/json"), contentType(res));
    return json(res.body());
  }

  @Test
  void freeText() throws Exception {
    JsonObject r = generate("{\"prompt\": \"Hello\", \"max_tokens\": 8}");
    assertTrue(r.getJsonObject("usage").getInt("completion_tokens") <= 8, r.toString());
    assertTrue(List.of("stop", "length").contains(r.getString("finish_reason")), r.toString());
  }

  @Test
  void regexOutputsMatch() throws Exception {
    String pattern = "[A-Z][0-9]{2}\\\\.[0-9]{1,2}";
    for (int seed = 0; seed < 5; seed++) {
      JsonObject r =
          generate(
              "{\"prompt\": \"Code:\", \"max_tokens\": 32, \"temperature\": 1, \"seed\": "
                  + seed
                  + ", \"constraint\": {\"type\": \"regex\", \"pattern\": \""
                  + pattern
                  + "\"}}");
      assertEquals("stop", r.getString("finish_reason"), r.toString());
      assertTrue(Pattern.matches("[A-Z][0-9]{2}\\.[0-9]{1,2}", r.getString("text")), r.toString());
    }
  }

  /** A recursive schema generates on the context-free layer: every finished output is a tree. */
  @Test
  void recursiveSchemaOutputsAreTrees() throws Exception {
    String schema =
        "{\"$defs\": {\"n\": {\"type\": \"object\", \"properties\": {\"v\": {\"type\":"
            + " \"integer\"}, \"c\": {\"type\": \"array\", \"items\": {\"$ref\":"
            + " \"#/$defs/n\"}}}, \"required\": [\"v\"], \"additionalProperties\": false}},"
            + " \"$ref\": \"#/$defs/n\"}";
    int stopped = 0;
    for (int seed = 0; seed < 16; seed++) {
      JsonObject r =
          generate(
              "{\"prompt\": \"Tree:\", \"max_tokens\": 80, \"temperature\": 1, \"seed\": "
                  + seed
                  + ", \"constraint\": {\"type\": \"json_schema\", \"schema\": "
                  + schema
                  + "}}");
      if (!r.getString("finish_reason").equals("stop")) {
        continue; // cut by max_tokens: a prefix, checked by the unit tests
      }
      stopped++;
      assertTree(r.getJsonObject("json"), r.toString());
    }
    assertTrue(stopped > 0, "no generation finished");
  }

  @Test
  void templateJsonHolesWithRecursionAreTrees() throws Exception {
    String schema =
        "{\"$defs\": {\"n\": {\"type\": \"object\", \"properties\": {\"v\": {\"type\":"
            + " \"integer\"}, \"c\": {\"type\": \"array\", \"items\": {\"$ref\":"
            + " \"#/$defs/n\"}}}, \"required\": [\"v\"], \"additionalProperties\": false}},"
            + " \"$ref\": \"#/$defs/n\"}";
    int stopped = 0;
    for (int seed = 0; seed < 16; seed++) {
      JsonObject r =
          generate(
              "{\"prompt\": \"Tree:\", \"max_tokens\": 80, \"temperature\": 1, \"seed\": "
                  + seed
                  + ", \"constraint\": {\"type\": \"template\", \"parts\": [{\"text\":"
                  + " \"T=\"}, {\"name\": \"tree\", \"json_schema\": "
                  + schema
                  + "}, {\"text\": \";\"}]}}");
      if (!r.getString("finish_reason").equals("stop")) {
        continue; // cut by max_tokens: a prefix, checked by the unit tests
      }
      stopped++;
      String text = r.getString("text");
      assertTrue(text.startsWith("T=") && text.endsWith(";"), r.toString());
      String tree = r.getJsonObject("captures").getJsonObject("tree").getString("text");
      assertEquals(text.substring(2, text.length() - 1), tree, r.toString());
      try (jakarta.json.JsonReader reader =
          jakarta.json.Json.createReader(new java.io.StringReader(tree))) {
        assertTree(reader.readObject(), r.toString());
      }
    }
    assertTrue(stopped > 0, "no generation finished");
  }

  private static void assertTree(JsonObject node, String context) {
    assertTrue(node.containsKey("v"), context);
    assertEquals(jakarta.json.JsonValue.ValueType.NUMBER, node.get("v").getValueType(), context);
    for (String k : node.keySet()) {
      assertTrue(k.equals("v") || k.equals("c"), context);
    }
    if (node.containsKey("c")) {
      for (jakarta.json.JsonValue child : node.getJsonArray("c")) {
        assertTree(child.asJsonObject(), context);
      }
    }
  }

  @Test
  void choiceOutputsAreListed() throws Exception {
    List<String> options = List.of("E11.65", "I10", "J06.9", "N18.3");
    JsonObject r =
        generate(
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Pick a code\"}],"
                + " \"constraint\": {\"type\": \"choice\", \"options\": [\"E11.65\", \"I10\","
                + " \"J06.9\", \"N18.3\"]}, \"temperature\": 0.8, \"seed\": 3}");
    assertTrue(options.contains(r.getString("text")), r.toString());
  }

  @Test
  void jsonSchemaOutputIsParsedAndValid() throws Exception {
    String schema =
        "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\", \"maxLength\":"
            + " 12}, \"age\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 130}},"
            + " \"required\": [\"name\", \"age\"], \"additionalProperties\": false}";
    JsonObject r =
        generate(
            "{\"prompt\": \"Patient:\", \"max_tokens\": 64, \"constraint\": {\"type\":"
                + " \"json_schema\", \"schema\": "
                + schema
                + "}}");
    assertEquals("stop", r.getString("finish_reason"), r.toString());
    JsonObject data = r.getJsonObject("json");
    assertEquals(Set.of("name", "age"), data.keySet(), r.toString());
    assertTrue(data.getString("name").codePointCount(0, data.getString("name").length()) <= 12);
    int age = data.getInt("age");
    assertTrue(age >= 0 && age <= 130, r.toString());
    assertEquals(
        Json.createReader(new java.io.StringReader(r.getString("text"))).readValue(), data);
  }

  @Test
  void quoteComesVerbatimFromAPassageWithOffsets() throws Exception {
    String a = "Metformin is the first-line treatment for type 2 diabetes.";
    String b = "Hypertension is managed with ACE inhibitors or thiazides.";
    JsonObject r =
        generate(
            "{\"prompt\": \"Quote:\", \"max_tokens\": 40, \"temperature\": 1, \"seed\": 7,"
                + " \"constraint\": {\"type\": \"quote\", \"passages\": [{\"id\": \"a\", \"text\": \""
                + a
                + "\"}, {\"id\": \"b\", \"text\": \""
                + b
                + "\"}], \"min_length\": 3, \"max_length\": 30}}");
    String text = r.getString("text");
    int cps = text.codePointCount(0, text.length());
    assertTrue(cps >= 3 && cps <= 30, r.toString());
    if (r.getString("finish_reason").equals("stop")) {
      JsonObject q = r.getJsonObject("quote");
      String source = q.getString("passage_id").equals("a") ? a : b;
      assertEquals(text, source.substring(q.getInt("start"), q.getInt("end")), r.toString());
    } else {
      assertTrue(a.contains(text) || b.contains(text), r.toString());
    }
  }

  @Test
  void templateReturnsCaptures() throws Exception {
    JsonObject r =
        generate(
            "{\"prompt\": \"Fill:\", \"max_tokens\": 48, \"constraint\": {\"type\": \"template\","
                + " \"parts\": [{\"text\": \"Name: \"}, {\"name\": \"name\", \"regex\":"
                + " \"[A-Z][a-z]{1,8}\"}, {\"text\": \"; code: \"}, {\"name\": \"code\", \"choice\":"
                + " [\"A00\", \"B01\"]}, {\"text\": \".\"}]}}");
    assertEquals("stop", r.getString("finish_reason"), r.toString());
    String text = r.getString("text");
    assertTrue(Pattern.matches("Name: [A-Z][a-z]{1,8}; code: (A00|B01)\\.", text), text);
    JsonObject caps = r.getJsonObject("captures");
    JsonObject name = caps.getJsonObject("name");
    assertEquals(text.substring(name.getInt("start"), name.getInt("end")), name.getString("text"));
    assertTrue(List.of("A00", "B01").contains(caps.getJsonObject("code").getString("text")));
  }

  @Test
  void streamingSendsTokensThenDone() throws Exception {
    HttpResponse<String> res =
        post(
            base,
            "/api/v1/generate",
            "{\"prompt\": \"Hi\", \"stream\": true, \"max_tokens\": 16, \"constraint\": {\"type\":"
                + " \"regex\", \"pattern\": \"[a-z]{3,10}\"}}");
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(contentType(res).startsWith("text/event-stream"), contentType(res));
    List<String> events = new ArrayList<>();
    StringBuilder streamed = new StringBuilder();
    JsonObject done = null;
    String event = null;
    for (String line : res.body().split("\n")) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
        events.add(event);
      } else if (line.startsWith("data: ")) {
        JsonObject data = json(line.substring(6));
        if ("token".equals(event)) {
          streamed.append(data.getString("text"));
        } else if ("done".equals(event)) {
          done = data;
        }
      }
    }
    assertTrue(done != null, res.body());
    assertEquals("done", events.getLast());
    assertEquals(done.getString("text"), streamed.toString());
    assertTrue(Pattern.matches("[a-z]{3,10}", done.getString("text")), res.body());
  }

  @Test
  void extractReturnsData() throws Exception {
    HttpResponse<String> res =
        post(
            base,
            "/api/v1/extract",
            "{\"text\": \"John Smith, 8 years old.\", \"max_tokens\": 96, \"schema\": {\"type\":"
                + " \"object\", \"properties\": {\"name\": {\"type\": \"string\", \"maxLength\":"
                + " 20}, \"age\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 130}},"
                + " \"required\": [\"name\", \"age\"], \"additionalProperties\": false}}");
    assertEquals(200, res.statusCode(), res.body());
    JsonObject data = json(res.body()).getJsonObject("data");
    assertEquals(Set.of("name", "age"), data.keySet(), res.body());
  }

  @Test
  void compileReportsStatsExampleAndChecks() throws Exception {
    HttpResponse<String> res =
        post(
            base,
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"regex\", \"pattern\": \"[A-Z][0-9]{2}\"}, \"check\":"
                + " [\"A12\", \"A1\", \"a12\"]}");
    assertEquals(200, res.statusCode(), res.body());
    JsonObject r = json(res.body());
    assertTrue(r.getBoolean("valid"));
    assertEquals("A00", r.getString("shortest_example"));
    assertTrue(r.getJsonObject("stats").getInt("dfa_states") >= 4, res.body());
    var checks = r.getJsonArray("checks");
    assertTrue(checks.getJsonObject(0).getBoolean("accepts"));
    assertFalse(checks.getJsonObject(1).getBoolean("accepts"));
    assertTrue(checks.getJsonObject(1).getBoolean("prefix"));
    assertFalse(checks.getJsonObject(2).getBoolean("prefix"));
    assertTrue(r.getJsonObject("token_automaton").getInt("first_step_allowed_tokens") > 0);
  }

  @Test
  void checksTellAcceptedFromGenerableSpellings() throws Exception {
    HttpResponse<String> res =
        post(
            base,
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"json_schema\", \"schema\": {\"type\": \"number\","
                + " \"minimum\": 0}}, \"check\": [\"1.50\", \"1E+2\", \"-1E+2\"]}");
    assertEquals(200, res.statusCode(), res.body());
    var checks = json(res.body()).getJsonArray("checks");
    assertTrue(checks.getJsonObject(0).getBoolean("accepts"), res.body());
    assertTrue(checks.getJsonObject(0).getBoolean("generable"), res.body());
    assertTrue(checks.getJsonObject(1).getBoolean("accepts"), res.body());
    assertFalse(checks.getJsonObject(1).getBoolean("generable"), res.body());
    assertFalse(checks.getJsonObject(2).getBoolean("accepts"), res.body());
  }

  @Test
  void freeFormDepthIsChosenPerRequest() throws Exception {
    String deep = "{\\\"a\\\":{\\\"b\\\":{\\\"c\\\":{\\\"d\\\":{\\\"e\\\":1}}}}}";
    // Absent: exact at any depth (context-free); 2 and 4: bounded speed hints on the DFA path.
    for (int depth : new int[] {-1, 2, 4}) {
      String member = depth == -1 ? "" : ", \"free_form_depth\": " + depth;
      HttpResponse<String> res =
          post(
              base,
              "/api/v1/constraints/compile",
              "{\"constraint\": {\"type\": \"json_schema\", \"schema\": {\"type\": \"object\"}"
                  + member
                  + "}, \"check\": [\""
                  + deep
                  + "\"]}");
      assertEquals(200, res.statusCode(), res.body());
      boolean accepts =
          json(res.body()).getJsonArray("checks").getJsonObject(0).getBoolean("accepts");
      assertEquals(depth != 2, accepts, "free_form_depth " + depth + ": " + res.body());
      assertEquals(
          depth == -1,
          json(res.body()).getJsonObject("stats").getBoolean("context_free"),
          "free_form_depth " + depth + ": " + res.body());
    }
  }

  @Test
  void modelsListsTheDemoModel() throws Exception {
    JsonObject m =
        json(Http.get(base, "/api/v1/models").body()).getJsonArray("models").getJsonObject(0);
    assertEquals("guidepost-demo", m.getString("id"));
    assertEquals("ready", m.getString("status"));
    assertTrue(m.getBoolean("demo"));
    assertTrue(m.getInt("logits_size") >= m.getInt("tokenizer_size"));
    JsonObject info = json(Http.get(base, "/api/v1/info").body());
    assertEquals("ready", info.getJsonObject("model").getString("status"));
    assertEquals(JsonValue.TRUE, info.getJsonObject("model").get("demo"));
  }
}
