package io.guidepost.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.ConstraintTooComplexException;
import io.guidepost.grammar.GrammarLimits;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service's limits reach every kind's compiler, template holes included. The 1 ms compilation
 * runs first on purpose: in this test JVM it is the first grammar compilation, so the grammar's
 * constant languages are initialized then; they must be built outside the request's limits (a limit
 * tripped in a static initializer once broke the class for the rest of the JVM).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConstraintCompilerTest {
  // 2^17 subsets: milliseconds of work, well over 1 ms, within every other default limit.
  private static final String SLOW = "(a|b)*a(a|b){16}";
  private static final GrammarLimits ONE_MS = GrammarLimits.DEFAULTS.withMaxCompileMillis(1);

  private static void stopsAtOneMillisecond(ConstraintSpec spec) {
    ConstraintTooComplexException e =
        assertThrows(
            ConstraintTooComplexException.class, () -> ConstraintCompiler.compile(spec, ONE_MS));
    assertEquals("maxCompileMillis", e.limitName(), e.getMessage());
  }

  @Test
  @Order(1)
  void compileTimeLimitReachesEveryCompiler() {
    stopsAtOneMillisecond(new ConstraintSpec.Regex(SLOW));
    stopsAtOneMillisecond(
        new ConstraintSpec.JsonSchema(
            "{\"type\":\"string\",\"pattern\":\"^" + SLOW + "$\"}", false));
    stopsAtOneMillisecond(
        new ConstraintSpec.Template(
            List.of(
                ConstraintSpec.TemplatePart.literal("x: "),
                new ConstraintSpec.TemplatePart(
                    null, "h", new ConstraintSpec.Regex(SLOW), null, 0))));
  }

  @Test
  void defaultLimitsCompileTheSameConstraints() {
    assertTrue(
        ConstraintCompiler.compile(new ConstraintSpec.Regex(SLOW), GrammarLimits.DEFAULTS)
                .stats()
                .states()
            > 60_000);
  }

  @Test
  void recursiveSchemasAreContextFreeWithTheRequestedNestingLimit() {
    String tree =
        "{\"$defs\":{\"n\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/n\"}}},"
            + "\"$ref\":\"#/$defs/n\"}";
    var exact =
        ConstraintCompiler.compile(
            new ConstraintSpec.JsonSchema(tree, false), GrammarLimits.DEFAULTS);
    assertTrue(exact.isContextFree());
    assertEquals(64, exact.grammar().maxJsonNesting());
    var five =
        ConstraintCompiler.compile(
            new ConstraintSpec.JsonSchema(tree, false, -1, false, 5), GrammarLimits.DEFAULTS);
    assertEquals(5, five.grammar().maxJsonNesting());
    // the speed hint keeps one automaton (recursion unrolled)
    var hinted =
        ConstraintCompiler.compile(
            new ConstraintSpec.JsonSchema(tree, false, 2, false), GrammarLimits.DEFAULTS);
    assertFalse(hinted.isContextFree());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ConstraintSpec.JsonSchema(tree, false, -1, false, 0));
  }

  @Test
  void freeFormDepthRangeIsChecked() {
    assertThrows(
        IllegalArgumentException.class, () -> new ConstraintSpec.JsonSchema("{}", false, 9));
  }
}
