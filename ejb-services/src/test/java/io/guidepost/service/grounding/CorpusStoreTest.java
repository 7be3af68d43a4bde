package io.guidepost.service.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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

class CorpusStoreTest {
  @TempDir Path dir;
  CorpusStore store;

  @BeforeEach
  void open() {
    store = CorpusStore.open(dir, GroundingLimits.DEFAULTS);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static final String HEART =
      "Heart failure is a condition in which the heart cannot pump enough blood. "
          + "Symptoms include shortness of breath and swollen legs. "
          + "Treatment often involves diuretics and ACE inhibitors.";
  static final String DIABETES =
      "Type 2 diabetes is characterised by hyperglycemia and insulin resistance. "
          + "Metformin is the usual first medication. Diet and exercise help.";
  static final String UNICODE =
      "Ünïcödé text with emoji 😀 and math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters. Später: 日本語の文章です。"
          + " Flags 🇺🇸🇫🇷 stay whole. Combining e\u0301 marks too. Zebra crossings are striped.";

  /** Every passage of every listed document reproduces the stored text at its offsets. */
  static void assertOffsetsExact(CorpusStore s, String corpus, List<String> ids) {
    for (String id : ids) {
      Document d = s.document(corpus, id);
      List<Passage> ps = s.passages(corpus, id);
      assertFalse(ps.isEmpty());
      for (int i = 0; i < ps.size(); i++) {
        Passage p = ps.get(i);
        assertEquals(i, p.passageId());
        assertEquals(id, p.documentId());
        assertEquals(
            d.text().substring(p.start(), p.end()), p.text(), "passage " + i + " of " + id);
        assertEquals(p, s.passage(corpus, id, i));
      }
    }
  }

  @Test
  void ingestSearchRoundTripAndOffsetsSurviveReopen() {
    store.create("medical", new PassageSettings(64, 20));
    IngestResult r =
        store.ingest(
            "medical",
            List.of(
                new Document("heart", "Heart failure", HEART, Map.of("source", "manual")),
                Document.of("diabetes", DIABETES),
                new Document("unicode", null, UNICODE, null)));
    assertEquals(3, r.documents());
    assertEquals(0, r.replaced());

    List<PassageHit> hits = store.search("medical", "hyperglycemic insulin", 3);
    assertEquals("diabetes", hits.get(0).passage().documentId());
    assertTrue(hits.get(0).score() > 0);
    hits = store.search("medical", "diuretics", 5);
    assertEquals("heart", hits.get(0).passage().documentId());
    assertEquals("Heart failure", hits.get(0).documentTitle());
    hits = store.search("medical", "zebra", 5);
    assertEquals(1, hits.size());
    assertTrue(hits.get(0).passage().text().contains("Zebra"));

    List<String> ids = List.of("heart", "diabetes", "unicode");
    assertOffsetsExact(store, "medical", ids);
    Passage withMath = store.search("medical", "math letters", 1).get(0).passage();
    String quote = "𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
    int at = withMath.text().indexOf(quote);
    assertTrue(at >= 0, withMath.toString());
    assertEquals(
        quote,
        UNICODE.substring(
            withMath.toDocumentOffset(at), withMath.toDocumentOffset(at + quote.length())),
        "a quote's offsets inside a passage map back to the document");
    assertThrows(IndexOutOfBoundsException.class, () -> withMath.toDocumentOffset(-1));
    Document heart = store.document("medical", "heart");
    assertEquals(new Document("heart", "Heart failure", HEART, Map.of("source", "manual")), heart);
    CorpusInfo info = store.info("medical");
    assertEquals(3, info.documents());
    assertEquals(r.passages(), info.passages());

    store.close();
    store = CorpusStore.open(dir, GroundingLimits.DEFAULTS);
    assertEquals(List.of(info), store.list());
    assertOffsetsExact(store, "medical", ids);
    assertEquals("diabetes", store.search("medical", "metformin", 1).get(0).passage().documentId());
  }

  @Test
  void reingestingAnIdReplacesItsPassages() {
    store.create("c", null);
    store.ingestText("c", "a", null, "Apples are red.");
    store.ingestText("c", "b", null, "Bananas are yellow.");
    IngestResult r = store.ingestText("c", "a", "Avocados", "Avocados are green.");
    assertEquals(new IngestResult(1, 1, 1), r);
    assertEquals(new CorpusInfo("c", PassageSettings.DEFAULTS, 2, 2), store.info("c"));
    assertTrue(store.search("c", "apples", 10).isEmpty());
    assertEquals("Avocados are green.", store.search("c", "avocados", 10).get(0).passage().text());
    store.deleteDocument("c", "a");
    assertEquals(new CorpusInfo("c", PassageSettings.DEFAULTS, 1, 1), store.info("c"));
    var e = assertThrows(GroundingException.NotFound.class, () -> store.document("c", "a"));
    assertEquals("document 'a' not found in corpus 'c'", e.getMessage());
    assertEquals("document-not-found", e.type());
  }

  @Test
  void ndjsonIngestion() {
    store.create("n", null);
    String body =
        """
        \uFEFF{"id":"d1","title":"One","text":"First document about kidneys.","metadata":{"year":2023,"ok":true,"by":"x"}}

        {"id":"d2","text":"Second document about lungs."}
        """;
    assertEquals(new IngestResult(2, 0, 2), store.ingestNdjson("n", new StringReader(body)));
    assertEquals(
        Map.of("year", "2023", "ok", "true", "by", "x"), store.document("n", "d1").metadata());
    assertEquals("d2", store.search("n", "lung", 1).get(0).passage().documentId());
  }

  @Test
  void malformedNdjsonNamesTheLineAndStoresNothing() {
    store.create("n", null);
    assertNdjsonError(
        "{\"id\":\"a\",\"text\":\"ok\"}\n\n{\"id\":\"b\",\"text\":\"  \"}\n",
        "NDJSON line 3: text is empty");
    assertNdjsonError(
        "{\"id\":\"a\",\"text\":\"ok\"}\n{\"id\":\"a\",\"text\":\"again\"}",
        "NDJSON line 2: id 'a' repeats the id of line 1");
    assertNdjsonError(
        "{\"id\":\"a\",\"txt\":\"ok\"}",
        "NDJSON line 1: unknown field 'txt' (expected id, title, text, metadata)");
    assertNdjsonError("{\"text\":\"ok\"}", "NDJSON line 1: field 'id' is missing");
    assertNdjsonError("{\"id\":\"a\"}", "NDJSON line 1: field 'text' is missing");
    assertNdjsonError(
        "{\"id\":7,\"text\":\"ok\"}", "NDJSON line 1: field 'id' must be a string, got number");
    assertNdjsonError("[1,2]", "NDJSON line 1: expected a JSON object, got array");
    assertNdjsonError(
        "{\"id\":\"a\",\"text\":\"ok\",\"metadata\":{\"k\":[1]}}",
        "NDJSON line 1: metadata value 'k' must be a string, number or boolean, got array");
    assertNdjsonError(
        "{\"id\":\"a\",\"text\":\"bad \\ud800 surrogate\"}",
        "NDJSON line 1: text has an unpaired surrogate at index 4");
    var e =
        assertThrows(
            GroundingException.MalformedLine.class,
            () ->
                store.ingestNdjson(
                    "n", new StringReader("{\"id\":\"a\",\"text\":\"ok\"}\n{\"id\":")));
    assertEquals(2, e.lineNumber());
    assertTrue(e.getMessage().startsWith("NDJSON line 2: invalid JSON at column "), e.getMessage());
    assertEquals("malformed-line", e.type());
    assertEquals(GroundingException.Category.INVALID, e.category());
    assertEquals(0, store.info("n").documents(), "nothing stored by a failed request");
  }

  private void assertNdjsonError(String body, String message) {
    var e =
        assertThrows(
            GroundingException.MalformedLine.class,
            () -> store.ingestNdjson("n", new StringReader(body)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void namesAndLifecycleErrors() {
    for (String bad : new String[] {"../x", "Upper", "", "-lead", "a/b", "a.b", "x".repeat(65)}) {
      var e = assertThrows(GroundingException.InvalidName.class, () -> store.create(bad, null));
      assertEquals("invalid-name", e.type());
    }
    var invalid =
        assertThrows(GroundingException.InvalidName.class, () -> store.search("../etc", "x", 1));
    assertEquals(
        "corpus name '../etc' is invalid: it must match [a-z0-9][a-z0-9_-]{0,63}",
        invalid.getMessage());
    assertEquals(List.of(), store.list());
    assertTrue(store.create("x".repeat(64), null).name().length() == 64);

    store.create("dup", null);
    var conflict =
        assertThrows(GroundingException.AlreadyExists.class, () -> store.create("dup", null));
    assertEquals("corpus 'dup' already exists", conflict.getMessage());
    assertEquals("corpus-exists", conflict.type());
    assertEquals(GroundingException.Category.CONFLICT, conflict.category());

    var missing =
        assertThrows(GroundingException.NotFound.class, () -> store.search("nope", "x", 1));
    assertEquals("corpus 'nope' not found", missing.getMessage());
    assertEquals("corpus-not-found", missing.type());
    assertEquals(GroundingException.Category.NOT_FOUND, missing.category());

    store.ingestText("dup", "a", null, "some text");
    store.delete("dup");
    assertThrows(GroundingException.NotFound.class, () -> store.search("dup", "text", 1));
    assertThrows(GroundingException.NotFound.class, () -> store.delete("dup"));
    assertFalse(Files.exists(dir.resolve("dup")));
    store.create("dup", null);
    assertEquals(0, store.info("dup").documents(), "a re-created corpus starts empty");
  }

  @Test
  void badDocumentsAndQueries() {
    store.create("c", null);
    var e =
        assertThrows(
            GroundingException.InvalidInput.class, () -> store.ingestText("c", "a", null, " \n"));
    assertEquals("documents[0]: text is empty", e.getMessage());
    e =
        assertThrows(
            GroundingException.InvalidInput.class,
            () -> store.ingest("c", List.of(Document.of("a", "x"), Document.of("a", "y"))));
    assertEquals("documents[1]: id 'a' repeats the id of documents[0]", e.getMessage());
    e =
        assertThrows(
            GroundingException.InvalidInput.class, () -> store.ingestText("c", "", null, "x"));
    assertEquals("documents[0]: id is missing or blank", e.getMessage());
    e = assertThrows(GroundingException.InvalidInput.class, () -> store.search("c", " ", 3));
    assertEquals("query is empty", e.getMessage());
    e = assertThrows(GroundingException.InvalidInput.class, () -> store.search("c", "x", 0));
    assertEquals("top_k must be at least 1, got 0", e.getMessage());
    var limit =
        assertThrows(GroundingException.LimitExceeded.class, () -> store.search("c", "x", 1001));
    assertEquals(
        "too many results requested: 1001 exceeds the limit max-top-k = 1000", limit.getMessage());
    store.ingestText("c", "a", null, "words");
    assertTrue(store.search("c", "the and of", 3).isEmpty(), "stop words only: no hits");
    limit =
        assertThrows(
            GroundingException.LimitExceeded.class,
            () -> store.search("c", "chest ".repeat(1025), 3));
    assertEquals(
        "query has too many terms: 1025 exceeds the limit max-query-terms = 1024",
        limit.getMessage());
    assertTrue(store.search("c", "\"unbalanced (syntax +", 3).isEmpty(), "lenient syntax");
    assertEquals(1, store.search("c", "word*", 3).size(), "prefix query");
  }

  @Test
  void limitsAreEnforcedBeforeAnythingIsStored() {
    store.close();
    store = CorpusStore.open(dir, new GroundingLimits(2, 100, 3, 5, 10, 4, 1, 10));
    store.create("a", new PassageSettings(64, 0));
    store.create("b", null);
    var e = assertThrows(GroundingException.LimitExceeded.class, () -> store.create("c", null));
    assertEquals("cannot create corpus 'c': 3 exceeds the limit max-corpora = 2", e.getMessage());
    assertEquals("max-corpora", e.limit());

    String big = "é".repeat(51);
    e =
        assertThrows(
            GroundingException.LimitExceeded.class, () -> store.ingestText("a", "x", null, big));
    assertEquals(
        "documents[0]: text of document 'x' has too many UTF-8 bytes: 102 exceeds the limit"
            + " max-document-bytes = 100",
        e.getMessage());

    store.ingestText("a", "p", null, "word ".repeat(18));
    assertEquals(new CorpusInfo("a", new PassageSettings(64, 0), 1, 2), store.info("a"));
    String text = "alpha ".repeat(16);
    e =
        assertThrows(
            GroundingException.LimitExceeded.class,
            () -> store.ingest("a", List.of(Document.of("q", text), Document.of("r", text))));
    assertEquals("max-passages-per-corpus", e.limit());
    assertEquals(
        "corpus 'a' would hold too many passages: 6 exceeds the limit max-passages-per-corpus = 5",
        e.getMessage());
    assertEquals(new CorpusInfo("a", new PassageSettings(64, 0), 1, 2), store.info("a"));
    store.ingest("a", List.of(Document.of("p", "replaced entirely"), Document.of("q", text)));
    assertEquals(3, store.info("a").passages(), "replacement frees the old passages");

    e =
        assertThrows(
            GroundingException.LimitExceeded.class,
            () -> store.search("a", "one two three four five", 3));
    assertEquals("max-query-terms", e.limit());
    String fourLines =
        "{\"id\":\"1\",\"text\":\"t\"}\n"
            + "{\"id\":\"2\",\"text\":\"t\"}\n"
            + "{\"id\":\"3\",\"text\":\"t\"}\n"
            + "{\"id\":\"4\",\"text\":\"t\"}\n";
    e =
        assertThrows(
            GroundingException.LimitExceeded.class,
            () ->
                store.ingestNdjson(
                    "a",
                    new StringReader(
                        "{\"id\":\"1\",\"text\":\"t\"}\n{\"id\":\"2\",\"text\":\"t\"}\n"
                            .repeat(2)
                            .replaceFirst("1", "3")
                            .replaceFirst("2", "4"))));
    assertEquals(
        "NDJSON line 4: too many documents in one request: 4 exceeds the limit"
            + " max-documents-per-ingest = 3",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void concurrentIngestionAndQueries(long seed) throws Exception {
    store.create("busy", new PassageSettings(120, 30));
    int writers = 3;
    int docsPerWriter = 12;
    Random seeds = new Random(seed);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        long writerSeed = seeds.nextLong();
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(writerSeed);
                  for (int i = 0; i < docsPerWriter; i++) {
                    String text =
                        PassageSplitterTest.randomText(rnd, 100 + rnd.nextInt(600))
                            + " marker"
                            + writer
                            + "x"
                            + i;
                    store.ingestText("busy", "w" + writer + "-" + i, null, text);
                  }
                  return null;
                }));
      }
      for (int r = 0; r < 2; r++) {
        long readerSeed = seeds.nextLong();
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(readerSeed);
                  for (int i = 0; i < 40; i++) {
                    for (PassageHit h :
                        store.search("busy", rnd.nextBoolean() ? "patient" : "chest pain", 5)) {
                      Passage p = h.passage();
                      Document d = store.document("busy", p.documentId());
                      assertEquals(d.text().substring(p.start(), p.end()), p.text());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    CorpusInfo info = store.info("busy");
    assertEquals(writers * docsPerWriter, info.documents());
    List<String> ids = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      for (int i = 0; i < docsPerWriter; i++) {
        String id = "w" + w + "-" + i;
        ids.add(id);
        List<PassageHit> hits = store.search("busy", "marker" + w + "x" + i, 1);
        assertEquals(id, hits.get(0).passage().documentId());
      }
    }
    assertOffsetsExact(store, "busy", ids);
    long passages = 0;
    for (String id : ids) {
      passages += store.passages("busy", id).size();
    }
    assertEquals(passages, info.passages());
  }

  @Test
  void deletingWhileSearchingGivesResultsOrNotFound() throws Exception {
    store.create("gone", null);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      docs.add(Document.of("d" + i, "The patient reports chest pain number " + i + "."));
    }
    store.ingest("gone", docs);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  int notFound = 0;
                  for (int i = 0; i < 200; i++) {
                    try {
                      assertEquals(5, store.search("gone", "chest pain", 5).size());
                    } catch (GroundingException.NotFound e) {
                      assertEquals("corpus 'gone' not found", e.getMessage());
                      notFound++;
                    }
                  }
                  return notFound;
                }));
      }
      Thread.sleep(20);
      store.delete("gone");
      for (Future<Integer> f : readers) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThrows(GroundingException.NotFound.class, () -> store.search("gone", "chest", 1));
    assertEquals(List.of(), store.list());
  }

  /**
   * Duel with a brute-force oracle: a search for a rare marker word finds exactly the passages
   * whose text contains it as a word, and the stored passages equal a fresh split of the documents.
   */
  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33})
  void searchForAMarkerFindsExactlyThePassagesContainingIt(long seed) {
    Random rnd = new Random(seed);
    PassageSettings settings = new PassageSettings(64 + rnd.nextInt(300), rnd.nextInt(32));
    store.create("duel", settings);
    int markers = 25;
    List<Document> docs = new ArrayList<>();
    for (int d = 0; d < 15; d++) {
      StringBuilder text =
          new StringBuilder(PassageSplitterTest.randomText(rnd, 200 + rnd.nextInt(1500)));
      for (int k = rnd.nextInt(6); k > 0; k--) {
        int at = text.lastIndexOf(" ", rnd.nextInt(text.length()));
        text.insert(at < 0 ? 0 : at, " mk" + rnd.nextInt(markers) + "q ");
      }
      docs.add(new Document("doc" + d, null, text.toString(), null));
    }
    store.ingest("duel", docs);
    List<Passage> all = new ArrayList<>();
    for (Document d : docs) {
      List<Passage> expected = PassageSplitter.split(d.id(), d.text(), settings);
      assertEquals(expected, store.passages("duel", d.id()));
      all.addAll(expected);
    }
    for (int m = 0; m < markers; m++) {
      java.util.regex.Pattern word =
          java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}])mk" + m + "q(?![\\p{L}\\p{N}])");
      Set<Passage> oracle = new HashSet<>();
      for (Passage p : all) {
        if (word.matcher(p.text()).find()) {
          oracle.add(p);
        }
      }
      Set<Passage> found = new HashSet<>();
      for (PassageHit h : store.search("duel", "mk" + m + "q", 1000)) {
        found.add(h.passage());
      }
      assertEquals(oracle, found, "marker mk" + m + "q");
    }
  }

  @Test
  void interruptedCreatesAndDeletesAreCleanedUpOnOpen() throws Exception {
    store.create("kept", null);
    store.close();
    Files.createDirectories(dir.resolve(".creating-half-123/index"));
    Files.createDirectories(dir.resolve(".deleting-old-456"));
    Files.createDirectories(dir.resolve("no-properties"));
    store = CorpusStore.open(dir, GroundingLimits.DEFAULTS);
    assertEquals(List.of("kept"), store.list().stream().map(CorpusInfo::name).toList());
    assertFalse(Files.exists(dir.resolve(".creating-half-123")));
    assertFalse(Files.exists(dir.resolve(".deleting-old-456")));
    assertThrows(GroundingException.NotFound.class, () -> store.info("no-properties"));
  }
}
