package io.guidepost.service;

import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.GrammarLimits;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.JsonSchemaOptions;
import io.guidepost.grammar.Template;

/** The JSON Schema options the service uses, in one place. */
final class JsonSchemas {
  /** Whitespace run allowed between tokens in flexible mode. */
  static final int FLEXIBLE_MAX_RUN = 4;

  private JsonSchemas() {}

  static JsonSchemaOptions options(ConstraintSpec.JsonSchema s, GrammarLimits limits) {
    JsonSchemaOptions o =
        JsonSchemaOptions.DEFAULTS
            .withAnyValueDepth(s.freeFormDepth())
            .withStrictKeywords(s.strictKeywords())
            .withMaxNesting(s.maxNesting())
            .withLimits(limits);
    return s.flexibleWhitespace() ? o.flexible(FLEXIBLE_MAX_RUN) : o;
  }

  static CompiledConstraint compile(ConstraintSpec.JsonSchema s, GrammarLimits limits) {
    return JsonSchema.compile(s.schema(), options(s, limits));
  }

  /** A JSON Schema hole; it compiles under the template's limits. */
  static void addHole(Template.Builder b, String name, ConstraintSpec.JsonSchema s) {
    b.jsonSchema(name, s.schema(), options(s, GrammarLimits.DEFAULTS));
  }
}
