package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark main (not a test) on the demo model, CPU: decode tokens/s unconstrained vs constrained,
 * and model calls per output token with and without fast-forward on a json_patient constraint. Run
 * with {@code -Dguidepost.bench.rounds=N} (default 5, one warm-up round extra).
 *
 * <p>The json_patient constraint is {@link #JSON_PATIENT}, a regex written by hand from
 * shared/bench/patient.schema.json (keys in schema order, {@code ", "} and {@code ": "} separators
 * as in the bench instances, string characters: printable ASCII, 2- and 3-byte UTF-8, JSON escapes;
 * age 0..130, at most 5 diagnoses) and compiled by the test-only {@link GenerationRegexLite}: the
 * project's JSON Schema compiler is not on this branch. Each round runs 20 generations per
 * configuration, sampled (temperature 1, seeds 0..19), at most 160 new tokens, one intra-op thread.
 * The bench's json_patient instances are also replayed through the loop (see {@code
 * replayInstances}).
 *
 * <p>Run from {@code constrained-decoding/} after {@code ./mvnw -B -q verify -pl
 * constrained-decoding -am}: {@code ../mvnw -q -o dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt; java --enable-native-access=ALL-UNNAMED -cp
 * target/classes:target/test-classes:../grammar/target/classes:../grammar/target/test-classes:$(cat
 * target/cp.txt) io.guidepost.decoding.GenerationBenchmark}.
 */
final class GenerationBenchmark {

  static final String STR =
      "([ !#-\\[\\]-~]|[\\xC2-\\xDF][\\x80-\\xBF]|[\\xE0-\\xEF][\\x80-\\xBF][\\x80-\\xBF]"
          + "|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4})";
  static final String DIAGNOSIS =
      "\\{\"code\": \"[A-Z][0-9]{2}(\\.[0-9]{1,2})?\", \"description\": \"" + STR + "*\"\\}";
  static final String JSON_PATIENT =
      "\\{\"name\": \""
          + STR
          + "{0,40}\", \"age\": (0|[1-9][0-9]?|1[0-2][0-9]|130), \"sex\":"
          + " \"(male|female|other)\", \"diagnoses\": \\[("
          + DIAGNOSIS
          + "(, "
          + DIAGNOSIS
          + "){0,4})?\\]\\}";

  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("guidepost.bench.rounds", 5);
    Path folder = Path.of("target", "bench-model");
    DemoModel.writeTo(folder, DemoModelSpec.defaults());
    try (Generator g = Generator.open(folder, ModelOptions.defaults().withIntraOpThreads(1))) {
      ByteDfa patient = GenerationRegexLite.compile(JSON_PATIENT);
      TokenAutomaton patientAutomaton = TokenAutomaton.compile(patient, g.vocabulary());
      TokenAutomaton anyText =
          TokenAutomaton.compile(GenerationRegexLite.compile("[ -~]{0,400}"), g.vocabulary());
      double[] free = new double[rounds];
      double[] json = new double[rounds];
      double[] permissive = new double[rounds];
      double[] callsOn = new double[rounds];
      double[] callsOff = new double[rounds];
      for (int round = -1; round < rounds; round++) {
        double f = tokensPerSecond(g, null, true);
        double j = tokensPerSecond(g, patientAutomaton, false);
        double p = tokensPerSecond(g, anyText, false);
        double on = callsPerToken(g, patientAutomaton, true);
        double off = callsPerToken(g, patientAutomaton, false);
        if (round >= 0) {
          free[round] = f;
          json[round] = j;
          permissive[round] = p;
          callsOn[round] = on;
          callsOff[round] = off;
        }
      }
      print("unconstrained tokens/s", free);
      print("json_patient (no fast-forward) tokens/s", json);
      print("printable-ASCII regex tokens/s", permissive);
      System.out.printf(
          Locale.ROOT,
          "ratio json_patient/unconstrained %.3f, printable/unconstrained %.3f%n",
          median(json) / median(free),
          median(permissive) / median(free));
      replayInstances(g, patient, patientAutomaton);
      print("json_patient model calls per token, fast-forward on", callsOn);
      print("json_patient model calls per token, fast-forward off", callsOff);
      System.out.printf(
          Locale.ROOT,
          "fast-forward saves %.1f%% of model calls%n",
          100 * (1 - median(callsOn) / median(callsOff)));
    }
  }

  /**
   * Replays the bench's json_patient instances through the real loop (a chooser that picks the
   * allowed token with the longest match of the instance's remaining bytes stands in for the
   * sampler) and prints model calls per output token with and without fast-forward.
   */
  private static void replayInstances(Generator g, ByteDfa patient, TokenAutomaton automaton)
      throws java.io.IOException {
    Path root = io.guidepost.testing.SharedData.root();
    if (root == null) {
      System.out.println("shared/bench not found: instance replay skipped");
      return;
    }
    com.fasterxml.jackson.databind.JsonNode cases =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(root.resolve("bench/cases.json").toFile());
    for (com.fasterxml.jackson.databind.JsonNode c : cases) {
      if (!c.path("name").asText().equals("json_patient")) {
        continue;
      }
      for (boolean ff : new boolean[] {false, true}) {
        long calls = 0;
        long tokens = 0;
        long forced = 0;
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode inst : c.path("instances")) {
          byte[] target = inst.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          if (!patient.matches(target)) {
            throw new IllegalStateException("instance outside the regex: " + inst.asText());
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
          if (!r.text().equals(inst.asText())) {
            throw new IllegalStateException("replay diverged: " + r.text());
          }
          calls += r.modelCalls() - 1;
          tokens += r.generatedTokens();
          forced += r.forcedTokens();
          n++;
        }
        System.out.printf(
            Locale.ROOT,
            "json_patient replay of %d bench instances, fast-forward %s: %d tokens (%d forced),"
                + " %d model calls after prefill, %.3f calls per token%n",
            n,
            ff ? "on" : "off",
            tokens,
            forced,
            calls,
            (double) calls / tokens);
      }
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

  private static double tokensPerSecond(Generator g, TokenAutomaton a, boolean free) {
    long tokens = 0;
    long nanos = 0;
    for (int seed = 0; seed < 20; seed++) {
      GenerationRequest req =
          GenerationRequest.chat(null, "Write a patient record as JSON.", 160)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
              .withFastForward(false);
      GenerationResult r = g.generate(req, free ? null : a.newCursor(), null);
      tokens += r.generatedTokens();
      nanos += r.decodeNanos();
    }
    return tokens / (nanos / 1e9);
  }

  private static double callsPerToken(Generator g, TokenAutomaton a, boolean fastForward) {
    long calls = 0;
    long tokens = 0;
    for (int seed = 0; seed < 20; seed++) {
      GenerationRequest req =
          GenerationRequest.chat(null, "Write a patient record as JSON.", 160)
              .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
              .withFastForward(fastForward);
      GenerationResult r = g.generate(req, a.newCursor(), null);
      calls += r.modelCalls() - 1; // the prompt fits one prefill call
      tokens += r.generatedTokens();
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
