package io.guidepost.api;

import io.guidepost.api.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Caps request bodies before they are read into memory: {@code guidepost.http.max-body-bytes}
 * (default 8 MiB) for every request, {@code guidepost.http.max-ingest-bytes} (default 64 MiB) for
 * the two bulk uploads ({@code POST /api/v1/corpora/{name}/documents} and {@code PUT
 * /api/v1/codelists/{name}}). A declared {@code Content-Length} over the cap is refused at once; a
 * body without one (chunked) is counted as it is read and refused when it passes the cap. Either
 * way the answer is 413 {@code application/problem+json} of type {@code body-too-large} with {@code
 * limit} in bytes, and nothing has been stored.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestBodyLimitFilter implements ContainerRequestFilter {
  private static final Pattern INGEST_DOCUMENTS =
      Pattern.compile("/?api/v1/corpora/[^/]+/documents/?");
  private static final Pattern INGEST_CODE_LIST = Pattern.compile("/?api/v1/codelists/[^/]+/?");

  private final long maxBody;
  private final long maxIngest;

  public RequestBodyLimitFilter() {
    var config = ConfigProvider.getConfig();
    this.maxBody =
        config.getOptionalValue("guidepost.http.max-body-bytes", Long.class).orElse(8L << 20);
    this.maxIngest =
        config.getOptionalValue("guidepost.http.max-ingest-bytes", Long.class).orElse(64L << 20);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    long limit = isIngest(request) ? maxIngest : maxBody;
    int declared = request.getLength();
    if (declared > limit) {
      request.abortWith(tooLarge(limit, declared).getResponse());
      return;
    }
    if (declared < 0 && request.hasEntity()) {
      request.setEntityStream(new Limited(request.getEntityStream(), limit));
    }
  }

  private static boolean isIngest(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String method = request.getMethod();
    return ("POST".equals(method) && INGEST_DOCUMENTS.matcher(path).matches())
        || ("PUT".equals(method) && INGEST_CODE_LIST.matcher(path).matches());
  }

  static WebApplicationException tooLarge(long limit, long actual) {
    Problem p =
        Problem.of(
                413,
                "body-too-large",
                "Request body too large",
                (actual >= 0
                        ? "The request body has " + actual + " bytes; "
                        : "The request body is larger than allowed; ")
                    + "at most "
                    + limit
                    + " bytes are accepted here.")
            .with("limit", limit);
    if (actual >= 0) {
      p.with("actual", actual);
    }
    return new WebApplicationException(p.toResponse());
  }

  /** Counts bytes as they are read; past the limit, the read fails with a 413. */
  private static final class Limited extends FilterInputStream {
    private final long limit;
    private long count;

    Limited(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) {
      count += n;
      if (count > limit) {
        throw tooLarge(limit, -1);
      }
    }
  }
}
