package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random schemas with recursion, free-form values and combinators against networknt's
 * validator: every document the compiled constraint produces (grammar samples, or DFA walks) is
 * valid; on random instances written in the compiled key order, an invalid one is never accepted,
 * and a valid one is always accepted when the compilation claims to be complete.
 */
class SchemaGrammarDuelTest {
  private static final String[] NAMES = {"a", "b", "c"};
  private static final java.util.regex.Pattern HUGE_EXPONENT =
      java.util.regex.Pattern.compile("[0-9][eE][+-]?0*[1-9][0-9]{2,}");

  private static final java.util.concurrent.atomic.AtomicInteger COMPILED =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger CONTEXT_FREE =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger COMPLETE =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The duel must have met enough schemas of each kind to mean something. */
  @org.junit.jupiter.api.AfterAll
  static void enoughSchemasWereChecked() {
    System.err.printf(
        "schema duel: %d of 60 compiled, %d context-free, %d complete%n",
        COMPILED.get(), CONTEXT_FREE.get(), COMPLETE.get());
    assertTrue(COMPILED.get() >= 30, "compiled " + COMPILED.get());
    assertTrue(CONTEXT_FREE.get() >= 15, "context-free " + CONTEXT_FREE.get());
    assertTrue(COMPLETE.get() >= 10, "complete " + COMPLETE.get());
  }

  static LongStream seeds() {
    return LongStream.range(0, 60);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomSchemasAgreeWithTheValidator(long seed) {
    Random r = new Random(seed * 7919 + 3);
    String schema = randomRoot(r);
    JsonSchema.Compiled compiled;
    try {
      compiled = SchemaGrammarTest.compiled(schema);
    } catch (ConstraintException e) {
      return; // a typed refusal (empty, unsupported, too complex) is allowed; soundness is not
    }
    CompiledConstraint c = compiled.constraint();
    COMPILED.incrementAndGet();
    if (c.isContextFree()) {
      CONTEXT_FREE.incrementAndGet();
    }
    if (compiled.complete()) {
      COMPLETE.incrementAndGet();
    }
    com.networknt.schema.JsonSchema v = JsonSchemaWalkTest.validator(schema);
    for (String doc : JsonSchemaWalkTest.walks(c, seed, 60, 24)) {
      // Numbers in their shortest spelling: networknt compares const/enum numbers by their
      // Jackson node type (1.00 is not 1 to it; to JSON Schema it is), and reads 1e999 as an
      // infinity it then cannot compare. Validity depends only on the values, which this keeps.
      if (HUGE_EXPONENT.matcher(doc).find()) {
        continue; // its shortest spelling has hundreds of digits, past Jackson's number limit
      }
      String canonical = JsonText.normalizeNumbers(doc, false);
      if (canonical == null || !exactAsDouble(canonical)) {
        continue;
      }
      assertEquals(
          Set.of(),
          v.validate(canonical, InputFormat.JSON),
          () -> "schema " + schema + "\ndoc " + doc);
    }
    int valid = 0;
    for (int i = 0; i < 200; i++) {
      String doc = randomValue(r, 0);
      String text = JsonText.write(JsonReader.parse(doc), compiled.compiler().keyOrder(), false);
      boolean ok = v.validate(doc, InputFormat.JSON).isEmpty();
      boolean accepted = c.matches(text);
      if (ok) {
        valid++;
        if (compiled.complete()) {
          assertTrue(
              accepted,
              () -> "complete (" + c.isContextFree() + ") but rejects " + text + "\n" + schema);
        }
      } else {
        assertTrue(!accepted, () -> "accepts the invalid " + text + "\nschema " + schema);
      }
    }
    assertTrue(valid >= 0);
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  /**
   * Whether every number of {@code doc} is a double exactly: networknt reads numbers as doubles, so
   * it takes -161151000197820800.1 for an integer (-1.611510001978208E17).
   */
  private static boolean exactAsDouble(String doc) {
    java.util.regex.Matcher m = NUMBER.matcher(doc);
    while (m.find()) {
      java.math.BigDecimal exact = new java.math.BigDecimal(m.group());
      double d = exact.doubleValue();
      if (Double.isInfinite(d)
          || new java.math.BigDecimal(Double.toString(d)).compareTo(exact) != 0) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------------------ random schemas

  private static String randomRoot(Random r) {
    int defs = 1 + r.nextInt(2);
    StringBuilder sb = new StringBuilder("{\"$defs\":{");
    for (int d = 0; d < defs; d++) {
      if (d > 0) {
        sb.append(',');
      }
      sb.append("\"d").append(d).append("\":").append(schema(r, 0, defs, true));
    }
    sb.append("},\"$ref\":\"#/$defs/d0\"}");
    return sb.toString();
  }

  private static String schema(Random r, int depth, int defs, boolean structural) {
    int pick = depth > 3 ? r.nextInt(5) : r.nextInt(structural ? 6 : 14);
    if (structural) {
      pick = 8 + r.nextInt(6);
    }
    return switch (pick) {
      case 0 -> "{\"type\":\"integer\",\"minimum\":" + (r.nextInt(5) - 2) + "}";
      case 1 -> "{\"type\":\"string\",\"maxLength\":" + r.nextInt(4) + "}";
      case 2 -> "{\"type\":[\"null\",\"boolean\"]}";
      case 3 -> "{\"$ref\":\"#/$defs/d" + r.nextInt(defs) + "\"}";
      case 4 -> r.nextBoolean() ? "true" : "{\"enum\":[1,\"a\",{\"a\":null},[2]]}";
      case 5 -> "{}";
      case 6 -> "{\"const\":" + randomValue(r, 3) + "}";
      case 7 -> "{\"not\":{\"type\":\"integer\"}}";
      case 8, 9 -> object(r, depth, defs);
      case 10 -> array(r, depth, defs);
      case 11 ->
          "{\"anyOf\":["
              + schema(r, depth + 1, defs, false)
              + ","
              + schema(r, depth + 1, defs, false)
              + "]}";
      case 12 ->
          "{\"oneOf\":[{\"type\":\"integer\"},"
              + (r.nextBoolean() ? object(r, depth + 1, defs) : "{\"type\":\"string\"}")
              + "]}";
      default ->
          "{\"allOf\":["
              + schema(r, depth + 1, defs, false)
              + ","
              + object(r, depth + 1, defs)
              + "]}";
    };
  }

  private static String object(Random r, int depth, int defs) {
    StringBuilder sb = new StringBuilder("{\"type\":\"object\",\"properties\":{");
    List<String> names = new ArrayList<>();
    for (String n : NAMES) {
      if (r.nextInt(3) > 0) {
        names.add(n);
      }
    }
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(names.get(i)).append("\":").append(schema(r, depth + 1, defs, false));
    }
    sb.append('}');
    List<String> required = new ArrayList<>();
    for (String n : names) {
      if (r.nextInt(3) == 0) {
        required.add("\"" + n + "\"");
      }
    }
    if (!required.isEmpty()) {
      sb.append(",\"required\":[").append(String.join(",", required)).append(']');
    }
    switch (r.nextInt(3)) {
      case 0 -> sb.append(",\"additionalProperties\":false");
      case 1 -> sb.append(",\"additionalProperties\":").append(schema(r, depth + 2, defs, false));
      default -> {} // free-form additional members
    }
    if (r.nextInt(3) == 0) {
      String[] patterns = {"^x", "a|b", "^[bc]$"};
      sb.append(",\"patternProperties\":{");
      for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
        sb.append(i > 0 ? "," : "")
            .append('"')
            .append(patterns[(i + r.nextInt(3)) % 3])
            .append("\":")
            .append(schema(r, depth + 2, defs, false));
      }
      sb.append('}');
    }
    return sb.append('}').toString();
  }

  private static String array(Random r, int depth, int defs) {
    StringBuilder sb = new StringBuilder("{\"type\":\"array\"");
    if (r.nextInt(4) == 0) {
      sb.append(",\"prefixItems\":[").append(schema(r, depth + 1, defs, false)).append(']');
    }
    if (r.nextInt(4) > 0) {
      sb.append(",\"items\":").append(schema(r, depth + 1, defs, false));
    }
    if (r.nextBoolean()) {
      sb.append(",\"maxItems\":").append(1 + r.nextInt(3));
    }
    if (r.nextInt(3) == 0) {
      sb.append(",\"minItems\":1");
    }
    return sb.append('}').toString();
  }

  // ----------------------------------------------------------------------------- random instances

  private static String randomValue(Random r, int depth) {
    int pick = r.nextInt(depth > 3 ? 5 : 8);
    return switch (pick) {
      case 0 -> Integer.toString(r.nextInt(7) - 3);
      case 1 -> new String[] {"\"\"", "\"a\"", "\"abc\"", "\"abcde\""}[r.nextInt(4)];
      case 2 -> "null";
      case 3 -> r.nextBoolean() ? "true" : "false";
      case 4 -> "1.5";
      case 5 -> {
        List<String> items = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          items.add(randomValue(r, depth + 1));
        }
        yield "[" + String.join(",", items) + "]";
      }
      default -> {
        List<String> members = new ArrayList<>();
        for (String n : new String[] {"a", "b", "c", "x"}) {
          if (r.nextInt(3) == 0) {
            members.add("\"" + n + "\":" + randomValue(r, depth + 1));
          }
        }
        yield "{" + String.join(",", members) + "}";
      }
    };
  }
}
