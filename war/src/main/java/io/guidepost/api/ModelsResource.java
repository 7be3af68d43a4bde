package io.guidepost.api;

import io.guidepost.decoding.Generator;
import io.guidepost.service.ModelLifecycle;
import io.guidepost.service.ServiceInfo;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/models}: the model this server serves, its status and sizes. */
@Path("api/v1/models")
@Tag(name = "service")
public class ModelsResource {

  @EJB ModelLifecycle model;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "The loaded model")
  public Response models() {
    JsonObjectBuilder m =
        Json.createObjectBuilder()
            .add("id", model.modelId())
            .add("status", model.status().wireName())
            .add("demo", model.isDemo());
    if (model.status() == ServiceInfo.ModelStatus.READY) {
      Generator g = model.generator();
      m.add("context_length", g.model().config().contextLength())
          .add("tokenizer_size", g.vocabulary().tokenizerSize())
          .add("logits_size", g.vocabulary().logitsSize());
    }
    if (model.failure() != null) {
      m.add("failure", model.failure());
    }
    return Response.ok(
            Json.createObjectBuilder()
                .add("models", Json.createArrayBuilder().add(m))
                .build()
                .toString(),
            MediaType.APPLICATION_JSON)
        .build();
  }
}
