package it.io.guidepost;

import static it.io.guidepost.Http.contentType;
import static it.io.guidepost.Http.json;
import static it.io.guidepost.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every documented bad-input case answers its status with a problem+json body naming where. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadInputIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private JsonObject problem(String path, String body, int status) throws Exception {
    HttpResponse<String> res = post(base, path, body);
    assertEquals(status, res.statusCode(), res.body());
    assertEquals("application/problem+json", contentType(res), res.body());
    JsonObject p = json(res.body());
    assertEquals(status, p.getInt("status"));
    assertTrue(p.getString("type").startsWith("https://guidepost.io/problems/"), res.body());
    return p;
  }

  private JsonObject generateProblem(String body, int status) throws Exception {
    return problem("/api/v1/generate", body, status);
  }

  @AfterEach
  void serverKeepsServing() throws Exception {
    HttpResponse<String> res = Http.get(base, "/health/ready");
    assertEquals(200, res.statusCode(), res.body());
  }

  @Test
  void malformedJson() throws Exception {
    JsonObject p = generateProblem("{\"prompt\": \"x\",\n \"max_tokens\": }", 400);
    assertEquals("invalid-json", p.getString("code"));
    assertEquals(2, p.getInt("line"));
  }

  @Test
  void wrongTypesAndUnknownMembers() throws Exception {
    JsonObject p = generateProblem("{\"prompt\": \"x\", \"max_tokens\": \"ten\"}", 400);
    assertEquals("/max_tokens", p.getString("pointer"));
    p = generateProblem("{\"prompt\": 42}", 400);
    assertEquals("/prompt", p.getString("pointer"));
    p = generateProblem("{\"prompt\": \"x\", \"max_tokenz\": 5}", 400);
    assertEquals("/max_tokenz", p.getString("pointer"));
    p = generateProblem("{\"max_tokens\": 5}", 400);
    assertTrue(p.getString("detail").contains("prompt"), p.toString());
  }

  @Test
  void maxTokensOutOfRange() throws Exception {
    JsonObject p = generateProblem("{\"prompt\": \"x\", \"max_tokens\": 0}", 400);
    assertEquals("/max_tokens", p.getString("pointer"));
    p = generateProblem("{\"prompt\": \"x\", \"max_tokens\": 100000000}", 400);
    assertEquals("/max_tokens", p.getString("pointer"));
  }

  @Test
  void unknownConstraintType() throws Exception {
    JsonObject p =
        generateProblem("{\"prompt\": \"x\", \"constraint\": {\"type\": \"grammer\"}}", 400);
    assertEquals("/constraint/type", p.getString("pointer"));
    assertTrue(p.getString("detail").contains("regex"), p.toString());
  }

  @Test
  void badRegexNamesThePosition() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"regex\", \"pattern\": \"ab(c\"}}",
            400);
    assertEquals("regex-syntax", p.getString("code"));
    assertEquals("/constraint/pattern", p.getString("pointer"));
    assertTrue(p.getInt("position") >= 2, p.toString());
  }

  @Test
  void unsupportedRegexFeatureIs422() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"regex\", \"pattern\": \"a(?<=b)\"}}",
            422);
    assertEquals("regex-unsupported", p.getString("code"));
    assertEquals(1, p.getInt("position"));
  }

  @Test
  void unsupportedSchemaKeywordNamesKeywordAndPointer() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"json_schema\", \"schema\":"
                + " {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\","
                + " \"$dynamicRef\": \"#meta\"}}}}}",
            422);
    assertEquals("schema-unsupported", p.getString("code"));
    assertEquals("$dynamicRef", p.getString("keyword"));
    assertTrue(p.getString("pointer").startsWith("/constraint/schema/properties/a"), p.toString());
  }

  @Test
  void invalidSchemaNamesThePointer() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"json_schema\", \"schema\":"
                + " {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"strin\"}}}}}",
            400);
    assertEquals("schema-invalid", p.getString("code"));
    assertEquals("/constraint/schema/properties/a/type", p.getString("pointer"), p.toString());
    assertTrue(p.getString("detail").contains("strin"), p.toString());
  }

  /** The test server caps bodies at 1 MiB ({@code guidepost.http.max-body-bytes}). */
  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "{\"prompt\": \"" + "x".repeat(1_100_000) + "\"}";
    JsonObject p = generateProblem(big, 413);
    assertEquals("body-too-large", p.getString("code"));
    assertEquals(1_048_576, p.getJsonNumber("limit").longValue(), p.toString());
    assertTrue(p.getJsonNumber("actual").longValue() > 1_048_576, p.toString());
  }

  @Test
  void oversizedChunkedBodyIs413() throws Exception {
    String big = "{\"prompt\": \"" + "x".repeat(1_100_000) + "\"}";
    HttpResponse<String> res = Http.postChunked(base, "/api/v1/generate", big);
    assertEquals(413, res.statusCode(), res.body());
    assertEquals("application/problem+json", contentType(res), res.body());
    JsonObject p = json(res.body());
    assertEquals("body-too-large", p.getString("code"));
    assertEquals(1_048_576, p.getJsonNumber("limit").longValue(), p.toString());
  }

  @Test
  void tooComplexIs413WithNumbers() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"regex\", \"pattern\":"
                + " \"[ab]*a[ab]{40}\"}}",
            413);
    assertEquals("too-complex", p.getString("code"));
    assertTrue(p.getJsonNumber("limit").longValue() > 0, p.toString());
    assertTrue(p.getJsonNumber("observed").longValue() > p.getJsonNumber("limit").longValue());
  }

  @Test
  void promptLongerThanTheContext() throws Exception {
    String longPrompt = "lorem ipsum dolor sit amet ".repeat(4000);
    JsonObject p = generateProblem("{\"prompt\": \"" + longPrompt + "\", \"max_tokens\": 16}", 400);
    assertEquals("context-length-exceeded", p.getString("code"));
    assertTrue(p.getInt("prompt_tokens") + 16 > p.getInt("context_length"), p.toString());
  }

  @Test
  void emptyChoiceListIsInvalid() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"choice\", \"options\": []}}", 400);
    assertEquals("/constraint/options", p.getString("pointer"));
  }

  @Test
  void freeFormDepthOutOfRangeNamesTheMember() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"json_schema\", \"schema\":"
                + " {\"type\": \"object\"}, \"free_form_depth\": 9}}",
            400);
    assertEquals("invalid-request", p.getString("code"));
    assertEquals("/constraint/free_form_depth", p.getString("pointer"));
  }

  @Test
  void maxNestingOutOfRangeNamesTheMember() throws Exception {
    JsonObject p =
        generateProblem(
            "{\"prompt\": \"x\", \"constraint\": {\"type\": \"json_schema\", \"schema\":"
                + " {\"type\": \"object\"}, \"max_nesting\": 0}}",
            400);
    assertEquals("invalid-request", p.getString("code"));
    assertEquals("/constraint/max_nesting", p.getString("pointer"));
  }

  @Test
  void compileEndpointReportsErrorsToo() throws Exception {
    JsonObject p =
        problem(
            "/api/v1/constraints/compile",
            "{\"constraint\": {\"type\": \"regex\", \"pattern\": \"a{3,1}\"}}",
            400);
    assertEquals("regex-syntax", p.getString("code"));
  }

  @Test
  void openAiErrorsHaveOpenAiShape() throws Exception {
    HttpResponse<String> res =
        post(
            base,
            "/v1/chat/completions",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 2}");
    assertEquals(400, res.statusCode(), res.body());
    JsonObject err = json(res.body()).getJsonObject("error");
    assertEquals("invalid_request_error", err.getString("type"));
    assertEquals("n", err.getString("param"));
    res =
        post(
            base,
            "/v1/chat/completions",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"guided_regex\": \"(a\"}");
    assertEquals(400, res.statusCode(), res.body());
    assertEquals("regex-syntax", json(res.body()).getJsonObject("error").getString("code"));
  }
}
