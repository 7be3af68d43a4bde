package io.guidepost.api;

import io.guidepost.api.docs.ApiSchemas;
import io.guidepost.api.problem.Problem;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The JAX-RS application: resources live under {@code /api/v1} (and, later, {@code /v1}). */
@ApplicationPath("/")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Guidepost",
            version = "v1",
            description =
                "Constrained generation for Phi-3 on ONNX Runtime: output guaranteed to match a"
                    + " regular expression, a JSON Schema, a choice list, a verbatim quote or a"
                    + " template.",
            license = @License(name = "Apache-2.0")),
    components =
        @Components(
            responses = {
              @APIResponse(
                  name = "Invalid",
                  responseCode = "400",
                  description =
                      "Malformed or invalid request; the problem names the JSON pointer, regex position or schema keyword",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = ApiSchemas.Problem.class))),
              @APIResponse(
                  name = "NotFound",
                  responseCode = "404",
                  description = "No corpus or code list of that name",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = ApiSchemas.Problem.class))),
              @APIResponse(
                  name = "TooComplex",
                  responseCode = "413",
                  description =
                      "The constraint passes a compile limit (limit_name, limit, observed)",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = ApiSchemas.Problem.class))),
              @APIResponse(
                  name = "Unsupported",
                  responseCode = "422",
                  description =
                      "The constraint cannot be honoured exactly (unsupported feature, empty language)",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = ApiSchemas.Problem.class))),
              @APIResponse(
                  name = "QueueFull",
                  responseCode = "429",
                  description = "Generation queue full; retry after Retry-After seconds",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = ApiSchemas.Problem.class))),
              @APIResponse(
                  name = "Unavailable",
                  responseCode = "503",
                  description = "Model not ready, or no generation slot in time; Retry-After",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = ApiSchemas.Problem.class)))
            }))
public class GuidepostApplication extends Application {}
