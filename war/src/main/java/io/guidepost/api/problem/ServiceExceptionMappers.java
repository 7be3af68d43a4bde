package io.guidepost.api.problem;

import io.guidepost.service.InvalidGenerationException;
import io.guidepost.service.ModelNotReadyException;
import io.guidepost.service.PromptTooLongException;
import io.guidepost.service.SaturatedException;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Problem details for the generation service's exceptions. */
public final class ServiceExceptionMappers {
  private ServiceExceptionMappers() {}

  /** The problem for a service-layer exception, or null when it is not one of ours. */
  public static Problem problemFor(Throwable e) {
    return switch (e) {
      case ModelNotReadyException m ->
          Problem.of(503, "model-not-ready", "Model not ready", m.getMessage())
              .with("model_status", m.status().wireName())
              .header("Retry-After", "5");
      case SaturatedException s ->
          Problem.of(
                  s.queueFull() ? 429 : 503,
                  "saturated",
                  s.queueFull() ? "Too many requests" : "Service busy",
                  s.getMessage())
              .header("Retry-After", Integer.toString(s.retryAfterSeconds()));
      case PromptTooLongException p ->
          Problem.of(400, "context-length-exceeded", "Prompt too long", p.getMessage())
              .with("prompt_tokens", p.promptTokens())
              .with("max_tokens", p.maxNewTokens())
              .with("context_length", p.contextLength());
      case InvalidGenerationException i ->
          Problem.of(400, "invalid-request", "Invalid request", i.getMessage())
              .with("pointer", "/" + i.member());
      case io.guidepost.service.grounding.GroundingException g -> GroundingProblems.of(g);
      case io.guidepost.grammar.ConstraintException c -> ConstraintProblems.of(c, null, null);
      case EJBException ejb when ejb.getCause() != null -> problemFor(ejb.getCause());
      default -> null;
    };
  }

  /** Maps {@link ModelNotReadyException}. */
  @Provider
  public static class ModelNotReady implements ExceptionMapper<ModelNotReadyException> {
    @Override
    public Response toResponse(ModelNotReadyException e) {
      return problemFor(e).toResponse();
    }
  }

  /** Maps {@link SaturatedException}. */
  @Provider
  public static class Saturated implements ExceptionMapper<SaturatedException> {
    @Override
    public Response toResponse(SaturatedException e) {
      return problemFor(e).toResponse();
    }
  }

  /** Maps {@link PromptTooLongException}. */
  @Provider
  public static class PromptTooLong implements ExceptionMapper<PromptTooLongException> {
    @Override
    public Response toResponse(PromptTooLongException e) {
      return problemFor(e).toResponse();
    }
  }

  /** Maps {@link InvalidGenerationException}. */
  @Provider
  public static class InvalidGeneration implements ExceptionMapper<InvalidGenerationException> {
    @Override
    public Response toResponse(InvalidGenerationException e) {
      return problemFor(e).toResponse();
    }
  }
}
