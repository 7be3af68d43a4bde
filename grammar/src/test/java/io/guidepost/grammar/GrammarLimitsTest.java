package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.RecordComponent;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each with-method replaces its own component and keeps every other one. */
class GrammarLimitsTest {

  private static Object component(GrammarLimits l, RecordComponent c) throws Exception {
    return c.getAccessor().invoke(l);
  }

  private static void check(String name, UnaryOperator<GrammarLimits> with, long expected)
      throws Exception {
    GrammarLimits base = GrammarLimits.DEFAULTS;
    GrammarLimits changed = with.apply(base);
    for (RecordComponent c : GrammarLimits.class.getRecordComponents()) {
      Object v = component(changed, c);
      if (c.getName().equals(name)) {
        assertEquals(expected, ((Number) v).longValue(), name);
      } else {
        assertEquals(component(base, c), v, name + " changed " + c.getName());
      }
    }
  }

  @Test
  void everyWithMethodReplacesExactlyItsComponent() throws Exception {
    check("maxDfaStates", l -> l.withMaxDfaStates(7), 7);
    check("maxDeterminizationWork", l -> l.withMaxDeterminizationWork(8), 8);
    check("maxRegexLength", l -> l.withMaxRegexLength(9), 9);
    check("maxRepeatCount", l -> l.withMaxRepeatCount(10), 10);
    check("maxSchemaDepth", l -> l.withMaxSchemaDepth(11), 11);
    check("maxSchemaNodes", l -> l.withMaxSchemaNodes(12), 12);
    check("recursionUnrollDepth", l -> l.withRecursionUnrollDepth(0), 0);
    check("maxChoiceCount", l -> l.withMaxChoiceCount(13), 13);
    check("maxChoiceBytes", l -> l.withMaxChoiceBytes(14), 14);
    check("maxPassageBytes", l -> l.withMaxPassageBytes(15), 15);
    check("maxTemplateParts", l -> l.withMaxTemplateParts(16), 16);
    check("maxCompileMillis", l -> l.withMaxCompileMillis(17), 17);
    assertEquals(
        12, GrammarLimits.class.getRecordComponents().length, "a with-method per component");
  }

  @Test
  void nonPositiveLimitsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> GrammarLimits.DEFAULTS.withMaxCompileMillis(0));
    assertThrows(IllegalArgumentException.class, () -> GrammarLimits.DEFAULTS.withMaxDfaStates(0));
  }
}
