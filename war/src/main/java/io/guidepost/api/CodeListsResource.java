package io.guidepost.api;

import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.Problem;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.decoding.GenerationResult;
import io.guidepost.decoding.SamplingParams;
import io.guidepost.service.ChatMessage;
import io.guidepost.service.ConstraintService;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.GenerationCommand;
import io.guidepost.service.GenerationService;
import io.guidepost.service.PreparedConstraint;
import io.guidepost.service.grounding.CodeCandidate;
import io.guidepost.service.grounding.CodeListFormat;
import io.guidepost.service.grounding.CodeListInfo;
import io.guidepost.service.grounding.CodeListOptions;
import io.guidepost.service.grounding.CodeListService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Code systems (e.g. ICD-10-CM) and code selection: {@code POST /api/v1/codelists/{name}/select}
 * retrieves the codes whose descriptions best match a clinical text and constrains generation to
 * exactly those codes. Loading and deleting need the {@code guidepost-admin} role.
 */
@Path("api/v1/codelists")
@Tag(name = "grounding")
public class CodeListsResource {
  /** Token sent by the model to end a multiple selection. */
  static final String DONE = "(done)";

  @EJB CodeListService lists;

  @EJB GenerationService generation;

  @EJB ConstraintService constraints;

  static JsonObject info(CodeListInfo i) {
    return Json.createObjectBuilder()
        .add("name", i.name())
        .add("format", i.options().format().name().toLowerCase(Locale.ROOT))
        .add("dotted", i.options().dotted())
        .add("codes", i.codes())
        .build();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "List code lists")
  public Response list() {
    JsonArrayBuilder a = Json.createArrayBuilder();
    lists.store().list().forEach(i -> a.add(info(i)));
    return Response.ok(
            Json.createObjectBuilder().add("codelists", a).build().toString(),
            MediaType.APPLICATION_JSON)
        .build();
  }

  @GET
  @Path("{name}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "One code list")
  public Response get(@PathParam("name") String name) {
    return Response.ok(info(lists.store().info(name)).toString(), MediaType.APPLICATION_JSON)
        .build();
  }

  @PUT
  @Path("{name}")
  @RolesAllowed(CorporaResource.ADMIN)
  @Consumes({MediaType.TEXT_PLAIN, "text/csv"})
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Load a code list",
      description =
          "Body: the file. ?format=icd10cm (CMS/CDC codes file: CODE, spaces to column 9, long"
              + " description) with ?dotted=true to present A01.01 rather than A0101, or"
              + " ?format=csv (code,description; ?header=auto|present|absent). Malformed lines are"
              + " reported with their line number; nothing is stored then.")
  public Response load(
      @PathParam("name") String name,
      @QueryParam("format") @DefaultValue("icd10cm") String format,
      @QueryParam("dotted") @DefaultValue("false") boolean dotted,
      @QueryParam("header") @DefaultValue("auto") String header,
      String body) {
    CodeListOptions options =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "icd10cm" -> CodeListOptions.icd10cm(dotted);
          case "csv" -> {
            CodeListOptions.CsvHeader h;
            try {
              h = CodeListOptions.CsvHeader.valueOf(header.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              throw ProblemException.invalidRequest(
                  "/header", "header must be auto, present or absent, not '" + header + "'.");
            }
            yield new CodeListOptions(CodeListFormat.CSV, false, h);
          }
          default ->
              throw ProblemException.invalidRequest(
                  "/format", "format must be icd10cm or csv, not '" + format + "'.");
        };
    CodeListInfo loaded =
        lists.store().load(name, options, new StringReader(body == null ? "" : body));
    return Response.status(201)
        .header("Location", "/api/v1/codelists/" + loaded.name())
        .entity(info(loaded).toString())
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  @DELETE
  @Path("{name}")
  @RolesAllowed(CorporaResource.ADMIN)
  @Operation(summary = "Delete a code list")
  public Response delete(@PathParam("name") String name) {
    lists.store().delete(name);
    return Response.noContent().build();
  }

  @POST
  @Path("{name}/select")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Select the code(s) for a clinical text",
      description =
          "Body: {text, candidates: 50 (0 = every code), multiple: false, max_codes: 5,"
              + " temperature?, seed?}. The output is always a code of the list; with multiple,"
              + " distinct codes.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(implementation = io.guidepost.api.docs.ApiSchemas.SelectResponse.class)))
  @APIResponse(responseCode = "400", ref = "Invalid")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(
      responseCode = "422",
      description = "No candidate matches the text",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = io.guidepost.api.docs.ApiSchemas.Problem.class)))
  public Response select(
      @PathParam("name") String name,
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              implementation =
                                  io.guidepost.api.docs.ApiSchemas.SelectRequest.class),
                      examples =
                          @ExampleObject(
                              name = "example",
                              value =
                                  "{\"text\": \"Type 2 diabetes mellitus with hyperglycemia\", \"candidates\": 50, \"multiple\": false}")))
          String body) {
    JsonRequest req =
        JsonRequest.parse(body)
            .onlyMembers(
                Set.of("text", "candidates", "multiple", "max_codes", "temperature", "seed"));
    String text = req.requireString("text");
    if (text.isBlank()) {
      throw ProblemException.invalidRequest("/text", "\"text\" must not be empty.");
    }
    int n = req.optInt("candidates", 50, 0, 1_000_000);
    boolean multiple = req.optBoolean("multiple", false);
    int maxCodes = multiple ? req.optInt("max_codes", 5, 1, 50) : 1;
    SamplingParams sampling = GenerateResource.sampling(req, "temperature", "top_p", null, "seed");
    List<CodeCandidate> candidates = lists.store().candidates(name, text, n);
    if (candidates.isEmpty()) {
      throw new ProblemException(
          Problem.of(
              422,
              "no-candidates",
              "No candidate codes",
              "No code of list '" + name + "' matches the text; send candidates: 0 to allow all."));
    }
    Map<String, CodeCandidate> remaining = new LinkedHashMap<>();
    for (CodeCandidate c : candidates) {
      remaining.put(c.code(), c);
    }
    List<CodeCandidate> chosen = new ArrayList<>();
    int promptTokens = 0;
    int completionTokens = 0;
    // One constrained generation per code: each may only name a code not yet chosen (or, after the
    // first, DONE), so the result is distinct codes of the list by construction.
    while (chosen.size() < maxCodes && !remaining.isEmpty()) {
      List<String> options = new ArrayList<>(remaining.keySet());
      if (!chosen.isEmpty()) {
        options.add(DONE);
      }
      PreparedConstraint prepared =
          ConstraintRequests.prepare(
              constraints, new ConstraintSpec.Choice(options), "/candidates", null);
      GenerationResult r =
          generation.generate(
              GenerationCommand.chat(
                  List.of(new ChatMessage("user", prompt(text, remaining, chosen, multiple))),
                  prepared.newCursor(),
                  sampling,
                  64),
              null,
              null);
      promptTokens += r.promptTokens();
      completionTokens += r.generatedTokens();
      if (r.finishReason() != GenerationResult.FinishReason.STOP) {
        throw new ProblemException(
            Problem.of(
                    422,
                    "selection-incomplete",
                    "Selection incomplete",
                    "The code was cut short (" + GenerateResource.finishReason(r) + ").")
                .with("partial_text", r.text()));
      }
      if (r.text().equals(DONE)) {
        break;
      }
      chosen.add(remaining.remove(r.text()));
    }
    JsonArrayBuilder codes = Json.createArrayBuilder();
    for (CodeCandidate c : chosen) {
      codes.add(
          Json.createObjectBuilder()
              .add("code", c.code())
              .add("description", c.description())
              .add("score", c.score()));
    }
    var out =
        Json.createObjectBuilder()
            .add("codes", codes)
            .add("candidates", candidates.size())
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", promptTokens)
                    .add("completion_tokens", completionTokens));
    if (!multiple) {
      CodeCandidate c = chosen.getFirst();
      out.add("code", c.code()).add("description", c.description()).add("score", c.score());
    }
    return Response.ok(out.build().toString(), MediaType.APPLICATION_JSON).build();
  }

  private static String prompt(
      String text,
      Map<String, CodeCandidate> remaining,
      List<CodeCandidate> chosen,
      boolean multiple) {
    StringBuilder sb =
        new StringBuilder("Clinical text:\n").append(text).append("\n\nCandidate codes:\n");
    int shown = 0;
    for (CodeCandidate c : remaining.values()) {
      if (shown++ == 100) {
        sb.append("...\n");
        break;
      }
      sb.append(c.code()).append(" ").append(c.description()).append('\n');
    }
    if (!chosen.isEmpty()) {
      sb.append("\nAlready chosen: ");
      for (CodeCandidate c : chosen) {
        sb.append(c.code()).append(' ');
      }
      sb.append("\nAnswer with one more code, or ").append(DONE).append(" when complete.");
    } else {
      sb.append(
          multiple ? "\nAnswer with the most relevant code first." : "\nAnswer with the code.");
    }
    return sb.toString();
  }
}
