package io.guidepost.api.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.guidepost.service.InvalidGenerationException;
import io.guidepost.service.ModelNotReadyException;
import io.guidepost.service.ServiceInfo;
import jakarta.ejb.EJBException;
import org.junit.jupiter.api.Test;

class ServiceExceptionMappersTest {

  @Test
  void modelNotReadyIs503WithRetryAfter() {
    Problem p =
        ServiceExceptionMappers.problemFor(
            new ModelNotReadyException(ServiceInfo.ModelStatus.FAILED, "no genai_config.json"));
    assertEquals(503, p.status());
    assertEquals("model-not-ready", p.slug());
    assertEquals("5", p.headers().get("Retry-After"));
    assertEquals("failed", p.toJson().getString("model_status"));
    assertEquals("The model is not ready (status failed: no genai_config.json).", p.detail());
  }

  @Test
  void wrappedExceptionsAreUnwrapped() {
    Problem p =
        ServiceExceptionMappers.problemFor(
            new EJBException(new InvalidGenerationException("max_tokens", "too many")));
    assertEquals(400, p.status());
    assertEquals("/max_tokens", p.toJson().getString("pointer"));
    assertNull(ServiceExceptionMappers.problemFor(new IllegalStateException("x")));
  }
}
