package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyword policy (unknown keywords are reported annotations, near misses of assertion keywords
 * are errors, {@code strictKeywords} rejects every unknown keyword) and the assertions added with
 * it: schema dependencies, {@code uniqueItems} over finite item sets, references into embedded
 * resources. Semantics are checked against networknt's validator on enumerated instances.
 */
class JsonSchemaKeywordPolicyTest {

  private static String q(String s) {
    return s.replace('\'', '"');
  }

  private static String ignored(CompiledConstraint c) {
    return c.ignoredKeywords().stream()
        .map(k -> k.pointer() + "=" + k.keyword())
        .collect(Collectors.joining(" "));
  }

  /**
   * Annotation vocabularies compile, report exactly their ignored keywords, and constrain exactly
   * as the schema without them: random walks of each automaton are accepted by the other.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // Snowplow self-describing schema
        "{'$schema':'http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#',"
            + "'self':{'vendor':'com.acme','name':'click','format':'jsonschema','version':'1-0-0'},"
            + "'type':'object','properties':{'a':{'type':'string','maxLength':5}},'additionalProperties':false}"
            + " | {'type':'object','properties':{'a':{'type':'string','maxLength':5}},'additionalProperties':false}"
            + " | /self=self",
        // OpenAPI: discriminator, xml, nullable, example
        "{'type':'object','discriminator':{'propertyName':'kind'},'xml':{'name':'Pet'},"
            + "'properties':{'kind':{'enum':['cat','dog']},'name':{'type':'string','nullable':true,'example':'Rex'}},"
            + "'required':['kind']}"
            + " | {'type':'object','properties':{'kind':{'enum':['cat','dog']},'name':{'type':'string'}},'required':['kind']}"
            + " | /discriminator=discriminator /xml=xml /properties/name/nullable=nullable /properties/name/example=example",
        // custom keywords without x- and unknown formats on strings and integers
        "{'type':'object','uniqueness':['id'],'test':true,'stability':'stable','preferredOrder':['b','a'],"
            + "'properties':{'id':{'type':'integer','format':'int64','maximum':9},'color':{'type':'string','format':'color'}}}"
            + " | {'type':'object','properties':{'id':{'type':'integer','maximum':9},'color':{'type':'string'}}}"
            + " | /uniqueness=uniqueness /test=test /stability=stability /preferredOrder=preferredOrder"
            + " /properties/id/format=format /properties/color/format=format",
        // vendor, private and $ names are reported too
        "{'type':'string','x-order':1,'_note':'n','$license':'MIT','@type':'schema:Text','maxLength':3}"
            + " | {'type':'string','maxLength':3}"
            + " | /x-order=x-order /_note=_note /$license=$license /@type=@type",
        // the specification's own annotations are not reported
        "{'title':'t','description':'d','default':'a','examples':['a'],'$comment':'c','deprecated':true,"
            + "'readOnly':true,'type':'string','enum':['a','b']}"
            + " | {'type':'string','enum':['a','b']}"
            + " | ``",
        // the value of an unknown keyword is not a schema: a typo inside it is not looked at
        "{'type':'string','meta':{'maxlength':3},'minLength':2}"
            + " | {'type':'string','minLength':2}"
            + " | /meta=meta",
        // keywords in referenced definitions are reported at their own pointer, once
        "{'$defs':{'w':{'type':'integer','unit':'kg','minimum':0}},'type':'object',"
            + "'properties':{'a':{'$ref':'#/$defs/w'},'b':{'$ref':'#/$defs/w'}}}"
            + " | {'$defs':{'w':{'type':'integer','minimum':0}},'type':'object',"
            + "'properties':{'a':{'$ref':'#/$defs/w'},'b':{'$ref':'#/$defs/w'}}}"
            + " | /$defs/w/unit=unit",
      })
  void annotationsAreIgnoredAndReported(String schema, String without, String expected) {
    CompiledConstraint with = JsonSchema.compile(q(schema));
    assertEquals(expected, ignored(with));
    CompiledConstraint plain = JsonSchema.compile(q(without));
    assertEquals("", ignored(plain));
    for (String doc : JsonSchemaWalkTest.walks(with, schema.hashCode(), 300, 40)) {
      assertTrue(plain.matches(doc), () -> "only with the annotations: " + doc);
    }
    for (String doc : JsonSchemaWalkTest.walks(plain, without.hashCode(), 300, 40)) {
      assertTrue(with.matches(doc), () -> "only without the annotations: " + doc);
    }
  }

  @Test
  void ignoredKeywordsCarryAReason() {
    CompiledConstraint c =
        JsonSchema.compile(q("{'type':'string','format':'color','x-a':1,'self':{},'xml':{}}"));
    List<String> reasons = c.ignoredKeywords().stream().map(IgnoredKeyword::reason).toList();
    assertEquals(
        List.of(
            "format \"color\" is not implemented: an annotation, not asserted",
            "vendor extension: an annotation, not asserted",
            "unknown keyword: an annotation, not asserted",
            "annotation of another vocabulary, not asserted"),
        reasons);
  }

  /** Near misses of assertion keywords answer schema-unsupported with the suggestion. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "maxlength, maxLength",
    "minItem, minItems",
    "additionalproperties, additionalProperties",
    "additional_properties, additionalProperties",
    "requried, required",
    "Required, required",
    "requires, required",
    "OneOf, oneOf",
    "oneof, oneOf",
    "itens, items",
    "formate, format",
    "exclusiveMinimumm, exclusiveMinimum",
    "exclusivMinimm, exclusiveMinimum",
    "enums, enum",
    "types, type",
    "'type:', type",
    "minimun, minimum",
    "patternproperties, patternProperties",
    "uniqueitems, uniqueItems",
    "dependentschemas, dependentSchemas",
    "Contains, contains",
    "PROPERTIES, properties",
    "max-length, maxLength",
  })
  void nearMissesAreErrors(String typo, String suggestion) {
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () -> JsonSchema.compile("{\"properties\":{\"a\":{\"" + typo + "\":1}}}"));
    assertEquals("schema-unsupported", e.type());
    assertEquals("/properties/a/" + JsonSchemaCompiler.escape(typo), e.jsonPointer());
    assertEquals(typo, e.keyword());
    assertTrue(
        e.reason().contains("did you mean \"" + suggestion + "\"?"),
        () -> typo + ": " + e.getMessage());
  }

  /** Far from every assertion keyword, or too short to tell: annotations. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "self",
        "min",
        "max",
        "notes",
        "stability",
        "comment",
        "version",
        "name",
        "test",
        "uniqueness",
        "nullable",
        "optional",
        "minValue",
        "descrption",
        "references",
        "when",
        "esriDocumentation",
        "alias",
        "request",
        "unique",
        "visible"
      })
  void farFromAssertionsIsAnAnnotation(String keyword) {
    CompiledConstraint c =
        JsonSchema.compile("{\"type\":\"string\",\"" + keyword + "\":1,\"maxLength\":2}");
    assertEquals("/" + keyword + "=" + keyword, ignored(c));
    assertTrue(c.matches("\"ab\""));
    assertFalse(c.matches("\"abc\""));
  }

  @Test
  void unimplementedAssertionsStayErrors() {
    for (String k :
        List.of("unevaluatedItems", "unevaluatedProperties", "extends", "$dynamicRef")) {
      SchemaException e =
          assertThrows(SchemaException.class, () -> JsonSchema.compile("{\"" + k + "\":{}}"), k);
      assertEquals("schema-unsupported", e.type(), k);
      assertEquals(k, e.keyword());
    }
  }

  @Test
  void strictKeywordsRejectsUnknownKeywordsAndFormats() {
    JsonSchemaOptions strict = JsonSchemaOptions.DEFAULTS.withStrictKeywords(true);
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () -> JsonSchema.compile(q("{'type':'string','self':{}}"), strict));
    assertEquals("/self", e.jsonPointer());
    assertTrue(e.reason().contains("strict_keywords"), e.getMessage());
    SchemaException f =
        assertThrows(
            SchemaException.class,
            () -> JsonSchema.compile(q("{'type':'string','format':'color'}"), strict));
    assertEquals("/format", f.jsonPointer());
    assertEquals("format", f.keyword());
    // Known annotations of other vocabularies stay ignored (and reported) under strict.
    CompiledConstraint c =
        JsonSchema.compile(q("{'type':'string','x-a':1,'xml':{},'title':'t'}"), strict);
    assertEquals("/x-a=x-a /xml=xml", ignored(c));
    // Off (the default): the same schemas compile.
    assertEquals("/self=self", ignored(JsonSchema.compile(q("{'type':'string','self':{}}"))));
    assertEquals(
        "/format=format", ignored(JsonSchema.compile(q("{'type':'string','format':'color'}"))));
  }

  @Test
  void templateJsonHolesReportTheirIgnoredKeywords() {
    CompiledConstraint c =
        Template.builder()
            .literal("x=")
            .jsonSchema("v", q("{'type':'integer','unit':'kg','maximum':3}"))
            .compile();
    assertEquals(1, c.ignoredKeywords().size());
    IgnoredKeyword k = c.ignoredKeywords().get(0);
    assertEquals("/unit", k.pointer());
    assertTrue(k.reason().startsWith("template hole \"v\": "), k.reason());
  }

  // ---------------------------------------------------------------------------------------------
  // Semantics against networknt on enumerated instances

  /** Compiles and checks every instance: DFA acceptance (canonical text) == networknt validity. */
  static void duel(String schema, List<String> instances) {
    JsonSchemaOptions options = JsonSchemaOptions.DEFAULTS;
    JsonSchemaCompiler compiler = new JsonSchemaCompiler(JsonReader.parse(schema), options);
    JsonSchemaCompiler.Lang[] lang = new JsonSchemaCompiler.Lang[1];
    ByteDfa dfa =
        CharLang.withLimits(
            options.limits(),
            () -> {
              lang[0] = JsonSchema.compileWith(compiler, options);
              return lang[0].lang().toByteDfa(options.limits());
            });
    // The product's constraint (context-free where the schema has free-form values or recursion)
    CompiledConstraint product = JsonSchema.compile(schema, options);
    com.networknt.schema.JsonSchema v = JsonSchemaWalkTest.validator(schema);
    int valid = 0;
    for (String doc : instances) {
      String text = JsonText.write(JsonReader.parse(doc), compiler.keyOrder(), false);
      boolean expected = v.validate(doc, InputFormat.JSON).isEmpty();
      boolean accepted = dfa.matches(text.getBytes(StandardCharsets.UTF_8));
      assertEquals(expected, accepted, () -> "schema " + schema + "\ninstance " + text);
      assertEquals(
          expected,
          product.matches(text),
          () -> "schema " + schema + " (" + product.isContextFree() + ")\ninstance " + text);
      valid += expected ? 1 : 0;
    }
    assertTrue(valid > 0 && valid < instances.size(), "instances must include both outcomes");
    JsonSchemaWalkTest.checkWalks(schema, schema.hashCode());
  }

  /** Every object over subsets of the given members (each name with each of its values). */
  static List<String> objects(String[] names, String[][] values) {
    List<String> out = new ArrayList<>();
    out.add("{}");
    for (int i = 0; i < names.length; i++) {
      List<String> next = new ArrayList<>(out);
      for (String o : out) {
        for (String val : values[i]) {
          String member = "\"" + names[i] + "\":" + val;
          next.add(
              o.equals("{}")
                  ? "{" + member + "}"
                  : o.substring(0, o.length() - 1) + "," + member + "}");
        }
      }
      out = next;
    }
    out.add("1");
    out.add("\"s\"");
    return out;
  }

  static final String[] NAMES = {"a", "b", "c"};
  static final String[][] VALUES = {{"0", "3", "9"}, {"true", "false"}, {"\"x\"", "\"z\""}};

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{'type':'object','properties':{'a':{'type':'integer','maximum':5},'b':{'type':'boolean'},"
            + "'c':{'enum':['x','y']}},'dependentSchemas':{'a':{'required':['c'],'properties':{'b':{'const':true}}}}}",
        "{'properties':{'a':{'type':'integer'},'c':{'type':'string'}},"
            + "'dependentSchemas':{'b':{'properties':{'a':{'minimum':3}}},'c':false}}",
        "{'$schema':'http://json-schema.org/draft-07/schema#','type':'object',"
            + "'dependencies':{'a':['b'],'b':{'properties':{'c':{'const':'x'}},'required':['c']}}}",
        "{'$schema':'http://json-schema.org/draft-04/schema#','type':'object','properties':{'a':{'type':'integer'}},"
            + "'dependencies':{'c':{'properties':{'a':{'maximum':3}}},'b':{'not':{'required':['a']}}}}",
        "{'type':'object','dependentSchemas':{'a':{'dependentSchemas':{'b':{'required':['c']}}}},"
            + "'additionalProperties':{'not':{'const':9}}}",
      })
  void schemaDependencies(String schema) {
    duel(q(schema), objects(NAMES, VALUES));
  }

  /** Arrays of up to {@code max} elements drawn from {@code values}. */
  static List<String> arrays(String[] values, int max) {
    List<String> out = new ArrayList<>();
    List<List<String>> level = List.of(List.of());
    for (int n = 0; n <= max; n++) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> a : level) {
        out.add("[" + String.join(",", a) + "]");
        for (String v : values) {
          List<String> b = new ArrayList<>(a);
          b.add(v);
          next.add(b);
        }
      }
      level = next;
    }
    out.add("{}");
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{'type':'array','items':{'enum':['a','b','c']},'uniqueItems':true} | 'a','b','c'",
        "{'type':'array','items':{'type':'boolean'},'uniqueItems':true,'minItems':1} | true,false",
        "{'items':{'enum':[1,'1',[1],{'k':1},null]},'uniqueItems':true} | 1,'1',[1],{'k':1},null,2",
        "{'type':'array','prefixItems':[{'const':'a'}],'items':{'enum':['a','b']},'uniqueItems':true} | 'a','b'",
        "{'type':'array','items':{'anyOf':[{'type':'boolean'},{'type':'null'}]},'uniqueItems':true,'maxItems':2}"
            + " | true,false,null",
        // numbers nested in objects are left out here: networknt compares them by spelling
        "{'type':'array','items':{'enum':[{'a':'x','b':true},{'b':true,'a':'x'},{'a':'x'}]},'uniqueItems':true}"
            + " | {'a':'x','b':true},{'b':true,'a':'x'},{'a':'x'}",
        "{'type':'array','items':{'enum':[1,2.5,-0.0,0]},'uniqueItems':true} | 1,2.5,0,3",
        "{'type':'array','items':{'enum':['a','b']},'uniqueItems':false,'maxItems':3} | 'a','b'",
        "{'type':'array','contains':{'const':'a'}} | 'a','b',1",
        "{'type':'array','contains':{'type':'integer'},'minContains':2} | 'a',1,2",
        "{'type':'array','contains':{'type':'integer'},'minContains':0,'maxContains':1} | 'a',1,2",
        "{'type':'array','contains':{'type':'integer','minimum':2},'minContains':1,'maxContains':2} | 'a',1,2,3",
        "{'type':'array','prefixItems':[{'enum':['a','b']}],'items':{'enum':[1,2,3]},'contains':{'const':2},"
            + "'uniqueItems':true,'maxItems':3} | 'a',1,2,3",
        "{'contains':{'type':'string','maxLength':1},'maxContains':1} | 'a','bb',[1],{'k':'a'},null",
      })
  void arrayKeywordsOverFiniteSets(String schema, String values) {
    duel(q(schema), arrays(q(values).split(",(?![^\\[{]*[\\]}])"), 4));
  }

  /**
   * Values are compared as the specification says, numbers by value whatever their spelling
   * (networknt compares {@code 1} and {@code 1.0} as different nodes, so this is not dueled).
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'[1,1.0]', false",
    "'[0,-0]', false",
    "'[-0.0,0.00]', false",
    "'[2.5,2.50]', false",
    "'[1,2.50,0.0]', true",
    "'[1.00,2.5]', true",
  })
  void uniqueItemsComparesNumbersByValue(String doc, boolean accepted) {
    CompiledConstraint c =
        JsonSchema.compile(
            q("{'type':'array','items':{'enum':[1,2.5,-0.0,0]},'uniqueItems':true}"));
    assertEquals(accepted, c.matches(doc), doc);
  }

  @Test
  void uniqueItemsOverInfiniteSetsStaysAnError() {
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () ->
                JsonSchema.compile(
                    q("{'type':'array','items':{'type':'string'},'uniqueItems':true}")));
    assertEquals("/uniqueItems", e.jsonPointer());
    assertTrue(e.reason().contains("finite set"), e.getMessage());
    assertThrows(
        SchemaException.class,
        () ->
            JsonSchema.compile(
                q(
                    "{'type':'array','items':{'type':'integer','minimum':0,"
                        + "'maximum':40},'uniqueItems':true}")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        // $ref to an embedded resource by relative and absolute URI; '#' inside it is that resource
        "{'$id':'https://example.com/root.json','type':'object',"
            + "'$defs':{'r':{'$id':'item.json','type':'object','properties':{'b':{'$ref':'#/$defs/t'}},"
            + "'$defs':{'t':{'type':'boolean','const':true}}},'t':{'type':'string'}},"
            + "'properties':{'a':{'$ref':'item.json'},'c':{'$ref':'https://example.com/item.json#/$defs/t'}}}",
        // $anchor scoped to its resource
        "{'type':'object','$defs':{'x':{'$id':'http://e.com/x','$defs':{'y':{'$anchor':'why','type':'integer','maximum':3}}}},"
            + "'properties':{'a':{'$ref':'http://e.com/x#why'}}}",
        // draft-07 fragment ids
        "{'$schema':'http://json-schema.org/draft-07/schema#','type':'object',"
            + "'definitions':{'n':{'$id':'#num','type':'integer','minimum':1}},'properties':{'a':{'$ref':'#num'}}}",
        // draft-04 ids
        "{'$schema':'http://json-schema.org/draft-04/schema#','id':'http://e.com/root#','type':'object',"
            + "'definitions':{'s':{'id':'http://e.com/s.json','type':'string','enum':['x']},"
            + "'n':{'type':'integer','maximum':3}},"
            + "'properties':{'c':{'$ref':'http://e.com/s.json'},'a':{'$ref':'http://e.com/root#/definitions/n'}},"
            + "'additionalProperties':false}",
      })
  void referencesToEmbeddedResources(String schema) {
    duel(q(schema), objects(NAMES, VALUES));
  }

  @Test
  void referencesOutsideTheDocumentStayErrors() {
    SchemaException e =
        assertThrows(
            SchemaException.class,
            () ->
                JsonSchema.compile(
                    q("{'$id':'https://example.com/root.json','$ref':'other.json'}")));
    assertEquals("schema-unsupported", e.type());
    assertEquals("/$ref", e.jsonPointer());
  }

  /** Seeded random schemas mixing the new assertions, dueled on random objects. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomDependencySchemas(long seed) {
    Random r = new Random(seed);
    String[] leaves = {
      "{'required':['c']}",
      "{'properties':{'a':{'maximum':3}}}",
      "false",
      "true",
      "{'properties':{'b':{'const':false}}}",
      "{'not':{'required':['b']}}",
      "{'properties':{'c':{'enum':['x']}}}"
    };
    StringBuilder deps = new StringBuilder();
    for (String n : NAMES) {
      if (r.nextInt(3) > 0) {
        if (deps.length() > 0) {
          deps.append(',');
        }
        deps.append('\'').append(n).append("':").append(leaves[r.nextInt(leaves.length)]);
      }
    }
    String kw = r.nextBoolean() ? "dependentSchemas" : "dependencies";
    String dialect =
        kw.equals("dependencies") ? "'$schema':'http://json-schema.org/draft-07/schema#'," : "";
    String schema =
        "{"
            + dialect
            + "'type':'object','properties':{'a':{'type':'integer'},'b':{'type':'boolean'},"
            + "'c':{'type':'string'}},'"
            + kw
            + "':{"
            + deps
            + "}}";
    duel(q(schema), objects(NAMES, VALUES));
  }
}
