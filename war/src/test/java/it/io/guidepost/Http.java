package it.io.guidepost;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small HTTP helpers for the client-side integration tests. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Http() {}

  static HttpResponse<String> get(URL base, String path) throws Exception {
    URI uri = base.toURI().resolve(path);
    return CLIENT.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(URL base, String path, String json) throws Exception {
    URI uri = base.toURI().resolve(path);
    return CLIENT.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs {@code json} without a Content-Length (chunked transfer encoding). */
  static HttpResponse<String> postChunked(URL base, String path, String json) throws Exception {
    URI uri = base.toURI().resolve(path);
    byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return CLIENT.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(bytes)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(String body) {
    try (JsonReader r = Json.createReader(new StringReader(body))) {
      return r.readObject();
    }
  }

  static String contentType(HttpResponse<?> res) {
    return res.headers().firstValue("Content-Type").orElse("");
  }
}
