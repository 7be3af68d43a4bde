package io.guidepost.api;

import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.Problem;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.api.problem.ServiceExceptionMappers;
import io.guidepost.decoding.GenerationControl;
import io.guidepost.decoding.GenerationResult;
import io.guidepost.decoding.SamplingParams;
import io.guidepost.service.ChatMessage;
import io.guidepost.service.ConstraintService;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.GenerationCommand;
import io.guidepost.service.GenerationService;
import io.guidepost.service.InvalidGenerationException;
import io.guidepost.service.PreparedConstraint;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/generate}: constrained (or free) generation. Answers JSON, or Server-Sent
 * Events when {@code "stream": true} ({@code event: token} per token, then {@code event: done} with
 * the same object the JSON answer has). A client that disconnects from a stream cancels its
 * generation.
 */
@Path("api/v1/generate")
@Tag(name = "generation")
public class GenerateResource {
  static final Set<String> MEMBERS =
      Set.of(
          "prompt",
          "messages",
          "constraint",
          "max_tokens",
          "temperature",
          "top_p",
          "top_k",
          "seed",
          "stop",
          "stream",
          "timeout_ms");

  @EJB GenerationService generation;

  @EJB ConstraintService constraints;

  @Inject GroundingResolver grounding;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Generate text that satisfies a constraint",
      description =
          "Body: {prompt | messages, constraint?, max_tokens, temperature, top_p, top_k, seed,"
              + " stop, stream}. constraint.type is regex, json_schema, choice, quote or template.")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(
                      implementation = io.guidepost.api.docs.ApiSchemas.GenerateResponse.class)))
  @APIResponse(responseCode = "400", ref = "Invalid")
  @APIResponse(responseCode = "413", ref = "TooComplex")
  @APIResponse(responseCode = "422", ref = "Unsupported")
  @APIResponse(responseCode = "429", ref = "QueueFull")
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public Response generate(
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              implementation =
                                  io.guidepost.api.docs.ApiSchemas.GenerateRequest.class),
                      examples =
                          @ExampleObject(
                              name = "example",
                              value =
                                  "{\"prompt\": \"ICD-10 code for essential hypertension:\", \"max_tokens\": 16, \"constraint\": {\"type\": \"regex\", \"pattern\": \"[A-Z][0-9]{2}(\\\\.[0-9]{1,2})?\"}}")))
          String body) {
    JsonRequest req = JsonRequest.parse(body).onlyMembers(MEMBERS);
    Parsed parsed = parse(req, generation, constraints, grounding);
    GenerationService.Generation started = generation.start(parsed.command());
    if (!req.optBoolean("stream", false)) {
      try (started) {
        GenerationResult r = started.run(null, null);
        return Response.ok(result(parsed.prepared(), r).toString(), MediaType.APPLICATION_JSON)
            .build();
      }
    }
    StreamingOutput out = os -> stream(os, started, parsed.prepared());
    return Response.ok(out, MediaType.SERVER_SENT_EVENTS)
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  /** A parsed generate request. */
  record Parsed(GenerationCommand command, PreparedConstraint prepared) {}

  /** Parses the shared members of a generate request and prepares its constraint. */
  static Parsed parse(
      JsonRequest req, GenerationService generation, ConstraintService cs, GroundingResolver g) {
    String prompt = req.optString("prompt", null);
    List<ChatMessage> messages = req.has("messages") ? messages(req, "messages") : null;
    if ((prompt == null) == (messages == null)) {
      throw ProblemException.invalidRequest(
          "/prompt", "Give either \"prompt\" (a string) or \"messages\" (an array), not both.");
    }
    PreparedConstraint prepared = null;
    JsonRequest c = req.optObject("constraint");
    if (c != null) {
      prepared = prepare(cs, c, g);
    }
    int maxTokens = req.optInt("max_tokens", 256, 1, generation.maxTokensLimit());
    SamplingParams sampling = sampling(req, "temperature", "top_p", "top_k", "seed");
    List<String> stop = stops(req, "stop");
    if (prepared != null && !stop.isEmpty()) {
      throw ProblemException.invalidRequest(
          "/stop",
          "\"stop\" cannot be combined with a constraint: cutting the output would break it.");
    }
    long timeout = req.optInt("timeout_ms", 0, 0, 3_600_000);
    return new Parsed(
        new GenerationCommand(
            prompt,
            messages,
            prepared == null ? null : prepared.newCursor(),
            sampling,
            maxTokens,
            stop,
            timeout),
        prepared);
  }

  /** Compiles a constraint object, mapping compile errors to problems at its pointers. */
  static PreparedConstraint prepare(ConstraintService cs, JsonRequest c, GroundingResolver g) {
    ConstraintSpec spec = ConstraintRequests.parse(c, g);
    return ConstraintRequests.prepare(
        cs, spec, c.pointer(), ConstraintRequests.memberPointer(c, spec));
  }

  static List<ChatMessage> messages(JsonRequest req, String member) {
    List<ChatMessage> out = new ArrayList<>();
    for (JsonRequest m : req.requireObjects(member)) {
      String role = m.requireString("role");
      JsonValue content = m.json().get("content");
      String text;
      if (content != null && content.getValueType() == JsonValue.ValueType.STRING) {
        text = ((JsonString) content).getString();
      } else if (content != null && content.getValueType() == JsonValue.ValueType.ARRAY) {
        // OpenAI content parts: only text parts can be honoured.
        StringBuilder sb = new StringBuilder();
        JsonArray parts = content.asJsonArray();
        for (int i = 0; i < parts.size(); i++) {
          JsonRequest part =
              JsonRequest.of(
                  asObject(parts.get(i), m.pointer("content") + "/" + i),
                  m.pointer("content") + "/" + i);
          if (!"text".equals(part.requireString("type"))) {
            throw ProblemException.invalidRequest(
                part.pointer("type"), "Only text content parts are supported.");
          }
          sb.append(part.requireString("text"));
        }
        text = sb.toString();
      } else {
        throw ProblemException.invalidRequest(
            m.pointer("content"), "\"content\" is required (a string).");
      }
      try {
        out.add(new ChatMessage(role, text));
      } catch (InvalidGenerationException e) {
        throw ProblemException.invalidRequest(m.pointer(e.member()), e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw ProblemException.invalidRequest("/" + member, "At least one message is required.");
    }
    if (!out.getLast().role().equals("user")) {
      throw ProblemException.invalidRequest(
          "/" + member + "/" + (out.size() - 1), "The last message must have role user.");
    }
    return out;
  }

  private static JsonObject asObject(JsonValue v, String pointer) {
    if (v.getValueType() != JsonValue.ValueType.OBJECT) {
      throw ProblemException.invalidRequest(
          pointer, "Expected an object, not " + JsonRequest.describe(v) + ".");
    }
    return v.asJsonObject();
  }

  static SamplingParams sampling(
      JsonRequest req, String temperature, String topP, String topK, String seed) {
    double t = req.optDouble(temperature, 0, 0, 2);
    double p = req.optDouble(topP, 1, 0, 1);
    if (p == 0) {
      throw ProblemException.invalidRequest(
          req.pointer(topP), "\"" + topP + "\" must be greater than 0.");
    }
    int k = topK == null ? 0 : req.optInt(topK, 0, 0, 1_000_000);
    Long s = req.optLong(seed);
    return new SamplingParams(t, k, p, s == null ? 0 : s);
  }

  static List<String> stops(JsonRequest req, String member) {
    JsonValue v = req.json().get(member);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return List.of();
    }
    List<String> out =
        v.getValueType() == JsonValue.ValueType.STRING
            ? List.of(((JsonString) v).getString())
            : req.requireStrings(member);
    if (out.size() > 4) {
      throw ProblemException.invalidRequest(req.pointer(member), "At most 4 stop strings.");
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).isEmpty()) {
        throw ProblemException.invalidRequest(
            req.pointer(member), "Stop strings must not be empty.");
      }
    }
    return out;
  }

  /** The JSON answer for a finished generation. */
  static JsonObject result(PreparedConstraint prepared, GenerationResult r) {
    JsonObjectBuilder b = Json.createObjectBuilder().add("text", r.text());
    String finish = finishReason(r);
    if (prepared != null) {
      b.add("constraint_type", prepared.kind());
      ConstraintRequests.addIgnoredKeywords(b, prepared.spec(), prepared.compiled());
      boolean complete = r.finishReason() == GenerationResult.FinishReason.STOP;
      b.add("complete", complete);
      if (complete && prepared.spec() instanceof ConstraintSpec.JsonSchema) {
        b.add("json", parseJson(r.text()));
      }
      if (complete && prepared.spec() instanceof ConstraintSpec.Template) {
        JsonObjectBuilder caps = Json.createObjectBuilder();
        prepared
            .captures(r.text())
            .forEach(
                (name, cap) ->
                    caps.add(
                        name,
                        Json.createObjectBuilder()
                            .add("text", cap.text())
                            .add("start", cap.start())
                            .add("end", cap.end())));
        b.add("captures", caps);
      }
      if (complete && prepared.spec() instanceof ConstraintSpec.Quote) {
        PreparedConstraint.QuoteSource q = prepared.quoteSource(r.text());
        if (q != null) {
          JsonObjectBuilder quote =
              Json.createObjectBuilder()
                  .add("passage_id", q.passageId())
                  .add("passage_index", q.passageIndex())
                  .add("start", q.start())
                  .add("end", q.end());
          if (q.passage().documentId() != null) {
            // A corpus passage: also where the quote sits in its document.
            quote.add(
                "source",
                Json.createObjectBuilder()
                    .add("document_id", q.passage().documentId())
                    .add("start", q.passage().documentStart() + q.start())
                    .add("end", q.passage().documentStart() + q.end()));
          }
          b.add("quote", quote);
        }
      }
    }
    return b.add("finish_reason", finish)
        .add(
            "usage",
            Json.createObjectBuilder()
                .add("prompt_tokens", r.promptTokens())
                .add("completion_tokens", r.generatedTokens())
                .add("forced_tokens", r.forcedTokens())
                .add("model_calls", r.modelCalls()))
        .add(
            "timings_ms",
            Json.createObjectBuilder()
                .add("queue", r.queueNanos() / 1e6)
                .add("prefill", r.prefillNanos() / 1e6)
                .add("decode", r.decodeNanos() / 1e6)
                .add("mask", r.maskNanos() / 1e6)
                .add("compile", prepared == null ? 0 : prepared.compileNanos() / 1e6))
        .build();
  }

  static String finishReason(GenerationResult r) {
    return r.finishReason().name().toLowerCase(Locale.ROOT);
  }

  static JsonValue parseJson(String text) {
    try (JsonReader reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    } catch (JsonException e) {
      // Cannot happen for a complete schema-constrained output; never hide it if it does.
      throw new IllegalStateException("schema-constrained output is not JSON: " + text, e);
    }
  }

  private static void stream(
      OutputStream os, GenerationService.Generation started, PreparedConstraint prepared)
      throws IOException {
    GenerationControl control = new GenerationControl();
    try (started) {
      GenerationResult r =
          started.run(
              (id, delta, forced) -> {
                if (control.isCancelled()) {
                  return;
                }
                JsonObject ev =
                    Json.createObjectBuilder()
                        .add("text", delta)
                        .add("token", id)
                        .add("forced", forced)
                        .build();
                try {
                  writeEvent(os, "token", ev.toString());
                } catch (IOException e) {
                  control.cancel(); // the client went away: stop generating
                }
              },
              control);
      if (!control.isCancelled()) {
        writeEvent(os, "done", result(prepared, r).toString());
      }
    } catch (RuntimeException e) {
      Problem p = ServiceExceptionMappers.problemFor(e);
      if (p == null) {
        p = Problem.of(500, "internal-error", "Internal server error", "Generation failed.");
      }
      try {
        writeEvent(os, "error", p.toJson().toString());
      } catch (IOException ignored) {
        // the client is gone
      }
    }
  }

  static void writeEvent(OutputStream os, String event, String data) throws IOException {
    try {
      os.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
      os.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
