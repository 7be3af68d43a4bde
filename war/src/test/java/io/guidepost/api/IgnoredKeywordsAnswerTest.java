package io.guidepost.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.api.problem.ConstraintProblems;
import io.guidepost.api.problem.JsonRequest;
import io.guidepost.api.problem.ProblemException;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.JsonSchemaOptions;
import io.guidepost.grammar.Regex;
import io.guidepost.grammar.SchemaException;
import io.guidepost.service.ConstraintSpec;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The request side ({@code strict_keywords}) and the answer side ({@code ignored_keywords}, {@code
 * ignored_keywords_count}) of the keyword policy, and the near-miss problem, without a server.
 */
class IgnoredKeywordsAnswerTest {

  private static ConstraintSpec parse(String constraint) {
    return ConstraintRequests.parse(JsonRequest.parse(constraint));
  }

  @Test
  void strictKeywordsIsParsed() {
    String schema = "{\"type\": \"json_schema\", \"schema\": {\"type\": \"integer\"}";
    assertFalse(((ConstraintSpec.JsonSchema) parse(schema + "}")).strictKeywords());
    assertTrue(
        ((ConstraintSpec.JsonSchema) parse(schema + ", \"strict_keywords\": true}"))
            .strictKeywords());
    assertFalse(
        ((ConstraintSpec.JsonSchema) parse(schema + ", \"strict_keywords\": false}"))
            .strictKeywords());
  }

  @Test
  void nonBooleanStrictKeywordsNamesTheMember() {
    ProblemException e =
        assertThrows(
            ProblemException.class,
            () ->
                parse("{\"type\": \"json_schema\", \"schema\": {}, \"strict_keywords\": \"yes\"}"));
    JsonObject p = e.problem().toJson();
    assertEquals(400, p.getInt("status"));
    assertEquals("invalid-request", p.getString("code"));
    assertEquals("/strict_keywords", p.getString("pointer"));
    assertTrue(p.getString("detail").contains("strict_keywords"), p.toString());
  }

  @Test
  void answerListsAtMost50AndCountsAll() {
    StringBuilder schema = new StringBuilder("{\"type\": \"object\"");
    for (int i = 0; i < 60; i++) {
      schema.append(", \"note").append(i).append("\": ").append(i);
    }
    String json = schema.append('}').toString();
    CompiledConstraint compiled = JsonSchema.compile(json);
    JsonObject out =
        ConstraintRequests.addIgnoredKeywords(
                Json.createObjectBuilder(), new ConstraintSpec.JsonSchema(json, false), compiled)
            .build();
    JsonArray list = out.getJsonArray("ignored_keywords");
    assertEquals(ConstraintRequests.MAX_IGNORED_KEYWORDS, list.size());
    assertEquals(60, out.getInt("ignored_keywords_count"));
    JsonObject first = list.getJsonObject(0);
    assertEquals("/note0", first.getString("pointer"));
    assertEquals("note0", first.getString("keyword"));
    assertEquals("unknown keyword: an annotation, not asserted", first.getString("reason"));
    assertEquals("/note49", list.getJsonObject(49).getString("pointer"));
  }

  @Test
  void presentAndEmptyForEveryJsonSchemaAbsentForOtherKinds() {
    String json = "{\"type\": \"integer\"}";
    JsonObject out =
        ConstraintRequests.addIgnoredKeywords(
                Json.createObjectBuilder(),
                new ConstraintSpec.JsonSchema(json, false),
                JsonSchema.compile(json))
            .build();
    assertEquals(0, out.getJsonArray("ignored_keywords").size());
    assertEquals(0, out.getInt("ignored_keywords_count"));
    JsonObject regex =
        ConstraintRequests.addIgnoredKeywords(
                Json.createObjectBuilder(),
                new ConstraintSpec.Regex("[a-z]"),
                Regex.compile("[a-z]"))
            .build();
    assertTrue(regex.isEmpty(), regex.toString());
  }

  @Test
  void nearMissProblemCarriesTheSuggestionAndThePointer() {
    for (boolean strict : new boolean[] {false, true}) {
      SchemaException e =
          assertThrows(
              SchemaException.class,
              () ->
                  JsonSchema.compile(
                      "{\"properties\": {\"a\": {\"type\": \"string\", \"maxlength\": 3}}}",
                      JsonSchemaOptions.DEFAULTS.withStrictKeywords(strict)));
      JsonObject p = ConstraintProblems.of(e, "/constraint", "/constraint/schema").toJson();
      assertEquals(422, p.getInt("status"));
      assertEquals("schema-unsupported", p.getString("code"));
      assertEquals("/constraint/schema/properties/a/maxlength", p.getString("pointer"));
      assertEquals("/properties/a/maxlength", p.getString("schema_pointer"));
      assertEquals("maxlength", p.getString("keyword"));
      assertTrue(p.getString("detail").contains("did you mean \"maxLength\"?"), p.toString());
    }
  }
}
