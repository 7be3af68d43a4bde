package io.guidepost.decoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.JsonSchema;
import io.guidepost.grammar.JsonSchemaOptions;
import io.guidepost.grammar.Quote;
import io.guidepost.grammar.Regex;
import io.guidepost.grammar.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark main (not a test) on demo models, CPU, in two parts ({@code
 * -Dguidepost.bench.part=ff|mask|all}, default all).
 *
 * <p><b>ff</b>: model calls on json_patient with and without fast-forward, like for like: the 4
 * bench instances are replayed through the real loop ({@link Generator} with a {@link
 * Generator.TokenChooser} standing in for the sampler) on two demo models that differ only in their
 * tokenizer: the generated demo vocabulary and the real Phi-3 {@code tokenizer.json} ({@code
 * shared/data/phi3}, 32,064 logits; {@link DemoModel#writeTo(Path, DemoModelSpec, Path)}). Call
 * counts depend on tokenization, not on weights. The chooser writes the instance the way the
 * tokenizer would: at each sampling step it takes the canonical token of the whole instance at the
 * current byte offset when there is one and it is allowed, else the first canonical token of the
 * remaining text, else the longest allowed token that matches it. Two output layouts: compact (the
 * default of {@link JsonSchema#compile(String)}, instances re-serialized without whitespace) and
 * {@code flexible(1)} (the instances as written, {@code ", "} and {@code ": "}). Calls are all
 * model calls of a generation, the prompt's prefill included (one chunk). Also prints calls per
 * token of 20 sampled generations (different texts with and without fast-forward, not like for
 * like).
 *
 * <p><b>mask</b>: decode steps per second of sampled generations (temperature 1, at most 160 new
 * tokens, fast-forward off). A step is the interval between two consecutive tokens of a generation,
 * taken from the streaming callback: one model call, one mask, one sampling pass, whatever the
 * constraint (prefill, KV cache allocation and the last token, which needs no model call, are left
 * out, so short outputs are not flattered). {@code -Dguidepost.bench.rounds=N} rounds (default 15,
 * plus one warm-up round); in a round every configuration runs seeds 0, 1, ... until {@code
 * -Dguidepost.bench.tokens} steps (default 3,000), interleaved generation by generation in an order
 * rotated every round. Reported per configuration: the median over rounds of the per-round ratio to
 * the unconstrained run of the same round, with min and max, both in wall time and in the thread's
 * CPU time (the model runs on the calling thread with one intra-op thread; CPU time is far less
 * disturbed by other processes on a shared machine), and the mask time per token. Two controls
 * separate the cost of masking from the effect of sampling from fewer tokens: {@code accept_bytes},
 * a one-state DFA over every byte, whose masks allow exactly the unconstrained set (same seeds,
 * same tokens, only the masking differs), and {@code accept_all}, the regex {@code [\s\S]*}, which
 * also excludes the lone UTF-8 byte tokens. {@code -Dguidepost.bench.vocab=demo|phi3} (default
 * demo) picks the model.
 *
 * <p>Constraints, all from the real grammar compilers: json_patient is the bench schema ({@code
 * shared/bench/patient.schema.json}); regex_code the bench regex; choice_icd the 7,251 codes of
 * {@code shared/data/icd10cm}; a quote of a clinical passage (5..80 chars, word boundaries); a
 * template with regex, choice, JSON and free-text holes. One intra-op thread. Figures on a shared
 * 2-core machine are indicative only.
 *
 * <p>Run from {@code constrained-decoding/} after {@code ./mvnw -B -q verify -pl
 * constrained-decoding -am}: {@code ../mvnw -q -o dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt; java --enable-native-access=ALL-UNNAMED -cp
 * target/classes:target/test-classes:../grammar/target/classes:../grammar/target/test-classes:$(cat
 * target/cp.txt) io.guidepost.decoding.GenerationBenchmark}.
 */
final class GenerationBenchmark {

  private static final String PROMPT = "Write a patient record as JSON.";

  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    String part = System.getProperty("guidepost.bench.part", "all");
    Path shared = io.guidepost.testing.SharedData.root();
    if (shared == null) {
      throw new IllegalStateException("shared/ not found: the benchmark needs shared/bench");
    }
    if (part.equals("ff") || part.equals("all")) {
      for (String vocab : new String[] {"demo", "phi3"}) {
        try (Generator g = open(shared, vocab)) {
          fastForward(g, shared, vocab);
        }
      }
    }
    if (part.equals("mask") || part.equals("all")) {
      String vocab = System.getProperty("guidepost.bench.vocab", "demo");
      try (Generator g = open(shared, vocab)) {
        masking(g, shared, vocab, Integer.getInteger("guidepost.bench.rounds", 15));
      }
    }
  }

  /** The demo model with the generated vocabulary, or with the Phi-3 tokenizer. */
  private static Generator open(Path shared, String vocab) throws IOException {
    Path folder = Path.of("target", "bench-model-" + vocab);
    if (vocab.equals("phi3")) {
      DemoModel.writeTo(
          folder, DemoModelSpec.defaults(), shared.resolve("data/phi3/tokenizer.json"));
    } else {
      DemoModel.writeTo(folder, DemoModelSpec.defaults());
    }
    return Generator.open(folder, ModelOptions.defaults().withIntraOpThreads(1));
  }

  // ---------------------------------------------------------------- fast-forward (model calls)

  private static void fastForward(Generator g, Path shared, String vocab) throws IOException {
    String schema = Files.readString(shared.resolve("bench/patient.schema.json"));
    ObjectMapper mapper = new ObjectMapper();
    List<String> instances = new ArrayList<>();
    for (JsonNode c : mapper.readTree(shared.resolve("bench/cases.json").toFile())) {
      if (c.path("name").asText().equals("json_patient")) {
        for (JsonNode inst : c.path("instances")) {
          instances.add(inst.asText());
        }
      }
    }
    int[][] recorded = BenchWorkloads.load("json_patient").sequences();
    System.out.printf(
        Locale.ROOT,
        "== fast-forward, %s vocabulary (%d logits)%n",
        vocab,
        g.vocabulary().logitsSize());
    for (String layout : new String[] {"compact", "flexible(1)"}) {
      boolean compact = layout.equals("compact");
      CompiledConstraint c =
          compact
              ? JsonSchema.compile(schema)
              : JsonSchema.compile(schema, JsonSchemaOptions.DEFAULTS.flexible(1));
      TokenAutomaton automaton = TokenAutomaton.compile(c, g.vocabulary());
      long[] calls = new long[2];
      for (boolean ff : new boolean[] {false, true}) {
        long tokens = 0;
        long forced = 0;
        long steps = 0;
        long offCanonical = 0;
        long wholeForced = 0;
        int sameAsRecorded = 0;
        for (int i = 0; i < instances.size(); i++) {
          String instance =
              compact
                  ? mapper.writeValueAsString(mapper.readTree(instances.get(i)))
                  : instances.get(i);
          byte[] target = instance.getBytes(StandardCharsets.UTF_8);
          if (!c.dfa().matches(target)) {
            throw new IllegalStateException("instance outside the schema's DFA: " + instance);
          }
          TokenCursor cursor = automaton.newCursor();
          CanonicalReplay replay = new CanonicalReplay(g, target, cursor);
          GenerationResult r =
              g.generate(
                  GenerationRequest.chat(null, PROMPT, 600).withFastForward(ff),
                  cursor,
                  replay,
                  new GenerationControl(),
                  replay);
          if (!r.text().equals(instance)
              || r.finishReason() != GenerationResult.FinishReason.STOP) {
            throw new IllegalStateException("replay diverged: " + r.text());
          }
          calls[ff ? 1 : 0] += r.modelCalls();
          tokens += r.generatedTokens();
          forced += r.forcedTokens();
          steps += replay.choices;
          offCanonical += replay.offCanonical;
          wholeForced += replay.wholeForced;
          int[] rec = recorded[i];
          int recLength =
              rec.length > 0 && rec[rec.length - 1] == 32007 ? rec.length - 1 : rec.length;
          if (!compact
              && vocab.equals("phi3")
              && Arrays.equals(r.tokenIds(), Arrays.copyOf(rec, recLength))) {
            sameAsRecorded++;
          }
        }
        System.out.printf(
            Locale.ROOT,
            "json_patient %s, replay of %d bench instances, fast-forward %s: %d tokens (%d"
                + " forced), %d sampling steps (%d off the whole-text canonical tokens, %d chose a"
                + " token spelling exactly the forced bytes: with fast-forward, a held-back boundary"
                + " token), %d model calls (prefill included), %.3f calls per"
                + " token%s%n",
            layout,
            instances.size(),
            ff ? "on " : "off",
            tokens,
            forced,
            steps,
            offCanonical,
            wholeForced,
            calls[ff ? 1 : 0],
            (double) calls[ff ? 1 : 0] / tokens,
            !compact && vocab.equals("phi3")
                ? ", " + sameAsRecorded + " of 4 token sequences equal to bench/tokens.json"
                : "");
      }
      System.out.printf(
          Locale.ROOT,
          "json_patient %s, %s vocabulary, same texts: %d -> %d model calls, %.1f%% fewer with"
              + " fast-forward%n",
          layout,
          vocab,
          calls[0],
          calls[1],
          100 * (1 - (double) calls[1] / calls[0]));
    }
    TokenAutomaton compact = TokenAutomaton.compile(JsonSchema.compile(schema), g.vocabulary());
    double on = sampledCallsPerToken(g, compact, true);
    double off = sampledCallsPerToken(g, compact, false);
    System.out.printf(
        Locale.ROOT,
        "json_patient compact, %s vocabulary, 20 sampled generations (different texts): %.3f calls"
            + " per token with fast-forward, %.3f without (%.1f%% fewer)%n",
        vocab,
        on,
        off,
        100 * (1 - on / off));
  }

  /** Model calls (prefill included) per generated token over 20 sampled generations. */
  private static double sampledCallsPerToken(Generator g, TokenAutomaton a, boolean fastForward) {
    long calls = 0;
    long tokens = 0;
    for (int seed = 0; seed < 20; seed++) {
      GenerationResult r =
          g.generate(
              GenerationRequest.chat(null, PROMPT, 160)
                  .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
                  .withFastForward(fastForward),
              a.newCursor(),
              null);
      calls += r.modelCalls();
      tokens += r.generatedTokens();
    }
    return (double) calls / tokens;
  }

  /**
   * Writes a known text the way the tokenizer would: the canonical token of the whole text at the
   * current offset when allowed, else the first canonical token of the rest, else the longest
   * allowed token that matches; end-of-sequence at the end.
   */
  private static final class CanonicalReplay implements Generator.TokenChooser, GenerationListener {
    private final Vocabulary vocab;
    private final ForcedTokens canonical;
    private final byte[] target;
    private final TokenCursor cursor;
    private final int[] tokenAt; // canonical token of the whole text starting at each offset, or -1
    private int pos;
    int choices;
    int offCanonical;
    int wholeForced; // choices whose bytes are exactly the forced bytes (a held-back token)

    CanonicalReplay(Generator g, byte[] target, TokenCursor cursor) {
      this.vocab = g.vocabulary();
      this.cursor = cursor;
      this.canonical = new ForcedTokens(g.tokenizer(), vocab);
      this.target = target;
      this.tokenAt = new int[target.length + 1];
      Arrays.fill(tokenAt, -1);
      int p = 0;
      for (int id : canonical.tokenizeContinuation(target)) {
        tokenAt[p] = id;
        p += vocab.tokenBytes(id).length;
      }
    }

    @Override
    public void onToken(int tokenId, String textDelta, boolean forced) {
      pos += vocab.tokenBytes(tokenId).length;
    }

    @Override
    public int choose(float[] logits, long[] mask) {
      choices++;
      int t = pick(mask);
      byte[] forced = cursor.forcedBytes();
      if (forced.length > 0 && !vocab.isEos(t) && Arrays.equals(forced, vocab.tokenBytes(t))) {
        wholeForced++;
      }
      return t;
    }

    private int pick(long[] mask) {
      if (pos == target.length) {
        for (int e : vocab.eosIdsShared()) {
          if (allowed(mask, e)) {
            return e;
          }
        }
        throw new IllegalStateException("the instance is complete but no end-of-sequence allowed");
      }
      int t = tokenAt[pos];
      if (t >= 0 && allowed(mask, t)) {
        return t;
      }
      offCanonical++;
      byte[] rest = Arrays.copyOfRange(target, pos, target.length);
      int valid = ForcedTokens.wellFormedPrefix(rest);
      if (valid > 0) {
        int[] ids = canonical.tokenizeContinuation(Arrays.copyOf(rest, valid));
        if (ids.length > 0 && allowed(mask, ids[0])) {
          return ids[0];
        }
      }
      int best = -1;
      int bestLength = 0;
      for (int w = 0; w < mask.length; w++) {
        long bits = mask[w];
        while (bits != 0) {
          int id = (w << 6) + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
          byte[] b = vocab.isEos(id) ? null : vocab.tokenBytes(id);
          if (b != null
              && b.length > bestLength
              && Arrays.equals(b, 0, b.length, target, pos, Math.min(target.length, pos + b.length))
              && pos + b.length <= target.length) {
            best = id;
            bestLength = b.length;
          }
        }
      }
      if (best < 0) {
        throw new IllegalStateException("no allowed token continues the instance at byte " + pos);
      }
      return best;
    }

    private static boolean allowed(long[] mask, int id) {
      return (mask[id >>> 6] & (1L << id)) != 0;
    }
  }

  // ---------------------------------------------------------------- masking overhead (tokens/s)

  private static void masking(Generator g, Path shared, String vocab, int rounds)
      throws IOException {
    Map<String, TokenConstraint> configs = new LinkedHashMap<>();
    configs.put("unconstrained", null);
    // Control: a one-state DFA over every byte, so the mask allows exactly the unconstrained set
    // (every text token and end-of-sequence): the same tokens are sampled, only masking differs.
    io.guidepost.grammar.ByteDfa.Builder everything = io.guidepost.grammar.ByteDfa.builder();
    int only = everything.addState(true);
    everything.setInitial(only).addTransition(only, 0, 255, only);
    configs.put("accept_bytes", TokenAutomaton.compile(everything.build(), g.vocabulary()));
    for (Map.Entry<String, CompiledConstraint> e : constraints(shared).entrySet()) {
      CompiledConstraint c = e.getValue();
      configs.put(
          e.getKey(),
          c.isContextFree()
              ? GrammarAutomaton.compile(c, g.vocabulary())
              : TokenAutomaton.compile(c, g.vocabulary()));
    }
    List<String> names = new ArrayList<>(configs.keySet());
    List<TokenConstraint> automata = new ArrayList<>(configs.values());
    int n = names.size();
    int minSteps = Integer.getInteger("guidepost.bench.tokens", 3000);
    double[][] wallRate = new double[n][rounds];
    double[][] cpuRate = new double[n][rounds];
    double[][] maskNanos = new double[n][rounds];
    for (int round = -1; round < rounds; round++) {
      StepClock[] clocks = new StepClock[n];
      for (int k = 0; k < n; k++) {
        clocks[k] = new StepClock();
      }
      // Interleaved generation by generation, in an order rotated every round, so that every
      // configuration sees the same machine load; seeds 0, 1, ...: the same work every round.
      boolean more = true;
      for (int seed = 0; more; seed++) {
        more = false;
        for (int j = 0; j < n; j++) {
          int k = Math.floorMod(j + round, n);
          if (clocks[k].steps >= minSteps) {
            continue;
          }
          GenerationRequest req =
              GenerationRequest.chat(null, PROMPT, 160)
                  .withSampling(new SamplingParams(1.0, 0, 1.0, seed))
                  .withFastForward(false);
          TokenConstraint a = automata.get(k);
          clocks[k].start();
          GenerationResult r = g.generate(req, a == null ? null : a.newCursor(), clocks[k]);
          clocks[k].maskNanos += r.maskNanos();
          clocks[k].maskTokens += r.generatedTokens();
          more |= clocks[k].steps < minSteps;
        }
      }
      if (round >= 0) {
        for (int k = 0; k < n; k++) {
          StepClock c = clocks[k];
          wallRate[k][round] = c.steps / (c.wallNanos / 1e9);
          cpuRate[k][round] = c.steps / (c.cpuNanos / 1e9);
          maskNanos[k][round] = (double) c.maskNanos / c.maskTokens;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "== masking overhead, %s vocabulary (%d logits), %d rounds; per configuration and round,"
            + " sampled generations of <= 160 tokens (seeds 0, 1, ...) until %d decode steps,"
            + " interleaved generation by generation; fast-forward off%n",
        vocab,
        g.vocabulary().logitsSize(),
        rounds,
        minSteps);
    System.out.printf(
        Locale.ROOT,
        "%-14s %10s %28s %10s %28s %14s%n",
        "configuration",
        "steps/s",
        "wall ratio (median [min,max])",
        "cpu st/s",
        "cpu ratio (median [min,max])",
        "mask ns/token");
    for (int k = 0; k < n; k++) {
      double[] wall = ratios(wallRate, k);
      double[] cpu = ratios(cpuRate, k);
      System.out.printf(
          Locale.ROOT,
          "%-14s %10.0f %10.3f [%.3f, %.3f] %10.0f %10.3f [%.3f, %.3f] %14.0f%n",
          names.get(k),
          median(wallRate[k]),
          median(wall),
          min(wall),
          max(wall),
          median(cpuRate[k]),
          median(cpu),
          min(cpu),
          max(cpu),
          median(maskNanos[k]));
    }
  }

  /** Per-round ratios of configuration {@code k} to configuration 0 (unconstrained). */
  private static double[] ratios(double[][] rates, int k) {
    double[] r = new double[rates[k].length];
    for (int i = 0; i < r.length; i++) {
      r[i] = rates[k][i] / rates[0][i];
    }
    return r;
  }

  /**
   * Times decode steps from the streaming callback: the interval between two consecutive tokens of
   * a generation is exactly one step (one model call, one mask, one sampling pass), whatever the
   * constraint, so prefill, the KV cache's allocation and the last token (which needs no model
   * call) are left out. Wall time and the thread's CPU time (the model runs on the calling thread
   * with one intra-op thread, so CPU time is not inflated by other processes on the machine).
   */
  private static final class StepClock implements GenerationListener {
    private static final java.lang.management.ThreadMXBean THREADS =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long steps;
    long wallNanos;
    long cpuNanos;
    long maskNanos;
    long maskTokens;
    private long lastWall = -1;
    private long lastCpu;

    void start() {
      lastWall = -1;
    }

    @Override
    public void onToken(int tokenId, String textDelta, boolean forced) {
      long wall = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      if (lastWall >= 0) {
        steps++;
        wallNanos += wall - lastWall;
        cpuNanos += cpu - lastCpu;
      }
      lastWall = wall;
      lastCpu = cpu;
    }
  }

  private static Map<String, CompiledConstraint> constraints(Path shared) throws IOException {
    Map<String, CompiledConstraint> kinds = new LinkedHashMap<>();
    kinds.put("accept_all", Regex.compile("[\\s\\S]*"));
    kinds.put(
        "json_patient",
        JsonSchema.compile(Files.readString(shared.resolve("bench/patient.schema.json"))));
    // recursive (context-free): a tree of nodes with an integer and optional children
    kinds.put("json_tree", JsonSchema.compile(TestGrammars.TREE_SCHEMA));
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
    return kinds;
  }

  /** The codes of the ICD-10-CM sample, with their dot (A0101 is A01.01). */
  private static List<String> icdCodes(Path shared) throws IOException {
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

  private static double min(double[] values) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double max(double[] values) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
