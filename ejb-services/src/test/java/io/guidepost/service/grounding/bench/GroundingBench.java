package io.guidepost.service.grounding.bench;

import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.service.grounding.CodeCandidate;
import io.guidepost.service.grounding.CodeListInfo;
import io.guidepost.service.grounding.CodeListOptions;
import io.guidepost.service.grounding.CodeListStore;
import io.guidepost.service.grounding.CorpusStore;
import io.guidepost.service.grounding.Document;
import io.guidepost.service.grounding.GroundingLimits;
import io.guidepost.service.grounding.PassageHit;
import io.guidepost.service.grounding.PassageSettings;
import io.guidepost.service.grounding.SyntheticCodes;
import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Grounding benchmarks: loading and indexing a full-size (74,000-code) ICD-10-CM-shaped code list,
 * alone and with the choice over all its codes compiled and lifted to Phi-3's vocabulary up to the
 * first mask (issue #7's goal: under 1 s); reopening the persisted list (a restart); candidate
 * retrieval on it; and BM25 passage search on a corpus of at least 10,000 passages.
 *
 * <p>Run with short settings on a shared machine, e.g. {@code -f 3 -wi 3 -i 5} for the single-shot
 * load and reopen benchmarks (one load or reopen per iteration) and {@code -f 1 -wi 3 -w 1s -i 5 -r
 * 1s} for the others. The Phi-3 benchmarks need {@code shared/data/phi3/tokenizer.json} (run from
 * the checkout, or pass {@code -Dguidepost.shared.dir}).
 */
public class GroundingBench {

  /** Synthetic English-like text over a Zipf-like vocabulary of pseudo-words. */
  static final class SyntheticText {
    final String[] vocabulary;

    SyntheticText(int words, long seed) {
      Random rnd = new Random(seed);
      String[] syllables = {
        "ka", "lo", "mi", "ren", "tor", "sa", "vin", "del", "pha", "gro", "nu", "shi", "cor", "bel",
        "ta", "xen", "qui", "mor", "dra", "li"
      };
      vocabulary = new String[words];
      for (int i = 0; i < words; i++) {
        StringBuilder w = new StringBuilder();
        for (int s = 2 + rnd.nextInt(3); s > 0; s--) {
          w.append(syllables[rnd.nextInt(syllables.length)]);
        }
        vocabulary[i] = w.toString() + i;
      }
    }

    String word(Random rnd) {
      double u = rnd.nextDouble();
      return vocabulary[(int) (vocabulary.length * u * u * u)];
    }

    String text(Random rnd, int chars) {
      StringBuilder sb = new StringBuilder(chars + 64);
      while (sb.length() < chars) {
        int n = 6 + rnd.nextInt(18);
        for (int i = 0; i < n; i++) {
          String w = word(rnd);
          sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
          sb.append(i == n - 1 ? ". " : " ");
        }
      }
      return sb.toString();
    }
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  /** Phi-3's vocabulary from the shared test data (32,064 logits; EOS 32000, 32001, 32007). */
  @State(Scope.Benchmark)
  public static class Phi3 {
    Vocabulary vocab;

    @Setup(Level.Trial)
    public void load() throws IOException {
      vocab =
          Vocabulary.fromTokenizerJson(
              SharedData.require("data/phi3/tokenizer.json"), 32064, 32000, 32001, 32007);
    }
  }

  /** A 74,000-code list text, and a store to load it into. */
  @State(Scope.Benchmark)
  public static class LoadState {
    String file;
    Path dir;
    CodeListStore store;
    int loads;

    @Setup(Level.Trial)
    public void generate() {
      file = SyntheticCodes.icd10cmFile(74_000, 7);
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = Files.createTempDirectory("bench-codelists");
      store = CodeListStore.open(dir, GroundingLimits.DEFAULTS);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      store.close();
      deleteTree(dir);
    }
  }

  /** Parse, validate, index (Lucene, one segment) and publish 74,000 codes. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public CodeListInfo loadFullSizeCodeList(LoadState s) {
    return s.store.load("icd" + s.loads++, CodeListOptions.icd10cm(true), new StringReader(s.file));
  }

  /** The choice over every code of a list, lifted to Phi-3's tokens, up to the first mask. */
  static int compileFirstMask(CodeListStore store, String list, Vocabulary vocab) {
    CompiledConstraint choice = Choice.compile(store.codes(list));
    TokenAutomaton a = TokenAutomaton.compile(choice, vocab);
    return a.allowedCount(a.initialState());
  }

  /**
   * Issue #7's figure: load 74,000 codes (parse, index, publish), compile the choice over all of
   * them, lift it to Phi-3's vocabulary and compute the first mask.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int loadCompileFirstMask(LoadState s, Phi3 p) {
    String name = "icd" + s.loads++;
    s.store.load(name, CodeListOptions.icd10cm(true), new StringReader(s.file));
    return compileFirstMask(s.store, name, p.vocab);
  }

  /**
   * A 74,000-code list loaded once into a folder; each iteration opens a new store on it, as a
   * restarted server does (the files are in the operating system's cache, as after a restart).
   */
  @State(Scope.Benchmark)
  public static class ReopenState {
    Path dir;
    CodeListStore store;

    @Setup(Level.Trial)
    public void load() throws IOException {
      dir = Files.createTempDirectory("bench-reopen");
      try (CodeListStore first = CodeListStore.open(dir, GroundingLimits.DEFAULTS)) {
        first.load(
            "icd",
            CodeListOptions.icd10cm(true),
            new StringReader(SyntheticCodes.icd10cmFile(74_000, 7)));
      }
    }

    @TearDown(Level.Iteration)
    public void closeStore() {
      if (store != null) {
        store.close();
        store = null;
      }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
      deleteTree(dir);
    }
  }

  /** Open a store holding a persisted 74,000-code list and the list in it. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int reopenFullSizeCodeList(ReopenState s) {
    s.store = CodeListStore.open(s.dir, GroundingLimits.DEFAULTS);
    return s.store.codes("icd").size();
  }

  /** The restart path: reopen the persisted list, compile the choice, first Phi-3 mask. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int reopenCompileFirstMask(ReopenState s, Phi3 p) {
    s.store = CodeListStore.open(s.dir, GroundingLimits.DEFAULTS);
    return compileFirstMask(s.store, "icd", p.vocab);
  }

  /** A loaded 74,000-code list and clinical-text-like queries. */
  @State(Scope.Benchmark)
  public static class CandidatesState {
    Path dir;
    CodeListStore store;
    String[] queries;
    int next;

    @Setup(Level.Trial)
    public void load() throws IOException {
      dir = Files.createTempDirectory("bench-candidates");
      store = CodeListStore.open(dir, GroundingLimits.DEFAULTS);
      store.load(
          "icd",
          CodeListOptions.icd10cm(true),
          new StringReader(SyntheticCodes.icd10cmFile(74_000, 7)));
      queries =
          new String[] {
            "Displaced fracture of the left femur after a fall, initial encounter.",
            "Chronic kidney insufficiency with recurrent infection of bladder",
            "acute hemorrhage of colon, subsequent encounter",
            "bilateral cyst of retina, unspecified side",
            "closed dislocation of shoulder with complication; sequela"
          };
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      store.close();
      deleteTree(dir);
    }
  }

  /** Top 50 candidate codes for a one-sentence clinical text. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<CodeCandidate> candidatesTop50(CandidatesState s) {
    return s.store.candidates("icd", s.queries[s.next++ % s.queries.length], 50);
  }

  /** A corpus of at least 10,000 passages and random 1-4 word queries. */
  @State(Scope.Benchmark)
  public static class CorpusState {
    Path dir;
    CorpusStore store;
    String[] queries;
    int next;

    @Setup(Level.Trial)
    public void build() throws IOException {
      dir = Files.createTempDirectory("bench-corpus");
      store = CorpusStore.open(dir, GroundingLimits.DEFAULTS);
      store.create("c", new PassageSettings(500, 0));
      SyntheticText gen = new SyntheticText(20_000, 3);
      Random rnd = new Random(5);
      long passages = 0;
      int doc = 0;
      while (passages < 10_000) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          batch.add(Document.of("d" + doc++, gen.text(rnd, 5_000)));
        }
        passages += store.ingest("c", batch).passages();
      }
      if (store.info("c").passages() < 10_000) {
        throw new IllegalStateException("corpus too small: " + store.info("c"));
      }
      queries = new String[256];
      for (int i = 0; i < queries.length; i++) {
        StringBuilder q = new StringBuilder();
        for (int w = 1 + rnd.nextInt(4); w > 0; w--) {
          q.append(gen.word(rnd)).append(' ');
        }
        queries[i] = q.toString().strip();
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      store.close();
      deleteTree(dir);
    }
  }

  /** BM25 top 10 passages for a 1-4 word query over at least 10,000 passages. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<PassageHit> searchTop10(CorpusState s) {
    return s.store.search("c", s.queries[s.next++ & 255], 10);
  }
}
