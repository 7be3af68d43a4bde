package io.guidepost.api.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Last resort: a server fault becomes a 500 problem with an opaque detail and a request id; the
 * full exception is logged under that id so operators can find it. Nothing internal leaks to the
 * client.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable e) {
    // EJB calls wrap our exceptions in EJBException: unwrap to the specific problem when known.
    Problem known = ServiceExceptionMappers.problemFor(e);
    if (known != null) {
      return known.toResponse();
    }
    String requestId = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unhandled error, request id " + requestId, e);
    return Problem.of(
            500,
            "internal-error",
            "Internal server error",
            "The server failed to handle the request. Quote request id " + requestId + ".")
        .with("request_id", requestId)
        .toResponse();
  }
}
