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
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * One loaded code list: its codes and descriptions in memory (parallel arrays in file order) and a
 * read-only Lucene index over descriptions and codes on disk.
 *
 * <p>Index layout: one Lucene document per code, sorted by {@code ord} (its position in the list, a
 * numeric doc value and the index sort), so that the document number of a code is its position:
 * {@code code_key} (upper case without dots, indexed, so "e11.65" or "E1165" in a note finds
 * E11.65), {@code desc} (English analysis with Porter stemming) and {@code desc_prefix} (words
 * truncated to their first six characters, a low-weight recall aid; see {@link
 * LuceneText#newCodeListAnalyzer}). Description fields index documents and term frequencies with
 * norms, which is all BM25 over term queries reads (no positions); nothing is stored in Lucene: the
 * codes and descriptions themselves live in a {@link CodeTable} beside the index. The index is
 * written once, in one segment, when the list is loaded and never changes. Lists written in the
 * first format (codes and descriptions stored in the index) are still read: see {@link
 * #openVersion1}.
 *
 * <p>Thread-safety: immutable after construction apart from {@link #close}; queries run
 * concurrently on one {@link IndexSearcher}; {@code lifecycle} keeps close from racing with them.
 * Memory: about 2 strings per code (ICD-10-CM: roughly 10 MB).
 */
final class CodeList implements Closeable {
  static final String F_ORD = "ord";

  /** The stored code of version-1 indexes (see {@link #openVersion1}). */
  static final String V1_CODE = "code";

  static final String F_CODE_KEY = "code_key";
  static final String F_DESC = "desc";
  static final String F_DESC_PREFIX = "desc_prefix";

  /** Weight of a word-prefix match relative to a stemmed-word match. */
  static final float PREFIX_MATCH_BOOST = 0.5f;

  /** Weight of a code named in the text relative to one description term. */
  static final float CODE_MATCH_BOOST = 5f;

  /**
   * Indexing buffer: large enough that a list within the default limits is flushed once, as one
   * segment (the writer holds far less than this for 74,000 codes).
   */
  static final double RAM_BUFFER_MB = 256;

  /** The index sort that makes document numbers equal list positions. */
  private static final Sort BY_ORD = new Sort(new SortField(F_ORD, SortField.Type.INT));

  /** Description fields: documents, frequencies and norms for BM25; no positions, not stored. */
  private static final FieldType DESC_TYPE = newDescType();

  private static FieldType newDescType() {
    FieldType t = new FieldType();
    t.setTokenized(true);
    t.setStored(false);
    t.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    t.freeze();
    return t;
  }

  final String name;
  final CodeListOptions options;
  private final String[] codes;
  private final String[] descriptions;
  private final List<String> presented;
  private final Map<String, Integer> ordOfKey;
  private final Directory directory;
  private final DirectoryReader reader;

  /** Version-1 lists only: the list position of each document; null when they are equal. */
  private final int[] ordOfDoc;

  private final IndexSearcher searcher;
  private final Analyzer analyzer;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /**
   * Writes the index of a parsed list into the empty folder {@code indexDir}: one writer thread
   * adding documents in list order into one buffer, flushed once without compound files, then
   * merged to one segment if the buffer did overflow.
   */
  static void writeIndex(Path indexDir, CodeListParser.Parsed parsed, Analyzer analyzer)
      throws IOException {
    LogByteSizeMergePolicy merges = new LogByteSizeMergePolicy();
    merges.setNoCFSRatio(0);
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(RAM_BUFFER_MB)
            .setUseCompoundFile(false)
            .setMergePolicy(merges)
            .setIndexSort(BY_ORD)
            .setCommitOnClose(false);
    try (Directory d = FSDirectory.open(indexDir);
        IndexWriter w = new IndexWriter(d, config)) {
      String[] codes = parsed.codes();
      String[] descriptions = parsed.descriptions();
      NumericDocValuesField ord = new NumericDocValuesField(F_ORD, 0);
      StringField key = new StringField(F_CODE_KEY, "", Field.Store.NO);
      Field desc = new Field(F_DESC, "", DESC_TYPE);
      Field prefix = new Field(F_DESC_PREFIX, "", DESC_TYPE);
      List<IndexableField> doc = List.of(ord, key, desc, prefix);
      for (int i = 0; i < codes.length; i++) {
        // One writer thread and one document at a time, so reusing the fields is safe.
        ord.setLongValue(i);
        key.setStringValue(codeKey(codes[i]));
        desc.setStringValue(descriptions[i]);
        prefix.setStringValue(descriptions[i]);
        w.addDocument(doc);
      }
      w.forceMerge(1);
      w.commit();
    }
  }

  /**
   * Opens a list written by {@link #writeIndex} whose codes and descriptions are {@code parsed}
   * (kept, not copied); throws {@link IOException} when the index does not match them.
   */
  static CodeList open(
      String name,
      CodeListOptions options,
      Path indexDir,
      Analyzer analyzer,
      CodeListParser.Parsed parsed)
      throws IOException {
    Directory d = FSDirectory.open(indexDir);
    DirectoryReader r = null;
    try {
      r = DirectoryReader.open(d);
      int n = parsed.codes().length;
      List<LeafReaderContext> leaves = r.leaves();
      if (r.numDocs() != n
          || r.maxDoc() != n
          || leaves.size() != 1
          || !BY_ORD.equals(leaves.get(0).reader().getMetaData().sort())) {
        throw new IOException(
            "code list '"
                + name
                + "' index holds "
                + r.numDocs()
                + " codes in "
                + leaves.size()
                + " segments, expected "
                + n
                + " in one segment sorted by position");
      }
      return new CodeList(
          name, options, analyzer, d, r, parsed.codes(), parsed.descriptions(), null);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(r, d);
      throw e;
    }
  }

  /**
   * Opens a list of the first on-disk format (store format version 1): codes and descriptions
   * stored in the index, {@code ord} a stored field, documents in any order. Reads every stored
   * document once (far slower than {@link #open}; loading the list again converts it).
   */
  static CodeList openVersion1(
      String name, CodeListOptions options, Path indexDir, Analyzer analyzer, int expected)
      throws IOException {
    Directory d = FSDirectory.open(indexDir);
    DirectoryReader r = null;
    try {
      r = DirectoryReader.open(d);
      if (r.numDocs() != expected || r.maxDoc() != expected) {
        throw new IOException(
            "code list '" + name + "' index holds " + r.numDocs() + " codes, expected " + expected);
      }
      String[] codes = new String[expected];
      String[] descriptions = new String[expected];
      int[] ordOfDoc = new int[expected];
      for (LeafReaderContext leaf : r.leaves()) {
        StoredFields sf = leaf.reader().storedFields();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          org.apache.lucene.document.Document stored = sf.document(doc);
          int ord = stored.getField(F_ORD).numericValue().intValue();
          if (ord < 0 || ord >= expected || codes[ord] != null) {
            throw new IOException("code list '" + name + "' index has a bad position " + ord);
          }
          codes[ord] = stored.get(V1_CODE);
          descriptions[ord] = stored.get(F_DESC);
          ordOfDoc[leaf.docBase + doc] = ord;
        }
      }
      return new CodeList(name, options, analyzer, d, r, codes, descriptions, ordOfDoc);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(r, d);
      throw e;
    }
  }

  private CodeList(
      String name,
      CodeListOptions options,
      Analyzer analyzer,
      Directory directory,
      DirectoryReader reader,
      String[] codes,
      String[] descriptions,
      int[] ordOfDoc) {
    this.name = name;
    this.options = options;
    this.analyzer = analyzer;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.codes = codes;
    this.descriptions = descriptions;
    this.ordOfDoc = ordOfDoc;
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
        for (ScoreDoc sd : top.scoreDocs) {
          int ord = ordOfDoc == null ? sd.doc : ordOfDoc[sd.doc];
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
