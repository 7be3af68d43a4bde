package io.guidepost.service.grounding.bench;

import io.guidepost.decoding.DemoModel;
import io.guidepost.decoding.DemoModelSpec;
import io.guidepost.decoding.GenerationRequest;
import io.guidepost.decoding.GenerationResult;
import io.guidepost.decoding.Generator;
import io.guidepost.decoding.ModelOptions;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.Quote;
import io.guidepost.service.grounding.CodeCandidate;
import io.guidepost.service.grounding.CodeListOptions;
import io.guidepost.service.grounding.CodeListStore;
import io.guidepost.service.grounding.CorpusStore;
import io.guidepost.service.grounding.Document;
import io.guidepost.service.grounding.GroundingLimits;
import io.guidepost.service.grounding.PassageHit;
import io.guidepost.service.grounding.PassageSettings;
import io.guidepost.service.grounding.SyntheticCodes;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * End-to-end grounding figures on the built-in demo model (random weights, so the timings are the
 * engine's, not a real Phi-3's): a full-size code list loaded, compiled and ready for its first
 * mask; one code selection (retrieve 50 candidates, compile the choice, generate greedily); one
 * quote over a 10,000-passage corpus (retrieve 5 passages, compile the quote, generate greedily).
 *
 * <p>Forks run with the test JVM's stack size: ONNX Runtime and the native tokenizer crash the JVM
 * (SIGSEGV, exit code 139) when a model opens on the default 1 MB thread stack.
 */
@Fork(jvmArgsAppend = {"-Xss8m", "--enable-native-access=ALL-UNNAMED"})
public class GroundedGenerationBench {

  /** The demo model and its vocabulary. */
  @State(Scope.Benchmark)
  public static class Model {
    Path dir;
    Generator generator;
    Vocabulary vocab;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = Files.createTempDirectory("bench-demo-model");
      DemoModel.writeTo(dir, DemoModelSpec.defaults());
      generator = Generator.open(dir, ModelOptions.defaults());
      vocab = generator.vocabulary();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      generator.close();
      GroundingBench.deleteTree(dir);
    }
  }

  /** A 74,000-code list text and a fresh store per iteration. */
  @State(Scope.Benchmark)
  public static class FullList {
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
      dir = Files.createTempDirectory("bench-fulllist");
      store = CodeListStore.open(dir, GroundingLimits.DEFAULTS);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      store.close();
      GroundingBench.deleteTree(dir);
    }
  }

  /** Load + index 74,000 codes, compile them to a choice DFA and lift it until the first mask. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int fullListLoadCompileFirstMask(FullList s, Model m) {
    String name = "icd" + s.loads++;
    s.store.load(name, CodeListOptions.icd10cm(true), new StringReader(s.file));
    CompiledConstraint choice = Choice.compile(s.store.codes(name));
    TokenAutomaton a = TokenAutomaton.compile(choice, m.vocab);
    return a.allowedCount(a.initialState());
  }

  /** A loaded 74,000-code list and a 10,000-passage corpus. */
  @State(Scope.Benchmark)
  public static class Stores {
    Path dir;
    CodeListStore codes;
    CorpusStore corpus;
    String[] questions;
    int next;

    @Setup(Level.Trial)
    public void build() throws IOException {
      dir = Files.createTempDirectory("bench-grounded");
      codes = CodeListStore.open(dir.resolve("codes"), GroundingLimits.DEFAULTS);
      codes.load(
          "icd",
          CodeListOptions.icd10cm(true),
          new StringReader(SyntheticCodes.icd10cmFile(74_000, 7)));
      corpus = CorpusStore.open(dir.resolve("corpora"), GroundingLimits.DEFAULTS);
      corpus.create("c", new PassageSettings(500, 0));
      GroundingBench.SyntheticText gen = new GroundingBench.SyntheticText(20_000, 3);
      Random rnd = new Random(5);
      long passages = 0;
      int doc = 0;
      while (passages < 10_000) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          batch.add(Document.of("d" + doc++, gen.text(rnd, 5_000)));
        }
        passages += corpus.ingest("c", batch).passages();
      }
      questions = new String[64];
      for (int i = 0; i < questions.length; i++) {
        questions[i] = gen.word(rnd) + " " + gen.word(rnd) + " " + gen.word(rnd);
      }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      codes.close();
      corpus.close();
      GroundingBench.deleteTree(dir);
    }
  }

  private static final String[] CLINICAL = {
    "Displaced fracture of the left femur after a fall, initial encounter.",
    "Chronic kidney insufficiency with recurrent infection of bladder",
    "acute hemorrhage of colon, subsequent encounter",
    "bilateral cyst of retina, unspecified side"
  };

  /** Retrieve 50 candidates, compile them as a choice, generate one code greedily. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public String selectCode(Stores s, Model m) {
    String text = CLINICAL[s.next++ & 3];
    List<String> options = new ArrayList<>();
    for (CodeCandidate c : s.codes.candidates("icd", text, 50)) {
      options.add(c.code());
    }
    TokenAutomaton a = TokenAutomaton.compile(Choice.compile(options), m.vocab);
    GenerationResult r =
        m.generator.generate(GenerationRequest.chat(null, text, 16), a.newCursor(), null);
    return r.text();
  }

  /** Retrieve 5 passages of 10,000, compile a quote of at most 120 characters, generate it. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public String quote(Stores s, Model m) {
    String q = s.questions[s.next++ & 63];
    List<String> texts = new ArrayList<>();
    for (PassageHit h : s.corpus.search("c", q, 5)) {
      texts.add(h.passage().text());
    }
    CompiledConstraint quote = Quote.compile(texts, new Quote.Options(1, 120, false, false));
    TokenAutomaton a = TokenAutomaton.compile(quote, m.vocab);
    GenerationResult r =
        m.generator.generate(GenerationRequest.chat(null, q, 64), a.newCursor(), null);
    return r.text();
  }
}
