package io.guidepost.api;

import io.guidepost.service.ServiceInfo;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health checks: {@code /health/live} is UP while the application runs; {@code
 * /health/ready} is UP once the service has started and its model is usable (no model, the state
 * until model loading exists, counts as usable: constraint compilation works without one).
 */
@ApplicationScoped
public class ServiceHealthChecks {

  @EJB ServiceInfo serviceInfo;

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> HealthCheckResponse.up("guidepost");
  }

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> {
      ServiceInfo.ModelStatus status = serviceInfo.modelStatus();
      boolean up =
          serviceInfo.startedAt() != null
              && status != ServiceInfo.ModelStatus.LOADING
              && status != ServiceInfo.ModelStatus.FAILED;
      return HealthCheckResponse.named("guidepost-model")
          .status(up)
          .withData("model", status.wireName())
          .withData("version", serviceInfo.version())
          .build();
    };
  }
}
