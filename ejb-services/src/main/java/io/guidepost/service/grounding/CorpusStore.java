package io.guidepost.service.grounding;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.apache.lucene.analysis.Analyzer;

/**
 * Named corpora of documents, split into passages and indexed with Lucene (BM25), on disk.
 *
 * <p>Layout: {@code <root>/<name>/corpus.properties} (passage settings, format version) and {@code
 * <root>/<name>/index/} (the Lucene index, see {@link CorpusIndex}). The full text of each document
 * is stored, so passages and their offsets can always be reproduced: for every passage {@code
 * document(c, p.documentId()).text().substring(p.start(), p.end()).equals(p.text())}. A corpus is
 * created in a hidden temporary folder and published with an atomic rename, and deleted by an
 * atomic rename to a hidden folder before its files are removed, so a crash never leaves a
 * half-made corpus visible; hidden leftovers are removed when a store opens.
 *
 * <p>Every request is validated before anything is written (names {@code [a-z0-9][a-z0-9_-]{0,63}},
 * non-blank text, no unpaired surrogates, unique ids within a request, {@link GroundingLimits}),
 * and an ingest request is committed as a whole or not at all. Errors are {@link
 * GroundingException}s; I/O faults are {@link UncheckedIOException}s.
 *
 * <p>Thread-safety: all methods may be called concurrently. Corpora are opened lazily (one {@code
 * IndexWriter} each) and stay open until deleted or the store is closed; writes to one corpus are
 * serialised, searches run in parallel with writes and see every write that has returned. Only one
 * store may use a folder at a time (Lucene's write lock enforces it).
 *
 * <p>Cost: ingest is linear in the text (splitting, analysis) plus one commit per request; search
 * is one BM25 query.
 */
public final class CorpusStore implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CorpusStore.class.getName());
  private static final String PROPERTIES = "corpus.properties";
  private static final String INDEX = "index";
  private static final String FORMAT_VERSION = "1";
  private static final String HIDDEN_PREFIX = ".";

  private final Path root;
  private final GroundingLimits limits;
  private final Analyzer analyzer = LuceneText.newAnalyzer();
  private final Map<String, CorpusIndex> open = new ConcurrentHashMap<>();
  private final ReentrantLock registry = new ReentrantLock();
  private volatile boolean closed;

  private CorpusStore(Path root, GroundingLimits limits) {
    this.root = root;
    this.limits = limits;
  }

  /**
   * Opens (creating if needed) the store in {@code root}, typically {@code <data dir>/corpora}, and
   * removes leftovers of interrupted creates and deletes.
   */
  public static CorpusStore open(Path root, GroundingLimits limits) {
    try {
      Files.createDirectories(root);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
        for (Path p : ds) {
          if (p.getFileName().toString().startsWith(HIDDEN_PREFIX)) {
            FileTrees.deleteRecursively(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new CorpusStore(root.toAbsolutePath().normalize(), limits);
  }

  /** The limits in force. */
  public GroundingLimits limits() {
    return limits;
  }

  /** Creates an empty corpus. */
  public CorpusInfo create(String name, PassageSettings settings) {
    Names.require(GroundingException.ResourceKind.CORPUS, name);
    if (settings == null) {
      settings = PassageSettings.DEFAULTS;
    }
    registry.lock();
    try {
      ensureOpen();
      Path dir = root.resolve(name);
      if (Files.exists(dir)) {
        throw new GroundingException.AlreadyExists(GroundingException.ResourceKind.CORPUS, name);
      }
      int existing = names().size();
      if (existing >= limits.maxCorpora()) {
        throw new GroundingException.LimitExceeded(
            "max-corpora",
            limits.maxCorpora(),
            existing + 1L,
            "cannot create corpus '" + name + "'");
      }
      Path tmp = root.resolve(HIDDEN_PREFIX + "creating-" + name + "-" + System.nanoTime());
      try {
        Files.createDirectories(tmp);
        Properties p = new Properties();
        p.setProperty("format-version", FORMAT_VERSION);
        p.setProperty("max-chars", Integer.toString(settings.maxChars()));
        p.setProperty("overlap-chars", Integer.toString(settings.overlapChars()));
        try (Writer w = Files.newBufferedWriter(tmp.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
          p.store(w, "Guidepost corpus");
        }
        CorpusIndex.createEmpty(tmp.resolve(INDEX), analyzer);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        try {
          FileTrees.deleteRecursively(tmp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new UncheckedIOException(e);
      }
      LOG.info(() -> "Created corpus " + name);
      return index(name).info();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      registry.unlock();
    }
  }

  /** Every corpus, sorted by name. */
  public List<CorpusInfo> list() {
    List<CorpusInfo> out = new ArrayList<>();
    for (String name : names()) {
      try {
        out.add(index(name).info());
      } catch (GroundingException.NotFound deletedMeanwhile) {
        // Deleted between listing the folder and opening it: not part of the answer.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** One corpus. */
  public CorpusInfo info(String name) {
    try {
      return index(name).info();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a corpus and all its files. */
  public void delete(String name) {
    Names.require(GroundingException.ResourceKind.CORPUS, name);
    registry.lock();
    try {
      ensureOpen();
      Path dir = root.resolve(name);
      if (!Files.isRegularFile(dir.resolve(PROPERTIES))) {
        throw new GroundingException.NotFound(GroundingException.ResourceKind.CORPUS, name, null);
      }
      CorpusIndex idx = open.remove(name);
      if (idx != null) {
        idx.close();
      }
      Path trash = root.resolve(HIDDEN_PREFIX + "deleting-" + name + "-" + System.nanoTime());
      Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.deleteRecursively(trash);
      LOG.info(() -> "Deleted corpus " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      registry.unlock();
    }
  }

  /** Ingests documents (all or nothing); a document whose id exists replaces it. */
  public IngestResult ingest(String corpus, List<Document> documents) {
    CorpusIndex idx = index(corpus);
    if (documents.size() > limits.maxDocumentsPerIngest()) {
      throw new GroundingException.LimitExceeded(
          "max-documents-per-ingest",
          limits.maxDocumentsPerIngest(),
          documents.size(),
          "too many documents in one request");
    }
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      Document d = documents.get(i);
      String problem = DocumentRules.problem(d, limits);
      if (problem != null) {
        throw new GroundingException.InvalidInput("documents[" + i + "]: " + problem);
      }
      DocumentRules.checkSize(d, limits, "documents[" + i + "]");
      Integer earlier = firstIndex.putIfAbsent(d.id(), i);
      if (earlier != null) {
        throw new GroundingException.InvalidInput(
            "documents["
                + i
                + "]: id '"
                + d.id()
                + "' repeats the id of documents["
                + earlier
                + "]");
      }
    }
    return write(idx, documents);
  }

  /**
   * Ingests NDJSON documents (see {@link NdjsonDocuments} for the rules); a malformed line is
   * reported with its 1-based number and nothing is stored.
   */
  public IngestResult ingestNdjson(String corpus, Reader ndjson) {
    CorpusIndex idx = index(corpus);
    return write(idx, NdjsonDocuments.read(ndjson, limits));
  }

  /** Ingests one plain-text document. */
  public IngestResult ingestText(String corpus, String id, String title, String text) {
    return ingest(corpus, List.of(new Document(id, title, text, null)));
  }

  /** The stored document. */
  public Document document(String corpus, String id) {
    try {
      Document d = index(corpus).document(id);
      if (d == null) {
        throw new GroundingException.NotFound(
            GroundingException.ResourceKind.DOCUMENT, id, "corpus '" + corpus + "'");
      }
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The passages of a document, in order. */
  public List<Passage> passages(String corpus, String documentId) {
    try {
      CorpusIndex idx = index(corpus);
      List<Passage> ps = idx.passages(documentId);
      if (ps.isEmpty()) {
        throw new GroundingException.NotFound(
            GroundingException.ResourceKind.DOCUMENT, documentId, "corpus '" + corpus + "'");
      }
      return ps;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One passage of a document. */
  public Passage passage(String corpus, String documentId, int passageId) {
    try {
      Passage p = index(corpus).passage(documentId, passageId);
      if (p == null) {
        throw new GroundingException.NotFound(
            GroundingException.ResourceKind.PASSAGE,
            documentId + "#" + passageId,
            "corpus '" + corpus + "'");
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes one document and its passages. */
  public void deleteDocument(String corpus, String id) {
    try {
      if (!index(corpus).deleteDocument(id)) {
        throw new GroundingException.NotFound(
            GroundingException.ResourceKind.DOCUMENT, id, "corpus '" + corpus + "'");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code topK} passages that best match {@code query} by BM25, best first. The query uses
   * Lucene's simple syntax: words (analysed like the passages, any may match), {@code "phrases"},
   * {@code +required}, {@code -excluded}, {@code prefix*}; syntax errors are impossible. A query
   * whose words are all stop words finds nothing.
   */
  public List<PassageHit> search(String corpus, String query, int topK) {
    CorpusIndex idx = index(corpus);
    if (query == null || query.isBlank()) {
      throw new GroundingException.InvalidInput("query is empty");
    }
    if (topK < 1) {
      throw new GroundingException.InvalidInput("top_k must be at least 1, got " + topK);
    }
    if (topK > limits.maxTopK()) {
      throw new GroundingException.LimitExceeded(
          "max-top-k", limits.maxTopK(), topK, "too many results requested");
    }
    try {
      return idx.search(query, topK, limits.maxQueryTerms());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes every open corpus; later calls fail with {@link IllegalStateException}. */
  @Override
  public void close() {
    registry.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      IOException first = FileTrees.closeAll(open.values());
      open.clear();
      analyzer.close();
      if (first != null) {
        throw new UncheckedIOException(first);
      }
    } finally {
      registry.unlock();
    }
  }

  private IngestResult write(CorpusIndex idx, List<Document> documents) {
    List<CorpusIndex.Prepared> prepared = new ArrayList<>(documents.size());
    for (Document d : documents) {
      prepared.add(
          new CorpusIndex.Prepared(d, PassageSplitter.split(d.id(), d.text(), idx.settings)));
    }
    try {
      return idx.write(prepared, limits);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (idx.isClosed()) {
        open.remove(idx.name, idx);
      }
    }
  }

  /** Valid corpus names with a published folder, sorted. */
  private List<String> names() {
    return Names.published(root, PROPERTIES);
  }

  /** The open index of a corpus, opening it on first use. */
  private CorpusIndex index(String name) {
    Names.require(GroundingException.ResourceKind.CORPUS, name);
    CorpusIndex idx = open.get(name);
    if (idx != null && !idx.isClosed()) {
      return idx;
    }
    registry.lock();
    try {
      ensureOpen();
      idx = open.get(name);
      if (idx != null && !idx.isClosed()) {
        return idx;
      }
      Path dir = root.resolve(name);
      Path props = dir.resolve(PROPERTIES);
      if (!Files.isRegularFile(props)) {
        throw new GroundingException.NotFound(GroundingException.ResourceKind.CORPUS, name, null);
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      if (!FORMAT_VERSION.equals(p.getProperty("format-version"))) {
        throw new IllegalStateException(
            "corpus '" + name + "' has unsupported format " + p.getProperty("format-version"));
      }
      PassageSettings settings =
          new PassageSettings(
              Integer.parseInt(p.getProperty("max-chars")),
              Integer.parseInt(p.getProperty("overlap-chars")));
      idx = new CorpusIndex(name, settings, dir.resolve(INDEX), analyzer);
      open.put(name, idx);
      return idx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      registry.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("corpus store is closed");
    }
  }
}
