package io.guidepost.service.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeListStoreTest {
  @TempDir Path dir;
  CodeListStore store;

  @BeforeEach
  void open() {
    store = CodeListStore.open(dir, GroundingLimits.DEFAULTS);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private CodeListInfo loadSample(String name, boolean dotted) throws IOException {
    Path sample = SharedData.require("data/icd10cm/icd10cm-codes-2023-sample.txt");
    try (var r = Files.newBufferedReader(sample, StandardCharsets.UTF_8)) {
      return store.load(name, CodeListOptions.icd10cm(dotted), r);
    }
  }

  private static int indexOf(List<CodeCandidate> cs, String code) {
    for (int i = 0; i < cs.size(); i++) {
      if (cs.get(i).code().equals(code)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void icd10cmSampleLoadsDottedAndSurvivesReopen() throws IOException {
    Path sample = SharedData.require("data/icd10cm/icd10cm-codes-2023-sample.txt");
    List<String> lines = Files.readAllLines(sample, StandardCharsets.UTF_8);
    CodeListInfo info = loadSample("icd10cm", true);
    assertEquals(7251, info.codes());
    List<String> codes = store.codes("icd10cm");
    assertEquals(7251, codes.size());
    assertEquals(7251, new HashSet<>(codes).size());
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i).substring(0, 8).strip();
      String dotted = raw.length() > 3 ? raw.substring(0, 3) + "." + raw.substring(3) : raw;
      assertEquals(dotted, codes.get(i), "line " + (i + 1));
      assertEquals(lines.get(i).substring(8).strip(), store.describe("icd10cm", dotted));
    }
    assertEquals("A00.0", codes.get(0));
    assertTrue(codes.contains("I10"), "three-character codes have no dot");
    assertEquals("Typhoid meningitis", store.describe("icd10cm", "A01.01"));
    assertEquals("Typhoid meningitis", store.describe("icd10cm", "A0101"), "either form");
    var nf =
        assertThrows(GroundingException.NotFound.class, () -> store.describe("icd10cm", "A01.0"));
    assertEquals("code 'A01.0' not found in code list 'icd10cm'", nf.getMessage());
    assertEquals("code-not-found", nf.type());

    List<CodeCandidate> top = store.candidates("icd10cm", "type 2 diabetes with hyperglycemia", 50);
    int rank = indexOf(top, "E11.65");
    assertTrue(rank >= 0, "E11.65 not in the top 50: " + top);
    assertEquals("Type 2 diabetes mellitus with hyperglycemia", top.get(rank).description());
    assertTrue(top.get(rank).score() > 0);
    for (int i = 1; i < top.size(); i++) {
      assertTrue(top.get(i - 1).score() >= top.get(i).score(), "best first");
    }
    assertTrue(
        indexOf(
                store.candidates("icd10cm", "Patient presents with typhoid meningitis.", 5),
                "A01.01")
            >= 0);
    assertEquals(
        "I25.10",
        store.candidates("icd10cm", "previously coded as i25.10; stable", 3).get(0).code(),
        "a code named in the text ranks first");

    List<CodeCandidate> all = store.candidates("icd10cm", "essential hypertension", 0);
    assertEquals(7251, all.size());
    assertEquals(Set.copyOf(codes), Set.copyOf(all.stream().map(CodeCandidate::code).toList()));
    assertEquals("I10", all.get(0).code());
    assertEquals(0f, all.get(all.size() - 1).score());

    store.close();
    store = CodeListStore.open(dir, GroundingLimits.DEFAULTS);
    assertEquals(List.of(info), store.list());
    assertEquals(codes, store.codes("icd10cm"));
    assertEquals(top, store.candidates("icd10cm", "type 2 diabetes with hyperglycemia", 50));
  }

  @Test
  void undottedFormKeepsTheFileCodes() throws IOException {
    loadSample("plain", false);
    assertEquals("A000", store.codes("plain").get(0));
    assertEquals("Typhoid meningitis", store.describe("plain", "A0101"));
    assertEquals("Typhoid meningitis", store.describe("plain", "A01.01"));
  }

  @Test
  void csvWithQuotesHeaderAndLineBreaks() {
    String csv =
        "\uFEFFCode,Description\r\n"
            + "X1,\"Pain, chest\"\r\n"
            + "\"X2\",\"He said \"\"ouch\"\"\"\r\n"
            + "\r\n"
            + "X3,\"two\nlines\"\n"
            + "X4,plain 😀 text\n";
    CodeListInfo info = store.load("csv", CodeListOptions.csv(null), new StringReader(csv));
    assertEquals(4, info.codes());
    assertEquals(List.of("X1", "X2", "X3", "X4"), store.codes("csv"));
    assertEquals("Pain, chest", store.describe("csv", "X1"));
    assertEquals("He said \"ouch\"", store.describe("csv", "X2"));
    assertEquals("two\nlines", store.describe("csv", "X3"));
    assertEquals("plain 😀 text", store.describe("csv", "X4"));
    assertEquals("X1", store.candidates("csv", "chest pain", 10).get(0).code());

    store.load(
        "noheader",
        CodeListOptions.csv(CodeListOptions.CsvHeader.ABSENT),
        new StringReader("code,description\nA,b\n"));
    assertEquals(List.of("code", "A"), store.codes("noheader"));
    store.load(
        "header",
        CodeListOptions.csv(CodeListOptions.CsvHeader.PRESENT),
        new StringReader("c,d\nA,b"));
    assertEquals(List.of("A"), store.codes("header"));
  }

  private void assertMalformed(CodeListOptions o, String content, long line, String message) {
    var e =
        assertThrows(
            GroundingException.MalformedLine.class,
            () -> store.load("bad", o, new StringReader(content)));
    assertEquals(message, e.getMessage());
    assertEquals(line, e.lineNumber());
    assertTrue(store.list().isEmpty(), "nothing stored");
  }

  @Test
  void malformedCsvNamesTheLine() {
    CodeListOptions o = CodeListOptions.csv(null);
    assertMalformed(
        o, "A,x\nB,y,z\n", 2, "CSV line 2: expected 2 fields (code,description), found 3");
    assertMalformed(o, "A,x\nB,\"open\nstill open", 2, "CSV line 2: quoted field is not closed");
    assertMalformed(
        o, "A,x\nB,ab\"c\n", 2, "CSV line 2: quote inside an unquoted field at column 5");
    assertMalformed(o, "A,\"x\"y\n", 1, "CSV line 1: unexpected 'y' after a closing quote");
    assertMalformed(
        o, "A,x\nB,\"a\nb\"\nA,z\n", 4, "CSV line 4: code 'A' repeats the code of line 1");
    assertMalformed(o, "A, \n", 1, "CSV line 1: code 'A' has no description");
    assertMalformed(o, " A,x\n", 1, "CSV line 1: code ' A' has leading or trailing whitespace");
    assertMalformed(o, ",x\n", 1, "CSV line 1: code is empty");
  }

  @Test
  void malformedIcdLinesNameTheLine() {
    CodeListOptions o = CodeListOptions.icd10cm(true);
    String good = "A000    Cholera\n";
    assertMalformed(
        o,
        good + "a001    Lower case\n",
        2,
        "ICD-10-CM codes file line 2: 'a001' is not an ICD-10-CM code (a letter, a digit, a digit"
            + " or letter, then up to 4 letters or digits, without the dot)");
    assertMalformed(
        o,
        good + "A00.1   Dotted\n",
        2,
        "ICD-10-CM codes file line 2: 'A00.1' is not an ICD-10-CM code (a letter, a digit, a"
            + " digit or letter, then up to 4 letters or digits, without the dot)");
    assertMalformed(
        o,
        good + "A001\tTabbed\n",
        2,
        "ICD-10-CM codes file line 2: expected spaces up to column 9 after code 'A001', found a"
            + " tab at column 5");
    assertMalformed(
        o,
        good + "A001     Late\n",
        2,
        "ICD-10-CM codes file line 2: description of code 'A001' does not start at column 9");
    assertMalformed(
        o, good + "A001\n", 2, "ICD-10-CM codes file line 2: code 'A001' has no description");
    assertMalformed(
        o,
        good + "\n" + good,
        3,
        "ICD-10-CM codes file line 3: code 'A000' repeats the code of line 1");
    assertMalformed(
        o,
        "   A000 x\n",
        1,
        "ICD-10-CM codes file line 1: line starts with whitespace instead of a code");
  }

  @Test
  void namesOptionsAndLimits() {
    var e =
        assertThrows(
            GroundingException.InvalidInput.class,
            () -> new CodeListOptions(CodeListFormat.CSV, true, null));
    assertEquals("the dotted form applies to ICD-10-CM code lists only, not CSV", e.getMessage());
    assertThrows(
        GroundingException.InvalidName.class,
        () -> store.load("../up", CodeListOptions.csv(null), new StringReader("A,b")));
    var empty =
        assertThrows(
            GroundingException.InvalidInput.class,
            () -> store.load("e", CodeListOptions.icd10cm(false), new StringReader("\n\n")));
    assertEquals("ICD-10-CM codes file has no codes", empty.getMessage());
    store.load("one", CodeListOptions.csv(null), new StringReader("A,b"));
    var dup =
        assertThrows(
            GroundingException.AlreadyExists.class,
            () -> store.load("one", CodeListOptions.csv(null), new StringReader("A,b")));
    assertEquals("code list 'one' already exists", dup.getMessage());
    var neg =
        assertThrows(GroundingException.InvalidInput.class, () -> store.candidates("one", "x", -1));
    assertEquals("n must be 0 (all codes) or positive, got -1", neg.getMessage());
    assertTrue(store.candidates("one", "nothing matches", 5).isEmpty());
    assertEquals(List.of(new CodeCandidate("A", "b", 0f)), store.candidates("one", "", 0));
    store.delete("one");
    var nf = assertThrows(GroundingException.NotFound.class, () -> store.codes("one"));
    assertEquals("code list 'one' not found", nf.getMessage());
    assertEquals("code-list-not-found", nf.type());
    assertFalse(Files.exists(dir.resolve("one")));

    store.close();
    store = CodeListStore.open(dir, new GroundingLimits(1, 10, 1, 1, 1, 1024, 1, 2));
    var tooMany =
        assertThrows(
            GroundingException.LimitExceeded.class,
            () -> store.load("x", CodeListOptions.csv(null), new StringReader("A,a\nB,b\nC,c\n")));
    assertEquals(
        "CSV line 3: too many codes: 3 exceeds the limit max-codes-per-list = 2",
        tooMany.getMessage());
    store.load("x", CodeListOptions.csv(null), new StringReader("A,a\nB,b\n"));
    var lists =
        assertThrows(
            GroundingException.LimitExceeded.class,
            () -> store.load("y", CodeListOptions.csv(null), new StringReader("A,a")));
    assertEquals("max-code-lists", lists.limit());
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22})
  void randomCsvRoundTrips(long seed) {
    Random rnd = new Random(seed);
    int[] alphabet = "ab,\"\n\r xyz😀é".codePoints().toArray();
    int count = 1 + rnd.nextInt(60);
    String[] codes = new String[count];
    String[] descs = new String[count];
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < count; i++) {
      codes[i] = "C" + i + (rnd.nextBoolean() ? ",\"x\"" : "");
      StringBuilder d = new StringBuilder("d");
      for (int k = rnd.nextInt(12); k > 0; k--) {
        d.appendCodePoint(alphabet[rnd.nextInt(alphabet.length)]);
      }
      descs[i] = d.toString().strip();
      csv.append(quote(codes[i])).append(',').append(quote(descs[i]));
      csv.append(rnd.nextBoolean() ? "\r\n" : "\n");
    }
    store.load(
        "r",
        CodeListOptions.csv(CodeListOptions.CsvHeader.ABSENT),
        new StringReader(csv.toString()));
    assertEquals(List.of(codes), store.codes("r"));
    for (int i = 0; i < count; i++) {
      assertEquals(descs[i], store.describe("r", codes[i]));
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  @Test
  void fullSizeSyntheticListLoads() {
    String file = SyntheticCodes.icd10cmFile(74_000, 7);
    CodeListInfo info = store.load("big", CodeListOptions.icd10cm(true), new StringReader(file));
    assertEquals(74_000, info.codes());
    List<String> codes = store.codes("big");
    assertEquals(74_000, new HashSet<>(codes).size());
    for (String c : codes) {
      assertTrue(CodeListParser.isIcdCode(c.replace(".", "")), c);
    }
    List<CodeCandidate> cs =
        store.candidates("big", "displaced fracture of femur, initial encounter", 20);
    assertEquals(20, cs.size());
    assertTrue(cs.get(0).description().contains("Fracture of femur"), cs.get(0).toString());
    assertEquals(74_000, store.candidates("big", "femur", 0).size());
  }

  @Test
  void concurrentLoadsOfOneNameHaveOneWinner() throws Exception {
    String file = SyntheticCodes.icd10cmFile(3_000, 9);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    int won = 0;
    int conflicts = 0;
    try {
      List<Future<CodeListInfo>> loads = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        loads.add(
            pool.submit(
                () -> store.load("same", CodeListOptions.icd10cm(true), new StringReader(file))));
      }
      for (Future<CodeListInfo> f : loads) {
        try {
          assertEquals(3_000, f.get(60, TimeUnit.SECONDS).codes());
          won++;
        } catch (ExecutionException e) {
          assertEquals(GroundingException.AlreadyExists.class, e.getCause().getClass());
          conflicts++;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, won);
    assertEquals(2, conflicts);
    try (var entries = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("same")), entries.toList(), "no leftovers");
    }
  }

  @Test
  void prefixFieldJoinsWordFormsThatStemmingKeepsApart() {
    try (var a = LuceneText.newCodeListAnalyzer(CodeList.F_DESC_PREFIX)) {
      assertEquals(
          LuceneText.distinctTerms(a, CodeList.F_DESC_PREFIX, "Hyperglycemia", 10),
          LuceneText.distinctTerms(a, CodeList.F_DESC_PREFIX, "hyperglycemic", 10));
      assertEquals(
          Set.of("hyperg"),
          LuceneText.distinctTerms(a, CodeList.F_DESC_PREFIX, "the hyperglycemic", 10));
      assertFalse(
          LuceneText.distinctTerms(a, CodeList.F_DESC, "hyperglycemia", 10)
              .equals(LuceneText.distinctTerms(a, CodeList.F_DESC, "hyperglycemic", 10)),
          "Porter stemming alone keeps them apart");
    }
  }
}
