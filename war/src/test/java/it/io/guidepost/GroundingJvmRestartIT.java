package it.io.guidepost;

import static it.io.guidepost.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Corpora and code lists survive a restart of the Liberty server JVM: a corpus and a code list are
 * created, the server is stopped with its {@code bin/server stop} script (the managed container's
 * stop) and started again as a new process, and both are queried from the data folder.
 *
 * <p>Runs alone in its own failsafe execution ({@code jvm-restart}, after the others) with {@code
 * arquillian.launch=liberty-restart}: that container is the same test server in manual mode, which
 * this test starts and stops through {@link ContainerController}. That the JVM really restarted is
 * checked with MicroProfile Metrics' {@code jvm_uptime_seconds}: after the restart the JVM is
 * younger than the time since the stop began.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroundingJvmRestartIT {
  static final String CONTAINER = "liberty-restart";
  private static final String ADMIN =
      "Basic "
          + Base64.getEncoder()
              .encodeToString("admin:it-admin-secret".getBytes(StandardCharsets.UTF_8));
  private static final String RUN = Long.toString(System.nanoTime(), 36);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Pattern UPTIME =
      Pattern.compile("(?m)^jvm_uptime_seconds\\{[^}]*\\}\\s+([0-9.Ee+-]+)\\s*$");

  @Deployment(name = "jvm-restart", managed = false, testable = false)
  @TargetsContainer(CONTAINER)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource ContainerController controller;
  @ArquillianResource Deployer deployer;

  private final String base = "http://localhost:" + System.getProperty("liberty.test.http.port");

  private HttpResponse<String> send(String method, String path, String type, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(120))
            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body))
            .header("Authorization", ADMIN);
    if (type != null) {
      b.header("Content-Type", type);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Seconds since the server JVM started, from MicroProfile Metrics. */
  private double jvmUptimeSeconds() throws Exception {
    HttpResponse<String> res = send("GET", "/metrics?scope=base", null, null);
    assertEquals(200, res.statusCode(), res.body());
    Matcher m = UPTIME.matcher(res.body());
    if (!m.find()) {
      fail("no jvm_uptime_seconds in /metrics?scope=base:\n" + res.body());
    }
    return Double.parseDouble(m.group(1));
  }

  private void startAndDeploy() {
    controller.start(CONTAINER);
    deployer.deploy("jvm-restart");
  }

  private void undeployAndStop() {
    try {
      deployer.undeploy("jvm-restart");
    } finally {
      controller.stop(CONTAINER);
    }
  }

  @Test
  void dataSurvivesAServerJvmRestart() throws Exception {
    assertEquals(
        CONTAINER,
        System.getProperty("arquillian.launch"),
        "run by the jvm-restart failsafe execution (arquillian.launch=" + CONTAINER + ")");
    String corpus = "jvm-" + RUN;
    String list = "jvm-" + RUN;
    String text =
        "Warfarin needs regular INR monitoring. Metformin is a first-line drug for type 2"
            + " diabetes.";
    startAndDeploy();
    try {
      HttpResponse<String> res =
          send("POST", "/api/v1/corpora", "application/json", "{\"name\": \"" + corpus + "\"}");
      assertEquals(201, res.statusCode(), res.body());
      res = send("POST", "/api/v1/corpora/" + corpus + "/documents?id=d1", "text/plain", text);
      assertEquals(200, res.statusCode(), res.body());
      res =
          send(
              "PUT",
              "/api/v1/codelists/" + list + "?format=csv",
              "text/csv",
              "A00,Cholera\nB01,Varicella\nE11.9,Type 2 diabetes mellitus without complications\n");
      assertEquals(201, res.statusCode(), res.body());
    } finally {
      undeployAndStop();
    }
    long stoppedAt = System.nanoTime();

    startAndDeploy();
    try {
      double uptime = jvmUptimeSeconds();
      double sinceStop = (System.nanoTime() - stoppedAt) / 1e9;
      assertTrue(
          uptime < sinceStop,
          "the server JVM is " + uptime + " s old, the stop was " + sinceStop + " s ago");

      HttpResponse<String> res =
          send("GET", "/api/v1/corpora/" + corpus + "/search?q=INR+monitoring", null, null);
      assertEquals(200, res.statusCode(), res.body());
      JsonArray hits = json(res.body()).getJsonArray("hits");
      assertEquals("d1", hits.getJsonObject(0).getString("document_id"), res.body());

      res =
          send(
              "POST",
              "/api/v1/corpora/" + corpus + "/quote",
              "application/json",
              "{\"question\": \"What needs INR monitoring?\", \"max_length\": 40}");
      assertEquals(200, res.statusCode(), res.body());
      JsonObject q = json(res.body());
      assertEquals(
          q.getString("quote"), text.substring(q.getInt("start"), q.getInt("end")), res.body());

      res = send("GET", "/api/v1/codelists/" + list, null, null);
      assertEquals(200, res.statusCode(), res.body());
      assertEquals(3, json(res.body()).getInt("codes"), res.body());

      res =
          send(
              "POST",
              "/api/v1/codelists/" + list + "/select",
              "application/json",
              "{\"text\": \"type 2 diabetes\", \"candidates\": 0}");
      assertEquals(200, res.statusCode(), res.body());
      assertTrue(
          Set.of("A00", "B01", "E11.9").contains(json(res.body()).getString("code")), res.body());
    } finally {
      undeployAndStop();
    }
  }
}
