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

  private static final String TREE =
      "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"},"
          + "\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}},"
          + "\"required\":[\"v\"],\"additionalProperties\":false}},\"$ref\":\"#/$defs/node\"}";

  /** A tree {@code depth} levels deep: {"v":d,"kids":[...]} down to a leaf. */
  private static String tree(int depth) {
    return depth == 0 ? "{\"v\":0}" : "{\"v\":" + depth + ",\"kids\":[" + tree(depth - 1) + "]}";
  }

  @Test
  void recursiveSchemaHolesAreExactAtAnyDepth() {
    CompiledConstraint t =
        Template.builder()
            .literal("Tree: ")
            .jsonSchema("tree", TREE)
            .literal("\nDone: ")
            .choice("done", java.util.List.of("yes", "no"))
            .compile();
    assertTrue(t.isContextFree());
    String deep = tree(20);
    assertTrue(t.matches("Tree: " + deep + "\nDone: yes"));
    assertFalse(t.matches("Tree: " + deep.replace("\"v\":7", "\"v\":\"7\"") + "\nDone: yes"));
    assertFalse(t.matches("Tree: {\"kids\":[]}\nDone: yes"));
    assertEquals(deep, t.captures("Tree: " + deep + "\nDone: no").get("tree").text());
    assertEquals("no", t.captures("Tree: " + deep + "\nDone: no").get("done").text());
  }

  @Test
  void freeFormValuesInHolesNestWithoutABound() {
    CompiledConstraint t =
        Template.builder()
            .jsonSchema("any", "{\"type\":\"object\",\"properties\":{\"meta\":true}}")
            .literal("!")
            .compile();
    assertTrue(t.isContextFree());
    String nested = "[".repeat(12) + "1" + "]".repeat(12);
    assertTrue(t.matches("{\"meta\":" + nested + "}!"));
    assertFalse(t.matches("{\"meta\":" + nested + "]}!"));
    // a bounded-depth speed hint keeps one automaton
    CompiledConstraint hinted =
        Template.builder()
            .jsonSchema(
                "any",
                "{\"type\":\"object\",\"properties\":{\"meta\":true}}",
                JsonSchemaOptions.DEFAULTS.withAnyValueDepth(2))
            .literal("!")
            .compile();
    assertFalse(hinted.isContextFree());
    assertFalse(hinted.matches("{\"meta\":" + nested + "}!"));
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
