package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.JsonSchemaOptions;
import io.guidepost.grammar.Quote;
import io.guidepost.grammar.Regex;
import io.guidepost.grammar.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark main (not a test) on the demo model, CPU: decode tokens/s unconstrained vs each
 * constraint kind, and model calls per output token with and without fast-forward on json_patient.
 * Run with {@code -Dguidepost.bench.rounds=N} (default 5, one warm-up round extra).
 *
 * <p>Constraints, all from the real grammar compilers: json_patient is the bench schema ({@code
 * shared/bench/patient.schema.json}) through {@link JsonSchema#compile(String)} (compact output)
 * and, for the replay of the bench instances (written with {@code ", "} and {@code ": "}), with
 * {@code JsonSchemaOptions.DEFAULTS.flexible(1)}; regex_code the bench regex; choice_icd the 7,251
 * codes of {@code shared/data/icd10cm}; a quote of a clinical passage (5..80 chars, word
 * boundaries); a template with regex, choice, JSON and free-text holes. Each round runs 20
 * generations per configuration, sampled (temperature 1, seeds 0..19), at most 160 new tokens, one
 * intra-op thread. Figures on a shared 2-core machine are indicative only.
 *
 * <p>Run from {@code constrained-decoding/} after {@code ./mvnw -B -q verify -pl
 * constrained-decoding -am}: {@code ../mvnw -q -o dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt; java --enable-native-access=ALL-UNNAMED -cp
 * target/classes:target/test-classes:../grammar/target/classes:../grammar/target/test-classes:$(cat
 * target/cp.txt) io.guidepost.decoding.GenerationBenchmark}.
 */
final class GenerationBenchmark {

  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("guidepost.bench.rounds", 5);
    Path shared = io.guidepost.testing.SharedData.root();
    if (shared == null) {
      throw new IllegalStateException("shared/ not found: the benchmark needs shared/bench");
    }
    String patientSchema = Files.readString(shared.resolve("bench/patient.schema.json"));
    Map<String, CompiledConstraint> kinds = new LinkedHashMap<>();
    kinds.put("json_patient", JsonSchema.compile(patientSchema));
    kinds.put("regex_code", Regex.compile("[A-Z][0-9]{2}\\.[0-9]{1,2}"));
    kinds.put("choice_icd", Choice.compile(icdCodes(shared)));
    kinds.put(
        "quote",
        Quote.compile(
            List.of(
                "The patient, a 54-year-old male, was admitted with fever and a dry cough; chest"
                    + " X-ray showed no consolidation. Follow-up in two weeks: repeat CRP,"
                    + " continue amoxicillin 500 mg three times daily."),
            new Quote.Options(5, 80, true, true)));
    kinds.put(
        "template",
        Template.builder()
            .literal("Code ")
            .regex("code", "[A-Z][0-9]{2}(\\.[0-9]{1,2})?")
            .literal(", sex ")
            .choice("sex", List.of("male", "female", "other"))
            .literal(", order ")
            .jsonSchema(
                "order",
                "{\"type\":\"object\",\"required\":[\"dose\",\"unit\"],"
                    + "\"additionalProperties\":false,\"properties\":{\"dose\":{\"type\":"
                    + "\"integer\",\"minimum\":1,\"maximum\":2000},\"unit\":{\"enum\":"
                    + "[\"mg\",\"ml\",\"g\"]}}}",
                JsonSchemaOptions.DEFAULTS)
            .literal(", note: ")
            .freeText("note", ".", 40)
            .compile());
    Path folder = Path.of("target", "bench-model");
    DemoModel.writeTo(folder, DemoModelSpec.defaults());
    try (Generator g = Generator.open(folder, ModelOptions.defaults().withIntraOpThreads(1))) {
      Map<String, TokenAutomaton> automata = new LinkedHashMap<>();
      for (Map.Entry<String, CompiledConstraint> e : kinds.entrySet()) {
        automata.put(e.getKey(), TokenAutomaton.compile(e.getValue(), g.vocabulary()));
      }
      TokenAutomaton patientAutomaton = automata.get("json_patient");
      double[] free = new double[rounds];
      Map<String, double[]> perKind = new LinkedHashMap<>();
      for (String k : automata.keySet()) {
        perKind.put(k, new double[rounds]);
      }
      double[] callsOn = new double[rounds];
      double[] callsOff = new double[rounds];
      double[] bytesOn = new double[rounds];
      double[] bytesOff = new double[rounds];
      for (int round = -1; round < rounds; round++) {
        double f = tokensPerSecond(g, null);
        double on = callsPer(g, patientAutomaton, true, false);
        double off = callsPer(g, patientAutomaton, false, false);
        double onB = callsPer(g, patientAutomaton, true, true);
        double offB = callsPer(g, patientAutomaton, false, true);
        if (round >= 0) {
          free[round] = f;
          callsOn[round] = on;
          callsOff[round] = off;
          bytesOn[round] = onB;
          bytesOff[round] = offB;
        }
        for (Map.Entry<String, TokenAutomaton> e : automata.entrySet()) {
          double t = tokensPerSecond(g, e.getValue());
          if (round >= 0) {
            perKind.get(e.getKey())[round] = t;
          }
        }
      }
      print("unconstrained tokens/s", free);
      for (Map.Entry<String, double[]> e : perKind.entrySet()) {
        print(e.getKey() + " (no fast-forward) tokens/s", e.getValue());
        System.out.printf(
            Locale.ROOT,
            "  ratio %s/unconstrained %.3f%n",
            e.getKey(),
            median(e.getValue()) / median(free));
      }
      print("json_patient sampled, model calls per token, fast-forward on", callsOn);
      print("json_patient sampled, model calls per token, fast-forward off", callsOff);
      print("json_patient sampled, model calls per output byte, fast-forward on", bytesOn);
      print("json_patient sampled, model calls per output byte, fast-forward off", bytesOff);
      System.out.printf(
          Locale.ROOT,
          "json_patient sampled: fast-forward saves %.1f%% of model calls per token, %.1f%% per"
              + " byte%n",
          100 * (1 - median(callsOn) / median(callsOff)),
          100 * (1 - median(bytesOn) / median(bytesOff)));
      CompiledConstraint compact = kinds.get("json_patient");
      replayInstances(g, shared, "compact", compact.dfa(), patientAutomaton);
      CompiledConstraint flexible =
          JsonSchema.compile(patientSchema, JsonSchemaOptions.DEFAULTS.flexible(1));
      replayInstances(
          g,
          shared,
          "flexible(1)",
          flexible.dfa(),
          TokenAutomaton.compile(flexible, g.vocabulary()));
    }
  }

  /** The codes of the ICD-10-CM sample, with their dot (A0101 is A01.01). */
  private static List<String> icdCodes(Path shared) throws java.io.IOException {
    List<String> codes = new ArrayList<>();
    for (String line :
        Files.readAllLines(shared.resolve("data/icd10cm/icd10cm-codes-2023-sample.txt"))) {
      String code = line.split("\\s+", 2)[0];
      if (!code.isEmpty()) {
        codes.add(code.length() > 3 ? code.substring(0, 3) + "." + code.substring(3) : code);
      }
    }
    return codes;
  }

  /**
   * Replays the bench's json_patient instances through the real loop (a chooser that picks the
   * allowed token with the longest match of the instance's remaining bytes stands in for the
   * sampler) and prints model calls per output token with and without fast-forward.
   */
  private static void replayInstances(
      Generator g, Path root, String label, ByteDfa patient, TokenAutomaton automaton)
      throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    boolean compact = label.equals("compact");
    com.fasterxml.jackson.databind.JsonNode cases =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(root.resolve("bench/cases.json").toFile());
    for (com.fasterxml.jackson.databind.JsonNode c : cases) {
      if (!c.path("name").asText().equals("json_patient")) {
        continue;
      }
      long[] callsByMode = new long[2];
      for (boolean ff : new boolean[] {false, true}) {
        long calls = 0;
        long tokens = 0;
        long forced = 0;
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode inst : c.path("instances")) {
          // The compact DFA takes the instance re-serialized without whitespace (same content).
          String instance =
              compact ? mapper.writeValueAsString(mapper.readTree(inst.asText())) : inst.asText();
          byte[] target = instance.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          if (!patient.matches(target)) {
            throw new IllegalStateException("instance outside the schema's DFA: " + instance);
          }
          Replay replay = new Replay(g.vocabulary(), target);
          GenerationResult r =
              g.generate(
                  GenerationRequest.chat(null, "Write a patient record as JSON.", 400)
                      .withFastForward(ff),
                  automaton.newCursor(),
                  replay,
                  new GenerationControl(),
                  replay);
          if (!r.text().equals(instance)) {
            throw new IllegalStateException("replay diverged: " + r.text());
          }
          calls += r.modelCalls() - 1;
          tokens += r.generatedTokens();
          forced += r.forcedTokens();
          n++;
        }
        System.out.printf(
            Locale.ROOT,
            "json_patient (%s) replay of %d bench instances, fast-forward %s: %d tokens (%d"
                + " forced), %d model calls after prefill, %.3f calls per token%n",
            label,
            n,
            ff ? "on" : "off",
            tokens,
            forced,
            calls,
            (double) calls / tokens);
        callsByMode[ff ? 1 : 0] = calls;
      }
      System.out.printf(
          Locale.ROOT,
          "json_patient (%s) replay, same texts: fast-forward makes %.1f%% fewer model calls%n",
          label,
          100 * (1 - (double) callsByMode[1] / callsByMode[0]));
    }
  }

  /** Writes a known text: the allowed token with the longest match of what remains. */
  private static final class Replay implements Generator.TokenChooser, GenerationListener {
    private final Vocabulary vocab;
    private final byte[] target;
    private int pos;

    Replay(Vocabulary vocab, byte[] target) {
      this.vocab = vocab;
      this.target = target;
    }

    @Override
    public void onToken(int tokenId, String textDelta, boolean forced) {
      pos += vocab.tokenBytes(tokenId).length;
    }

    @Override
    public int choose(float[] logits, long[] mask) {
      int best = -1;
      int bestLength = 0;
      int eos = -1;
      for (int w = 0; w < mask.length; w++) {
        long bits = mask[w];
        while (bits != 0) {
          int t = (w << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          if (vocab.isEos(t)) {
            eos = t;
            continue;
          }
          byte[] b = vocab.tokenBytes(t);
          if (b.length > bestLength
              && pos + b.length <= target.length
              && Arrays.equals(b, 0, b.length, target, pos, pos + b.length)) {
            best = t;
            bestLength = b.length;
          }
        }
      }
      if (best >= 0) {
        return best;
      }
      if (pos == target.length && eos >= 0) {
        return eos;
      }
      throw new IllegalStateException("no allowed token continues the instance at byte " + pos);
    }
  }

  private static double tokensPerSecond(Generator g, TokenAutomaton a) {
    long tokens = 0;
    long nanos = 0;
    for (int seed = 0; seed < 20; seed++) {
      GenerationRequest req =
          GenerationRequest.chat(null, "Write a patient record as JSON.", 160)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
              .withFastForward(false);
      GenerationResult r = g.generate(req, a == null ? null : a.newCursor(), null);
      tokens += r.generatedTokens();
      nanos += r.decodeNanos();
    }
    return tokens / (nanos / 1e9);
  }

  /**
   * Model calls after prefill per output token ({@code perByte} false) or per output byte (the
   * outputs differ with and without fast-forward, and forced runs use canonical tokens).
   */
  private static double callsPer(
      Generator g, TokenAutomaton a, boolean fastForward, boolean perByte) {
    long calls = 0;
    long tokens = 0;
    for (int seed = 0; seed < 20; seed++) {
      GenerationRequest req =
          GenerationRequest.chat(null, "Write a patient record as JSON.", 160)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
              .withFastForward(fastForward);
      GenerationResult r = g.generate(req, a.newCursor(), null);
      calls += r.modelCalls() - 1; // the prompt fits one prefill call
      tokens +=
          perByte
              ? r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              : r.generatedTokens();
    }
    return (double) calls / tokens;
  }

  private static void print(String what, double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "%s: median %.3f (min %.3f, max %.3f)%n",
        what,
        median(values),
        s[0],
        s[s.length - 1]);
  }

  private static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
