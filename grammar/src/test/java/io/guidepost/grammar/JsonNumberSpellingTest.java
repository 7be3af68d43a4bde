package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every JSON spelling of a valid number is accepted: the automaton takes the exponent-free
 * spellings ({@code 1.50}, {@code -0}, {@code 1.0} where the dialect counts it as an integer) and
 * exponents where nothing bounds the number; {@link CompiledConstraint#accepts} takes the rest
 * through the canonical spelling. Duels against networknt's validator on seeded random number
 * schemas in drafts 2020-12, 07 and 04 with random spellings.
 */
class JsonNumberSpellingTest {

  private static final String DRAFT_07 = "http://json-schema.org/draft-07/schema#";
  private static final String DRAFT_04 = "http://json-schema.org/draft-04/schema#";

  private static String q(String s) {
    return s.replace('\'', '"');
  }

  /** The examples of the issue: {@code matches} is the automaton, {@code accepts} semantic. */
  @ParameterizedTest(name = "{0} | {1} -> matches {2}, accepts {3}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'type':'number'} | 0.0 | true | true",
        "{'type':'number'} | 1.50 | true | true",
        "{'type':'number'} | -0.0 | true | true",
        "{'type':'number'} | 1E+2 | true | true",
        "{'type':'number'} | 2.5e-3 | true | true",
        "{'type':'number'} | -0 | true | true",
        "{'type':'number'} | 01 | false | false",
        "{'type':'number'} | 1. | false | false",
        "{'type':'number'} | .5 | false | false",
        "{'type':'number'} | +1 | false | false",
        "{'type':'number'} | 1e | false | false",
        "{'type':'object','properties':{'amount':{'type':'number'}}} | {'amount':0.0} | true | true",
        "{'type':'number','minimum':0} | 0.0 | true | true",
        "{'type':'number','minimum':0} | -0.0 | true | true",
        "{'type':'number','minimum':0} | 1.50 | true | true",
        "{'type':'number','minimum':0} | 1E+2 | false | true",
        "{'type':'number','minimum':0} | 2.5e-3 | false | true",
        "{'type':'number','minimum':0} | -2.5e-3 | false | false",
        "{'type':'number','exclusiveMinimum':0} | -0.0 | false | false",
        "{'type':'number','exclusiveMinimum':0} | 0e7 | false | false",
        "{'type':'number','maximum':99} | 1E+2 | false | false",
        "{'type':'number','multipleOf':0.5} | 1.50 | true | true",
        "{'type':'number','multipleOf':0.5} | 15E-1 | false | true",
        "{'type':'number','multipleOf':0.5} | 1.70 | false | false",
        "{'type':'integer'} | 1.0 | true | true",
        "{'type':'integer'} | -0.00 | true | true",
        "{'type':'integer'} | 1E+2 | false | true",
        "{'type':'integer'} | 2.5e-3 | false | false",
        "{'type':'integer'} | 1.50 | false | false",
        "{'type':'integer','minimum':1,'maximum':100} | 100.000 | true | true",
        "{'type':'integer','minimum':1,'maximum':100} | 1E+2 | false | true",
        "{'type':'integer','minimum':1,'maximum':100} | 1.01E+2 | false | false",
        "{'$schema':'" + DRAFT_04 + "','type':'integer'} | -0 | true | true",
        "{'$schema':'" + DRAFT_04 + "','type':'integer'} | 1.0 | false | false",
        "{'$schema':'" + DRAFT_04 + "','type':'integer'} | 1E+2 | false | false",
        "{'$schema':'" + DRAFT_04 + "','type':'number'} | 1.0 | true | true",
        "{'$schema':'" + DRAFT_04 + "','not':{'type':'integer'}} | 1.0 | true | true",
        "{'$schema':'" + DRAFT_04 + "','not':{'type':'integer'}} | 1E+2 | false | true",
        "{'$schema':'" + DRAFT_04 + "','enum':[100]} | 1E+2 | false | true",
        "{'const':1.5} | 1.50 | true | true",
        "{'const':1.5} | 15e-1 | false | true",
        "{'enum':[0,'x']} | -0.0 | true | true",
        "{'not':{'type':'integer'}} | 1.5 | true | true",
        "{'not':{'type':'integer'}} | 1.0 | false | false",
        "{'not':{'type':'integer'}} | 1E+2 | false | false",
        "{'not':{'type':'integer'}} | 15e-1 | false | true",
        "{'type':'array'} | [1E+2,{'a':-0.0}] | true | true",
        "{'type':'string'} | '1.50' | true | true",
      })
  void issueExamples(String schema, String text, boolean matches, boolean accepts) {
    CompiledConstraint c = JsonSchema.compile(q(schema));
    assertEquals(matches, c.matches(q(text)), "matches");
    assertEquals(accepts, c.accepts(q(text)), "accepts");
    com.networknt.schema.JsonSchema v = JsonSchemaWalkTest.validator(q(schema));
    boolean json;
    try {
      JsonReader.parse(q(text));
      json = true;
    } catch (InvalidConstraintException e) {
      json = false;
    }
    if (json) {
      assertEquals(accepts, v.validate(q(text), InputFormat.JSON).isEmpty(), "networknt");
    }
  }

  /**
   * Numbers nested in {@code const} and {@code enum} values compare by value, as the specification
   * says (2020-12 core, section 4.2.2: two numbers are equal when their mathematical values are;
   * arrays and objects are equal when their items or members are). networknt compares nested
   * numbers by their Jackson node type ({@code {"a":1.0}} is not {@code {"a":1}} for its {@code
   * const}), so these are not dueled.
   */
  @ParameterizedTest(name = "{0} | {1} -> matches {2}, accepts {3}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'const':{'a':[1,2.5]}} | {'a':[1.0,2.50]} | true | true",
        "{'const':{'a':[1,2.5]}} | {'a':[1e0,25E-1]} | false | true",
        "{'const':{'a':[1,2.5]}} | {'a':[1e0,26E-1]} | false | false",
        "{'enum':[[0],{'b':0}]} | {'b':-0.0} | true | true",
        "{'enum':[[0],{'b':0}]} | [0e1] | false | true",
        "{'enum':[[0],{'b':0}]} | [[0]] | false | false",
      })
  void nestedValuesCompareNumbersByValue(
      String schema, String text, boolean matches, boolean accepts) {
    for (JsonSchemaOptions o :
        List.of(JsonSchemaOptions.DEFAULTS, JsonSchemaOptions.DEFAULTS.flexible(2))) {
      CompiledConstraint c = JsonSchema.compile(q(schema), o);
      assertEquals(matches, c.matches(q(text)), "matches");
      assertEquals(accepts, c.accepts(q(text)), "accepts");
    }
  }

  /** The same in flexible whitespace: whitespace and member order stay, numbers are normalized. */
  @org.junit.jupiter.api.Test
  void normalizationKeepsWhitespace() {
    CompiledConstraint c =
        JsonSchema.compile(
            q("{'type':'object','properties':{'a':{'type':'number','minimum':0}}}"),
            JsonSchemaOptions.DEFAULTS.flexible(4));
    assertTrue(c.accepts("{ \"a\" : 1E+2 }"));
    assertFalse(c.matches("{ \"a\" : 1E+2 }"));
    assertTrue(c.matches("{ \"a\" : 100.00 }"));
    assertFalse(c.accepts("{ \"a\" : -1E+2 }"));
  }

  /** Constraints of other kinds have no normal form: {@code accepts} is {@code matches}. */
  @org.junit.jupiter.api.Test
  void otherKindsAcceptExactly() {
    CompiledConstraint c = Regex.compile("1\\.5|100");
    assertTrue(c.accepts("1.5"));
    assertFalse(c.accepts("1.50"));
    assertFalse(c.accepts("1E+2"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "1E+2 | 100",
        "2.5e-3 | 0.0025",
        "-0.0 | 0",
        "1.50 | 1.5",
        "[ 1.0 , {'x':-0e-0} ] | [ 1 , {'x':0} ]",
        "{'1.50':'2.50e1','v':2.50e1} | {'1.50':'2.50e1','v':25}",
        "'\\'1.0' | '\\'1.0'",
        "0e999999 | 0",
        "01 | null",
        "1. | null",
        "[1,] | null",
        "{'a':1.0 | null",
        "1 2 | null",
        "'\\x' | null",
        "1e100000 | null",
        "1e-100000 | null",
        "1e99999999999 | null",
      })
  void normalizer(String text, String expected) {
    String out = JsonText.normalizeNumbers(q(text), false);
    if (expected.equals("null")) {
      assertNull(out, text);
    } else {
      assertEquals(q(expected), out);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {"1E+2 | 100.0", "1.0 | 1.0", "-0 | 0", "-0.0 | 0.0", "7 | 7", "2.5e-1 | 0.25"})
  void draft04NormalizerKeepsNonIntegerTokens(String text, String expected) {
    assertEquals(expected, JsonText.normalizeNumbers(text, true));
  }

  // ---------------------------------------------------------------------------------------------
  // Duels against networknt

  private static final String[] MULTIPLES = {
    "1", "2", "3", "5", "7", "0.5", "0.2", "0.1", "0.05", "0.01"
  };

  private static BigDecimal randomDecimal(Random r, int maxScale, int range) {
    return BigDecimal.valueOf(r.nextInt(2 * range + 1) - range, r.nextInt(maxScale + 1));
  }

  /** A random number schema; its bounds and values go to {@code seeds}. */
  private static String randomNumberSchema(Random r, boolean draft04, List<BigDecimal> seeds) {
    List<String> kws = new ArrayList<>();
    switch (r.nextInt(4)) {
      case 0 -> kws.add("\"type\":\"integer\"");
      case 1 -> kws.add("\"type\":\"number\"");
      case 2 -> kws.add("\"type\":[\"integer\",\"string\"]");
      default -> {}
    }
    for (String kw : new String[] {"minimum", "maximum"}) {
      if (r.nextInt(3) == 0) {
        BigDecimal b = randomDecimal(r, 2, 300);
        seeds.add(b);
        kws.add("\"" + kw + "\":" + JsonText.number(b));
        if (draft04 && r.nextBoolean()) {
          String ex = kw.equals("minimum") ? "exclusiveMinimum" : "exclusiveMaximum";
          kws.add("\"" + ex + "\":true");
        }
      }
    }
    if (!draft04) {
      for (String kw : new String[] {"exclusiveMinimum", "exclusiveMaximum"}) {
        if (r.nextInt(4) == 0) {
          BigDecimal b = randomDecimal(r, 2, 300);
          seeds.add(b);
          kws.add("\"" + kw + "\":" + JsonText.number(b));
        }
      }
    }
    if (r.nextInt(3) == 0) {
      kws.add("\"multipleOf\":" + MULTIPLES[r.nextInt(MULTIPLES.length)]);
    }
    int values = r.nextInt(6);
    if (values == 1 && !draft04) { // networknt ignores const in draft-04
      BigDecimal v = randomDecimal(r, 2, 50);
      seeds.add(v);
      kws.add("\"const\":" + spell(r, v));
    } else if (values == 2) {
      List<String> e = new ArrayList<>();
      for (int i = 0; i < 1 + r.nextInt(4); i++) {
        BigDecimal v = randomDecimal(r, 2, 50);
        seeds.add(v);
        e.add(spell(r, v));
      }
      if (r.nextBoolean()) {
        e.add("\"x\"");
      }
      kws.add("\"enum\":[" + String.join(",", e) + "]");
    }
    return "{" + String.join(",", kws) + "}";
  }

  /**
   * A random schema for numbers, alone or under {@code properties}, {@code not}, {@code oneOf},
   * {@code anyOf} or {@code allOf}; whether the instance is wrapped as {@code {"amount": x}} is
   * told by the schema starting with {@code {"type":"object"}.
   */
  private static String randomSchema(Random r, String dialect, List<BigDecimal> seeds) {
    boolean draft04 = dialect.equals(DRAFT_04);
    String a = randomNumberSchema(r, draft04, seeds);
    String root =
        switch (r.nextInt(7)) {
          case 0, 1 -> a;
          case 2 -> "{\"type\":\"object\",\"properties\":{\"amount\":" + a + "}}";
          case 3 -> "{\"not\":" + a + "}";
          case 4 -> "{\"oneOf\":[" + a + "," + randomNumberSchema(r, draft04, seeds) + "]}";
          case 5 -> "{\"anyOf\":[" + a + "," + randomNumberSchema(r, draft04, seeds) + "]}";
          default -> "{\"allOf\":[" + a + "," + randomNumberSchema(r, draft04, seeds) + "]}";
        };
    if (dialect.isEmpty()) {
      return root;
    }
    return "{\"$schema\":\"" + dialect + "\"" + (root.equals("{}") ? "}" : "," + root.substring(1));
  }

  /**
   * A random JSON spelling of {@code v}: canonical, with trailing fraction zeros (an integer with a
   * zero fraction), negative zero, or with an exponent ({@code e}/{@code E}, optional sign, leading
   * zeros in the exponent), the mantissa possibly with trailing zeros too.
   */
  static String spell(Random r, BigDecimal v) {
    String s;
    switch (r.nextInt(5)) {
      case 0 -> s = JsonText.number(v);
      case 1, 2 -> {
        BigDecimal m = v.stripTrailingZeros();
        if (m.scale() < 0) {
          m = m.setScale(0);
        }
        s = m.setScale(m.scale() + 1 + r.nextInt(3)).toPlainString();
      }
      default -> {
        int e = r.nextInt(9) - 4;
        BigDecimal m = v.movePointLeft(e).stripTrailingZeros();
        if (m.scale() < 0) {
          m = m.setScale(0);
        }
        if (r.nextInt(3) == 0) {
          m = m.setScale(m.scale() + 1 + r.nextInt(2));
        }
        String sign = e < 0 || (e == 0 && r.nextInt(4) == 0) ? "-" : r.nextBoolean() ? "+" : "";
        String digits = "0".repeat(r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0) + Math.abs(e);
        s = m.toPlainString() + (r.nextBoolean() ? "e" : "E") + sign + digits;
      }
    }
    if (v.signum() == 0 && r.nextInt(3) == 0 && !s.startsWith("-")) {
      s = "-" + s;
    }
    return s;
  }

  /** A value near the schema's bounds and values, or random. */
  private static BigDecimal candidate(Random r, List<BigDecimal> seeds) {
    int k = r.nextInt(6);
    if (k == 0 || seeds.isEmpty()) {
      return randomDecimal(r, 3, 400);
    }
    if (k == 1) {
      return BigDecimal.ZERO;
    }
    BigDecimal s = seeds.get(r.nextInt(seeds.size()));
    return switch (k) {
      case 2 -> s;
      case 3 -> s.add(BigDecimal.valueOf(r.nextInt(5) - 2, r.nextInt(3)));
      case 4 -> s.negate();
      default -> s.setScale(0, java.math.RoundingMode.FLOOR);
    };
  }

  private static void duel(String dialect, long seed) {
    Random r = new Random(seed);
    int schemas = 0;
    int checked = 0;
    int valid = 0;
    int generable = 0;
    for (int round = 0; round < 40; round++) {
      List<BigDecimal> seeds = new ArrayList<>();
      String schema = randomSchema(r, dialect, seeds);
      boolean wrap = schema.contains("\"amount\"");
      com.networknt.schema.JsonSchema validator = JsonSchemaWalkTest.validator(schema);
      CompiledConstraint c;
      try {
        c = JsonSchema.compile(schema);
      } catch (EmptyConstraintException e) {
        c = null; // then no spelling may be valid
      } catch (SchemaException e) {
        // Empty within the free-form bounds (objects, arrays); numbers are not bounded, so again
        // no number may be valid.
        assertTrue(e.getMessage().contains("no document within the bounds"), e.getMessage());
        c = null;
      }
      schemas++;
      for (int i = 0; i < 30; i++) {
        String number = spell(r, candidate(r, seeds));
        String text = wrap ? "{\"amount\":" + number + "}" : number;
        boolean expected = validator.validate(text, InputFormat.JSON).isEmpty();
        String context = "schema " + schema + "\ntext " + text;
        if (c == null) {
          assertFalse(expected, "compiled as empty, but valid: " + context);
          continue;
        }
        boolean matches = c.matches(text);
        assertTrue(!matches || expected, () -> "generable but invalid: " + context);
        assertEquals(expected, c.accepts(text), () -> "accepts: " + context);
        checked++;
        valid += expected ? 1 : 0;
        generable += matches ? 1 : 0;
      }
    }
    assertTrue(schemas == 40 && checked >= 600, "too few checks: " + checked);
    assertTrue(valid >= checked / 10, "too few valid cases: " + valid + " of " + checked);
    assertTrue(generable < valid, "no valid case needs normalization");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void duel2020(long seed) {
    duel("", seed);
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14, 15})
  void duelDraft07(long seed) {
    duel(DRAFT_07, seed);
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23, 24, 25})
  void duelDraft04(long seed) {
    duel(DRAFT_04, seed);
  }

  // ---------------------------------------------------------------------------------------------
  // The closure operation itself, against BigDecimal

  /**
   * {@code spellings(L)} holds an exponent-free spelling iff its value's canonical text is in L.
   */
  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34})
  void spellingsMatchArithmetic(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 10; round++) {
      BigDecimal lo = randomDecimal(r, 2, 200);
      BigDecimal hi = lo.add(randomDecimal(r, 2, 200).abs());
      CharLang canonical = JsonLangs.atLeast(lo).intersect(JsonLangs.atMost(hi));
      boolean integralFractions = r.nextBoolean();
      if (!integralFractions) {
        canonical = canonical.intersect(JsonLangs.INT);
      }
      CharLang all = JsonLangs.spellings(canonical, integralFractions);
      CharLang again = JsonLangs.spellings(all, integralFractions);
      assertTrue(again.minus(all).isEmpty() && all.minus(again).isEmpty(), "idempotent");
      for (int i = 0; i < 200; i++) {
        BigDecimal v = candidate(r, List.of(lo, hi));
        String x = spell(r, v);
        boolean exponent = x.contains("e") || x.contains("E");
        boolean integerToken = !x.contains(".") && !exponent;
        boolean expected =
            !exponent
                && canonical.accepts(JsonText.number(v))
                && (integralFractions || integerToken);
        assertEquals(expected, all.accepts(x), x + " in spellings of [" + lo + ", " + hi + "]");
      }
    }
  }
}
