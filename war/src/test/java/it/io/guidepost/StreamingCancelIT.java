package it.io.guidepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client that disconnects from a stream cancels its generation and frees its slot. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StreamingCancelIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private long gauge(String name) throws Exception {
    String body = Http.get(base, "/metrics?scope=application").body();
    Matcher m = Pattern.compile("(?m)^" + name + "\\S*\\s+([0-9.]+)").matcher(body);
    assertTrue(m.find(), name + " missing from /metrics: " + body);
    return (long) Double.parseDouble(m.group(1));
  }

  @Test
  void disconnectingCancelsTheGeneration() throws Exception {
    long generatedBefore = gauge("guidepost_tokens_generated");
    HttpURLConnection c =
        (HttpURLConnection) base.toURI().resolve("/api/v1/generate").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream os = c.getOutputStream()) {
      // Free text with a large budget: without cancellation this runs for many seconds.
      os.write(
          "{\"prompt\": \"Tell a long story\", \"max_tokens\": 2000, \"temperature\": 1, \"seed\": 1,"
              .concat(" \"stream\": true}")
              .getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(200, c.getResponseCode());
    BufferedReader r =
        new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
    int events = 0;
    for (String line; events < 3 && (line = r.readLine()) != null; ) {
      if (line.startsWith("event: token")) {
        events++;
      }
    }
    assertEquals(3, events);
    c.disconnect(); // drop the connection mid-stream
    long deadline = System.currentTimeMillis() + 30_000;
    while (gauge("guidepost_generation_running") > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(0, gauge("guidepost_generation_running"), "the generation still runs");
    long generated = gauge("guidepost_tokens_generated") - generatedBefore;
    assertTrue(generated < 2000, "generated " + generated + " tokens after the client left");
  }
}
