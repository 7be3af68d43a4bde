package io.guidepost.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.GrammarLimits;
import io.guidepost.grammar.IgnoredKeyword;
import io.guidepost.grammar.SchemaException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The service's side of the keyword policy: {@code strictKeywords} reaches the grammar and is part
 * of the cache key, template holes report theirs, and the log line names the count and the first
 * pointers, never the schema.
 */
class IgnoredKeywordsTest {
  private static final String SCHEMA =
      "{\"type\":\"object\",\"self\":{\"href\":\"x\"},\"properties\":{\"a\":{\"type\":\"string\","
          + "\"format\":\"color\"}},\"discriminator\":{\"propertyName\":\"a\"}}";

  private static CompiledConstraint compile(ConstraintSpec spec) {
    return ConstraintCompiler.compile(spec, GrammarLimits.DEFAULTS);
  }

  @Test
  void lenientByDefaultReportsInCompilationOrder() {
    ConstraintSpec.JsonSchema spec = new ConstraintSpec.JsonSchema(SCHEMA, false);
    assertFalse(spec.strictKeywords());
    List<IgnoredKeyword> ignored = compile(spec).ignoredKeywords();
    assertEquals(
        List.of("/self", "/discriminator", "/properties/a/format"),
        ignored.stream().map(IgnoredKeyword::pointer).toList(),
        ignored.toString());
    assertEquals("format", ignored.get(2).keyword());
  }

  @Test
  void strictKeywordsRejectsWithThePointer() {
    ConstraintSpec.JsonSchema strict =
        new ConstraintSpec.JsonSchema(SCHEMA, false).withStrictKeywords(true);
    SchemaException e = assertThrows(SchemaException.class, () -> compile(strict));
    assertEquals("schema-unsupported", e.type());
    assertEquals("/self", e.jsonPointer());
  }

  @Test
  void strictKeywordsIsPartOfTheCacheKey() {
    ConstraintSpec.JsonSchema lenient = new ConstraintSpec.JsonSchema(SCHEMA, false);
    assertNotEquals(lenient, lenient.withStrictKeywords(true));
    assertEquals(lenient, lenient.withStrictKeywords(true).withStrictKeywords(false));
  }

  @Test
  void templateHolesReportTheirsAndOnlyTheyHaveAJsonSchema() {
    ConstraintSpec.Template t =
        new ConstraintSpec.Template(
            List.of(
                ConstraintSpec.TemplatePart.literal("data: "),
                new ConstraintSpec.TemplatePart(
                    null,
                    "data",
                    new ConstraintSpec.JsonSchema(
                        "{\"type\":\"integer\",\"x-unit\":\"kg\"}", false),
                    null,
                    0)));
    List<IgnoredKeyword> ignored = compile(t).ignoredKeywords();
    assertEquals(1, ignored.size(), ignored.toString());
    assertEquals("/x-unit", ignored.getFirst().pointer());
    assertTrue(
        ignored.getFirst().reason().startsWith("template hole \"data\": "), ignored.toString());
    assertTrue(t.hasJsonSchema());
    assertTrue(new ConstraintSpec.JsonSchema("{}", false).hasJsonSchema());
    assertFalse(new ConstraintSpec.Regex("a").hasJsonSchema());
    assertFalse(
        new ConstraintSpec.Template(
                List.of(
                    new ConstraintSpec.TemplatePart(
                        null, "r", new ConstraintSpec.Regex("[a-z]+"), null, 0)))
            .hasJsonSchema());
  }

  @Test
  void logLineHasTheCountAndTheFirstPointersOnly() {
    List<IgnoredKeyword> ignored = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ignored.add(new IgnoredKeyword("/k" + i, "k" + i, "unknown keyword"));
    }
    ignored.add(new IgnoredKeyword("/evil\nline", "evil\nline", "unknown keyword"));
    ConstraintSpec spec = new ConstraintSpec.JsonSchema("{\"secret\":1}", false);
    String line = ConstraintService.ignoredKeywordsMessage(spec, ignored);
    assertTrue(line.contains(": 8 schema keywords constrained nothing"), line);
    assertTrue(line.contains("/k0, /k1, /k2, /k3, /k4 and 3 more"), line);
    assertFalse(line.contains("/k5"), line);
    assertFalse(line.contains("secret"), line);
    String one =
        ConstraintService.ignoredKeywordsMessage(
            spec, List.of(new IgnoredKeyword("/a\nb", "a\nb", "unknown keyword")));
    assertFalse(one.contains("\n"), one);
    assertTrue(one.contains("/a\\u000ab"), one);
  }

  @Test
  void eachCompilationLogsOnceAtInfo() {
    Logger log = Logger.getLogger(ConstraintService.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(h);
    try {
      ConstraintService cs = new ConstraintService();
      cs.compileTimeoutMs = 10_000;
      cs.compileOnly(new ConstraintSpec.JsonSchema(SCHEMA, false));
      cs.compileOnly(new ConstraintSpec.JsonSchema("{\"type\":\"integer\"}", false));
      cs.compileOnly(new ConstraintSpec.Regex("[a-z]+"));
    } finally {
      log.removeHandler(h);
    }
    assertEquals(1, records.size(), records.toString());
    assertEquals(Level.INFO, records.getFirst().getLevel());
    assertTrue(
        records.getFirst().getMessage().endsWith(": /self, /discriminator, /properties/a/format"),
        records.getFirst().getMessage());
  }
}
