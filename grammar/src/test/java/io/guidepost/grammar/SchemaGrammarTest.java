package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON Schema on the context-free layer ({@link SchemaGrammar}): recursion and free-form values
 * exact, the structural form equal to the DFA path wherever both apply, fallbacks reported.
 */
class SchemaGrammarTest {

  static final String TREE =
      """
      {"$defs": {"n": {"type": "object",
        "properties": {"v": {"type": "integer"}, "c": {"type": "array", "items": {"$ref": "#/$defs/n"}}},
        "required": ["v"], "additionalProperties": false}},
       "$ref": "#/$defs/n"}""";

  static final String FREE =
      """
      {"type": "object", "properties": {"meta": true}, "required": ["meta"],
       "additionalProperties": false}""";

  /** Schemas the DFA path compiles exactly (no free-form value, no recursion). */
  static final List<String> REGULAR =
      List.of(
          "{'type':'object','properties':{'a':{'type':'integer'},'b':{'type':'string','maxLength':3}},"
              + "'required':['a'],'additionalProperties':false}",
          "{'type':'object','properties':{'x':{'type':'null'},'y':{'type':'boolean'},"
              + "'z':{'type':'integer','minimum':0,'maximum':20}},'additionalProperties':false}",
          "{'type':'array','items':{'type':'boolean'},'minItems':1,'maxItems':3}",
          "{'type':'array','prefixItems':[{'type':'integer'},{'type':'string','maxLength':2}],"
              + "'items':false}",
          "{'type':'array','prefixItems':[{'type':'null'}],'items':{'type':'integer'},"
              + "'minItems':2,'maxItems':4}",
          "{'type':'object','properties':{'l':{'type':'array','items':{'type':'object',"
              + "'properties':{'k':{'enum':['p','q']}},'required':['k'],"
              + "'additionalProperties':false},'maxItems':2}},'additionalProperties':false}",
          "{'anyOf':[{'type':'integer'},{'type':'object','properties':{'x':{'type':'null'}},"
              + "'additionalProperties':false}]}",
          "{'type':['null','object'],'properties':{'k':{'type':'boolean'}},'required':['k'],"
              + "'additionalProperties':false}",
          "{'type':'object','properties':{'a':{'type':'null'}},"
              + "'additionalProperties':{'type':'integer','maximum':9}}",
          "{'allOf':[{'type':'object','properties':{'a':{'type':'integer'},'b':{'type':'null'}},"
              + "'additionalProperties':false},{'required':['a']}]}",
          "{'allOf':[{'enum':[1,'x',null,2.5]},{'type':['integer','null']}]}",
          "{'type':'object','properties':{'s':{'type':'string','pattern':'^[a-c]+$'}},"
              + "'required':['s'],'additionalProperties':false}");

  static String q(String s) {
    return s.replace('\'', '"');
  }

  static Stream<Arguments> regular() {
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < REGULAR.size(); i++) {
      for (int ws : new int[] {0, 2}) {
        out.add(Arguments.of(i, ws));
      }
    }
    return out.stream();
  }

  /** {@code schema} compiled as {@link JsonSchema#compile} does, with what tests ask of it. */
  static JsonSchema.Compiled compiled(String schema) {
    return CharLang.withLimits(
        JsonSchemaOptions.DEFAULTS.limits(),
        () ->
            JsonSchema.compileParsed(
                JsonReader.parse(schema), JsonSchemaOptions.DEFAULTS, System.nanoTime()));
  }

  /** The schema taken apart structurally (no DFA leaves for objects and arrays). */
  static CompiledConstraint structural(String schema, JsonSchemaOptions o) {
    return CharLang.withLimits(
        o.limits(),
        () -> {
          JsonSchemaCompiler c = new JsonSchemaCompiler(JsonReader.parse(schema), o);
          c.compileRoot();
          return JsonSchema.contextFree(
              new SchemaGrammar(c, c.state(), false), o, System.nanoTime(), true, null);
        });
  }

  /**
   * On schemas both paths compile exactly, the structural grammar and the DFA allow the same next
   * bytes after every prefix of random documents (so every token mask is the same) and agree on
   * whole texts, mutated ones included.
   */
  @ParameterizedTest(name = "schema {0}, whitespace {1}")
  @MethodSource("regular")
  void structuralFormAgreesWithTheDfaPath(int index, int ws) {
    String schema = q(REGULAR.get(index));
    JsonSchemaOptions o =
        ws == 0 ? JsonSchemaOptions.DEFAULTS : JsonSchemaOptions.DEFAULTS.flexible(ws);
    CompiledConstraint dfa = JsonSchema.compile(schema, o);
    assertFalse(dfa.isContextFree(), "bounded nothing, so the DFA path: " + schema);
    CompiledConstraint cfg = structural(schema, o);
    assertNotNull(cfg, "structural form of " + schema);
    assertTrue(cfg.isContextFree());
    ByteDfa d = dfa.dfa();
    EarleyParser parser = cfg.grammar().newParser();
    Random r = new Random(index * 31L + ws);
    List<String> docs = JsonSchemaWalkTest.walks(d, index * 7L + ws, 40, 30);
    for (String doc : docs) {
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      parser.popTo(0);
      int state = d.initialState();
      for (int i = 0; i <= bytes.length; i++) {
        int at = parser.depth();
        for (int b = 0; b < 256; b++) {
          int next = d.step(state, b);
          boolean dfaAllows = next >= 0 && d.isLive(next);
          boolean cfgAllows = parser.push(b);
          parser.popTo(at);
          int pos = i;
          int bb = b;
          assertEquals(
              dfaAllows,
              cfgAllows,
              () ->
                  schema
                      + ": byte "
                      + bb
                      + " after '"
                      + doc.substring(0, Math.min(pos, doc.length()))
                      + "'");
        }
        assertEquals(d.isAccepting(state), parser.isAccepting(), () -> schema + " on " + doc);
        if (i < bytes.length) {
          state = d.step(state, bytes[i] & 0xFF);
          assertTrue(parser.push(bytes[i] & 0xFF));
        }
      }
      // mutations: a byte changed, dropped or doubled
      for (int m = 0; m < 10 && bytes.length > 0; m++) {
        StringBuilder sb = new StringBuilder(doc);
        int at = r.nextInt(sb.length());
        switch (m % 3) {
          case 0 -> sb.setCharAt(at, "{}[]\",:0a-1 ".charAt(r.nextInt(12)));
          case 1 -> sb.deleteCharAt(at);
          default -> sb.insert(at, sb.charAt(at));
        }
        String t = sb.toString();
        assertEquals(dfa.matches(t), cfg.matches(t), () -> schema + " on mutated " + t);
      }
    }
  }

  @Test
  void recursionIsExactAtAnyDepth() {
    CompiledConstraint c = JsonSchema.compile(TREE);
    assertTrue(c.isContextFree());
    String deep = "{\"v\":0}";
    for (int i = 1; i <= 40; i++) {
      deep = "{\"v\":" + i + ",\"c\":[" + deep + ",{\"v\":-1}]}";
    }
    assertTrue(c.matches(deep));
    assertFalse(c.matches(deep.replace("{\"v\":0}", "{\"v\":\"0\"}")), "a string deep inside");
    assertFalse(c.matches(deep.replace("{\"v\":0}", "{}")), "a node without its v deep inside");
    assertFalse(c.matches(deep.replace("{\"v\":0}", "{\"v\":0,\"x\":1}")), "an extra member");
    assertFalse(c.matches(deep + "}"));
  }

  /** Random trees, valid and not, judged by the compiled schema and by networknt alike. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void recursiveSchemaDuelsTheValidator(long seed) {
    String schema =
        q(
            "{'$defs':{'e':{'anyOf':[{'type':'integer','minimum':0},"
                + "{'type':'array','items':{'$ref':'#/$defs/e'},'maxItems':3}]},"
                + "'n':{'type':'object','properties':{'v':{'$ref':'#/$defs/e'},"
                + "'c':{'type':'array','items':{'$ref':'#/$defs/n'}}},'required':['v'],"
                + "'additionalProperties':false}},"
                + "'allOf':[{'$ref':'#/$defs/n'},{'properties':{'v':{'type':'array'}}}]}");
    JsonSchema.Compiled compiled = compiled(schema);
    CompiledConstraint c = compiled.constraint();
    assertTrue(c.isContextFree(), () -> "fallback: " + compiled.fallbackReason());
    assertTrue(compiled.complete());
    com.networknt.schema.JsonSchema v = JsonSchemaWalkTest.validator(schema);
    Random r = new Random(seed);
    int valid = 0;
    for (int i = 0; i < 300; i++) {
      String doc = node(r, 0);
      String text = JsonText.write(JsonReader.parse(doc), compiled.compiler().keyOrder(), false);
      boolean expected = v.validate(doc, InputFormat.JSON).isEmpty();
      assertEquals(expected, c.matches(text), () -> text);
      valid += expected ? 1 : 0;
    }
    assertTrue(valid > 20 && valid < 280, "both outcomes, valid " + valid);
    for (String doc : new GrammarSampler(c.grammar()).samples(seed, 200, 12, 6)) {
      assertEquals(java.util.Set.of(), v.validate(doc, InputFormat.JSON), doc);
    }
  }

  private static String node(Random r, int depth) {
    StringBuilder sb = new StringBuilder("{");
    List<String> members = new ArrayList<>();
    if (r.nextInt(10) > 0) {
      members.add("\"v\":" + element(r, depth + 1));
    }
    if (depth < 4 && r.nextBoolean()) {
      List<String> kids = new ArrayList<>();
      for (int k = r.nextInt(3); k > 0; k--) {
        kids.add(node(r, depth + 1));
      }
      members.add("\"c\":[" + String.join(",", kids) + "]");
    }
    if (r.nextInt(20) == 0) {
      members.add("\"x\":1");
    }
    return sb.append(String.join(",", members)).append('}').toString();
  }

  private static String element(Random r, int depth) {
    int k = r.nextInt(depth > 4 ? 2 : 5);
    if (k == 0) {
      return Integer.toString(r.nextInt(5) - 1);
    }
    if (k == 1) {
      return r.nextInt(8) == 0 ? "\"s\"" : "[]";
    }
    List<String> items = new ArrayList<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      items.add(element(r, depth + 1));
    }
    return "[" + String.join(",", items) + "]";
  }

  @Test
  void freeFormValuesNestAtAnyDepth() {
    CompiledConstraint c = JsonSchema.compile(FREE);
    assertTrue(c.isContextFree());
    String v = "1";
    for (int i = 0; i < 10; i++) {
      v = i % 2 == 0 ? "[" + v + ",\"a\\\"\",null]" : "{\"k" + i + "\":" + v + ",\"e\":{}}";
    }
    assertTrue(c.matches("{\"meta\":" + v + "}"), v);
    assertFalse(c.matches("{\"meta\":" + v + "]}"));
    // the speed hint keeps the bounded DFA path
    CompiledConstraint hinted =
        JsonSchema.compile(FREE, JsonSchemaOptions.DEFAULTS.withAnyValueDepth(2));
    assertFalse(hinted.isContextFree());
    assertFalse(hinted.matches("{\"meta\":" + v + "}"));
  }

  @Test
  void declaredNamesNeverRepeat() {
    CompiledConstraint c =
        JsonSchema.compile(q("{'type':'object','properties':{'a':{'type':'integer'}}}"));
    assertTrue(c.isContextFree());
    assertTrue(c.matches("{\"a\":1,\"b\":{\"c\":[1,{\"d\":null}]}}"));
    assertFalse(c.matches("{\"a\":1,\"a\":2}"));
    assertFalse(c.matches("{\"a\":1,\"b\":2,\"a\":3}"));
    assertFalse(c.matches("{\"a\":\"x\"}"));
    // names the schema does not know may repeat (documented: a grammar keeps no set of names)
    assertTrue(c.matches("{\"a\":1,\"x\":2,\"x\":3}"));
  }

  @Test
  void whatCannotBeTakenApartFallsBackAndSaysWhy() {
    String schema = q("{'type':'object','properties':{'a':true},'not':{'required':['b']}}");
    JsonSchema.Compiled c = compiled(schema);
    assertFalse(c.constraint().isContextFree());
    assertFalse(c.complete());
    assertNotNull(c.fallbackReason());
    assertTrue(c.fallbackReason().contains("not"), c.fallbackReason());
    JsonSchema.Compiled tree = compiled(TREE);
    assertNull(tree.fallbackReason());
    assertTrue(tree.complete());
  }

  @Test
  void aSubsetSaysWhichBoundItAppliesAndWhere() {
    JsonSchema.Compiled date =
        compiled(q("{'type':'object','properties':{'d':{'type':'string','format':'email'}}}"));
    assertEquals("/properties/d: format \"email\"", date.subsetReason());
    JsonSchema.Compiled not = compiled(q("{'type':'string','not':{'const':'x'}}"));
    assertEquals("the root: not, taken within the complement universe", not.subsetReason());
    // beside a pattern, characters that need escapes are written as canonical escapes: complete
    JsonSchema.Compiled patterned = compiled(q("{'type':'string','pattern':'^a'}"));
    assertNull(patterned.subsetReason());
    assertTrue(patterned.constraint().matches("\"a\\\"b\\n\\u001f\\\\\""));
    assertFalse(patterned.constraint().matches("\"a\\u0022\""), "only canonical escapes");
    assertFalse(patterned.constraint().matches("\"\\u0061\""), "the decoded value must match");
    assertNull(compiled(TREE).subsetReason());
  }

  @Test
  void negationsWithAPositiveFormNeedNoComplementUniverse() {
    // not {not X} is X: exact and complete, free-form values on the context-free layer
    JsonSchema.Compiled twice =
        compiled(
            q(
                "{'allOf':[{'type':'object'},{'not':{'not':{'properties':{'a':{'type':'integer'}},"
                    + "'required':['a']}}}]}"));
    assertNull(twice.subsetReason());
    assertTrue(twice.constraint().matches("{\"a\":1,\"b\":[[[[[[{}]]]]]]}"));
    assertFalse(twice.constraint().matches("{\"a\":\"1\"}"));
    assertFalse(twice.constraint().matches("{\"b\":1}"));
    // not false is anything, not true and not {} (annotations only) are nothing
    assertNull(compiled(q("{'not':false}")).subsetReason());
    assertTrue(compiled(q("{'not':false}")).constraint().matches("[[[[[[[[[[1]]]]]]]]]]"));
    assertFalse(
        compiled(q("{'anyOf':[{'not':true},{'not':{'title':'t'}},{'type':'null'}]}"))
            .constraint()
            .matches("1"));
    // a typo inside the folded negation is still an error
    assertThrows(
        SchemaException.class, () -> compiled(q("{'not':{'not':{'type':'string'},'requird':[]}}")));
  }

  @Test
  void patternPropertiesAroundFreeFormValuesAreTakenApart() {
    String schema =
        q(
            "{'type':'object','properties':{'id':{'type':'integer'},'nb':{'type':'number'}},"
                + "'patternProperties':{'^x-':true,'^n':{'type':'number'},'b$':{'type':'string'}},"
                + "'additionalProperties':false}");
    JsonSchema.Compiled c = compiled(schema);
    assertTrue(c.constraint().isContextFree(), String.valueOf(c.fallbackReason()));
    assertNull(c.subsetReason());
    com.networknt.schema.JsonSchema v = JsonSchemaWalkTest.validator(schema);
    String deep = "[[[[[[{\"a\":[1]}]]]]]]";
    for (String doc :
        List.of(
            "{\"id\":1,\"x-meta\":" + deep + "}",
            "{\"id\":1,\"n1\":2.5}",
            "{\"id\":1,\"n1\":\"s\"}",
            "{\"id\":1,\"other\":1}",
            "{\"x-b\":\"s\"}",
            "{\"x-b\":1}",
            "{\"nb\":\"s\"}", // declared and matched by b$: a number and a string at once
            "{\"nb\":1}",
            "{\"id\":1.5}",
            "{\"x-\\\"q\":[]}", // a name that needs an escape, matching ^x-
            "{\"n\\n\":\"s\"}")) {
      boolean valid = v.validate(doc, com.networknt.schema.InputFormat.JSON).isEmpty();
      assertEquals(valid, c.constraint().matches(doc), doc);
    }
    assertTrue(c.constraint().matches("{\"id\":1,\"x-meta\":" + deep + "}"));
  }

  @Test
  void aCycleThroughManyBranchesIsCutNotUnrolled() {
    // Like an expression language: every operator is an object whose one member is an
    // expression. Unrolled, the key-order tree would have (operators)^(unroll depth) nodes.
    StringBuilder branches = new StringBuilder("{'type':'number'}");
    for (int i = 0; i < 14; i++) {
      branches
          .append(",{'type':'object','required':['op")
          .append(i)
          .append("'],'additionalProperties':false,'properties':{'op")
          .append(i)
          .append("':{'$ref':'#/$defs/e'}}}");
    }
    String schema = q("{'$defs':{'e':{'anyOf':[" + branches + "]}},'$ref':'#/$defs/e'}");
    JsonSchema.Compiled c = compiled(schema);
    assertTrue(c.constraint().isContextFree());
    assertTrue(c.complete(), c.subsetReason());
    assertTrue(c.constraint().matches("{\"op3\":{\"op13\":{\"op0\":{\"op3\":{\"op7\":1.5}}}}}"));
    assertFalse(c.constraint().matches("{\"op3\":{\"op13\":{\"op0\":{\"op3\":{\"op7\":\"x\"}}}}}"));
    assertFalse(c.constraint().matches("{\"op3\":1,\"op4\":2}"));
  }

  @Test
  void listedObjectsBesideFreeFormValuesAreOneLeaf() {
    String schema =
        q(
            "{'type':'object','properties':{'tag':{'type':'object',"
                + "'enum':[{'a':{}},{'a':[1,{'b':null}]},'x']},'rest':true},'required':['tag']}");
    JsonSchema.Compiled c = compiled(schema);
    assertNull(c.fallbackReason(), () -> "fallback: " + c.fallbackReason());
    assertTrue(c.constraint().isContextFree());
    String deep = "[[[[[[{\"k\":[1]}]]]]]]";
    assertTrue(c.constraint().matches("{\"tag\":{\"a\":{}},\"rest\":" + deep + "}"));
    assertTrue(c.constraint().matches("{\"tag\":{\"a\":[1,{\"b\":null}]}}"));
    assertFalse(c.constraint().matches("{\"tag\":\"x\"}"), "not an object");
    assertFalse(c.constraint().matches("{\"tag\":{\"a\":2}}"), "not listed");
  }

  @Test
  void listedValuesAreCompleteWhenNoBoundRemovedOne() {
    // properties/a is a free-form value (bounded on the DFA path); the listed values are shallow,
    // so the bound removes none of them and the answer is exact
    JsonSchema.Compiled shallow =
        compiled(q("{'properties':{'a':true},'enum':[{'a':[[1]]},{'a':{'b':[]}},3]}"));
    assertNull(shallow.subsetReason());
    assertTrue(shallow.constraint().matches("{\"a\":[[1]]}"));
    assertTrue(shallow.constraint().matches("3"));
    assertFalse(shallow.constraint().matches("{\"a\":[1]}"));
    // a listed value nested deeper than the bound is removed: a subset, and it says which bound
    String deep = "[".repeat(80) + "]".repeat(80);
    JsonSchema.Compiled cut =
        compiled(q("{'properties':{'a':true},'enum':[{'a':[[1]]},{'a':" + deep + "}]}"));
    assertNotNull(cut.subsetReason());
    assertTrue(cut.subsetReason().contains("free-form"), cut.subsetReason());
    assertTrue(cut.constraint().matches("{\"a\":[[1]]}"));
    // a listed value that other keywords reject is removed soundly; beside a bounded part the
    // compiler cannot tell which removed it, so the answer stays marked a subset (conservative)
    JsonSchema.Compiled invalid =
        compiled(
            q(
                "{'properties':{'a':true,'b':{'type':'string'}},'enum':[{'a':[1]},{'a':[2],'b':3}]}"));
    assertNotNull(invalid.subsetReason());
    assertTrue(invalid.constraint().matches("{\"a\":[1]}"));
    assertFalse(invalid.constraint().matches("{\"a\":[2],\"b\":3}"));
  }

  /**
   * oneOf branches told apart by a required property's listed values are disjoint: the oneOf is
   * their anyOf, exact around free-form values at any depth; without a required discriminator they
   * may overlap and the answer stays a subset.
   */
  @Test
  void discriminatedOneOfIsExactAroundFreeFormValues() {
    String deep = "[".repeat(80) + "]".repeat(80);
    JsonSchema.Compiled tagged =
        compiled(
            q(
                "{'type':'object','required':['kind'],'oneOf':["
                    + "{'properties':{'kind':{'const':'a'},'payload':true}},"
                    + "{'properties':{'kind':{'$ref':'#/$defs/b'},'payload':{'type':'array'}},"
                    + "'required':['payload']}],'$defs':{'b':{'enum':['b','c']}}}"));
    assertNull(tagged.subsetReason());
    assertTrue(tagged.constraint().isContextFree());
    assertTrue(tagged.constraint().matches("{\"kind\":\"a\",\"payload\":" + deep + "}"));
    assertTrue(tagged.constraint().matches("{\"kind\":\"c\",\"payload\":" + deep + "}"));
    assertTrue(tagged.constraint().matches("{\"kind\":\"a\",\"payload\":{\"x\":1}}"));
    assertFalse(tagged.constraint().matches("{\"kind\":\"b\",\"payload\":{\"x\":1}}"));
    assertFalse(tagged.constraint().matches("{\"kind\":\"b\"}"));
    assertFalse(tagged.constraint().matches("{\"payload\":1}"));
    // numbers discriminate by value: 1 and 1.0 are one value, so these branches overlap
    JsonSchema.Compiled same =
        compiled(
            q(
                "{'type':'object','required':['v'],'oneOf':["
                    + "{'properties':{'v':{'const':1},'p':true}},"
                    + "{'properties':{'v':{'enum':[2,1.0]},'p':true}}]}"));
    assertNotNull(same.subsetReason());
    // the discriminator is not required anywhere: {"payload":[]} passes both branches
    JsonSchema.Compiled loose =
        compiled(
            q(
                "{'type':'object','oneOf':["
                    + "{'properties':{'kind':{'const':'a'},'payload':true}},"
                    + "{'properties':{'kind':{'const':'b'},'payload':true}}]}"));
    assertNotNull(loose.subsetReason());
    // without an object-only type, a string passes both branches
    JsonSchema.Compiled untyped =
        compiled(
            q(
                "{'required':['kind'],'oneOf':["
                    + "{'properties':{'kind':{'const':'a'},'payload':true}},"
                    + "{'properties':{'kind':{'const':'b'},'payload':true}}]}"));
    assertNotNull(untyped.subsetReason());
  }

  /**
   * A complement is taken within a bounded universe; met with complete parts that lie inside that
   * universe, the bound removes nothing and the answer is exact. Where a complete part reaches
   * outside it (strings needing escapes), the answer stays marked a subset.
   */
  @Test
  void complementsInsideCompletePartsAreExact() {
    JsonSchema.Compiled listed =
        compiled(q("{'allOf':[{'enum':[[1,2,3],[4]]},{'not':{'enum':[[4]]}}]}"));
    assertNull(listed.subsetReason());
    assertTrue(listed.constraint().matches("[1,2,3]"));
    assertFalse(listed.constraint().matches("[4]"));
    JsonSchema.Compiled integers = compiled(q("{'type':'integer','not':{'multipleOf':2}}"));
    assertNull(integers.subsetReason());
    assertTrue(integers.constraint().matches("-3"));
    assertFalse(integers.constraint().matches("12"));
    JsonSchema.Compiled bools =
        compiled(q("{'allOf':[{'type':'boolean'},{'not':{'const':true}}]}"));
    assertNull(bools.subsetReason());
    assertTrue(bools.constraint().matches("false"));
    assertFalse(bools.constraint().matches("true"));
    JsonSchema.Compiled strings = compiled(q("{'type':'string','not':{'enum':['x']}}"));
    assertNotNull(strings.subsetReason());
    assertTrue(strings.subsetReason().contains("complement universe"), strings.subsetReason());
    assertTrue(strings.constraint().matches("\"y\""));
    assertFalse(strings.constraint().matches("\"x\""));
  }

  /**
   * oneOf branches whose complete languages share no text need no complement (the DFA path): the
   * answer is their union, exact, strings needing escapes included.
   */
  @Test
  void oneOfBranchesWithoutCommonTextsAreUnitedExactly() {
    JsonSchema.Compiled c =
        compiled(
            q(
                "{'oneOf':[{'type':'object','properties':{'t':{'const':'a'},'n':{'type':'integer'}},"
                    + "'required':['t'],'additionalProperties':false},{'type':'object','properties':"
                    + "{'t':{'const':'b'},'s':{'type':'string'}},'required':['t'],"
                    + "'additionalProperties':false}]}"));
    assertNull(c.subsetReason());
    assertFalse(c.constraint().isContextFree());
    assertTrue(c.constraint().matches("{\"t\":\"b\",\"s\":\"say \\\"hi\\\"\"}"));
    assertTrue(c.constraint().matches("{\"t\":\"a\",\"n\":3}"));
    assertFalse(c.constraint().matches("{\"t\":\"a\",\"s\":\"x\"}"));
    // overlapping branches keep the complement, and say so
    JsonSchema.Compiled overlap =
        compiled(q("{'oneOf':[{'type':'string','pattern':'^a'},{'type':'string'}]}"));
    assertNotNull(overlap.subsetReason());
    assertTrue(overlap.constraint().matches("\"b\""));
    assertFalse(overlap.constraint().matches("\"ab\""));
  }

  /** A recursive schema compiles on the grammar path directly: its keyword policy still holds. */
  @Test
  void keywordPolicyHoldsOnRecursiveSchemas() {
    String typo =
        q(
            "{'$defs':{'n':{'type':'object','requried':['v'],'properties':{'v':{'type':'integer'},"
                + "'c':{'type':'array','items':{'$ref':'#/$defs/n'}}}}},'$ref':'#/$defs/n'}");
    SchemaException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SchemaException.class, () -> JsonSchema.compile(typo));
    assertTrue(e.getMessage().contains("requried"), e.getMessage());
    String annotated =
        q(
            "{'$defs':{'n':{'type':'object','x-ui':1,'widget':'tree','properties':{"
                + "'c':{'type':'array','items':{'$ref':'#/$defs/n'}}}}},'$ref':'#/$defs/n'}");
    CompiledConstraint c = JsonSchema.compile(annotated);
    assertTrue(c.isContextFree());
    assertTrue(
        c.ignoredKeywords().stream().anyMatch(k -> k.pointer().equals("/$defs/n/widget")),
        () -> c.ignoredKeywords().toString());
    org.junit.jupiter.api.Assertions.assertThrows(
        SchemaException.class,
        () ->
            JsonSchema.compile(
                q(
                    "{'$defs':{'n':{'type':'array','prefixItems':{},'items':{'$ref':'#/$defs/n'}}},"
                        + "'$ref':'#/$defs/n'}")));
  }

  @Test
  void theNestingLimitTravelsWithTheGrammar() {
    assertEquals(
        JsonSchemaOptions.DEFAULT_MAX_NESTING, JsonSchema.compile(TREE).grammar().maxJsonNesting());
    assertEquals(
        7,
        JsonSchema.compile(TREE, JsonSchemaOptions.DEFAULTS.withMaxNesting(7))
            .grammar()
            .maxJsonNesting());
    assertEquals(
        0,
        Grammar.compile("root ::= \"[\" root? \"]\"", Grammar.Syntax.GBNF)
            .grammar()
            .maxJsonNesting());
  }
}
