package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TemplateJsonHoleTest {
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":1,"
          + "\"maximum\":3}},\"required\":[\"n\"],\"additionalProperties\":false}";

  @Test
  void jsonHoleAcceptsExactlyTheSchemaLanguageAndIsCaptured() {
    CompiledConstraint t =
        Template.builder()
            .literal("Data: ")
            .jsonSchema("data", SCHEMA, JsonSchemaOptions.DEFAULTS)
            .literal(".")
            .compile();
    assertTrue(t.matches("Data: {\"n\":2}."));
    assertFalse(t.matches("Data: {\"n\":4}."));
    assertFalse(t.matches("Data: {\"n\":2,\"x\":1}."));
    assertFalse(t.matches("Data: {\"n\": 2}."));
    assertEquals("{\"n\":3}", t.captures("Data: {\"n\":3}.").get("data").text());
  }

  @Test
  void schemaErrorsPropagateWithTheirPointer() {
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () ->
                Template.builder()
                    .jsonSchema(
                        "d",
                        "{\"type\":\"object\",\"$dynamicRef\":\"#x\"}",
                        JsonSchemaOptions.DEFAULTS)
                    .compile());
    assertEquals("$dynamicRef", e.keyword());
  }
}
