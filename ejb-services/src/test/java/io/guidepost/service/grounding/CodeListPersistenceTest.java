package io.guidepost.service.grounding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The on-disk form of code lists: the {@link CodeTable} file (exact round trip, corruption and
 * truncation detected), the index whose document numbers are list positions (duelled against a
 * brute-force term match), and refusal of lists in another format.
 */
class CodeListPersistenceTest {
  @TempDir Path dir;

  private static String randomText(Random rnd, int maxCodePoints) {
    int[] alphabet = "aZ09 ,.-\"\t\n\r\\é€😀中".codePoints().toArray();
    StringBuilder sb = new StringBuilder();
    for (int k = rnd.nextInt(maxCodePoints + 1); k > 0; k--) {
      sb.appendCodePoint(alphabet[rnd.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void codeTableRoundTripsExactly(long seed) throws IOException {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(200);
    String[] codes = new String[n];
    String[] descs = new String[n];
    for (int i = 0; i < n; i++) {
      codes[i] = "c" + i + randomText(rnd, 5);
      descs[i] = randomText(rnd, rnd.nextInt(10) == 0 ? 5_000 : 40);
    }
    Path f = dir.resolve("t" + seed + ".bin");
    CodeTable.write(f, codes, descs);
    CodeListParser.Parsed back = CodeTable.read(f, n);
    assertArrayEquals(codes, back.codes());
    assertArrayEquals(descs, back.descriptions());
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12})
  void corruptionAndTruncationAreDetected(long seed) throws IOException {
    Random rnd = new Random(seed);
    String[] codes = {"A00", "B01", "C02.1"};
    String[] descs = {"Cholera", "Varicella", "Something else entirely"};
    Path f = dir.resolve("t.bin");
    CodeTable.write(f, codes, descs);
    byte[] good = Files.readAllBytes(f);
    for (int trial = 0; trial < 40; trial++) {
      byte[] bad = good.clone();
      int at = rnd.nextInt(bad.length);
      bad[at] ^= (byte) (1 + rnd.nextInt(255));
      Files.write(f, bad);
      IOException e = assertThrows(IOException.class, () -> CodeTable.read(f, 3), "byte " + at);
      assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
    }
    for (int cut = 0; cut < good.length; cut += 1 + rnd.nextInt(5)) {
      Files.write(f, java.util.Arrays.copyOf(good, cut));
      int len = cut;
      assertThrows(IOException.class, () -> CodeTable.read(f, 3), "cut at " + len);
    }
    Files.write(f, good);
    assertThrows(IOException.class, () -> CodeTable.read(f, 4), "count differs");
    assertEquals(3, CodeTable.read(f, 3).codes().length);
  }

  /**
   * Seeded duel: for random lists and texts, the codes with a positive score are exactly those
   * whose description shares an analysed term (stemmed or prefix field) with the text or whose key
   * the text names, each paired with its own description, best first; the same after reopening. A
   * wrong document-to-position mapping would pair codes with other codes' matches.
   */
  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34})
  void candidatesMatchABruteForceTermMatch(long seed) throws IOException {
    Random rnd = new Random(seed);
    String[] words = {
      "fracture",
      "fractures",
      "femur",
      "kidney",
      "renal",
      "acute",
      "chronic",
      "infection",
      "infected",
      "diabetes",
      "diabetic",
      "hyperglycemia",
      "hyperglycemic",
      "the",
      "of",
      "left",
      "right",
      "bladder",
      "asthma",
      "asthmatic",
      "ulcer",
      "ulcers",
      "x-ray",
      "type",
      "2"
    };
    int n = 1 + rnd.nextInt(300);
    String[] codes = new String[n];
    String[] descs = new String[n];
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < n; i++) {
      codes[i] = (char) ('A' + rnd.nextInt(26)) + Integer.toString(10 + i) + "." + rnd.nextInt(9);
      StringBuilder d = new StringBuilder(words[rnd.nextInt(words.length)]);
      for (int k = rnd.nextInt(5); k > 0; k--) {
        d.append(' ').append(words[rnd.nextInt(words.length)]);
      }
      descs[i] = d.toString();
      csv.append(codes[i]).append(',').append(descs[i]).append('\n');
    }
    List<String> texts = new ArrayList<>();
    for (int t = 0; t < 25; t++) {
      StringBuilder q = new StringBuilder();
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        q.append(words[rnd.nextInt(words.length)]).append(' ');
      }
      if (rnd.nextInt(3) == 0) {
        q.append("coded ").append(codes[rnd.nextInt(n)].toLowerCase(java.util.Locale.ROOT));
      }
      texts.add(q.toString());
    }
    Map<String, String> descOf = new HashMap<>();
    for (int i = 0; i < n; i++) {
      descOf.put(codes[i], descs[i]);
    }
    Map<String, List<CodeCandidate>> first = new HashMap<>();
    try (Analyzer a = LuceneText.newCodeListAnalyzer(CodeList.F_DESC_PREFIX)) {
      for (int round = 0; round < 2; round++) {
        try (CodeListStore store = CodeListStore.open(dir, GroundingLimits.DEFAULTS)) {
          if (round == 0) {
            store.load(
                "r",
                CodeListOptions.csv(CodeListOptions.CsvHeader.ABSENT),
                new StringReader(csv.toString()));
          }
          assertEquals(List.of(codes), store.codes("r"));
          for (String text : texts) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
              if (matches(a, text, codes[i], descs[i])) {
                expected.add(codes[i]);
              }
            }
            List<CodeCandidate> all = store.candidates("r", text, 0);
            assertEquals(n, all.size());
            Set<String> positive = new HashSet<>();
            for (int i = 0; i < all.size(); i++) {
              CodeCandidate c = all.get(i);
              assertEquals(descOf.get(c.code()), c.description(), c.code());
              if (c.score() > 0) {
                positive.add(c.code());
              }
              if (i > 0) {
                assertTrue(all.get(i - 1).score() >= c.score(), "best first");
              }
            }
            assertEquals(expected, positive, text);
            List<CodeCandidate> top = store.candidates("r", text, 5);
            assertEquals(Math.min(5, expected.size()), top.size(), text);
            assertEquals(all.subList(0, top.size()), top, text);
            if (round == 0) {
              first.put(text, all);
            } else {
              assertEquals(first.get(text), all, "after reopening: " + text);
            }
          }
        }
      }
    }
  }

  private static boolean matches(Analyzer a, String text, String code, String desc) {
    for (String field : new String[] {CodeList.F_DESC, CodeList.F_DESC_PREFIX}) {
      Set<String> q = LuceneText.distinctTerms(a, field, text, 1_000);
      for (String t : LuceneText.distinctTerms(a, field, desc, 1_000)) {
        if (q.contains(t)) {
          return true;
        }
      }
    }
    return CodeList.codeLikeTokens(text).contains(CodeList.codeKey(code));
  }

  @Test
  void listsOfAnUnknownFormatOrWithAMismatchedTableAreRefused() throws IOException {
    try (CodeListStore store = CodeListStore.open(dir, GroundingLimits.DEFAULTS)) {
      store.load("a", CodeListOptions.csv(null), new StringReader("A,alpha\nB,beta\n"));
      store.load("b", CodeListOptions.csv(null), new StringReader("C,gamma\n"));
    }
    Path props = dir.resolve("a/codelist.properties");
    String original = Files.readString(props, StandardCharsets.UTF_8);
    Files.writeString(
        props, original.replace("format-version=2", "format-version=3"), StandardCharsets.UTF_8);
    try (CodeListStore store = CodeListStore.open(dir, GroundingLimits.DEFAULTS)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.codes("a"));
      assertEquals(
          "code list 'a' has unsupported format 3 (this version reads 1 and 2); delete it and load"
              + " it again",
          e.getMessage());
      assertEquals(List.of("C"), store.codes("b"), "other lists still open");
    }
    Files.writeString(props, original, StandardCharsets.UTF_8);
    Files.copy(
        dir.resolve("b/codes.bin"),
        dir.resolve("a/codes.bin"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (CodeListStore store = CodeListStore.open(dir, GroundingLimits.DEFAULTS)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store.codes("a"));
      assertTrue(e.getMessage().contains("holds 1 codes, expected 2"), e.getMessage());
    }
  }

  /**
   * A list in the first on-disk format (everything stored in the index, documents in any order)
   * opens and answers like the same list loaded now: same codes, descriptions and scores.
   */
  @ParameterizedTest
  @ValueSource(longs = {41, 42})
  void firstFormatListsStillOpen(long seed) throws Exception {
    Random rnd = new Random(seed);
    String sample =
        Files.readString(
            SharedData.require("data/icd10cm/icd10cm-codes-2023-sample.txt"),
            StandardCharsets.UTF_8);
    CodeListParser.Parsed parsed =
        CodeListParser.parse(
            new StringReader(sample), CodeListOptions.icd10cm(true), Integer.MAX_VALUE);
    int n = parsed.codes().length;
    Path v1 = dir.resolve("old");
    Files.createDirectories(v1);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(java.util.Arrays.asList(order), rnd);
    try (Analyzer a = LuceneText.newCodeListAnalyzer(CodeList.F_DESC_PREFIX);
        var d = org.apache.lucene.store.FSDirectory.open(v1.resolve("index"));
        var w =
            new org.apache.lucene.index.IndexWriter(
                d, new org.apache.lucene.index.IndexWriterConfig(a).setMaxBufferedDocs(1_000))) {
      for (int i : order) {
        var doc = new org.apache.lucene.document.Document();
        doc.add(new org.apache.lucene.document.StoredField(CodeList.F_ORD, i));
        doc.add(new org.apache.lucene.document.StoredField(CodeList.V1_CODE, parsed.codes()[i]));
        doc.add(
            new org.apache.lucene.document.StringField(
                CodeList.F_CODE_KEY,
                CodeList.codeKey(parsed.codes()[i]),
                org.apache.lucene.document.Field.Store.NO));
        doc.add(
            new org.apache.lucene.document.TextField(
                CodeList.F_DESC,
                parsed.descriptions()[i],
                org.apache.lucene.document.Field.Store.YES));
        doc.add(
            new org.apache.lucene.document.TextField(
                CodeList.F_DESC_PREFIX,
                parsed.descriptions()[i],
                org.apache.lucene.document.Field.Store.NO));
        w.addDocument(doc);
      }
      w.commit();
    }
    Files.writeString(
        v1.resolve("codelist.properties"),
        "format-version=1\nformat=ICD10CM\ndotted=true\ncsv-header=AUTO\ncodes=" + n + "\n",
        StandardCharsets.UTF_8);
    try (CodeListStore store = CodeListStore.open(dir, GroundingLimits.DEFAULTS)) {
      store.load("now", CodeListOptions.icd10cm(true), new StringReader(sample));
      assertEquals(store.codes("now"), store.codes("old"));
      assertEquals("Typhoid meningitis", store.describe("old", "A01.01"));
      for (String text :
          new String[] {
            "type 2 diabetes with hyperglycemia",
            "previously coded as i25.10; stable",
            "essential hypertension",
            "asthmatic child with acute exacerbation"
          }) {
        Map<String, Float> now = new HashMap<>();
        for (CodeCandidate c : store.candidates("now", text, 0)) {
          now.put(c.code(), c.score());
        }
        List<CodeCandidate> old = store.candidates("old", text, 0);
        assertEquals(n, old.size());
        for (CodeCandidate c : old) {
          assertEquals(now.get(c.code()), c.score(), text + ": " + c.code());
          assertEquals(store.describe("now", c.code()), c.description());
        }
      }
    }
  }
}
