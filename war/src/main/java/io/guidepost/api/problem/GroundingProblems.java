package io.guidepost.api.problem;

import io.guidepost.service.grounding.GroundingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Problem details for corpus and code-list errors: NOT_FOUND -> 404, CONFLICT -> 409, INVALID ->
 * 400 (413 for a limit), with the line number of a malformed line and the numbers of a limit.
 */
@Provider
public class GroundingProblems implements ExceptionMapper<GroundingException> {

  /** The problem for {@code e}. */
  public static Problem of(GroundingException e) {
    int status =
        switch (e.category()) {
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
          case INVALID -> e instanceof GroundingException.LimitExceeded ? 413 : 400;
        };
    String title =
        switch (e.category()) {
          case NOT_FOUND -> "Not found";
          case CONFLICT -> "Conflict";
          case INVALID -> "Invalid input";
        };
    Problem p = Problem.of(status, e.type(), title, e.getMessage());
    switch (e) {
      case GroundingException.MalformedLine m ->
          p.with("line", m.lineNumber()).with("source", m.source());
      case GroundingException.LimitExceeded l ->
          p.with("limit_name", l.limit()).with("limit", l.max()).with("observed", l.actual());
      case GroundingException.NotFound n -> p.with("name", n.name());
      default -> {}
    }
    return p;
  }

  @Override
  public Response toResponse(GroundingException e) {
    return of(e).toResponse();
  }
}
