package io.guidepost.api;

import io.guidepost.api.problem.ProblemException;
import io.guidepost.service.ConstraintSpec;
import io.guidepost.service.grounding.CodeListService;
import io.guidepost.service.grounding.CorpusService;
import io.guidepost.service.grounding.Passage;
import io.guidepost.service.grounding.PassageHit;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves references to server-side data inside constraints: a quote constraint that names a
 * {@code corpus} and {@code query} (instead of inline passages) gets the top passages of that
 * corpus, and a JSON Schema property marked {@code "x-guidepost-codelist": "<list>"} is constrained
 * to the codes of that list (the marker becomes an {@code enum} of its codes).
 */
@ApplicationScoped
public class GroundingResolver {
  /** The JSON Schema extension keyword that ties a string to a code list. */
  public static final String CODELIST_KEYWORD = "x-guidepost-codelist";

  /** Schema keywords whose values are maps from names to schemas. */
  private static final Set<String> SCHEMA_MAPS =
      Set.of("properties", "$defs", "definitions", "patternProperties", "dependentSchemas");

  /** Keywords whose values are JSON instances rather than schemas. */
  private static final Set<String> VALUES = Set.of("enum", "const", "examples", "default");

  /** Resolves nothing: any reference to a corpus or code list is an error. */
  static final GroundingResolver NONE = new GroundingResolver();

  @EJB CorpusService corpora;

  @EJB CodeListService codeLists;

  /** The top {@code topK} passages of {@code corpus} for {@code query}, as quote passages. */
  List<ConstraintSpec.Passage> passages(String corpus, String query, int topK, String pointer) {
    if (corpora == null) {
      throw ProblemException.invalidRequest(pointer, "Corpora are not available here.");
    }
    List<ConstraintSpec.Passage> out = new ArrayList<>();
    for (PassageHit h : corpora.store().search(corpus, query, topK)) {
      Passage p = h.passage();
      out.add(
          new ConstraintSpec.Passage(
              p.documentId() + "#" + p.passageId(), p.text(), p.documentId(), p.start()));
    }
    if (out.isEmpty()) {
      throw ProblemException.invalidRequest(
          pointer, "No passage of corpus '" + corpus + "' matches the query.");
    }
    return out;
  }

  /**
   * The schema with every {@code x-guidepost-codelist} marker replaced by an {@code enum} of the
   * list's codes. A marker next to {@code enum} or {@code const} is rejected: the two would have to
   * be intersected, and silently preferring one would loosen the constraint.
   */
  JsonValue expandCodeLists(JsonValue schema, String pointer) {
    return expand(schema, pointer, false);
  }

  private JsonValue expand(JsonValue v, String pointer, boolean schemaMap) {
    switch (v.getValueType()) {
      case OBJECT -> {
        var o = v.asJsonObject();
        JsonObjectBuilder b = Json.createObjectBuilder();
        JsonValue marker = schemaMap ? null : o.get(CODELIST_KEYWORD);
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
          String k = e.getKey();
          String child = pointer + "/" + k.replace("~", "~0").replace("/", "~1");
          if (marker != null && k.equals(CODELIST_KEYWORD)) {
            continue;
          }
          if (!schemaMap && VALUES.contains(k)) {
            b.add(k, e.getValue()); // instance values, not schemas
            continue;
          }
          b.add(k, expand(e.getValue(), child, !schemaMap && SCHEMA_MAPS.contains(k)));
        }
        if (marker != null) {
          String at = pointer + "/" + CODELIST_KEYWORD;
          if (marker.getValueType() != JsonValue.ValueType.STRING) {
            throw ProblemException.invalidRequest(at, CODELIST_KEYWORD + " must name a code list.");
          }
          if (o.containsKey("enum") || o.containsKey("const")) {
            throw ProblemException.invalidRequest(
                at,
                CODELIST_KEYWORD + " cannot be combined with enum or const in the same schema.");
          }
          if (codeLists == null) {
            throw ProblemException.invalidRequest(at, "Code lists are not available here.");
          }
          JsonArrayBuilder codes = Json.createArrayBuilder();
          codeLists
              .store()
              .codes(((jakarta.json.JsonString) marker).getString())
              .forEach(codes::add);
          b.add("enum", codes);
        }
        return b.build();
      }
      case ARRAY -> {
        var a = v.asJsonArray();
        JsonArrayBuilder b = Json.createArrayBuilder();
        for (int i = 0; i < a.size(); i++) {
          b.add(expand(a.get(i), pointer + "/" + i, false));
        }
        return b.build();
      }
      default -> {
        return v;
      }
    }
  }
}
