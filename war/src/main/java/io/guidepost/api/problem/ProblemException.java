package io.guidepost.api.problem;

/**
 * Thrown by resources to answer with a problem detail; mapped by {@link ProblemExceptionMapper}.
 * The problem's detail is the exception message.
 */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  /** Wraps a problem. */
  public ProblemException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  /** The problem to answer with. */
  public Problem problem() {
    return problem;
  }

  /**
   * A 400 {@code invalid-request} problem naming the JSON pointer of the offending member of the
   * request body.
   */
  public static ProblemException invalidRequest(String pointer, String detail) {
    return new ProblemException(
        Problem.of(400, "invalid-request", "Invalid request", detail).with("pointer", pointer));
  }
}
