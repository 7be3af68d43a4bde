package io.guidepost.service.grounding;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * One loaded code list: its codes and descriptions in memory (parallel arrays in file order) and a
 * read-only Lucene index over descriptions and codes on disk.
 *
 * <p>Index layout: one Lucene document per code with {@code ord} (its position in the list,
 * stored), {@code code} (the stored form, stored), {@code code_key} (upper case without dots,
 * indexed, so "e11.65" or "E1165" in a note finds E11.65), {@code desc} (English analysis with
 * Porter stemming, stored) and {@code desc_prefix} (words truncated to their first six characters,
 * a low-weight recall aid; see {@link LuceneText#newCodeListAnalyzer}). The index is written once
 * when the list is loaded and never changes; reopening rebuilds the arrays from the stored fields.
 *
 * <p>Thread-safety: immutable after construction apart from {@link #close}; queries run
 * concurrently on one {@link IndexSearcher}; {@code lifecycle} keeps close from racing with them.
 * Memory: about 2 strings per code (ICD-10-CM: roughly 10 MB).
 */
final class CodeList implements Closeable {
  static final String F_ORD = "ord";
  static final String F_CODE = "code";
  static final String F_CODE_KEY = "code_key";
  static final String F_DESC = "desc";
  static final String F_DESC_PREFIX = "desc_prefix";

  /** Weight of a word-prefix match relative to a stemmed-word match. */
  static final float PREFIX_MATCH_BOOST = 0.5f;

  /** Weight of a code named in the text relative to one description term. */
  static final float CODE_MATCH_BOOST = 5f;

  final String name;
  final CodeListOptions options;
  private final String[] codes;
  private final String[] descriptions;
  private final List<String> presented;
  private final Map<String, Integer> ordOfKey;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** Writes the index of a parsed list into the empty folder {@code indexDir}. */
  static void writeIndex(Path indexDir, CodeListParser.Parsed parsed, Analyzer analyzer)
      throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(64);
    try (Directory d = FSDirectory.open(indexDir);
        IndexWriter w = new IndexWriter(d, config)) {
      String[] codes = parsed.codes();
      String[] descriptions = parsed.descriptions();
      for (int i = 0; i < codes.length; i++) {
        org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
        doc.add(new StoredField(F_ORD, i));
        doc.add(new StoredField(F_CODE, codes[i]));
        doc.add(new StringField(F_CODE_KEY, codeKey(codes[i]), Field.Store.NO));
        doc.add(new TextField(F_DESC, descriptions[i], Field.Store.YES));
        doc.add(new TextField(F_DESC_PREFIX, descriptions[i], Field.Store.NO));
        w.addDocument(doc);
      }
      w.forceMerge(1);
      w.commit();
    }
  }

  /** Opens a list written by {@link #writeIndex}. */
  CodeList(String name, CodeListOptions options, Path indexDir, Analyzer analyzer, int expected)
      throws IOException {
    this.name = name;
    this.options = options;
    this.analyzer = analyzer;
    this.directory = FSDirectory.open(indexDir);
    try {
      this.reader = DirectoryReader.open(directory);
      this.searcher = new IndexSearcher(reader);
      int n = reader.numDocs();
      if (n != expected) {
        throw new IOException(
            "code list '" + name + "' index holds " + n + " codes, expected " + expected);
      }
      codes = new String[n];
      descriptions = new String[n];
      for (LeafReaderContext leaf : reader.leaves()) {
        LeafReader lr = leaf.reader();
        StoredFields sf = lr.storedFields();
        for (int doc = 0; doc < lr.maxDoc(); doc++) {
          org.apache.lucene.document.Document d = sf.document(doc);
          int ord = d.getField(F_ORD).numericValue().intValue();
          codes[ord] = d.get(F_CODE);
          descriptions[ord] = d.get(F_DESC);
        }
      }
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    String[] shown = new String[codes.length];
    ordOfKey = HashMap.newHashMap(codes.length * 2);
    for (int i = 0; i < codes.length; i++) {
      shown[i] = present(codes[i]);
      ordOfKey.put(shown[i], i);
      if (options.format() == CodeListFormat.ICD10CM) {
        ordOfKey.putIfAbsent(codes[i], i);
        ordOfKey.putIfAbsent(CodeListParser.dotted(codes[i]), i);
      }
    }
    presented = Collections.unmodifiableList(Arrays.asList(shown));
  }

  int size() {
    return codes.length;
  }

  CodeListInfo info() {
    ensureOpen();
    return new CodeListInfo(name, options, codes.length);
  }

  /** Every code in the presented form, in list order (unmodifiable, shared). */
  List<String> codes() {
    ensureOpen();
    return presented;
  }

  /** The description of a code given in the presented form (ICD-10-CM: either form), or null. */
  String describe(String code) {
    ensureOpen();
    Integer ord = code == null ? null : ordOfKey.get(code);
    return ord == null ? null : descriptions[ord];
  }

  /** See {@link CodeListStore#candidates}. */
  List<CodeCandidate> candidates(String text, int n, int maxQueryTerms) throws IOException {
    Set<String> terms = LuceneText.distinctTerms(analyzer, F_DESC, text, maxQueryTerms);
    Set<String> prefixes = LuceneText.distinctTerms(analyzer, F_DESC_PREFIX, text, maxQueryTerms);
    Set<String> codeKeys = codeLikeTokens(text);
    int clauses = terms.size() + prefixes.size() + codeKeys.size();
    if (clauses > maxQueryTerms) {
      throw new GroundingException.LimitExceeded(
          "max-query-terms",
          maxQueryTerms,
          clauses,
          "clinical text has too many distinct terms, word prefixes and code-like tokens");
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : terms) {
      b.add(new TermQuery(new Term(F_DESC, t)), BooleanClause.Occur.SHOULD);
    }
    for (String t : prefixes) {
      b.add(
          new BoostQuery(new TermQuery(new Term(F_DESC_PREFIX, t)), PREFIX_MATCH_BOOST),
          BooleanClause.Occur.SHOULD);
    }
    for (String k : codeKeys) {
      b.add(
          new BoostQuery(new TermQuery(new Term(F_CODE_KEY, k)), CODE_MATCH_BOOST),
          BooleanClause.Occur.SHOULD);
    }
    BooleanQuery q = b.build();
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      int want = n == 0 ? codes.length : Math.min(n, codes.length);
      List<CodeCandidate> out = new ArrayList<>(n == 0 ? codes.length : want);
      boolean[] taken = n == 0 ? new boolean[codes.length] : null;
      if (!q.clauses().isEmpty()) {
        TopDocs top = searcher.search(q, want);
        StoredFields sf = searcher.storedFields();
        for (ScoreDoc sd : top.scoreDocs) {
          int ord = sf.document(sd.doc).getField(F_ORD).numericValue().intValue();
          out.add(new CodeCandidate(presented.get(ord), descriptions[ord], sd.score));
          if (taken != null) {
            taken[ord] = true;
          }
        }
      }
      if (taken != null) {
        for (int i = 0; i < codes.length; i++) {
          if (!taken[i]) {
            out.add(new CodeCandidate(presented.get(i), descriptions[i], 0f));
          }
        }
      }
      return out;
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
      IOUtils.close(reader, directory);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  boolean isClosed() {
    return closed;
  }

  private void ensureOpen() {
    if (closed) {
      throw new GroundingException.NotFound(GroundingException.ResourceKind.CODE_LIST, name, null);
    }
  }

  private String present(String code) {
    return options.dotted() ? CodeListParser.dotted(code) : code;
  }

  /** The key under which a code is indexed and looked up in text: upper case, dots removed. */
  static String codeKey(String code) {
    return code.replace(".", "").toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * Tokens of {@code text} that could name a code: runs of letters, digits and dots containing at
   * least one digit and one letter, with trailing dots removed, as {@link #codeKey} keys.
   */
  static Set<String> codeLikeTokens(String text) {
    Set<String> out = new java.util.LinkedHashSet<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !isCodeChar(text.charAt(i))) {
        i++;
      }
      int start = i;
      boolean digit = false;
      boolean letter = false;
      while (i < n && isCodeChar(text.charAt(i))) {
        char c = text.charAt(i);
        digit |= c >= '0' && c <= '9';
        letter |= Character.isLetter(c);
        i++;
      }
      if (digit && letter && i - start <= CodeListParser.MAX_CODE_CHARS) {
        String key = codeKey(text.substring(start, i));
        if (!key.isEmpty()) {
          out.add(key);
        }
      }
    }
    return out;
  }

  private static boolean isCodeChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
  }
}
