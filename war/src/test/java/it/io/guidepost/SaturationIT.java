package it.io.guidepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * More simultaneous generations than slots plus queue (4 + 32 by default): the excess is answered
 * at once with 429, {@code Retry-After} and a problem body; every admitted request completes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SaturationIT {
  static final int REQUESTS = 48;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  @Test
  void excessRequestsGet429WithRetryAfter() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String body =
        "{\"prompt\": \"Write at length\", \"max_tokens\": 1500, \"temperature\": 1, \"seed\": 9}";
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      futures.add(
          client.sendAsync(
              HttpRequest.newBuilder(base.toURI().resolve("/api/v1/generate"))
                  .timeout(Duration.ofMinutes(5))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int rejected = 0;
    for (CompletableFuture<HttpResponse<String>> f : futures) {
      HttpResponse<String> res = f.get(5, TimeUnit.MINUTES);
      if (res.statusCode() == 200) {
        ok++;
        continue;
      }
      assertEquals(429, res.statusCode(), res.body());
      assertEquals("application/problem+json", Http.contentType(res));
      assertTrue(res.headers().firstValue("Retry-After").isPresent(), res.headers().toString());
      JsonObject p = Http.json(res.body());
      assertEquals("saturated", p.getString("code"));
      rejected++;
    }
    assertEquals(REQUESTS, ok + rejected);
    assertTrue(rejected > 0, "no request was rejected: the queue bound is not enforced");
    assertTrue(ok >= 4, "only " + ok + " requests were served");
  }
}
