package it.io.guidepost;

import static it.io.guidepost.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.testing.SharedData;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Corpora (ingest, search, quote with provenance) and code lists (load, select) over HTTP. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GroundingIT {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final String ADMIN =
      "Basic "
          + Base64.getEncoder()
              .encodeToString("admin:it-admin-secret".getBytes(StandardCharsets.UTF_8));

  /** Unique per run: the test server's data folder outlives a run. */
  private static final String RUN = Long.toString(System.nanoTime(), 36);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  private HttpResponse<String> send(
      String method, String path, String contentType, String body, boolean admin) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.toURI().resolve(path))
            .timeout(Duration.ofSeconds(120))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (admin) {
      b.header("Authorization", ADMIN);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static final String DOC_A =
      "Metformin is the first-line medication for type 2 diabetes. It lowers glucose production"
          + " in the liver. Common side effects include nausea and diarrhoea.";
  static final String DOC_B =
      "Hypertension is treated with ACE inhibitors, thiazide diuretics or calcium channel"
          + " blockers. Lifestyle changes such as less salt also help — über 5 g/Tag is too much.";

  private String newCorpus(String prefix) throws Exception {
    String name = prefix + "-" + RUN;
    HttpResponse<String> res =
        send(
            "POST",
            "/api/v1/corpora",
            "application/json",
            "{\"name\": \"" + name + "\", \"passage_chars\": 120, \"overlap_chars\": 20}",
            true);
    assertEquals(201, res.statusCode(), res.body());
    return name;
  }

  @Test
  void changingCorporaNeedsTheAdminRole() throws Exception {
    HttpResponse<String> res =
        send("POST", "/api/v1/corpora", "application/json", "{\"name\": \"x" + RUN + "\"}", false);
    assertEquals(401, res.statusCode(), res.body());
    assertEquals(200, send("GET", "/api/v1/corpora", null, null, false).statusCode());
  }

  @Test
  void ingestSearchAndQuoteWithOffsetsIntoTheSource() throws Exception {
    String corpus = newCorpus("med");
    HttpResponse<String> res =
        send(
            "POST",
            "/api/v1/corpora/" + corpus + "/documents",
            "application/json",
            "[{\"id\": \"a\", \"title\": \"Metformin\", \"text\": \""
                + DOC_A
                + "\"}, {\"id\": \"b\", \"title\": \"Hypertension\", \"text\": \""
                + DOC_B
                + "\"}]",
            true);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(2, json(res.body()).getInt("documents"));

    res = send("GET", "/api/v1/corpora/" + corpus + "/search?q=metformin+liver", null, null, false);
    assertEquals(200, res.statusCode(), res.body());
    JsonArray hits = json(res.body()).getJsonArray("hits");
    assertEquals("a", hits.getJsonObject(0).getString("document_id"));

    for (int seed = 0; seed < 3; seed++) {
      res =
          send(
              "POST",
              "/api/v1/corpora/" + corpus + "/quote",
              "application/json",
              "{\"question\": \"What treats hypertension?\", \"max_length\": 60, \"temperature\":"
                  + " 1, \"seed\": "
                  + seed
                  + "}",
              false);
      assertEquals(200, res.statusCode(), res.body());
      JsonObject q = json(res.body());
      String source = q.getString("document_id").equals("a") ? DOC_A : DOC_B;
      assertEquals(
          q.getString("quote"), source.substring(q.getInt("start"), q.getInt("end")), res.body());
    }
  }

  @Test
  void concurrentIngestionAndQueries() throws Exception {
    String corpus = newCorpus("conc");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> fs =
          List.of(
              pool.submit(() -> ingest(corpus, "x1", DOC_A)),
              pool.submit(() -> ingest(corpus, "x2", DOC_B)),
              pool.submit(
                  () ->
                      send("GET", "/api/v1/corpora/" + corpus + "/search?q=salt", null, null, false)
                          .statusCode()),
              pool.submit(() -> ingest(corpus, "x3", DOC_A + " " + DOC_B)));
      for (Future<Integer> f : fs) {
        assertEquals(200, f.get(2, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }
    JsonObject info = json(send("GET", "/api/v1/corpora/" + corpus, null, null, false).body());
    assertEquals(3, info.getInt("documents"), info.toString());
  }

  private int ingest(String corpus, String id, String text) throws Exception {
    return send(
            "POST", "/api/v1/corpora/" + corpus + "/documents?id=" + id, "text/plain", text, true)
        .statusCode();
  }

  @Test
  void badInputIsAProblem() throws Exception {
    HttpResponse<String> res =
        send(
            "POST",
            "/api/v1/corpora/no-such-corpus-" + RUN + "/quote",
            "application/json",
            "{\"question\": \"x\"}",
            false);
    assertEquals(404, res.statusCode(), res.body());
    assertEquals("application/problem+json", Http.contentType(res));

    res = send("POST", "/api/v1/corpora", "application/json", "{\"name\": \"../etc\"}", true);
    assertEquals(400, res.statusCode(), res.body());

    String corpus = newCorpus("bad");
    res =
        send(
            "POST",
            "/api/v1/corpora/" + corpus + "/documents",
            "application/x-ndjson",
            "{\"id\": \"1\", \"text\": \"fine\"}\n{\"id\": \"2\", \"text\": }\n",
            true);
    assertEquals(400, res.statusCode(), res.body());
    assertEquals(2, json(res.body()).getInt("line"), res.body());

    res =
        send(
            "POST",
            "/api/v1/corpora/" + corpus + "/quote",
            "application/json",
            "{\"question\": \"   \"}",
            false);
    assertEquals(400, res.statusCode(), res.body());
  }

  @Test
  void icd10cmSelectionAlwaysReturnsCodesOfTheList() throws Exception {
    String sample =
        Files.readString(
            SharedData.require("data/icd10cm/icd10cm-codes-2023-sample.txt"),
            StandardCharsets.UTF_8);
    String list = "icd-" + RUN;
    HttpResponse<String> res =
        send(
            "PUT",
            "/api/v1/codelists/" + list + "?format=icd10cm&dotted=true",
            "text/plain",
            sample,
            true);
    assertEquals(201, res.statusCode(), res.body());
    int codes = json(res.body()).getInt("codes");
    assertEquals(sample.lines().filter(l -> !l.isBlank()).count(), codes);
    Set<String> all =
        sample
            .lines()
            .filter(l -> !l.isBlank())
            .map(l -> l.substring(0, 8).trim())
            .map(c -> c.length() > 3 ? c.substring(0, 3) + "." + c.substring(3) : c)
            .collect(Collectors.toSet());

    res =
        send(
            "POST",
            "/api/v1/codelists/" + list + "/select",
            "application/json",
            "{\"text\": \"Type 2 diabetes mellitus with hyperglycemia\", \"candidates\": 20}",
            false);
    assertEquals(200, res.statusCode(), res.body());
    JsonObject one = json(res.body());
    assertTrue(all.contains(one.getString("code")), res.body());

    res =
        send(
            "POST",
            "/api/v1/codelists/" + list + "/select",
            "application/json",
            "{\"text\": \"Essential hypertension and chronic kidney disease\", \"multiple\": true,"
                + " \"max_codes\": 3, \"temperature\": 1, \"seed\": 5}",
            false);
    assertEquals(200, res.statusCode(), res.body());
    JsonArray picked = json(res.body()).getJsonArray("codes");
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < picked.size(); i++) {
      String c = picked.getJsonObject(i).getString("code");
      assertTrue(all.contains(c), c);
      assertTrue(distinct.add(c), "repeated " + c);
    }
    assertTrue(picked.size() >= 1 && picked.size() <= 3, res.body());
  }

  @Test
  void malformedCodeListLinesAreReportedWithTheirNumber() throws Exception {
    HttpResponse<String> res =
        send(
            "PUT",
            "/api/v1/codelists/broken-" + RUN + "?format=csv",
            "text/csv",
            "code,description\nA00,Cholera\nB01\n",
            true);
    assertEquals(400, res.statusCode(), res.body());
    assertEquals(3, json(res.body()).getInt("line"), res.body());
    res =
        send(
            "POST",
            "/api/v1/codelists/nope-" + RUN + "/select",
            "application/json",
            "{\"text\": \"x\"}",
            false);
    assertEquals(404, res.statusCode(), res.body());
  }

  @Test
  void generateCanQuoteACorpusAndTieSchemaFieldsToACodeList() throws Exception {
    String corpus = newCorpus("gen");
    assertEquals(200, ingest(corpus, "b", DOC_B));
    HttpResponse<String> res =
        send(
            "POST",
            "/api/v1/generate",
            "application/json",
            "{\"prompt\": \"Quote:\", \"max_tokens\": 40, \"temperature\": 1, \"seed\": 2,"
                + " \"constraint\": {\"type\": \"quote\", \"corpus\": \""
                + corpus
                + "\", \"query\": \"salt hypertension\", \"max_length\": 30}}",
            false);
    assertEquals(200, res.statusCode(), res.body());
    JsonObject r = json(res.body());
    assertEquals("stop", r.getString("finish_reason"), res.body());
    JsonObject source = r.getJsonObject("quote").getJsonObject("source");
    assertEquals("b", source.getString("document_id"));
    assertEquals(
        r.getString("text"), DOC_B.substring(source.getInt("start"), source.getInt("end")));

    String list = "small-" + RUN;
    res =
        send(
            "PUT",
            "/api/v1/codelists/" + list + "?format=csv",
            "text/csv",
            "code,description\nA00,Cholera\nB01,Varicella\nI10,Essential hypertension\n",
            true);
    assertEquals(201, res.statusCode(), res.body());
    res =
        send(
            "POST",
            "/api/v1/generate",
            "application/json",
            "{\"prompt\": \"Record:\", \"max_tokens\": 40, \"temperature\": 1, \"seed\": 4,"
                + " \"constraint\": {\"type\": \"json_schema\", \"schema\": {\"type\":"
                + " \"object\", \"properties\": {\"code\": {\"type\": \"string\","
                + " \"x-guidepost-codelist\": \""
                + list
                + "\"}}, \"required\": [\"code\"], \"additionalProperties\": false}}}",
            false);
    assertEquals(200, res.statusCode(), res.body());
    String code = json(res.body()).getJsonObject("json").getString("code");
    assertTrue(List.of("A00", "B01", "I10").contains(code), res.body());
  }
}
