package io.guidepost.api;

import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.Problem;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.decoding.GenerationResult;
import io.guidepost.service.ChatMessage;
import io.guidepost.service.ConstraintService;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.GenerationCommand;
import io.guidepost.service.GenerationService;
import io.guidepost.service.PreparedConstraint;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/extract}: structured extraction. Builds the prompt (instructions, the text,
 * the schema), constrains the answer to the JSON Schema and returns the parsed object as {@code
 * data}. A generation cut short by {@code max_tokens} cannot be a complete document: that answer is
 * a 422 problem carrying the partial text, never half an object.
 */
@Path("api/v1/extract")
@Tag(name = "generation")
public class ExtractResource {
  static final String SYSTEM =
      "You extract structured data from text. Answer with one JSON document that follows the"
          + " given JSON Schema, using only facts stated in the text.";

  @EJB GenerationService generation;

  @EJB ConstraintService constraints;

  @Inject GroundingResolver grounding;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Extract a schema-valid JSON object from text",
      description =
          "Body: {text, schema, strict_keywords?, instructions?, max_tokens?, temperature?,"
              + " seed?}")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(implementation = io.guidepost.api.docs.ApiSchemas.ExtractResponse.class)))
  @APIResponse(responseCode = "400", ref = "Invalid")
  @APIResponse(responseCode = "413", ref = "TooComplex")
  @APIResponse(responseCode = "422", ref = "Unsupported")
  @APIResponse(responseCode = "429", ref = "QueueFull")
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public Response extract(
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              implementation =
                                  io.guidepost.api.docs.ApiSchemas.ExtractRequest.class),
                      examples =
                          @ExampleObject(
                              name = "example",
                              value =
                                  "{\"text\": \"Maria Garcia, 47, type 2 diabetes.\", \"schema\": {\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}, \"age\": {\"type\": \"integer\"}}, \"required\": [\"name\", \"age\"], \"additionalProperties\": false}}")))
          String body) {
    JsonRequest req =
        JsonRequest.parse(body)
            .onlyMembers(
                Set.of(
                    "text",
                    "schema",
                    "strict_keywords",
                    "instructions",
                    "max_tokens",
                    "temperature",
                    "seed"));
    String text = req.requireString("text");
    if (text.isBlank()) {
      throw ProblemException.invalidRequest("/text", "\"text\" must not be empty.");
    }
    ConstraintSpec.JsonSchema spec =
        ConstraintRequests.jsonSchemaOf(req, "schema", grounding)
            .withStrictKeywords(req.optBoolean("strict_keywords", false));
    PreparedConstraint prepared =
        ConstraintRequests.prepare(constraints, spec, "/schema", "/schema");
    String instructions =
        req.optString("instructions", "Extract the data described by the schema.");
    String user =
        instructions + "\n\nText:\n" + text + "\n\nJSON Schema of the answer:\n" + spec.schema();
    GenerationCommand command =
        GenerationCommand.chat(
            List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", user)),
            prepared.newCursor(),
            GenerateResource.sampling(req, "temperature", "top_p", null, "seed"),
            req.optInt("max_tokens", 512, 1, generation.maxTokensLimit()));
    GenerationResult r = generation.generate(command, null, null);
    if (r.finishReason() != GenerationResult.FinishReason.STOP) {
      throw new ProblemException(
          Problem.of(
                  422,
                  "extraction-incomplete",
                  "Extraction incomplete",
                  "The answer was cut short ("
                      + GenerateResource.finishReason(r)
                      + ") before the JSON document was complete; raise max_tokens.")
              .with("partial_text", r.text())
              .with("completion_tokens", r.generatedTokens()));
    }
    JsonObject full = GenerateResource.result(prepared, r);
    JsonObject out =
        Json.createObjectBuilder()
            .add("data", full.get("json"))
            .add("text", r.text())
            .add("ignored_keywords", full.get("ignored_keywords"))
            .add("ignored_keywords_count", full.get("ignored_keywords_count"))
            .add("finish_reason", full.getString("finish_reason"))
            .add("usage", full.get("usage"))
            .add("timings_ms", full.get("timings_ms"))
            .build();
    return Response.ok(out.toString(), MediaType.APPLICATION_JSON).build();
  }
}
