package it.io.guidepost;

import static it.io.guidepost.Http.json;
import static it.io.guidepost.Http.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 16 concurrent clients x 20 requests, mixed across constraint kinds, seeded: every response is a
 * 200 whose output satisfies its constraint; none is lost, none is a 5xx.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConcurrentClientsIT {
  static final int CLIENTS = 16;
  static final int REQUESTS = 20;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.builtWar();
  }

  @ArquillianResource URL base;

  record Case(String constraint, Predicate<JsonObject> valid) {}

  static final String PASSAGE = "Aspirin reduces the risk of myocardial infarction in adults.";

  static final List<Case> CASES =
      List.of(
          new Case(
              "{\"type\": \"regex\", \"pattern\": \"[A-Z][0-9]{2}\\\\.[0-9]{1,2}\"}",
              r -> Pattern.matches("[A-Z][0-9]{2}\\.[0-9]{1,2}", r.getString("text"))),
          new Case(
              "{\"type\": \"choice\", \"options\": [\"yes\", \"no\", \"unsure\"]}",
              r -> List.of("yes", "no", "unsure").contains(r.getString("text"))),
          new Case(
              "{\"type\": \"json_schema\", \"schema\": {\"type\": \"object\", \"properties\":"
                  + " {\"ok\": {\"type\": \"boolean\"}, \"n\": {\"type\": \"integer\", \"minimum\":"
                  + " 1, \"maximum\": 9}}, \"required\": [\"ok\", \"n\"], \"additionalProperties\":"
                  + " false}}",
              r -> {
                JsonObject j = r.getJsonObject("json");
                int n = j.getInt("n");
                return j.size() == 2 && n >= 1 && n <= 9 && j.containsKey("ok");
              }),
          new Case(
              "{\"type\": \"quote\", \"passages\": [{\"id\": \"p\", \"text\": \""
                  + PASSAGE
                  + "\"}], \"max_length\": 24}",
              r -> PASSAGE.contains(r.getString("text")) && !r.getString("text").isEmpty()),
          new Case(
              "{\"type\": \"template\", \"parts\": [{\"text\": \"Dose: \"}, {\"name\": \"mg\","
                  + " \"regex\": \"[1-9][0-9]{0,2}\"}, {\"text\": \" mg\"}]}",
              r -> Pattern.matches("Dose: [1-9][0-9]{0,2} mg", r.getString("text"))));

  @Test
  void everyResponseIsValidAndNoneIsLost() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    long[] slowestMillis = new long[CLIENTS];
    String[] slowest = new String[CLIENTS];
    List<Future<String>> futures = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      futures.add(
          pool.submit(
              () -> {
                int ok = 0;
                for (int i = 0; i < REQUESTS; i++) {
                  Case k = CASES.get((client + i) % CASES.size());
                  String body =
                      "{\"prompt\": \"Request "
                          + client
                          + "-"
                          + i
                          + "\", \"max_tokens\": 48, \"temperature\": 1, \"seed\": "
                          + (client * 1000 + i)
                          + ", \"constraint\": "
                          + k.constraint()
                          + "}";
                  long t0 = System.nanoTime();
                  HttpResponse<String> res = post(base, "/api/v1/generate", body);
                  long ms = (System.nanoTime() - t0) / 1_000_000;
                  if (ms > slowestMillis[client]) {
                    slowestMillis[client] = ms;
                    slowest[client] = k.constraint() + " -> " + res.body();
                  }
                  if (res.statusCode() != 200) {
                    return "client "
                        + client
                        + " request "
                        + i
                        + ": "
                        + res.statusCode()
                        + " "
                        + res.body();
                  }
                  JsonObject r = json(res.body());
                  // Every case's language is finite and short: 48 tokens always complete it.
                  if (!r.getString("finish_reason").equals("stop") || !k.valid().test(r)) {
                    return "invalid output for " + k.constraint() + ": " + res.body();
                  }
                  ok++;
                }
                return "ok:" + ok;
              }));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES), "clients did not finish");
    int worst = 0;
    for (int c = 1; c < CLIENTS; c++) {
      worst = slowestMillis[c] > slowestMillis[worst] ? c : worst;
    }
    System.err.println("slowest request: " + slowestMillis[worst] + " ms: " + slowest[worst]);
    int total = 0;
    for (Future<String> f : futures) {
      String r = f.get();
      assertTrue(r.startsWith("ok:"), r);
      total += Integer.parseInt(r.substring(3));
    }
    assertEquals(CLIENTS * REQUESTS, total);
  }
}
