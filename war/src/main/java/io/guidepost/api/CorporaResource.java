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
import io.guidepost.service.grounding.CorpusInfo;
import io.guidepost.service.grounding.CorpusService;
import io.guidepost.service.grounding.Document;
import io.guidepost.service.grounding.IngestResult;
import io.guidepost.service.grounding.Passage;
import io.guidepost.service.grounding.PassageHit;
import io.guidepost.service.grounding.PassageSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Named corpora of documents, split into passages and indexed with Lucene (BM25), and quote-only
 * answers from them: {@code POST /api/v1/corpora/{name}/quote} retrieves the passages that best
 * match a question and constrains generation to a verbatim quote from one of them, returning where
 * it comes from. Creating, ingesting and deleting need the {@code guidepost-admin} role.
 */
@Path("api/v1/corpora")
@Tag(name = "grounding")
public class CorporaResource {
  /** Role needed to change corpora and code lists. */
  public static final String ADMIN = "guidepost-admin";

  @EJB CorpusService corpora;

  @EJB GenerationService generation;

  @EJB ConstraintService constraints;

  private static Response json(JsonValue v) {
    return Response.ok(v.toString(), MediaType.APPLICATION_JSON).build();
  }

  static JsonObject info(CorpusInfo c) {
    return Json.createObjectBuilder()
        .add("name", c.name())
        .add("documents", c.documents())
        .add("passages", c.passages())
        .add("passage_chars", c.settings().maxChars())
        .add("overlap_chars", c.settings().overlapChars())
        .build();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "List corpora")
  public Response list() {
    JsonArrayBuilder a = Json.createArrayBuilder();
    corpora.store().list().forEach(c -> a.add(info(c)));
    return json(Json.createObjectBuilder().add("corpora", a).build());
  }

  @POST
  @RolesAllowed(ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(summary = "Create a corpus: {name, passage_chars?, overlap_chars?}")
  public Response create(String body) {
    JsonRequest req =
        JsonRequest.parse(body).onlyMembers(Set.of("name", "passage_chars", "overlap_chars"));
    String name = req.requireString("name");
    int chars = req.optInt("passage_chars", PassageSettings.DEFAULTS.maxChars(), 1, 1_000_000);
    int overlap =
        req.optInt("overlap_chars", PassageSettings.DEFAULTS.overlapChars(), 0, 1_000_000);
    PassageSettings settings;
    try {
      settings = new PassageSettings(chars, overlap);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidRequest("/overlap_chars", e.getMessage());
    }
    CorpusInfo created = corpora.store().create(name, settings);
    return Response.status(201)
        .header("Location", "/api/v1/corpora/" + created.name())
        .entity(info(created).toString())
        .type(MediaType.APPLICATION_JSON)
        .build();
  }

  @GET
  @Path("{name}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "One corpus")
  public Response get(@PathParam("name") String name) {
    return json(info(corpora.store().info(name)));
  }

  @DELETE
  @Path("{name}")
  @RolesAllowed(ADMIN)
  @Operation(summary = "Delete a corpus and its index")
  public Response delete(@PathParam("name") String name) {
    corpora.store().delete(name);
    return Response.noContent().build();
  }

  @POST
  @Path("{name}/documents")
  @RolesAllowed(ADMIN)
  @Consumes({MediaType.APPLICATION_JSON, "application/x-ndjson", MediaType.TEXT_PLAIN})
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Ingest documents",
      description =
          "application/json: one {id, title?, text, metadata?} object or an array of them;"
              + " application/x-ndjson: one such object per line; text/plain: one document, with"
              + " ?id= and optional ?title=. Re-ingesting an id replaces the document.")
  public Response ingest(
      @PathParam("name") String name,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @QueryParam("id") String id,
      @QueryParam("title") String title,
      String body) {
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    IngestResult r;
    if (type.startsWith("application/x-ndjson")) {
      r = corpora.store().ingestNdjson(name, new StringReader(body == null ? "" : body));
    } else if (type.startsWith("text/plain")) {
      if (id == null || id.isBlank()) {
        throw ProblemException.invalidRequest(
            "/id", "A text/plain document needs an ?id= query parameter.");
      }
      r = corpora.store().ingestText(name, id, title, body == null ? "" : body);
    } else {
      r = corpora.store().ingest(name, documents(body));
    }
    return json(
        Json.createObjectBuilder()
            .add("documents", r.documents())
            .add("replaced", r.replaced())
            .add("passages", r.passages())
            .build());
  }

  private static List<Document> documents(String body) {
    if (body != null && body.stripLeading().startsWith("[")) {
      JsonRequest wrapped = JsonRequest.parse("{\"documents\": " + body + "}");
      List<Document> out = new ArrayList<>();
      for (JsonRequest d : wrapped.requireObjects("documents")) {
        out.add(document(JsonRequest.of(d.json(), d.pointer().substring("/documents".length()))));
      }
      return out;
    }
    return List.of(document(JsonRequest.parse(body)));
  }

  private static Document document(JsonRequest d) {
    d.onlyMembers(Set.of("id", "title", "text", "metadata"));
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonRequest m = d.optObject("metadata");
    if (m != null) {
      for (String k : m.json().keySet()) {
        metadata.put(k, m.requireString(k));
      }
    }
    return new Document(
        d.requireString("id"), d.optString("title", ""), d.requireString("text"), metadata);
  }

  @GET
  @Path("{name}/search")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "BM25 search over passages: ?q=...&top_k=10")
  public Response search(
      @PathParam("name") String name,
      @QueryParam("q") String q,
      @QueryParam("top_k") @DefaultValue("10") int topK) {
    if (q == null || q.isBlank()) {
      throw ProblemException.invalidRequest("/q", "The query parameter q is required.");
    }
    if (topK < 1 || topK > 1000) {
      throw ProblemException.invalidRequest("/top_k", "top_k must be between 1 and 1000.");
    }
    JsonArrayBuilder hits = Json.createArrayBuilder();
    for (PassageHit h : corpora.store().search(name, q, topK)) {
      hits.add(hit(h));
    }
    return json(Json.createObjectBuilder().add("hits", hits).build());
  }

  private static JsonObjectBuilder hit(PassageHit h) {
    Passage p = h.passage();
    return Json.createObjectBuilder()
        .add("document_id", p.documentId())
        .add("document_title", h.documentTitle() == null ? "" : h.documentTitle())
        .add("passage_id", p.passageId())
        .add("start", p.start())
        .add("end", p.end())
        .add("score", h.score())
        .add("text", p.text());
  }

  @POST
  @Path("{name}/quote")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Answer a question with a verbatim quote from the corpus",
      description =
          "Body: {question, top_k: 5, min_length: 1, max_length: 400, word_boundaries: false,"
              + " max_tokens?, temperature?, seed?}. Returns {quote, document_id, passage_id,"
              + " start, end, score}: the quote is exactly the document text at [start, end).")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(implementation = io.guidepost.api.docs.ApiSchemas.QuoteResponse.class)))
  @APIResponse(responseCode = "400", ref = "Invalid")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(
      responseCode = "422",
      description = "Nothing to quote, or the quote was cut short",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = io.guidepost.api.docs.ApiSchemas.Problem.class)))
  public Response quote(
      @PathParam("name") String name,
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              implementation = io.guidepost.api.docs.ApiSchemas.QuoteRequest.class),
                      examples =
                          @ExampleObject(
                              name = "example",
                              value =
                                  "{\"question\": \"What is the first-line drug for type 2 diabetes?\", \"top_k\": 5, \"max_length\": 200}")))
          String body) {
    JsonRequest req =
        JsonRequest.parse(body)
            .onlyMembers(
                Set.of(
                    "question",
                    "top_k",
                    "min_length",
                    "max_length",
                    "word_boundaries",
                    "max_tokens",
                    "temperature",
                    "seed"));
    String question = req.requireString("question");
    if (question.isBlank()) {
      throw ProblemException.invalidRequest("/question", "\"question\" must not be empty.");
    }
    int topK = req.optInt("top_k", 5, 1, 50);
    List<PassageHit> hits = corpora.store().search(name, question, topK);
    if (hits.isEmpty()) {
      throw new ProblemException(
          Problem.of(
              422,
              "no-passages",
              "Nothing to quote",
              "No passage of corpus '" + name + "' matches the question."));
    }
    List<ConstraintSpec.Passage> passages = new ArrayList<>();
    Map<String, PassageHit> byId = new HashMap<>();
    StringBuilder context = new StringBuilder();
    for (int i = 0; i < hits.size(); i++) {
      PassageHit h = hits.get(i);
      String pid = i + "";
      passages.add(new ConstraintSpec.Passage(pid, h.passage().text()));
      byId.put(pid, h);
      context.append('[').append(i + 1).append("] ").append(h.passage().text()).append("\n\n");
    }
    int min = req.optInt("min_length", 1, 1, 100_000);
    int max = req.optInt("max_length", ConstraintRequests.DEFAULT_QUOTE_MAX, 1, 100_000);
    if (max < min) {
      throw ProblemException.invalidRequest(
          "/max_length", "\"max_length\" must be at least \"min_length\".");
    }
    ConstraintSpec.Quote spec =
        new ConstraintSpec.Quote(passages, min, max, req.optBoolean("word_boundaries", false));
    PreparedConstraint prepared = ConstraintRequests.prepare(constraints, spec, "", null);
    String prompt =
        "Passages:\n\n"
            + context
            + "Question: "
            + question
            + "\nAnswer with one verbatim quote from the passages.";
    SamplingParams sampling = GenerateResource.sampling(req, "temperature", "top_p", null, "seed");
    GenerationResult r =
        generation.generate(
            GenerationCommand.chat(
                List.of(new ChatMessage("user", prompt)),
                prepared.newCursor(),
                sampling,
                req.optInt(
                    "max_tokens",
                    Math.min(512, generation.maxTokensLimit()),
                    1,
                    generation.maxTokensLimit())),
            null,
            null);
    PreparedConstraint.QuoteSource source =
        r.finishReason() == GenerationResult.FinishReason.STOP
            ? prepared.quoteSource(r.text())
            : null;
    if (source == null) {
      throw new ProblemException(
          Problem.of(
                  422,
                  "quote-incomplete",
                  "Quote incomplete",
                  "The quote was cut short ("
                      + GenerateResource.finishReason(r)
                      + ") before it ended; raise max_tokens or lower max_length.")
              .with("partial_text", r.text()));
    }
    PassageHit h = byId.get(source.passageId());
    Passage p = h.passage();
    JsonObject out =
        Json.createObjectBuilder()
            .add("quote", r.text())
            .add("document_id", p.documentId())
            .add("document_title", h.documentTitle() == null ? "" : h.documentTitle())
            .add("passage_id", p.passageId())
            .add("start", p.toDocumentOffset(source.start()))
            .add("end", p.toDocumentOffset(source.end()))
            .add("score", h.score())
            .add("finish_reason", GenerateResource.finishReason(r))
            .add(
                "usage",
                Json.createObjectBuilder()
                    .add("prompt_tokens", r.promptTokens())
                    .add("completion_tokens", r.generatedTokens())
                    .add("forced_tokens", r.forcedTokens()))
            .build();
    return json(out);
  }
}
