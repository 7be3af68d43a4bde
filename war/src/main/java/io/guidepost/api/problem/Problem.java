package io.guidepost.api.problem;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}): {@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance}, plus extension members that say where the
 * problem is ({@code pointer}, {@code position}, {@code keyword}, {@code limit}...).
 *
 * <p>{@code type} is {@code https://guidepost.io/problems/<slug>}; the slug is stable and is also
 * given as the {@code code} member so clients can switch on it without parsing URIs.
 */
public final class Problem {
  /** The media type of problem bodies. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Base of every problem type URI. */
  public static final String TYPE_BASE = "https://guidepost.io/problems/";

  private final int status;
  private final String slug;
  private final String title;
  private final String detail;
  private final Map<String, Object> extensions = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Problem(int status, String slug, String title, String detail) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = detail;
  }

  /** A problem with the given HTTP status, stable slug, short title and specific detail. */
  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(status, slug, title, detail);
  }

  /** Adds an extension member (String, Number, Boolean or JsonValue); null values are skipped. */
  public Problem with(String name, Object value) {
    if (value != null) {
      extensions.put(name, value);
    }
    return this;
  }

  /** Adds a response header (e.g. {@code Retry-After}). */
  public Problem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The stable slug. */
  public String slug() {
    return slug;
  }

  /** Response headers to send with the problem. */
  public Map<String, String> headers() {
    return java.util.Collections.unmodifiableMap(headers);
  }

  /** The detail message. */
  public String detail() {
    return detail;
  }

  /** The problem as a JSON object. */
  public JsonObject toJson() {
    JsonObjectBuilder b =
        Json.createObjectBuilder()
            .add("type", TYPE_BASE + slug)
            .add("title", title)
            .add("status", status)
            .add("detail", detail)
            .add("code", slug);
    for (Map.Entry<String, Object> e : extensions.entrySet()) {
      Object v = e.getValue();
      switch (v) {
        case JsonValue j -> b.add(e.getKey(), j);
        case Integer i -> b.add(e.getKey(), i);
        case Long l -> b.add(e.getKey(), l);
        case Number n -> b.add(e.getKey(), n.doubleValue());
        case Boolean bool -> b.add(e.getKey(), bool);
        default -> b.add(e.getKey(), v.toString());
      }
    }
    return b.build();
  }

  /** The problem as a JAX-RS response with the problem media type and any headers. */
  public Response toResponse() {
    Response.ResponseBuilder rb =
        Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(toJson().toString());
    headers.forEach(rb::header);
    return rb.build();
  }
}
