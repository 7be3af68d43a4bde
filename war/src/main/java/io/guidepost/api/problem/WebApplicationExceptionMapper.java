package io.guidepost.api.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;

/**
 * Turns the JAX-RS runtime's own errors (404 no such resource, 405 wrong method, 415 wrong content
 * type, 406 not acceptable, 400 unreadable body...) into problem details, keeping their status and
 * headers (e.g. {@code Allow}); an exception that already carries a problem response is passed
 * through.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    if (original != null
        && original.hasEntity()
        && original.getMediaType() != null
        && Problem.MEDIA_TYPE.equals(original.getMediaType().toString())) {
      return original; // already a problem (e.g. thrown while a request body was being read)
    }
    int status = original == null ? 500 : original.getStatus();
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "HTTP " + status : type.getReasonPhrase();
    String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    String detail =
        switch (status) {
          case 404 -> "No resource at this path. See /openapi for the API.";
          case 405 -> "This method is not allowed on this path.";
          case 415 -> "Unsupported content type: send application/json.";
          case 406 -> "Cannot produce the requested media type.";
          default -> e.getMessage() == null ? title : e.getMessage();
        };
    Problem p = Problem.of(status, slug, title, detail);
    if (original != null) {
      original
          .getStringHeaders()
          .forEach(
              (name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !values.isEmpty()) {
                  p.header(name, String.join(",", values));
                }
              });
    }
    return p.toResponse();
  }
}
