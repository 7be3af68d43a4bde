package io.guidepost.grammar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Compile time of the {@code json_patient} workload of {@code shared/bench/cases.json}: JSON Schema
 * text to byte DFA (goal: under 10 ms median). Run with short settings, e.g. {@code ./mvnw -Pbench
 * -pl grammar -am test-compile exec:exec -Djmh.args="JsonSchemaCompileBenchmark -f 1 -wi 3 -w 1s -i
 * 5 -r 1s -bm sample"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class JsonSchemaCompileBenchmark {
  private String schema;

  /** Loads the schema of the json_patient case. */
  @Setup
  public void load() throws Exception {
    Path cases = SharedData.root().resolve("bench/cases.json");
    JsonNode all = new ObjectMapper().readTree(Files.readString(cases));
    for (JsonNode c : all) {
      if (c.get("name").asText().equals("json_patient")) {
        schema = c.get("spec").asText();
      }
    }
    if (schema == null) {
      throw new IllegalStateException("json_patient not found in " + cases);
    }
  }

  /** One full compilation. */
  @Benchmark
  public CompiledConstraint compileJsonPatient() {
    return JsonSchema.compile(schema);
  }
}
