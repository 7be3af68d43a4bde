package io.guidepost.api;

import io.guidepost.api.problem.ConstraintProblems;
import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.Problem;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.ConstraintException;
import io.guidepost.service.ConstraintService;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.ModelLifecycle;
import io.guidepost.service.PreparedConstraint;
import io.guidepost.service.ServiceInfo;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
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
 * {@code POST /api/v1/constraints/compile}: compiles a constraint without generating, and reports
 * validity, statistics, a shortest example and, for each {@code check} text, whether the constraint
 * accepts it ({@link CompiledConstraint#accepts}: every JSON spelling of a valid number), whether
 * generation can produce it exactly ({@code generable}, the automaton) and whether it is a prefix.
 * Lets users test a constraint before using it.
 */
@Path("api/v1/constraints/compile")
@Tag(name = "constraints")
public class ConstraintsResource {
  /** Most check texts per request. */
  static final int MAX_CHECKS = 1000;

  @EJB ConstraintService constraints;

  @Inject GroundingResolver grounding;

  @EJB ModelLifecycle model;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
  @Operation(
      summary = "Compile a constraint and test texts against it",
      description = "Body: {constraint: {...}, check: [\"text\", ...]}")
  @APIResponse(
      responseCode = "200",
      content =
          @Content(
              mediaType = "application/json",
              schema =
                  @Schema(implementation = io.guidepost.api.docs.ApiSchemas.CompileResponse.class)))
  @APIResponse(responseCode = "400", ref = "Invalid")
  @APIResponse(responseCode = "413", ref = "TooComplex")
  @APIResponse(responseCode = "422", ref = "Unsupported")
  public Response compile(
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema =
                          @Schema(
                              implementation =
                                  io.guidepost.api.docs.ApiSchemas.CompileRequest.class),
                      examples =
                          @ExampleObject(
                              name = "example",
                              value =
                                  "{\"constraint\": {\"type\": \"regex\", \"pattern\": \"[A-Z][0-9]{2}\"}, \"check\": [\"A12\", \"A1\"]}")))
          String body) {
    JsonRequest req = JsonRequest.parse(body).onlyMembers(Set.of("constraint", "check"));
    JsonRequest c = req.requireObject("constraint");
    List<String> checks = req.has("check") ? req.requireStrings("check") : List.of();
    if (checks.size() > MAX_CHECKS) {
      throw ProblemException.invalidRequest(
          "/check", "At most " + MAX_CHECKS + " check texts, not " + checks.size() + ".");
    }
    ConstraintSpec spec = ConstraintRequests.parse(c, grounding);
    CompiledConstraint compiled;
    PreparedConstraint prepared = null;
    long t0 = System.nanoTime();
    try {
      if (model.status() == ServiceInfo.ModelStatus.READY) {
        prepared = constraints.prepare(spec);
        compiled = prepared.compiled();
      } else {
        compiled = constraints.compileOnly(spec);
      }
    } catch (ConstraintException e) {
      throw ConstraintProblems.exception(e, c.pointer(), ConstraintRequests.memberPointer(c, spec));
    }
    long elapsed = System.nanoTime() - t0;
    CompiledConstraint.Stats st = compiled.stats();
    JsonObjectBuilder stats =
        Json.createObjectBuilder()
            .add("dfa_states", st.states())
            .add("byte_classes", st.classes())
            .add("transitions", st.transitions())
            .add("dfa_bytes", st.bytes())
            .add("compile_ms", st.compileNanos() / 1e6)
            .add("request_ms", elapsed / 1e6)
            .add("min_chars", compiled.minChars())
            .add("context_free", compiled.isContextFree());
    if (compiled.maxChars() != Integer.MAX_VALUE) {
      stats.add("max_chars", compiled.maxChars());
    }
    JsonObjectBuilder out =
        Json.createObjectBuilder().add("valid", true).add("type", spec.kind()).add("stats", stats);
    if (prepared != null) {
      out.add(
          "token_automaton",
          Json.createObjectBuilder()
              .add("model", model.modelId())
              .add("first_step_allowed_tokens", prepared.firstStepAllowedTokens())
              .add("cached_states", prepared.cachedStates())
              .add("cache_bytes", prepared.automaton().cacheBytes())
              .add("prepare_ms", prepared.compileNanos() / 1e6));
    }
    ConstraintRequests.addIgnoredKeywords(out, spec, compiled);
    String example = compiled.shortestExample();
    if (example != null) {
      out.add("shortest_example", example);
    }
    JsonArrayBuilder results = Json.createArrayBuilder();
    for (String text : checks) {
      results.add(
          Json.createObjectBuilder()
              .add("text", text)
              .add("accepts", compiled.accepts(text))
              .add("generable", compiled.matches(text))
              .add("prefix", compiled.isPrefix(text)));
    }
    out.add("checks", results);
    return Response.ok(out.build().toString(), MediaType.APPLICATION_JSON).build();
  }
}
