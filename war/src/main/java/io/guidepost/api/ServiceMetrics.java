package io.guidepost.api;

import io.guidepost.service.ConstraintService;
import io.guidepost.service.GenerationGate;
import io.guidepost.service.GenerationService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Registers the service's gauges with MicroProfile Metrics ({@code /metrics?scope=application}):
 * generation requests and tokens (generated, forced), constraint cache hits, misses, entries and
 * bytes, total compile time, and the generation queue (waiting, running, rejected).
 */
@ApplicationScoped
public class ServiceMetrics {

  @Inject
  @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
  MetricRegistry registry;

  @EJB ConstraintService constraints;

  @EJB GenerationGate gate;

  void register(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    gauge(
        "guidepost_generation_requests",
        "Generation requests",
        MetricUnits.NONE,
        GenerationService::requests);
    gauge(
        "guidepost_tokens_generated",
        "Tokens generated",
        MetricUnits.NONE,
        GenerationService::generatedTokens);
    gauge(
        "guidepost_tokens_forced",
        "Tokens appended by fast-forward without sampling",
        MetricUnits.NONE,
        GenerationService::forcedTokens);
    gauge(
        "guidepost_mask_seconds",
        "Total time spent filling constraint masks during generation",
        MetricUnits.SECONDS,
        () -> GenerationService.maskNanos() / 1e9);
    gauge(
        "guidepost_constraint_cache_hits",
        "Constraint cache hits",
        MetricUnits.NONE,
        constraints::hits);
    gauge(
        "guidepost_constraint_cache_misses",
        "Constraint cache misses (compilations)",
        MetricUnits.NONE,
        constraints::misses);
    gauge(
        "guidepost_constraint_cache_entries",
        "Cached constraints",
        MetricUnits.NONE,
        () -> constraints.size());
    gauge(
        "guidepost_constraint_cache_bytes",
        "Bytes held by cached constraints",
        MetricUnits.BYTES,
        constraints::cachedBytes);
    gauge(
        "guidepost_constraint_compile_seconds",
        "Total constraint compile time",
        MetricUnits.SECONDS,
        () -> constraints.compileNanosTotal() / 1e9);
    gauge(
        "guidepost_generation_queue_length",
        "Generations waiting for a slot",
        MetricUnits.NONE,
        () -> gate.queueLength());
    gauge(
        "guidepost_generation_running",
        "Generations running",
        MetricUnits.NONE,
        () -> gate.running());
    gauge(
        "guidepost_generation_rejected",
        "Generations rejected as saturated",
        MetricUnits.NONE,
        gate::rejected);
  }

  private void gauge(
      String name, String description, String unit, java.util.function.Supplier<Number> f) {
    registry.gauge(
        Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(), f);
  }
}
