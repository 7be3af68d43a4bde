package io.guidepost.api;

import io.guidepost.service.ServiceInfo;
import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/info}: the service version and the model status. */
@Path("api/v1/info")
@Tag(name = "service")
public class InfoResource {

  /** The response body of {@code GET /api/v1/info}. */
  public record InfoResponse(String service, String version, ModelInfo model) {}

  /**
   * The model part of {@link InfoResponse}: {@code status} is none, loading, ready or failed;
   * {@code demo} is true for the built-in demo model (random weights).
   */
  public record ModelInfo(String status, String id, boolean demo) {}

  @EJB ServiceInfo serviceInfo;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Service version and model status")
  public InfoResponse info() {
    return new InfoResponse(
        "guidepost",
        serviceInfo.version(),
        new ModelInfo(
            serviceInfo.modelStatus().wireName(), serviceInfo.modelId(), serviceInfo.demoModel()));
  }
}
