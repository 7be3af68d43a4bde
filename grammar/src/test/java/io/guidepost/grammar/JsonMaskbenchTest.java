package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The MaskBench ratchet: compiles every schema of {@code shared/data/maskbench} (or gets a typed
 * error), runs each test instance through the byte DFA, and compares with the committed baseline
 * {@code maskbench-baseline.tsv}.
 *
 * <p>Instances are serialized in the compiled key order. Valid instances are written canonically
 * (the one spelling the automaton produces). Invalid instances are written canonically too, except
 * that an integral number parsed with a fraction ({@code 12345.0}) keeps that spelling: draft-04
 * does not count it as an {@code integer}, so such an instance can be invalid only because of its
 * spelling, while its canonical text {@code 12345} is a valid document. Every other number is
 * canonical, so an invalid instance is never rejected merely for a non-canonical spelling.
 *
 * <p>Fails when an invalid instance is accepted (never allowed), when a schema the compiler calls
 * complete (column {@code exact}) rejects a valid instance, when a schema that compiled in the
 * baseline no longer compiles, or when a schema rejects more valid instances than in the baseline.
 * Writes the per-file results to {@code target/maskbench-results.tsv} (compile-and-check times in
 * {@code target/maskbench-times.tsv}) and the totals to the log and {@code
 * target/maskbench-summary.txt}; to ratchet up, copy the results over the baseline.
 */
class JsonMaskbenchTest {
  /**
   * The service's compile-time limit ({@code guidepost.constraints.compile-timeout-ms} default):
   * the ratchet measures what the service compiles, so no schema counted as compiled took longer. A
   * schema over it is reported as a timeout and not compared (it depends on the machine's speed and
   * load); {@code -Dmaskbench.timeoutSeconds=60} measures with a longer limit.
   */
  static final long TIMEOUT_SECONDS = Long.getLong("maskbench.timeoutSeconds", 10);

  /** The service defaults with the limit above. */
  static final JsonSchemaOptions OPTIONS =
      JsonSchemaOptions.DEFAULTS
          .withLimits(
              JsonSchemaOptions.DEFAULTS.limits().withMaxCompileMillis(TIMEOUT_SECONDS * 1000))
          .withAnyValueDepth(
              Integer.getInteger(
                  "maskbench.freeFormDepth", JsonSchemaOptions.DEFAULTS.anyValueDepth()));

  /**
   * True for the default options, the ones the baseline holds; {@code -Dmaskbench.freeFormDepth=N}
   * measures another free-form depth (never accepting an invalid instance is still checked).
   */
  static final boolean COMPARE_WITH_BASELINE =
      OPTIONS.anyValueDepth() == JsonSchemaOptions.DEFAULTS.anyValueDepth();

  /**
   * The default run checks every 10th file (570 schemas, about 30 s on two cores); {@code
   * -Dmaskbench.stride=1} runs all 5,697 (10 to 19 minutes wall, 13 to 14 CPU-minutes on the shared
   * two-core build machine, dominated by a few schemas that take 30 to 60 s each, so not by
   * default). The baseline covers every file.
   */
  static final int DEFAULT_STRIDE = 10;

  /** Per-file outcome. */
  record Result(
      String file,
      String status,
      int validAccepted,
      int validRejected,
      int invalidAccepted,
      int invalidRejected,
      boolean exact,
      boolean contextFree,
      long millis,
      long compileMicros,
      String fallback,
      String subset) {
    String line() {
      return file
          + "\t"
          + status
          + "\t"
          + validAccepted
          + "\t"
          + validRejected
          + "\t"
          + invalidAccepted
          + "\t"
          + invalidRejected
          + "\t"
          + (exact ? "exact" : "subset")
          + "\t"
          + (contextFree ? "cfg" : "dfa")
          + (fallback == null && subset == null ? "" : "\t" + (fallback == null ? "-" : fallback))
          + (subset == null ? "" : "\t" + subset);
    }
  }

  static Result run(Path file) throws IOException {
    String name = file.getFileName().toString();
    long t0 = System.nanoTime();
    JsonValue.Obj doc = (JsonValue.Obj) JsonReader.parse(Files.readString(file));
    JsonValue schema = doc.get("schema");
    JsonSchema.Compiled compiled;
    JsonSchemaOptions options = OPTIONS;
    long compileMicros;
    try {
      long c0 = System.nanoTime();
      compiled =
          CharLang.withLimits(
              options.limits(), () -> JsonSchema.compileParsed(schema, options, c0));
      compileMicros = (System.nanoTime() - c0) / 1000;
    } catch (ConstraintException e) {
      if ("maxCompileMillis".equals(e.limitName())) {
        // Depends on the machine's speed and load: reported, not compared (like a timeout).
        return new Result(
            name, "timeout", 0, 0, 0, 0, false, false, TIMEOUT_SECONDS * 1000, -1, null, null);
      }
      String status =
          e.type()
              + (e.keyword() != null ? ":" + e.keyword() : "")
              + (e.limitName() != null ? ":" + e.limitName() : "");
      return new Result(
          name,
          status,
          0,
          0,
          0,
          0,
          false,
          false,
          (System.nanoTime() - t0) / 1_000_000,
          -1,
          null,
          null);
    }
    CompiledConstraint constraint = compiled.constraint();
    int va = 0;
    int vr = 0;
    int ia = 0;
    int ir = 0;
    for (JsonValue t : ((JsonValue.Arr) doc.get("tests")).elements()) {
      JsonValue.Obj test = (JsonValue.Obj) t;
      boolean valid = ((JsonValue.Bool) test.get("valid")).value();
      String text = JsonText.write(test.get("data"), compiled.compiler().keyOrder(), !valid);
      boolean accepted = constraint.matches(text);
      if (valid) {
        if (accepted) {
          va++;
        } else {
          vr++;
        }
      } else if (accepted) {
        ia++;
      } else {
        ir++;
      }
    }
    return new Result(
        name,
        "compiled",
        va,
        vr,
        ia,
        ir,
        compiled.complete(),
        constraint.isContextFree(),
        (System.nanoTime() - t0) / 1_000_000,
        compileMicros,
        compiled.fallbackReason(),
        compiled.subsetReason());
  }

  static List<Result> runAll(Path dir, int threads) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    int stride = Integer.getInteger("maskbench.stride", DEFAULT_STRIDE);
    if (stride > 1) {
      List<Path> sample = new ArrayList<>();
      for (int i = 0; i < files.size(); i += stride) {
        sample.add(files.get(i));
      }
      files = sample;
    }
    String only = System.getProperty("maskbench.only"); // comma-separated name fragments
    if (only != null) {
      List<String> parts = List.of(only.split(","));
      files =
          files.stream()
              .filter(p -> parts.stream().anyMatch(p.getFileName().toString()::contains))
              .toList();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread th = new Thread(null, r, "maskbench", 64L << 20);
              th.setDaemon(true);
              return th;
            });
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> run(f)));
      }
      List<Result> out = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        try {
          out.add(futures.get(i).get(2 * TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
          futures.get(i).cancel(true);
          out.add(
              new Result(
                  files.get(i).getFileName().toString(),
                  "timeout",
                  0,
                  0,
                  0,
                  0,
                  false,
                  false,
                  TIMEOUT_SECONDS * 1000,
                  -1,
                  null,
                  null));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The {@code q} quantile of sorted microsecond values, in milliseconds. */
  static double quantile(List<Long> sortedMicros, double q) {
    if (sortedMicros.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sortedMicros.size()) - 1;
    return sortedMicros.get(Math.max(0, Math.min(sortedMicros.size() - 1, i))) / 1000.0;
  }

  static Map<String, String[]> baseline() throws IOException {
    Map<String, String[]> m = new TreeMap<>();
    try (InputStream in = JsonMaskbenchTest.class.getResourceAsStream("/maskbench-baseline.tsv")) {
      if (in == null) {
        return m;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        m.put(f[0], f);
      }
    }
    return m;
  }

  @Test
  void maskbenchRatchet() throws Exception {
    Path dir = SharedData.require("data/maskbench");
    List<Result> results = runAll(dir, 2);
    int compiled = 0;
    long va = 0;
    long vr = 0;
    long ia = 0;
    long ir = 0;
    long vrExact = 0;
    Map<String, Integer> statuses = new TreeMap<>();
    StringBuilder tsv =
        new StringBuilder(
            "# file\tstatus\tvalidAccepted\tvalidRejected\tinvalidAccepted\tinvalidRejected\texactness"
                + "\tpath\n");
    List<String> invalidAccepted = new ArrayList<>();
    List<String> completeButRejecting = new ArrayList<>();
    StringBuilder times = new StringBuilder("# file\tmillis\tcompileMicros\n");
    List<Long> compileTimes = new ArrayList<>();
    int subsets = 0;
    Map<String, Integer> subsetReasons = new TreeMap<>();
    int contextFree = 0;
    for (Result r : results) {
      tsv.append(r.line()).append('\n');
      times
          .append(r.file())
          .append('\t')
          .append(r.millis())
          .append('\t')
          .append(r.compileMicros())
          .append('\n');
      String key =
          r.status().startsWith("schema-unsupported") || r.status().startsWith("compiled")
              ? r.status()
              : r.status().replaceAll(":.*", "");
      statuses.merge(key, 1, Integer::sum);
      if (r.status().equals("compiled")) {
        compiled++;
        compileTimes.add(r.compileMicros());
        subsets += r.exact() ? 0 : 1;
        if (r.subset() != null) {
          // The reason without its pointer, numbers folded: how many subsets each bound makes.
          String why = r.subset().substring(r.subset().indexOf(": ") + 2).replaceAll("[0-9]+", "N");
          subsetReasons.merge(why, 1, Integer::sum);
        }
        contextFree += r.contextFree() ? 1 : 0;
        va += r.validAccepted();
        vr += r.validRejected();
        ia += r.invalidAccepted();
        ir += r.invalidRejected();
        if (r.exact()) {
          vrExact += r.validRejected();
          if (r.validRejected() > 0) {
            completeButRejecting.add(r.file());
          }
        }
        if (r.invalidAccepted() > 0) {
          invalidAccepted.add(r.file());
        }
      }
    }
    Path out = Path.of("target", "maskbench-results.tsv");
    Files.createDirectories(out.getParent());
    Files.writeString(out, tsv.toString());
    Files.writeString(Path.of("target", "maskbench-times.tsv"), times.toString());
    java.util.Collections.sort(compileTimes);
    String summary =
        String.format(
            "maskbench (free-form depth %d): %d schemas, %d compiled (%.1f%%), %d of them on the"
                + " context-free layer, %d bounded subsets; compile ms p50 %.2f p90 %.2f p99 %.2f"
                + " max %.2f; valid instances of"
                + " compiled schemas: %d accepted, %d rejected (%d of them by schemas compiled"
                + " completely); invalid: %d rejected, %d accepted; statuses %s; subsets by the"
                + " first bound applied %s",
            OPTIONS.anyValueDepth(),
            results.size(),
            compiled,
            100.0 * compiled / results.size(),
            contextFree,
            subsets,
            quantile(compileTimes, 0.5),
            quantile(compileTimes, 0.9),
            quantile(compileTimes, 0.99),
            quantile(compileTimes, 1.0),
            va,
            vr,
            vrExact,
            ir,
            ia,
            statuses,
            subsetReasons);
    System.err.println(summary);
    Files.writeString(Path.of("target", "maskbench-summary.txt"), summary + "\n");
    assertTrue(invalidAccepted.isEmpty(), "invalid instances accepted by " + invalidAccepted);
    assertTrue(
        completeButRejecting.isEmpty(),
        "schemas compiled as complete reject valid instances: " + completeButRejecting);
    Map<String, String[]> base = COMPARE_WITH_BASELINE ? baseline() : Map.of();
    List<String> regressions = new ArrayList<>();
    for (Result r : results) {
      String[] b = base.get(r.file());
      if (b == null || r.status().equals("timeout")) {
        continue; // a timeout depends on the machine's load: reported, not compared
      }
      if (b[1].equals("compiled")) {
        if (!r.status().equals("compiled")) {
          regressions.add(r.file() + ": no longer compiles (" + r.status() + ")");
        } else if (r.validRejected() > Integer.parseInt(b[3])) {
          regressions.add(
              r.file() + ": rejects " + r.validRejected() + " valid instances, baseline " + b[3]);
        }
      }
    }
    assertEquals(List.of(), regressions, summary);
  }
}
