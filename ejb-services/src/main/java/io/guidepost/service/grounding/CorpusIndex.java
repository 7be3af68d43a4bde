package io.guidepost.service.grounding;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * One corpus's Lucene index: a single {@link IndexWriter} and a {@link SearcherManager} over it.
 *
 * <p>Index layout: each document is one block written atomically with {@link
 * IndexWriter#updateDocuments} keyed by the term {@code doc_id}: a record ({@code kind=d}) storing
 * the full text, title and metadata, followed by one Lucene document per passage ({@code kind=p})
 * with the analysed, stored passage text {@code p_text}, its ordinal and its offsets, and a {@code
 * p_key} term ({@code documentId NUL passageId}) for direct lookup. Re-ingesting an id replaces its
 * whole block.
 *
 * <p>Thread-safety: searches run concurrently on searchers acquired from the manager; writes
 * (ingest, delete) are serialised by {@code writeLock} and each ends with a commit and a blocking
 * refresh, so counts read under that lock are exact and a returned write is visible to every later
 * search. {@code lifecycle} (read for every operation, write for {@link #close}) keeps close from
 * racing with operations; after close every operation reports the corpus as not found.
 */
final class CorpusIndex implements Closeable {
  static final String F_KIND = "kind";
  static final String F_DOC_ID = "doc_id";
  static final String F_TITLE = "title";
  static final String F_DOC_TEXT = "doc_text";
  static final String F_META_KEY = "meta_k";
  static final String F_META_VALUE = "meta_v";
  static final String F_P_TEXT = "p_text";
  static final String F_P_ID = "p_id";
  static final String F_P_START = "p_start";
  static final String F_P_END = "p_end";
  static final String F_P_KEY = "p_key";
  static final String KIND_DOC = "d";
  static final String KIND_PASSAGE = "p";

  final String name;
  final PassageSettings settings;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager manager;
  private final Analyzer analyzer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  CorpusIndex(String name, PassageSettings settings, java.nio.file.Path indexDir, Analyzer analyzer)
      throws IOException {
    this.name = name;
    this.settings = settings;
    this.analyzer = analyzer;
    this.directory = FSDirectory.open(indexDir);
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    IndexWriter w = null;
    try {
      w = new IndexWriter(directory, config);
      this.manager = new SearcherManager(w, null);
    } catch (IOException | RuntimeException e) {
      if (w != null) {
        w.close();
      }
      directory.close();
      throw e;
    }
    this.writer = w;
  }

  /** Creates an empty index in {@code indexDir} (used before the corpus folder is published). */
  static void createEmpty(java.nio.file.Path indexDir, Analyzer analyzer) throws IOException {
    try (Directory d = FSDirectory.open(indexDir);
        IndexWriter w =
            new IndexWriter(
                d,
                new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
      w.commit();
    }
  }

  /** One document ready to write: the validated document and its passages. */
  record Prepared(Document document, List<Passage> passages) {}

  /** Writes {@code docs} atomically (one commit), enforcing the passage limit first. */
  IngestResult write(List<Prepared> docs, GroundingLimits limits) throws IOException {
    lifecycle.readLock().lock();
    writeLock.lock();
    try {
      ensureOpen();
      IndexSearcher searcher = manager.acquire();
      long current;
      long removed = 0;
      int replaced = 0;
      long added = 0;
      try {
        current = searcher.count(kindQuery(KIND_PASSAGE));
        for (Prepared p : docs) {
          added += p.passages().size();
          if (searcher.count(docRecordQuery(p.document().id())) > 0) {
            replaced++;
            removed += searcher.count(passagesOfQuery(p.document().id()));
          }
        }
      } finally {
        manager.release(searcher);
      }
      long total = current - removed + added;
      if (total > limits.maxPassagesPerCorpus()) {
        throw new GroundingException.LimitExceeded(
            "max-passages-per-corpus",
            limits.maxPassagesPerCorpus(),
            total,
            "corpus '" + name + "' would hold too many passages");
      }
      try {
        for (Prepared p : docs) {
          writer.updateDocuments(new Term(F_DOC_ID, p.document().id()), block(p));
        }
        writer.commit();
      } catch (IOException | RuntimeException e) {
        // Drop the uncommitted part of the request; the store reopens the corpus from its last
        // commit on next use.
        closed = true;
        try {
          writer.rollback();
        } catch (IOException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        IOUtils.closeWhileHandlingException(manager, directory);
        throw e;
      }
      manager.maybeRefreshBlocking();
      return new IngestResult(docs.size(), replaced, (int) added);
    } finally {
      writeLock.unlock();
      lifecycle.readLock().unlock();
    }
  }

  /** Deletes one document and its passages; false when it was not there. */
  boolean deleteDocument(String id) throws IOException {
    lifecycle.readLock().lock();
    writeLock.lock();
    try {
      ensureOpen();
      IndexSearcher searcher = manager.acquire();
      try {
        if (searcher.count(docRecordQuery(id)) == 0) {
          return false;
        }
      } finally {
        manager.release(searcher);
      }
      writer.deleteDocuments(new Term(F_DOC_ID, id));
      writer.commit();
      manager.maybeRefreshBlocking();
      return true;
    } finally {
      writeLock.unlock();
      lifecycle.readLock().unlock();
    }
  }

  CorpusInfo info() throws IOException {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      IndexSearcher s = manager.acquire();
      try {
        return new CorpusInfo(
            name, settings, s.count(kindQuery(KIND_DOC)), s.count(kindQuery(KIND_PASSAGE)));
      } finally {
        manager.release(s);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  List<PassageHit> search(String query, int topK, int maxQueryTerms) throws IOException {
    LuceneText.checkTermCount(analyzer, F_P_TEXT, query, maxQueryTerms);
    Query q = new SimpleQueryParser(analyzer, F_P_TEXT).parse(query);
    if (q == null) {
      return List.of();
    }
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      IndexSearcher s = manager.acquire();
      try {
        TopDocs top = s.search(q, topK);
        StoredFields stored = s.storedFields();
        List<PassageHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
          org.apache.lucene.document.Document d = stored.document(sd.doc);
          hits.add(new PassageHit(toPassage(d), d.get(F_TITLE), sd.score));
        }
        return hits;
      } finally {
        manager.release(s);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The stored document, or null. */
  Document document(String id) throws IOException {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      IndexSearcher s = manager.acquire();
      try {
        TopDocs top = s.search(docRecordQuery(id), 1);
        if (top.scoreDocs.length == 0) {
          return null;
        }
        org.apache.lucene.document.Document d = s.storedFields().document(top.scoreDocs[0].doc);
        Map<String, String> meta = new LinkedHashMap<>();
        IndexableField[] keys = d.getFields(F_META_KEY);
        IndexableField[] values = d.getFields(F_META_VALUE);
        for (int i = 0; i < keys.length; i++) {
          meta.put(keys[i].stringValue(), values[i].stringValue());
        }
        return new Document(d.get(F_DOC_ID), d.get(F_TITLE), d.get(F_DOC_TEXT), meta);
      } finally {
        manager.release(s);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The passages of a document in order (empty when the document is unknown). */
  List<Passage> passages(String id) throws IOException {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      IndexSearcher s = manager.acquire();
      try {
        int n = Math.max(1, s.count(passagesOfQuery(id)));
        // Index order within a block is passage order.
        TopDocs top = s.search(passagesOfQuery(id), n, Sort.INDEXORDER);
        StoredFields stored = s.storedFields();
        List<Passage> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
          out.add(toPassage(stored.document(sd.doc)));
        }
        return out;
      } finally {
        manager.release(s);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** One passage, or null. */
  Passage passage(String documentId, int passageId) throws IOException {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      IndexSearcher s = manager.acquire();
      try {
        TopDocs top =
            s.search(new TermQuery(new Term(F_P_KEY, passageKey(documentId, passageId))), 1);
        return top.scoreDocs.length == 0
            ? null
            : toPassage(s.storedFields().document(top.scoreDocs[0].doc));
      } finally {
        manager.release(s);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void close() throws IOException {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      IOUtils.close(manager, writer, directory);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }

  private void ensureOpen() {
    if (closed) {
      throw new GroundingException.NotFound(GroundingException.ResourceKind.CORPUS, name, null);
    }
  }

  private static List<org.apache.lucene.document.Document> block(Prepared p) {
    Document doc = p.document();
    List<org.apache.lucene.document.Document> out = new ArrayList<>(p.passages().size() + 1);
    org.apache.lucene.document.Document record = new org.apache.lucene.document.Document();
    record.add(new StringField(F_KIND, KIND_DOC, Field.Store.NO));
    record.add(new StringField(F_DOC_ID, doc.id(), Field.Store.YES));
    if (doc.title() != null) {
      record.add(new StoredField(F_TITLE, doc.title()));
    }
    record.add(new StoredField(F_DOC_TEXT, doc.text()));
    for (Map.Entry<String, String> e : doc.metadata().entrySet()) {
      record.add(new StoredField(F_META_KEY, e.getKey()));
      record.add(new StoredField(F_META_VALUE, e.getValue()));
    }
    out.add(record);
    for (Passage passage : p.passages()) {
      org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
      d.add(new StringField(F_KIND, KIND_PASSAGE, Field.Store.NO));
      d.add(new StringField(F_DOC_ID, doc.id(), Field.Store.YES));
      d.add(new StringField(F_P_KEY, passageKey(doc.id(), passage.passageId()), Field.Store.NO));
      if (doc.title() != null) {
        d.add(new StoredField(F_TITLE, doc.title()));
      }
      d.add(new TextField(F_P_TEXT, passage.text(), Field.Store.YES));
      d.add(new StoredField(F_P_ID, passage.passageId()));
      d.add(new StoredField(F_P_START, passage.start()));
      d.add(new StoredField(F_P_END, passage.end()));
      out.add(d);
    }
    return out;
  }

  private static Passage toPassage(org.apache.lucene.document.Document d) {
    return new Passage(
        d.get(F_DOC_ID),
        d.getField(F_P_ID).numericValue().intValue(),
        d.getField(F_P_START).numericValue().intValue(),
        d.getField(F_P_END).numericValue().intValue(),
        d.get(F_P_TEXT));
  }

  private static String passageKey(String documentId, int passageId) {
    return documentId + '\u0000' + passageId;
  }

  private static Query kindQuery(String kind) {
    return new TermQuery(new Term(F_KIND, kind));
  }

  private static Query docRecordQuery(String id) {
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(F_DOC_ID, id)), BooleanClause.Occur.FILTER)
        .add(kindQuery(KIND_DOC), BooleanClause.Occur.FILTER)
        .build();
  }

  private static Query passagesOfQuery(String id) {
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(F_DOC_ID, id)), BooleanClause.Occur.FILTER)
        .add(kindQuery(KIND_PASSAGE), BooleanClause.Occur.FILTER)
        .build();
  }
}
