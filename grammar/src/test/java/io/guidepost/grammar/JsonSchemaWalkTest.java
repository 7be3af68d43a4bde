package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.guidepost.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random walks through compiled schema automata: every document a walk ends in (an accepting
 * state) must be valid for an independent validator (networknt json-schema-validator, format
 * assertions on). Covers hand-written schemas for every supported keyword and a seeded sample of
 * the MaskBench schemas.
 */
class JsonSchemaWalkTest {
  private static final int WALKS = 12;

  /** Random accepted documents: random live bytes, steering to acceptance after a budget. */
  /**
   * Random documents of {@code c}: DFA walks, or random sentences of its grammar when it is
   * context-free (derivations deeper than {@code budget / 6} take their shortest productions).
   */
  static List<String> walks(CompiledConstraint c, long seed, int count, int budget) {
    if (!c.isContextFree()) {
      return walks(c.dfa(), seed, count, budget);
    }
    List<String> out = new GrammarSampler(c.grammar()).samples(seed, count, budget / 3, 12);
    for (String doc : out) {
      assertTrue(c.matches(doc), () -> "a sample the grammar does not match: " + doc);
    }
    return out;
  }

  static List<String> walks(ByteDfa dfa, long seed, int count, int budget) {
    int n = dfa.stateCount();
    int classes = dfa.classCount();
    List<List<Integer>> bytesOf = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      bytesOf.add(new ArrayList<>());
    }
    for (int b = 0; b < 256; b++) {
      bytesOf.get(dfa.byteClass(b)).add(b);
    }
    int[] dist = GrammarSampler.distances(dfa); // bytes to acceptance
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      ByteArrayOutputStream doc = new ByteArrayOutputStream();
      int s = dfa.initialState();
      int len = 0;
      while (true) {
        if (dfa.isAccepting(s) && (r.nextInt(8) == 0 || len > budget)) {
          break;
        }
        List<Integer> options = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
          int t = dfa.stepClass(s, c);
          if (t >= 0 && (len <= budget || dist[t] < dist[s])) {
            options.add(c);
          }
        }
        if (options.isEmpty()) {
          break;
        }
        int c = options.get(r.nextInt(options.size()));
        List<Integer> bs = bytesOf.get(c);
        int b = bs.get(r.nextInt(bs.size()));
        doc.write(b);
        s = dfa.stepClass(s, c);
        len++;
      }
      assertTrue(dfa.isAccepting(s));
      out.add(doc.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  static SpecVersion.VersionFlag version(String schema) {
    if (schema.contains("draft-04/schema")) {
      return SpecVersion.VersionFlag.V4;
    }
    if (schema.contains("draft-06/schema")) {
      return SpecVersion.VersionFlag.V6;
    }
    if (schema.contains("draft-07/schema")) {
      return SpecVersion.VersionFlag.V7;
    }
    if (schema.contains("2019-09/schema")) {
      return SpecVersion.VersionFlag.V201909;
    }
    return SpecVersion.VersionFlag.V202012;
  }

  static com.networknt.schema.JsonSchema validator(String schema) {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    return JsonSchemaFactory.getInstance(version(schema)).getSchema(schema, config);
  }

  static void checkWalks(String schema, long seed) {
    CompiledConstraint dfa = JsonSchema.compile(schema);
    com.networknt.schema.JsonSchema v = validator(schema);
    for (String doc : walks(dfa, seed, WALKS, 60)) {
      Set<ValidationMessage> errors = v.validate(doc, InputFormat.JSON);
      assertEquals(Set.of(), errors, () -> "schema " + schema + "\ndocument " + doc);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"minimum\":-20,\"maximum\":300},"
            + "\"b\":{\"type\":\"string\",\"maxLength\":4},\"c\":{\"type\":\"boolean\"}},"
            + "\"required\":[\"c\"],\"additionalProperties\":{\"type\":\"null\"}}",
        "{\"type\":\"number\",\"minimum\":-2.5,\"exclusiveMaximum\":7.25}",
        "{\"type\":\"integer\",\"multipleOf\":7,\"minimum\":-100,\"maximum\":100000}",
        "{\"type\":\"number\",\"multipleOf\":0.01,\"maximum\":100000,\"minimum\":-5}",
        "{\"type\":\"string\",\"format\":\"date-time\"}",
        "{\"type\":\"string\",\"format\":\"date\"}",
        "{\"type\":\"string\",\"format\":\"time\"}",
        "{\"type\":\"string\",\"format\":\"duration\"}",
        "{\"type\":\"string\",\"format\":\"email\"}",
        "{\"type\":\"string\",\"format\":\"hostname\"}",
        "{\"type\":\"string\",\"format\":\"ipv4\"}",
        "{\"type\":\"string\",\"format\":\"ipv6\"}",
        "{\"type\":\"string\",\"format\":\"uri\"}",
        "{\"type\":\"string\",\"format\":\"uri\",\"pattern\":\"^(mailto|urn):\"}",
        "{\"type\":\"string\",\"format\":\"uuid\"}",
        "{\"type\":\"string\",\"format\":\"regex\"}",
        "{\"type\":\"string\",\"format\":\"uri-reference\",\"maxLength\":12}",
        "{\"type\":\"string\",\"format\":\"iri\",\"pattern\":\"^https?://\"}",
        "{\"type\":\"string\",\"format\":\"iri-reference\"}",
        "{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\",\"format\":\"json-pointer\"},"
            + "\"r\":{\"type\":\"string\",\"format\":\"relative-json-pointer\"}},\"required\":[\"p\",\"r\"]}",
        "{\"type\":\"string\",\"format\":\"uri-template\",\"minLength\":3}",
        "{\"type\":\"string\",\"format\":\"idn-email\",\"maxLength\":24}",
        "{\"type\":\"string\",\"format\":\"idn-hostname\"}",
        "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"format\":\"email\"},\"maxItems\":2}",
        "{\"type\":\"string\",\"pattern\":\"^[A-Z][0-9]{2}(\\\\.[0-9]{1,2})?$\"}",
        "{\"type\":\"string\",\"pattern\":\"ab\",\"minLength\":3,\"maxLength\":6}",
        "{\"type\":\"array\",\"prefixItems\":[{\"const\":1},{\"enum\":[\"x\",[2]]}],"
            + "\"items\":{\"type\":\"integer\"},\"minItems\":1,\"maxItems\":4}",
        "{\"type\":\"object\",\"minProperties\":2,\"maxProperties\":3}",
        "{\"type\":\"object\",\"patternProperties\":{\"^x\":{\"type\":\"integer\"},"
            + "\"y$\":{\"type\":\"string\"}},\"additionalProperties\":{\"type\":\"boolean\"}}",
        "{\"type\":\"object\",\"propertyNames\":{\"maxLength\":2},\"dependentRequired\":{\"a\":[\"b\"]}}",
        "{\"oneOf\":[{\"type\":\"integer\",\"minimum\":0},{\"type\":\"integer\",\"maximum\":10}]}",
        "{\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}",
        "{\"allOf\":[{\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]},"
            + "{\"properties\":{\"b\":{\"type\":\"string\"}}}]}",
        "{\"anyOf\":[{\"type\":\"string\",\"maxLength\":2},{\"type\":\"array\",\"maxItems\":1}]}",
        "{\"not\":{\"type\":[\"string\",\"object\"]}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"},"
            + "\"kv\":{\"type\":\"object\"}},\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}",
        "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"string\"},\"tex\":{\"type\":\"array\","
            + "\"items\":{\"type\":\"string\"}}},\"required\":[\"n\"],\"oneOf\":[{\"properties\":{\"n\":"
            + "{\"enum\":[\"u3\"]},\"tex\":{\"minItems\":2,\"maxItems\":2}}},{\"properties\":{\"n\":"
            + "{\"enum\":[\"h\",\"x\"]},\"tex\":{\"maxItems\":0}}}]}",
        "{\"type\":\"object\",\"not\":{\"additionalProperties\":{\"type\":\"string\"}}}",
        "{\"oneOf\":[{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"a\"],"
            + "\"properties\":{\"a\":{\"type\":\"string\"},\"c\":{\"type\":\"object\"}}},{\"type\":\"object\","
            + "\"properties\":{\"a\":{\"type\":\"string\",\"pattern\":\"^x\"},\"c\":{}}}]}",
        "{\"type\":\"object\",\"properties\":{\"k\":{\"type\":\"object\"}},"
            + "\"not\":{\"properties\":{\"k\":{\"minProperties\":2}}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},"
            + "\"not\":{\"properties\":{\"a\":{\"maximum\":3}}}}",
        "{\"type\":\"object\",\"properties\":{\"a\":{}},\"not\":{\"required\":[\"a\"]}}",
        "{\"if\":{\"type\":\"integer\"},\"then\":{\"minimum\":5},\"else\":{\"type\":\"string\"}}",
        "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"},"
            + "\"next\":{\"$ref\":\"#/$defs/node\"}},\"required\":[\"v\"],\"additionalProperties\":false}},"
            + "\"$ref\":\"#/$defs/node\"}",
        "{}",
        // Complements over nested declared structure (universes follow the known levels).
        "{\"type\":\"object\",\"oneOf\":[{\"properties\":{\"e\":{\"type\":\"string\"}},"
            + "\"required\":[\"e\"]},{\"properties\":{\"lock\":{\"type\":\"object\","
            + "\"properties\":{\"c\":{\"type\":\"object\",\"properties\":{\"n\":"
            + "{\"type\":\"string\"}},\"required\":[\"n\"]}},\"required\":[\"c\"]}},"
            + "\"required\":[\"lock\"]}]}",
        "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\",\"properties\":"
            + "{\"b\":{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"integer\"}}}}}},"
            + "\"not\":{\"properties\":{\"a\":{\"properties\":{\"b\":{\"properties\":"
            + "{\"c\":{\"minimum\":3}}}}}}}}",
        "{\"if\":{\"properties\":{\"k\":{\"const\":\"x\"}},\"required\":[\"k\"]},"
            + "\"then\":{\"properties\":{\"v\":{\"type\":\"object\",\"properties\":{\"w\":"
            + "{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}}},"
            + "\"else\":{\"properties\":{\"v\":{\"type\":\"string\"}}}}",
        // Non-assertion keywords are ignored.
        "{\"type\":\"object\",\"x-foo\":1,\"_format\":\"email\",\"properties\":{\"a\":"
            + "{\"type\":\"string\",\"readonly\":true,\"example\":\"q\",\"$license\":\"MIT\","
            + "\"maxLength\":3}},\"additionalProperties\":false}",
      })
  void walksAreValid(String schema) {
    checkWalks(schema, schema.hashCode());
  }

  @Test
  void walksOfMaskbenchSampleAreValid() throws Exception {
    Path dir = SharedData.require("data/maskbench");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).sorted().toList());
    }
    Collections.shuffle(files, new Random(20261122L));
    int checked = 0;
    int documents = 0;
    for (Path f : files) {
      if (checked == 12) {
        break;
      }
      JsonValue.Obj doc = (JsonValue.Obj) JsonReader.parse(Files.readString(f));
      String schema = JsonText.write(doc.get("schema"), null);
      CompiledConstraint dfa;
      try {
        dfa = JsonSchema.compile(schema);
      } catch (ConstraintException e) {
        continue;
      }
      com.networknt.schema.JsonSchema v;
      try {
        v = validator(schema);
      } catch (RuntimeException e) {
        continue; // the validator cannot load it (e.g. an unknown meta-schema)
      }
      checked++;
      for (String d : walks(dfa, f.getFileName().toString().hashCode(), 4, 60)) {
        documents++;
        Set<ValidationMessage> errors = v.validate(d, InputFormat.JSON);
        assertEquals(Set.of(), errors, () -> f.getFileName() + "\ndocument " + d);
      }
    }
    assertTrue(checked >= 10, "only " + checked + " schemas checked");
    assertTrue(documents >= 40);
  }
}
