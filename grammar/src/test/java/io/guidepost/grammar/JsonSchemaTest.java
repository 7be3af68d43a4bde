package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Accept/reject tables per keyword, and the typed errors with their JSON pointers. */
class JsonSchemaTest {

  static boolean accepts(ByteDfa dfa, String doc) {
    return dfa.matches(doc.getBytes(StandardCharsets.UTF_8));
  }

  private static String q(String s) {
    return s.replace('\'', '"');
  }

  @ParameterizedTest(name = "{0} | {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'type':'null'} | null | true",
        "{'type':'null'} | 0 | false",
        "{'type':'boolean'} | true | true",
        "{'type':'boolean'} | 'true' | false",
        "{'type':['string','null']} | null | true",
        "{'type':['string','null']} | 'x' | true",
        "{'type':['string','null']} | 1 | false",
        "{'type':'integer'} | -12 | true",
        "{'type':'integer'} | 1.5 | false",
        "{'type':'integer'} | 01 | false",
        "{'type':'integer'} | -0 | true",
        "{'type':'integer'} | 7.00 | true",
        "{'type':'integer'} | 7.01 | false",
        "{'type':'number'} | -0.25 | true",
        "{'type':'number'} | 1.50 | true",
        "{'type':'number'} | 1e5 | true",
        "{'type':'number'} | -1.5E-05 | true",
        "{'type':'number'} | 1e+ | false",
        // Exponents of bounded numbers are not generated (CompiledConstraint.accepts takes them).
        "{'type':'number','minimum':0} | 1e5 | false",
        "{'type':'integer'} | 1e5 | false",
        "{'type':'integer','minimum':-5,'maximum':130} | 130 | true",
        "{'type':'integer','minimum':-5,'maximum':130} | 131 | false",
        "{'type':'integer','minimum':-5,'maximum':130} | -5 | true",
        "{'type':'integer','minimum':-5,'maximum':130} | -6 | false",
        "{'type':'integer','exclusiveMinimum':0} | 0 | false",
        "{'type':'integer','exclusiveMinimum':0} | 1 | true",
        "{'type':'integer','minimum':0,'exclusiveMinimum':true} | 0 | false",
        "{'type':'number','minimum':0.5,'maximum':2.25} | 2.25 | true",
        "{'type':'number','minimum':0.5,'maximum':2.25} | 2.251 | false",
        "{'type':'number','minimum':0.5,'maximum':2.25} | 0.49 | false",
        "{'type':'number','exclusiveMaximum':2.25} | 2.25 | false",
        "{'type':'number','exclusiveMaximum':2.25} | 2.2499 | true",
        "{'type':'integer','multipleOf':7} | 49 | true",
        "{'type':'integer','multipleOf':7} | 50 | false",
        "{'type':'number','multipleOf':0.5} | 1.5 | true",
        "{'type':'number','multipleOf':0.5} | 1.7 | false",
        // Remainder automata of a few hundred states (q * (scale + 2)).
        "{'type':'integer','multipleOf':33} | 99 | true",
        "{'type':'integer','multipleOf':33} | -66 | true",
        "{'type':'integer','multipleOf':33} | 100 | false",
        "{'type':'number','multipleOf':2.5} | 7.5 | true",
        "{'type':'number','multipleOf':2.5} | 7.25 | false",
        "{'type':'number','multipleOf':13.5} | 40.5 | true",
        "{'type':'number','multipleOf':13.5} | 40 | false",
        "{'type':'number','multipleOf':0.25} | 3.75 | true",
        "{'type':'number','multipleOf':0.25} | 3.7 | false",
        "{'type':'string','minLength':2,'maxLength':3} | 'ab' | true",
        "{'type':'string','minLength':2,'maxLength':3} | 'a' | false",
        "{'type':'string','minLength':2,'maxLength':3} | 'a\\n' | true",
        "{'type':'string','minLength':2,'maxLength':3} | 'abcd' | false",
        "{'type':'string','pattern':'^[A-Z][0-9]{2}$'} | 'E11' | true",
        "{'type':'string','pattern':'^[A-Z][0-9]{2}$'} | 'E111' | false",
        "{'type':'string','pattern':'[0-9]'} | 'ab1c' | true",
        "{'type':'string','format':'email','maxLength':1024} | 'a.b@example.com' | true",
        "{'type':'string','pattern':'^a{2,5}$','maxLength':3} | 'aaaa' | false",
        "{'type':'string','maxLength':1000} | 'abc' | true",
        "{'type':'string','pattern':'^a+$','maxLength':3} | 'aaa' | true",
        "{'type':'string','pattern':'^a+$','maxLength':3} | 'aaaa' | false",
        "{'type':'string','pattern':'^a+$','minLength':2} | 'a' | false",
        "{'type':'string','pattern':'^a{2,5}$','minLength':1} | 'aa' | true",
        "{'type':'string','format':'date'} | '2024-02-29' | true",
        "{'type':'string','format':'date'} | '2023-02-29' | false",
        "{'type':'string','format':'email'} | 'a.b@example.com' | true",
        "{'type':'string','format':'ipv4'} | '256.1.1.1' | false",
        "{'type':'string','format':'uuid'} | '123e4567-e89b-12d3-a456-426614174000' | true",
        "{'type':'string','format':'uri'} | 'https://example.com:8080/a/b?q=1#top' | true",
        "{'type':'string','format':'uri'} | 'mailto:user@example.com' | true",
        "{'type':'string','format':'uri'} | 'urn:isbn:0451450523' | true",
        "{'type':'string','format':'uri'} | 'file:///etc/hosts' | true",
        "{'type':'string','format':'uri'} | 'http://[2001:db8::1]/x' | true",
        "{'type':'string','format':'uri'} | '/relative/path' | false",
        "{'type':'string','format':'uri'} | 'no-scheme' | false",
        "{'type':'string','format':'uri'} | 'http://exa mple.com' | false",
        "{'type':'string','format':'uri'} | 'http:' | false",
        "{'type':'string','format':'uri'} | '1http://x' | false",
        "{'type':'string','format':'uri'} | 'http://x/%zz' | false",
        "{'enum':['a',1,null]} | 1 | true",
        "{'enum':['a',1,null]} | 'b' | false",
        "{'const':{'b':1,'a':[true]}} | {'b':1,'a':[true]} | true",
        "{'properties':{'a':{'type':'integer'},'b':{'type':'string'}},'required':['b']} | {'a':1,'b':'x'} | true",
        "{'properties':{'a':{'type':'integer'},'b':{'type':'string'}},'required':['b']} | {'b':'x'} | true",
        "{'properties':{'a':{'type':'integer'},'b':{'type':'string'}},'required':['b']} | {'a':1} | false",
        "{'properties':{'a':{'type':'integer'},'b':{'type':'string'}},'required':['b']} | {'b':'x','a':1} | false",
        "{'properties':{'a':{'type':'integer'}},'additionalProperties':false} | {'a':1,'c':2} | false",
        "{'properties':{'a':{'type':'integer'}}} | {'a':1,'c':2} | true",
        "{'properties':{'a':{'type':'integer'}}} | {'c':2,'a':1} | false",
        "{'properties':{'a':{'type':'integer'}},'additionalProperties':{'type':'string'}} | {'a':1,'c':'s'} | true",
        "{'properties':{'a':{'type':'integer'}},'additionalProperties':{'type':'string'}} | {'a':1,'c':2} | false",
        "{'properties':{'a':{'type':'integer'}},'additionalProperties':{'type':'string'}} | {'a':'s'} | false",
        "{'type':'object','minProperties':1,'maxProperties':2} | {} | false",
        "{'type':'object','minProperties':1,'maxProperties':2} | {'x':1,'y':2} | true",
        "{'type':'object','minProperties':1,'maxProperties':2} | {'x':1,'y':2,'z':3} | false",
        "{'type':'object','dependentRequired':{'a':['b']}} | {'a':1} | false",
        "{'type':'object','dependentRequired':{'a':['b']}} | {'a':1,'b':2} | true",
        "{'type':'object','patternProperties':{'^x':{'type':'integer'}},'additionalProperties':false} | {'x1':1} | true",
        "{'type':'object','patternProperties':{'^x':{'type':'integer'}},'additionalProperties':false} | {'x1':'a'} | false",
        "{'type':'object','patternProperties':{'^x':{'type':'integer'}},'additionalProperties':false} | {'y':1} | false",
        "{'type':'array','items':{'type':'integer'},'minItems':1,'maxItems':2} | [1,2] | true",
        "{'type':'array','items':{'type':'integer'},'minItems':1,'maxItems':2} | [] | false",
        "{'type':'array','items':{'type':'integer'},'minItems':1,'maxItems':2} | [1,2,3] | false",
        "{'type':'array','items':{'type':'integer'},'minItems':1,'maxItems':2} | [1,'a'] | false",
        "{'type':'array','prefixItems':[{'type':'string'},{'type':'integer'}],'items':false} | ['a',1] | true",
        "{'type':'array','prefixItems':[{'type':'string'},{'type':'integer'}],'items':false} | ['a'] | true",
        "{'type':'array','prefixItems':[{'type':'string'},{'type':'integer'}],'items':false} | ['a',1,2] | false",
        "{'type':'array','items':[{'type':'string'}],'additionalItems':{'type':'integer'}} | ['a',1,2] | true",
        "{'type':'array','items':[{'type':'string'}],'additionalItems':{'type':'integer'}} | ['a',1,'b'] | false",
        "{'anyOf':[{'type':'integer'},{'type':'string','maxLength':1}]} | 'a' | true",
        "{'anyOf':[{'type':'integer'},{'type':'string','maxLength':1}]} | 'ab' | false",
        "{'oneOf':[{'type':'integer'},{'type':'string'}]} | 3 | true",
        "{'oneOf':[{'type':'string'},{'type':'string','pattern':'^a'}]} | 'abc' | false",
        "{'oneOf':[{'type':'string'},{'type':'string','pattern':'^a'}]} | 'b' | true",
        "{'oneOf':[{'required':['a']},{'required':['b']}]} | {'a':1} | true",
        "{'oneOf':[{'required':['a']},{'required':['b']}]} | {'a':1,'b':2} | false",
        "{'not':{'type':'string','pattern':'a'}} | 'bb' | true",
        "{'not':{'type':'string','pattern':'a'}} | 'ba' | false",
        "{'not':{'type':'string','pattern':'a'}} | 7 | true",
        "{'oneOf':[{'type':'integer','minimum':0},{'type':'integer','maximum':10}]} | 5 | false",
        "{'oneOf':[{'type':'integer','minimum':0},{'type':'integer','maximum':10}]} | 11 | true",
        "{'oneOf':[{'type':'integer','minimum':0},{'type':'integer','maximum':10}]} | -1 | true",
        "{'allOf':[{'type':'integer','minimum':0},{'maximum':10}]} | 10 | true",
        "{'allOf':[{'type':'integer','minimum':0},{'maximum':10}]} | 11 | false",
        "{'allOf':[{'properties':{'a':{'type':'integer'}},'required':['a']},{'properties':{'b':{'type':'string'}},'required':['b']}]} | {'a':1,'b':'x'} | true",
        "{'allOf':[{'properties':{'a':{'type':'integer'}},'required':['a']},{'properties':{'b':{'type':'string'}},'required':['b']}]} | {'a':1} | false",
        "{'not':{'type':'string'}} | 1 | true",
        "{'not':{'type':'string'}} | 'a' | false",
        "{'type':'object','properties':{'a':{}},'not':{'required':['a']}} | {} | true",
        "{'type':'object','properties':{'a':{}},'not':{'required':['a']}} | {'a':1} | false",
        "{'if':{'type':'integer'},'then':{'minimum':5},'else':{'type':'string'}} | 7 | true",
        "{'if':{'type':'integer'},'then':{'minimum':5},'else':{'type':'string'}} | 3 | false",
        "{'if':{'type':'integer'},'then':{'minimum':5},'else':{'type':'string'}} | 'x' | true",
        "{'$defs':{'p':{'type':'integer'}},'properties':{'a':{'$ref':'#/$defs/p'}}} | {'a':1} | true",
        "{'$defs':{'p':{'type':'integer'}},'properties':{'a':{'$ref':'#/$defs/p'}}} | {'a':'1'} | false",
        "{'definitions':{'n':{'type':'object','properties':{'c':{'$ref':'#/definitions/n'}}}},'$ref':'#/definitions/n'} | {'c':{'c':{}}} | true",
        "{'$schema':'http://json-schema.org/draft-07/schema#','definitions':{'a':{'type':'integer'}},'$ref':'#/definitions/a','minimum':5} | 3 | true",
        "{'$defs':{'a':{'type':'integer'}},'$ref':'#/$defs/a','minimum':5} | 3 | false",
        "{'title':'t','description':'d','$comment':'c','examples':[1],'default':1} | [1,{'a':null}] | true",
      })
  void acceptRejectTable(String schema, String doc, boolean expected) {
    CompiledConstraint c = JsonSchema.compile(q(schema));
    assertEquals(expected, c.matches(q(doc)), () -> schema + " on " + doc);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{'type':'string','maxLenght':1} | /maxLenght | maxLenght | schema-unsupported",
        "{'properties':{'a':{'unevaluatedItems':false}}} | /properties/a/unevaluatedItems | unevaluatedItems | schema-unsupported",
        "{'type':'strung'} | /type | type | schema-invalid",
        "{'type':'string','minLength':-1} | /minLength | minLength | schema-invalid",
        "{'$ref':'http://example.com/x.json'} | /$ref | $ref | schema-unsupported",
        "{'$ref':'#/$defs/missing'} | /$ref | $ref | schema-invalid",
        "{'type':'array','uniqueItems':true} | /uniqueItems | uniqueItems | schema-unsupported",
        "{'type':'string','pattern':'(a)\\\\1'} | /pattern | pattern | schema-unsupported",
        "{'type':'number','multipleOf':0.123456789} | /multipleOf | multipleOf | schema-unsupported",
        "{'type':'string','pattern':'[a-'} | /pattern | pattern | schema-invalid",
        "{'type':'string','not':{'format':'email'}} | /not | not | schema-unsupported",
        "{'$defs':{'n':{'type':'array','items':{'$ref':'#/$defs/n'}}},'oneOf':[{'$ref':'#/$defs/n'},{'type':'array','maxItems':1}]} | /oneOf | oneOf | schema-unsupported",
        "{'$defs':{'n':{'type':'array','items':{'$ref':'#/$defs/n'}}},'not':{'$ref':'#/$defs/n'}} | /not | not | schema-unsupported",
      })
  void typedErrors(String schema, String pointer, String keyword, String type) {
    SchemaException e = assertThrows(SchemaException.class, () -> JsonSchema.compile(q(schema)));
    assertEquals(pointer, e.jsonPointer(), e.getMessage());
    assertEquals(keyword, e.keyword(), e.getMessage());
    assertEquals(type, e.type(), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void unsupportedKeywordMessageNamesKeywordAndPointer() {
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () -> JsonSchema.compile(q("{'properties':{'a':{'maxlength':3}}}")));
    assertEquals(
        "unsupported JSON Schema at /properties/a/maxlength (keyword \"maxlength\"): unknown"
            + " keyword \"maxlength\": did you mean \"maxLength\"? (a near miss of an assertion"
            + " keyword is not taken for an annotation)",
        e.getMessage());
  }

  /** Keywords that cannot be assertions are ignored: the automaton is the one without them. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'x-vendor':{'minLength':9}",
        "'_format':'email'",
        "'_uniqueItems':true",
        "'$license':'MIT'",
        "'$$target':'#/a'",
        "'readonly':true",
        "'example':'abcdefghijk'",
        "'links':[{'rel':'self'}]",
        "'javaType':'com.example.A'",
        "'enumNames':['A']",
        "'errorMessage':'no'",
        "'$comment':'c'",
        "'deprecated':true"
      })
  void nonAssertionKeywordsAreIgnored(String extra) {
    String base = "{'type':'string','maxLength':4}";
    String with = base.substring(0, base.length() - 1) + "," + extra + "}";
    ByteDfa plain = JsonSchema.compile(q(base)).dfa();
    ByteDfa ignored = JsonSchema.compile(q(with)).dfa();
    java.util.Random r = new java.util.Random(extra.hashCode());
    String alphabet = "ab\"\\x1";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(9);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String doc = sb.toString();
      assertEquals(accepts(plain, doc), accepts(ignored, doc), doc);
    }
    assertTrue(accepts(ignored, "\"abcd\""));
    assertFalse(accepts(ignored, "\"abcde\""));
  }

  /** Typos of assertions and assertions not implemented stay errors. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "maxlength",
    "additionalproperties",
    "extends",
    "requires",
    "unevaluatedItems",
    "$dynamicRef",
    "$recursiveRef",
    "$Ref"
  })
  void assertionLikeKeywordsAreRejected(String keyword) {
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () -> JsonSchema.compile(q("{'type':'string','" + keyword + "':'x'}")));
    assertEquals(keyword, e.keyword(), e.getMessage());
  }

  /**
   * Completeness claims: languages without deliberate bounds are complete; free-form values,
   * formats, capped lengths and complements are not. The claim is compositional, hence
   * conservative: a branch without {@code type} counts as free-form even where a sibling {@code
   * type} excludes the free-form kinds.
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'type':'string','maxLength':5} | true",
        "{'type':'string','maxLength':1024} | true",
        "{'type':'string','maxLength':1025} | false",
        "{'type':'string','format':'date'} | true", // an exact format
        "{'type':'string','format':'email'} | false",
        "{'type':'string','pattern':'^a+$'} | true",
        "{'type':'string','pattern':'^.+$'} | true", // escapes written canonically
        "{'type':'object','properties':{'a':{'type':'integer'}},'additionalProperties':false} | true",
        "{'type':'object','properties':{'a':{'type':'integer'}}} | false",
        "{'type':'array','items':{'type':'boolean'}} | true",
        "{'type':'array'} | false",
        "{'type':'array','items':[{'type':'null'}],'maxItems':1} | true",
        "{'enum':[1,'a',{'b':[true]}]} | true",
        "{'not':{'type':'string'}} | false",
        "{'type':'string','not':{'const':'a'}} | false",
        "{'oneOf':[{'type':'integer','minimum':3},{'type':'integer','maximum':5}]} | true",
        "{'type':'integer','oneOf':[{'minimum':3},{'maximum':5}]} | false", // conservative
        "{'oneOf':[{'type':'object','properties':{'a':{'type':'null'}},'required':['a'],"
            + "'additionalProperties':false},{'type':'object','properties':{'a':{'type':'null'},"
            + "'b':{'type':'null'}},'required':['b'],'additionalProperties':false}]} | true",
        "{'type':'object','oneOf':[{'required':['a']},{'required':['b']}]} | false"
      })
  void completenessIsClaimedOnlyWithoutBounds(String schema, boolean complete) {
    JsonSchemaCompiler.Lang l =
        JsonSchema.compileLang(JsonReader.parse(q(schema)), JsonSchemaOptions.DEFAULTS);
    assertEquals(complete, l.complete(), schema);
  }

  /**
   * Long strings are counted up to 1,024 characters; where that makes the automaton too large, the
   * schema is compiled again with lengths counted up to 200 instead of failing.
   */
  @Test
  void longStringBoundsFallBackToTheSmallerCapInsteadOfFailing() {
    String schema =
        q(
            "{'type':'object','properties':{'a':{'type':'string','maxLength':5000},"
                + "'b':{'type':'string','maxLength':5000},'c':{'type':'string','maxLength':5000}},"
                + "'required':['a','b','c'],'additionalProperties':false}");
    String one = q("{'type':'string','maxLength':5000}");
    ByteDfa wide = JsonSchema.compile(one).dfa();
    assertTrue(accepts(wide, "\"" + "x".repeat(1024) + "\""));
    assertFalse(accepts(wide, "\"" + "x".repeat(1025) + "\""));
    JsonSchemaOptions small =
        JsonSchemaOptions.DEFAULTS.withLimits(GrammarLimits.DEFAULTS.withMaxDfaStates(30_000));
    assertTrue(JsonSchema.compile(one, small).dfa().stateCount() > 10_000);
    ByteDfa dfa = JsonSchema.compile(schema, small).dfa();
    String s200 = "\"" + "y".repeat(200) + "\"";
    String s201 = "\"" + "y".repeat(201) + "\"";
    assertTrue(accepts(dfa, "{\"a\":" + s200 + ",\"b\":\"\",\"c\":" + s200 + "}"));
    assertFalse(accepts(dfa, "{\"a\":" + s201 + ",\"b\":\"\",\"c\":\"\"}"));
    assertFalse(
        JsonSchema.compileLang(JsonReader.parse(schema), small).complete(),
        "a capped length is not complete");
  }

  /**
   * Complements ({@code not}, overlapping {@code oneOf}) are taken in a universe that is narrowed
   * only where the complemented subschema looks: a {@code oneOf} over {@code required} keeps
   * free-form members with several additional members and strings with escapes, while a subschema
   * that looks at additional members still never lets a duplicate key hide one.
   */
  @Test
  void complementsAreNarrowedOnlyWhereTheSubschemaLooks() {
    ByteDfa one =
        JsonSchema.compile(
                q(
                    "{'type':'object','properties':{'a':{'type':'integer'},'b':{'type':'string'},"
                        + "'kv':{'type':'object'}},'oneOf':[{'required':['a']},{'required':['b']}]}"))
            .dfa();
    assertTrue(accepts(one, "{\"a\":1,\"kv\":{\"x\":\"1\",\"y\":\"2\"}}"));
    assertTrue(accepts(one, "{\"b\":\"say \\\"hi\\\"\\n\"}"));
    assertTrue(accepts(one, "{\"a\":1,\"p\":2,\"q\":[3]}"));
    assertFalse(accepts(one, "{\"a\":1,\"b\":\"x\"}"));
    assertFalse(accepts(one, "{\"kv\":{}}"));

    ByteDfa not =
        JsonSchema.compile(
                q(
                    "{'type':'object','properties':{'a':{},'m':{'type':'object'}},"
                        + "'not':{'required':['a']}}"))
            .dfa();
    assertTrue(accepts(not, "{\"m\":{\"p\":1,\"q\":2},\"z\":\"s\",\"w\":true}"));
    assertFalse(accepts(not, "{\"a\":1}"));

    // Looks at additional members: at most one, so {"x":1,"x":"s"} (parsed: {"x":"s"}) is out.
    ByteDfa extras =
        JsonSchema.compile(q("{'type':'object','not':{'additionalProperties':{'type':'string'}}}"))
            .dfa();
    assertTrue(accepts(extras, "{\"x\":1}"));
    assertFalse(accepts(extras, "{\"x\":1,\"x\":\"s\"}"));
    assertFalse(accepts(extras, "{\"x\":\"s\"}"));

    // A branch that closes the object (additionalProperties: false) narrows that object only.
    ByteDfa closed =
        JsonSchema.compile(
                q(
                    "{'oneOf':[{'type':'object','additionalProperties':false,'required':['a'],"
                        + "'properties':{'a':{'type':'string'},'c':{'type':'object'}}},"
                        + "{'type':'object','properties':{'a':{'type':'string','pattern':'^x'},"
                        + "'c':{}}}]}"))
            .dfa();
    assertTrue(accepts(closed, "{\"a\":\"b\",\"c\":{\"m\":\"say \\\"hi\\\"\",\"n\":2,\"o\":[]}}"));
    assertFalse(accepts(closed, "{\"a\":\"xy\",\"c\":{}}"));
    assertFalse(accepts(closed, "{\"a\":\"b\",\"z\":1,\"y\":2}"));

    // Patterns at the location itself: strings needing escapes stay out there.
    ByteDfa pat =
        JsonSchema.compile(
                q("{'oneOf':[{'type':'string','pattern':'^a'},{'type':'string','pattern':'b$'}]}"))
            .dfa();
    assertTrue(accepts(pat, "\"ax\""));
    assertFalse(accepts(pat, "\"ab\""));
    assertFalse(accepts(pat, "\"a\\n\""));
  }

  /** The MaskBench harness spelling: only integral numbers parsed with a fraction keep it. */
  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource({
    "12345.0, 12345, 12345.0",
    "0.0, 0, 0.0",
    "-2.00, -2, -2.00",
    "1.50, 1.5, 1.5",
    "1e2, 100, 100",
    "7, 7, 7"
  })
  void integralFractionsKeepTheirSpellingOnlyOnRequest(
      String number, String canonical, String kept) {
    JsonValue v = JsonReader.parse("[" + number + "]");
    assertEquals("[" + canonical + "]", JsonText.write(v, null));
    assertEquals("[" + kept + "]", JsonText.write(v, null, true));
  }

  /**
   * The complement universe follows the schema's own nesting: an overlapping {@code oneOf} no
   * longer cuts declared members three levels down (MaskBench o83138).
   */
  @org.junit.jupiter.api.Test
  void overlappingOneOfKeepsDeclaredNesting() {
    String schema =
        "{'type':'object','oneOf':[{'properties':{'e':{'type':'string'}},'required':['e']},"
            + "{'properties':{'lock':{'type':'object','properties':{'c':{'type':'object',"
            + "'properties':{'n':{'type':'object','properties':{'m':{'type':'string'}}}}}}}},"
            + "'required':['lock']}]}";
    ByteDfa dfa = JsonSchema.compile(q(schema)).dfa();
    assertTrue(accepts(dfa, q("{'lock':{'c':{'n':{'m':'x'}}}}")));
    assertTrue(accepts(dfa, q("{'e':'x'}")));
    assertFalse(accepts(dfa, q("{'e':'x','lock':{}}")));
  }

  @org.junit.jupiter.api.Test
  void emptyLanguageIsTyped() {
    assertThrows(
        EmptyConstraintException.class,
        () -> JsonSchema.compile(q("{'type':'string','minLength':5,'maxLength':2}")));
    assertThrows(EmptyConstraintException.class, () -> JsonSchema.compile("false"));
    // Satisfiable ({"o":{"a":1,"b":2}}), but not within one additional member under not: the
    // error says so instead of claiming that no document satisfies the schema.
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () ->
                JsonSchema.compile(
                    q(
                        "{'type':'object','properties':{'o':{'type':'object'}},'required':['o'],"
                            + "'not':{'properties':{'o':{'maxProperties':1}}}}")));
    assertEquals("schema-unsupported", e.type());
    assertTrue(e.getMessage().contains("may be satisfiable"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void malformedJsonReportsOffset() {
    InvalidConstraintException e =
        assertThrows(InvalidConstraintException.class, () -> JsonSchema.compile("{\"type\":}"));
    assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void flexibleWhitespaceIsBounded() {
    CompiledConstraint c =
        JsonSchema.compile(
            q("{'type':'object','properties':{'a':{'type':'array','items':{'type':'integer'}}}}"),
            JsonSchemaOptions.DEFAULTS.flexible(2));
    assertTrue(c.matches("{ \"a\" :\n[ 1 , 2 ] }"));
    assertTrue(c.matches("{\"a\":[1,2]}"));
    assertFalse(c.matches("{   \"a\":[1]}"));
    assertFalse(c.matches(" {\"a\":[1]}"));
  }

  @org.junit.jupiter.api.Test
  void escapesAreCanonical() {
    ByteDfa dfa = JsonSchema.compile(q("{'type':'string'}")).dfa();
    assertTrue(accepts(dfa, "\"a\\\"b\\\\c\\n\\u0001\""));
    assertTrue(accepts(dfa, "\"\u00e9\uD83D\uDE00\""));
    assertFalse(accepts(dfa, "\"\\u0041\""));
    assertFalse(accepts(dfa, "\"\\/\""));
    assertFalse(accepts(dfa, "\"\u0001\""));
  }
}
