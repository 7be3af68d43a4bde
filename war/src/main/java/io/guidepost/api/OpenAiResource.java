package io.guidepost.api;

import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.Problem;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.api.problem.ServiceExceptionMappers;
import io.guidepost.decoding.GenerationControl;
import io.guidepost.decoding.GenerationResult;
import io.guidepost.service.ChatMessage;
import io.guidepost.service.ConstraintService;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.GenerationCommand;
import io.guidepost.service.GenerationService;
import io.guidepost.service.ModelLifecycle;
import io.guidepost.service.PreparedConstraint;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenAI-compatible surface: {@code POST /v1/chat/completions} and {@code GET /v1/models}, in
 * OpenAI's request, response, streaming and error shapes, so existing OpenAI clients work
 * unchanged. Constraints come from {@code response_format} ({@code json_schema}, {@code
 * json_object}) or the vLLM-style {@code guided_regex}, {@code guided_choice}, {@code guided_json},
 * {@code guided_grammar} (Lark, or GBNF when the text defines rules with {@code ::=}).
 *
 * <p>Parameters Guidepost cannot honour are rejected rather than ignored: {@code n} other than 1,
 * non-zero penalties, {@code logprobs}, tools.
 */
@Path("v1")
@Tag(name = "openai")
public class OpenAiResource {
  static final Set<String> MEMBERS =
      Set.of(
          "model",
          "messages",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "seed",
          "stop",
          "n",
          "stream",
          "stream_options",
          "response_format",
          "guided_regex",
          "guided_choice",
          "guided_json",
          "guided_grammar",
          "frequency_penalty",
          "presence_penalty",
          "logprobs",
          "user",
          "metadata",
          "store",
          "tools",
          "tool_choice",
          "parallel_tool_calls");

  @EJB GenerationService generation;

  @EJB ConstraintService constraints;

  @Inject GroundingResolver grounding;

  @EJB ModelLifecycle model;

  @GET
  @Path("models")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "OpenAI-compatible model list")
  public Response models() {
    JsonObject m =
        Json.createObjectBuilder()
            .add("id", model.modelId())
            .add("object", "model")
            .add("created", 0)
            .add("owned_by", "guidepost")
            .build();
    return Response.ok(
            Json.createObjectBuilder()
                .add("object", "list")
                .add("data", Json.createArrayBuilder().add(m))
                .build()
                .toString(),
            MediaType.APPLICATION_JSON)
        .build();
  }

  @POST
  @Path("chat/completions")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  @Operation(
      summary = "OpenAI-compatible chat completion",
      description =
          "messages, max_tokens | max_completion_tokens, temperature, top_p, seed, stop, n=1,"
              + " stream, response_format (json_schema | json_object | text), guided_regex,"
              + " guided_choice, guided_json, guided_grammar (Lark or GBNF).")
  public Response chatCompletions(String body) {
    try {
      return complete(body);
    } catch (ProblemException e) {
      return error(e.problem());
    } catch (RuntimeException e) {
      Problem p = ServiceExceptionMappers.problemFor(e);
      if (p == null) {
        throw e;
      }
      return error(p);
    }
  }

  private Response complete(String body) {
    JsonRequest req = JsonRequest.parse(body).onlyMembers(MEMBERS);
    String requested = req.optString("model", null);
    if (requested != null && !requested.equals(model.modelId()) && !requested.isEmpty()) {
      throw new ProblemException(
          Problem.of(
                  404,
                  "model_not_found",
                  "Model not found",
                  "The model '"
                      + requested
                      + "' does not exist; this server serves '"
                      + model.modelId()
                      + "'.")
              .with("pointer", "/model"));
    }
    req.optInt("n", 1, 1, 1);
    rejectNonDefault(req);
    List<ChatMessage> messages = GenerateResource.messages(req, "messages");
    int limit = generation.maxTokensLimit();
    int maxTokens =
        req.has("max_completion_tokens")
            ? req.optInt("max_completion_tokens", 256, 1, limit)
            : req.optInt("max_tokens", Math.min(limit, 1024), 1, limit);
    PreparedConstraint prepared = constraint(req);
    List<String> stop = GenerateResource.stops(req, "stop");
    if (prepared != null && !stop.isEmpty()) {
      throw ProblemException.invalidRequest(
          "/stop", "\"stop\" cannot be combined with a structured output constraint.");
    }
    GenerationCommand command =
        new GenerationCommand(
            null,
            messages,
            prepared == null ? null : prepared.newCursor(),
            GenerateResource.sampling(req, "temperature", "top_p", null, "seed"),
            maxTokens,
            stop,
            0);
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    long created = System.currentTimeMillis() / 1000;
    GenerationService.Generation started = generation.start(command);
    if (!req.optBoolean("stream", false)) {
      try (started) {
        GenerationResult r = started.run(null, null);
        return Response.ok(completion(id, created, r).toString(), MediaType.APPLICATION_JSON)
            .build();
      }
    }
    JsonRequest so = req.optObject("stream_options");
    boolean includeUsage = so != null && so.optBoolean("include_usage", false);
    StreamingOutput out = os -> stream(os, started, id, created, includeUsage);
    return Response.ok(out, MediaType.SERVER_SENT_EVENTS)
        .header("Cache-Control", "no-cache")
        .build();
  }

  private static void rejectNonDefault(JsonRequest req) {
    for (String penalty : List.of("frequency_penalty", "presence_penalty")) {
      if (req.optDouble(penalty, 0, -2, 2) != 0) {
        throw ProblemException.invalidRequest(
            "/" + penalty, "\"" + penalty + "\" is not supported; omit it or send 0.");
      }
    }
    if (req.optBoolean("logprobs", false)) {
      throw ProblemException.invalidRequest("/logprobs", "\"logprobs\" is not supported.");
    }
    if (req.has("tools") && !req.requireArray("tools").isEmpty()) {
      throw ProblemException.invalidRequest("/tools", "Tool calls are not supported.");
    }
    req.optString("user", null);
    req.optBoolean("store", false);
  }

  /** The constraint from response_format or a guided_* member (at most one). */
  private PreparedConstraint constraint(JsonRequest req) {
    String from = null;
    ConstraintSpec spec = null;
    JsonRequest rf = req.optObject("response_format");
    if (rf != null) {
      String type = rf.requireString("type");
      switch (type) {
        case "text" -> {}
        case "json_object" -> {
          from = "/response_format";
          spec = new ConstraintSpec.JsonSchema("{\"type\":\"object\"}", false);
        }
        case "json_schema" -> {
          JsonRequest js = rf.requireObject("json_schema");
          js.onlyMembers(Set.of("name", "schema", "strict", "description"));
          from = "/response_format/json_schema/schema";
          spec = ConstraintRequests.jsonSchemaOf(js, "schema", grounding);
        }
        default ->
            throw ProblemException.invalidRequest(
                "/response_format/type",
                "response_format.type must be text, json_object or json_schema, not \""
                    + type
                    + "\".");
      }
    }
    for (String g : List.of("guided_regex", "guided_choice", "guided_json", "guided_grammar")) {
      if (!req.has(g)) {
        continue;
      }
      if (spec != null) {
        throw ProblemException.invalidRequest(
            "/" + g,
            "Give one of response_format, guided_regex, guided_choice, guided_json,"
                + " guided_grammar.");
      }
      from = "/" + g;
      spec =
          switch (g) {
            case "guided_regex" -> new ConstraintSpec.Regex(req.requireString(g));
            case "guided_choice" -> new ConstraintSpec.Choice(req.requireStrings(g));
            case "guided_grammar" -> ConstraintRequests.grammar(req, g, null, null);
            default -> ConstraintRequests.jsonSchemaOf(req, g, grounding);
          };
    }
    if (spec == null) {
      return null;
    }
    return ConstraintRequests.prepare(constraints, spec, from, from);
  }

  private JsonObject completion(String id, long created, GenerationResult r) {
    return Json.createObjectBuilder()
        .add("id", id)
        .add("object", "chat.completion")
        .add("created", created)
        .add("model", model.modelId())
        .add(
            "choices",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("index", 0)
                        .add(
                            "message",
                            Json.createObjectBuilder()
                                .add("role", "assistant")
                                .add("content", r.text())
                                .add("refusal", JsonValue.NULL))
                        .add("logprobs", JsonValue.NULL)
                        .add("finish_reason", finishReason(r))))
        .add("usage", usage(r))
        .build();
  }

  private static JsonObjectBuilder usage(GenerationResult r) {
    return Json.createObjectBuilder()
        .add("prompt_tokens", r.promptTokens())
        .add("completion_tokens", r.generatedTokens())
        .add("total_tokens", r.promptTokens() + r.generatedTokens());
  }

  /** OpenAI's finish reasons: stop, or length (also for a timeout: the output is cut short). */
  static String finishReason(GenerationResult r) {
    return r.finishReason() == GenerationResult.FinishReason.STOP ? "stop" : "length";
  }

  private JsonObjectBuilder chunk(String id, long created) {
    return Json.createObjectBuilder()
        .add("id", id)
        .add("object", "chat.completion.chunk")
        .add("created", created)
        .add("model", model.modelId());
  }

  private JsonObject delta(String id, long created, JsonObjectBuilder delta, String finish) {
    return chunk(id, created)
        .add(
            "choices",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("index", 0)
                        .add("delta", delta)
                        .add("logprobs", JsonValue.NULL)
                        .add(
                            "finish_reason",
                            finish == null ? JsonValue.NULL : Json.createValue(finish))))
        .build();
  }

  private void stream(
      OutputStream os,
      GenerationService.Generation started,
      String id,
      long created,
      boolean includeUsage)
      throws IOException {
    GenerationControl control = new GenerationControl();
    try (started) {
      data(
          os,
          delta(
                  id,
                  created,
                  Json.createObjectBuilder().add("role", "assistant").add("content", ""),
                  null)
              .toString());
      GenerationResult r =
          started.run(
              (tokenId, text, forced) -> {
                if (control.isCancelled() || text.isEmpty()) {
                  return;
                }
                try {
                  data(
                      os,
                      delta(id, created, Json.createObjectBuilder().add("content", text), null)
                          .toString());
                } catch (IOException e) {
                  control.cancel(); // the client disconnected
                }
              },
              control);
      if (control.isCancelled()) {
        return;
      }
      data(os, delta(id, created, Json.createObjectBuilder(), finishReason(r)).toString());
      if (includeUsage) {
        data(
            os,
            chunk(id, created)
                .add("choices", Json.createArrayBuilder())
                .add("usage", usage(r))
                .build()
                .toString());
      }
      data(os, "[DONE]");
    } catch (RuntimeException e) {
      Problem p = ServiceExceptionMappers.problemFor(e);
      if (p == null) {
        p = Problem.of(500, "internal-error", "Internal server error", "Generation failed.");
      }
      try {
        data(os, openAiError(p).toString());
      } catch (IOException ignored) {
        // the client is gone
      }
    }
  }

  private static void data(OutputStream os, String json) throws IOException {
    os.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    os.flush();
  }

  /** OpenAI's error body for a problem. */
  static JsonObject openAiError(Problem p) {
    JsonObject pj = p.toJson();
    String type =
        switch (p.status()) {
          case 401 -> "authentication_error";
          case 404 -> "invalid_request_error";
          case 429 -> "rate_limit_error";
          case 500 -> "server_error";
          case 503 -> "server_error";
          default -> "invalid_request_error";
        };
    String param = pj.containsKey("pointer") ? pj.getString("pointer") : null;
    if (param != null && param.startsWith("/")) {
      param = param.substring(1).replace('/', '.');
    }
    return Json.createObjectBuilder()
        .add(
            "error",
            Json.createObjectBuilder()
                .add("message", p.detail())
                .add("type", type)
                .add(
                    "param",
                    param == null || param.isEmpty() ? JsonValue.NULL : Json.createValue(param))
                .add("code", p.slug()))
        .build();
  }

  private static Response error(Problem p) {
    Response.ResponseBuilder rb =
        Response.status(p.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(openAiError(p).toString());
    p.headers().forEach(rb::header);
    return rb.build();
  }
}
