package io.guidepost.decoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guidepost.grammar.ByteDfa;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.JsonSchemaOptions;
import io.guidepost.grammar.Regex;
import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The four benchmark workloads of {@code shared/bench} (constraint spec, valid instances and their
 * Phi-3 token sequences), shared by the replay test and the JMH benchmarks.
 */
public final class BenchWorkloads {
  private BenchWorkloads() {}

  /** One workload: its name, kind, spec (text or JSON array) and token sequences. */
  public record Workload(String name, String kind, JsonNode spec, int[][] sequences) {
    /** The constraint compiled by the grammar module. */
    public CompiledConstraint compile() {
      return switch (kind) {
        case "regex" -> Regex.compile(spec.asText());
        case "choice" -> {
          List<String> words = new ArrayList<>();
          for (JsonNode w : spec) {
            words.add(w.asText());
          }
          yield Choice.compile(words);
        }
        // The recorded instances put one space after ':' and ','; compact output would reject them.
        case "json_schema" ->
            JsonSchema.compile(spec.asText(), JsonSchemaOptions.DEFAULTS.flexible(1));
        default -> throw new IllegalArgumentException("unknown kind " + kind);
      };
    }

    /** The constraint's byte DFA. */
    public ByteDfa compileDfa() {
      return compile().dfa();
    }

    /** Total number of replay steps (tokens, the final EOS included). */
    public int steps() {
      int n = 0;
      for (int[] s : sequences) {
        n += s.length;
      }
      return n;
    }
  }

  /** Names of the four workloads. */
  public static final String[] COMPILABLE = {
    "json_patient", "regex_code", "regex_email", "choice_10k"
  };

  /** Loads a workload by name from {@code shared/bench} (skips the test when absent). */
  public static Workload load(String name) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode cases = json.readTree(SharedData.require("bench/cases.json").toFile());
    JsonNode tokens = json.readTree(SharedData.require("bench/tokens.json").toFile());
    for (JsonNode c : cases) {
      if (c.get("name").asText().equals(name)) {
        JsonNode seqs = tokens.get(name);
        int[][] sequences = new int[seqs.size()][];
        for (int i = 0; i < seqs.size(); i++) {
          JsonNode s = seqs.get(i);
          sequences[i] = new int[s.size()];
          for (int k = 0; k < s.size(); k++) {
            sequences[i][k] = s.get(k).asInt();
          }
        }
        return new Workload(name, c.get("kind").asText(), c.get("spec"), sequences);
      }
    }
    throw new IllegalArgumentException("no workload " + name);
  }

  /** The Phi-3 vocabulary (EOS 32000, 32001, 32007; 32064 logits). */
  public static Vocabulary phi3() {
    return TestVocabularies.phi3();
  }
}
