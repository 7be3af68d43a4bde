package io.guidepost.grammar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.guidepost.grammar.Choice;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.Quote;
import io.guidepost.grammar.Regex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Compile time of the grammar workloads: {@code regex_code}, {@code regex_email} and {@code
 * choice_10k} from {@code shared/bench/cases.json}, a synthesized 74,000-code ICD-10-CM-shaped
 * list, and a quote over 20 passages of 2,000 characters. SampleTime mode reports the median.
 *
 * <p>Run: {@code ./mvnw -B -Pbench -pl grammar -am test-compile exec:exec
 * -Djmh.args="CompileBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {
  private String regexCode;
  private String regexEmail;
  private List<String> choice10k;
  private List<String> codes74k;
  private List<String> passages;

  @Setup
  public void setup() throws IOException {
    String dir = System.getProperty("guidepost.shared.dir", "../shared");
    JsonNode cases = new ObjectMapper().readTree(Path.of(dir, "bench", "cases.json").toFile());
    for (JsonNode c : cases) {
      switch (c.get("name").asText()) {
        case "regex_code" -> regexCode = c.get("spec").asText();
        case "regex_email" -> regexEmail = c.get("spec").asText();
        case "choice_10k" -> {
          choice10k = new ArrayList<>();
          c.get("spec").forEach(n -> choice10k.add(n.asText()));
        }
        default -> {}
      }
    }
    codes74k = icdLike(74_000, 1);
    passages = prose(20, 2000, 2);
  }

  /** ICD-10-CM shaped codes: letter, 2 digits, optionally '.' and 1-4 of [0-9A-Z]. */
  static List<String> icdLike(int count, long seed) {
    Random rnd = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    String alnum = "0123456789ABCDEFGHJKXYZ";
    while (out.size() < count) {
      StringBuilder sb = new StringBuilder();
      sb.append((char) ('A' + rnd.nextInt(26)));
      sb.append(rnd.nextInt(10)).append(rnd.nextInt(10));
      int ext = rnd.nextInt(5);
      if (ext > 0) {
        sb.append('.');
        for (int i = 0; i < ext; i++) {
          sb.append(alnum.charAt(rnd.nextInt(alnum.length())));
        }
      }
      out.add(sb.toString());
    }
    return new ArrayList<>(out);
  }

  /** Clinical-sounding prose: random words from a small vocabulary, with punctuation. */
  static List<String> prose(int count, int chars, long seed) {
    String[] words = {
      "the",
      "patient",
      "was",
      "seen",
      "in",
      "clinic",
      "today",
      "with",
      "chronic",
      "kidney",
      "disease",
      "stage",
      "3",
      "and",
      "type",
      "2",
      "diabetes",
      "mellitus",
      "blood",
      "pressure",
      "remains",
      "elevated",
      "despite",
      "therapy",
      "no",
      "acute",
      "distress",
      "follow-up",
      "weeks",
      "renal",
      "function",
      "stable",
      "continue",
      "current",
      "medication",
      "of",
      "for",
      "is"
    };
    Random rnd = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      while (sb.length() < chars) {
        sb.append(words[rnd.nextInt(words.length)]);
        sb.append(rnd.nextInt(12) == 0 ? ". " : " ");
      }
      sb.setLength(chars);
      out.add(sb.toString());
    }
    return out;
  }

  @Benchmark
  public CompiledConstraint regexCode() {
    return Regex.compile(regexCode);
  }

  @Benchmark
  public CompiledConstraint regexEmail() {
    return Regex.compile(regexEmail);
  }

  @Benchmark
  public CompiledConstraint choice10k() {
    return Choice.compile(choice10k);
  }

  @Benchmark
  public CompiledConstraint choice74k() {
    return Choice.compile(codes74k);
  }

  @Benchmark
  public CompiledConstraint quote20x2000() {
    return Quote.compile(passages);
  }

  @Benchmark
  public CompiledConstraint quote20x2000WordsMax200() {
    return Quote.compile(passages, new Quote.Options(1, 200, true, true));
  }
}
