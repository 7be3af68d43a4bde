package it.io.guidepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP tests against the deployed war on a real Liberty server. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InfoEndpointIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = base.toURI().resolve(path);
    return HTTP.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(String body) {
    try (JsonReader r = Json.createReader(new StringReader(body))) {
      return r.readObject();
    }
  }

  @Test
  void infoReportsVersionAndTheDemoModel() throws Exception {
    HttpResponse<String> res = get("/api/v1/info");
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(
        res.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        res.headers().toString());
    JsonObject body = json(res.body());
    assertEquals("guidepost", body.getString("service"));
    assertTrue(body.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), res.body());
    assertEquals("ready", body.getJsonObject("model").getString("status"));
    assertEquals("guidepost-demo", body.getJsonObject("model").getString("id"));
  }

  @Test
  void readyAndLiveAreUp() throws Exception {
    for (String path : new String[] {"/health/ready", "/health/live"}) {
      HttpResponse<String> res = get(path);
      assertEquals(200, res.statusCode(), path + ": " + res.body());
      assertEquals("UP", json(res.body()).getString("status"), path);
    }
    JsonObject ready = json(get("/health/ready").body());
    assertTrue(ready.toString().contains("guidepost-model"), ready.toString());
  }

  @Test
  void openApiDocumentsTheInfoEndpoint() throws Exception {
    HttpResponse<String> res = get("/openapi");
    assertEquals(200, res.statusCode());
    for (String path :
        new String[] {
          "/api/v1/info",
          "/api/v1/generate",
          "/api/v1/extract",
          "/api/v1/constraints/compile",
          "/api/v1/models",
          "/v1/chat/completions",
          "/api/v1/corpora/{name}/quote",
          "/api/v1/codelists/{name}/select"
        }) {
      assertTrue(res.body().contains(path), path + " is not documented");
    }
    for (String schema : new String[] {"GenerateRequest", "GenerateResponse", "Problem"}) {
      assertTrue(res.body().contains(schema), schema + " schema is not documented");
    }
    assertTrue(res.body().contains("ICD-10 code for essential hypertension"), "no example");
    assertEquals(200, get("/openapi/ui/").statusCode());
  }

  @Test
  void unknownPathIsA404Problem() throws Exception {
    HttpResponse<String> res = get("/api/v1/no-such-thing");
    assertEquals(404, res.statusCode());
    assertEquals(
        "application/problem+json",
        res.headers().firstValue("Content-Type").orElse(""),
        res.body());
    JsonObject problem = json(res.body());
    assertEquals(404, problem.getInt("status"));
    assertEquals("not-found", problem.getString("code"));
  }

  @Test
  void wrongMethodIsA405ProblemWithAllow() throws Exception {
    URI uri = base.toURI().resolve("/api/v1/info");
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(uri).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, res.statusCode(), res.body());
    assertEquals("method-not-allowed", json(res.body()).getString("code"));
    assertTrue(
        res.headers().firstValue("Allow").orElse("").contains("GET"), res.headers().toString());
  }
}
