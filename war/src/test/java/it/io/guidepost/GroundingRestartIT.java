package it.io.guidepost;

import static it.io.guidepost.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Corpora and code lists survive a restart of the application: the beans close their Lucene indexes
 * on undeploy and reopen them from the data folder on deploy. The Liberty JVM keeps running here;
 * {@link GroundingJvmRestartIT} restarts the server JVM itself.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroundingRestartIT {
  private static final String ADMIN =
      "Basic "
          + Base64.getEncoder()
              .encodeToString("admin:it-admin-secret".getBytes(StandardCharsets.UTF_8));
  private static final String RUN = Long.toString(System.nanoTime(), 36);
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Deployment(name = "restart", managed = false, testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource Deployer deployer;

  private HttpResponse<String> send(String method, String url, String type, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body))
            .header("Authorization", ADMIN);
    if (type != null) {
      b.header("Content-Type", type);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void dataSurvivesAnApplicationRestart() throws Exception {
    String base = "http://localhost:" + System.getProperty("liberty.test.http.port");
    String corpus = "keep-" + RUN;
    deployer.deploy("restart");
    try {
      assertEquals(
          201,
          send(
                  "POST",
                  base + "/api/v1/corpora",
                  "application/json",
                  "{\"name\": \"" + corpus + "\"}")
              .statusCode());
      assertEquals(
          200,
          send(
                  "POST",
                  base + "/api/v1/corpora/" + corpus + "/documents?id=d1",
                  "text/plain",
                  "Warfarin needs regular INR monitoring.")
              .statusCode());
      assertEquals(
          201,
          send(
                  "PUT",
                  base + "/api/v1/codelists/keep-" + RUN + "?format=csv",
                  "text/csv",
                  "A00,Cholera\nB01,Varicella\n")
              .statusCode());
    } finally {
      deployer.undeploy("restart");
    }
    deployer.deploy("restart");
    try {
      HttpResponse<String> res =
          send("GET", base + "/api/v1/corpora/" + corpus + "/search?q=INR", null, null);
      assertEquals(200, res.statusCode(), res.body());
      assertEquals(
          "d1", json(res.body()).getJsonArray("hits").getJsonObject(0).getString("document_id"));
      res = send("GET", base + "/api/v1/codelists/keep-" + RUN, null, null);
      assertEquals(200, res.statusCode(), res.body());
      assertEquals(2, json(res.body()).getInt("codes"));
    } finally {
      deployer.undeploy("restart");
    }
  }
}
