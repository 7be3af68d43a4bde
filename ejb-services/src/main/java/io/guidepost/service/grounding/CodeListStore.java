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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.apache.lucene.analysis.Analyzer;

/**
 * Named code systems (ICD-10-CM, or any {@code code,description} CSV), persisted on disk, with BM25
 * candidate retrieval for clinical text and the exact code lists that choice constraints are built
 * from ({@link #codes} feeds {@code Choice.compile}).
 *
 * <p>Layout: {@code <root>/<name>/codelist.properties} (format, dotted form, count, format
 * version), {@code <root>/<name>/codes.bin} (the codes and descriptions in list order; see {@link
 * CodeTable}) and {@code <root>/<name>/index/} (Lucene; see {@link CodeList}). A list is loaded
 * completely (parsed, validated, indexed) in a hidden temporary folder and published with an atomic
 * rename, so it is either fully there or absent; lists are immutable once loaded (delete and load
 * again to change one). Hidden leftovers are removed when a store opens.
 *
 * <p>Thread-safety: all methods may be called concurrently; lists open lazily and stay open until
 * deleted or the store is closed. Cost: loading is linear in the file (74,000 ICD-10-CM codes: see
 * the JMH benchmark); {@link #codes} is O(1) (a shared unmodifiable list); {@link #describe} is a
 * hash lookup; {@link #candidates} is one BM25 query.
 */
public final class CodeListStore implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CodeListStore.class.getName());
  private static final String PROPERTIES = "codelist.properties";
  private static final String INDEX = "index";
  private static final String TABLE = "codes.bin";

  /**
   * The format written: codes and descriptions in {@code codes.bin}, an index without stored fields
   * sorted by list position.
   */
  private static final String FORMAT_VERSION = "2";

  /**
   * The first format, still read: codes and descriptions stored in the index, no {@code codes.bin}
   * (see {@link CodeList#openVersion1}).
   */
  private static final String FORMAT_VERSION_1 = "1";

  private static final String HIDDEN_PREFIX = ".";

  private final Path root;
  private final GroundingLimits limits;
  private final Analyzer analyzer = LuceneText.newCodeListAnalyzer(CodeList.F_DESC_PREFIX);
  private final Map<String, CodeList> open = new ConcurrentHashMap<>();
  private final ReentrantLock registry = new ReentrantLock();
  private volatile boolean closed;

  private CodeListStore(Path root, GroundingLimits limits) {
    this.root = root;
    this.limits = limits;
  }

  /**
   * Opens (creating if needed) the store in {@code root}, typically {@code <data dir>/codelists}.
   */
  public static CodeListStore open(Path root, GroundingLimits limits) {
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
    return new CodeListStore(root.toAbsolutePath().normalize(), limits);
  }

  /** The limits in force. */
  public GroundingLimits limits() {
    return limits;
  }

  /**
   * Parses, validates, indexes and persists a code list under a new name. Nothing is stored when
   * any line is malformed, a code repeats, or a limit is exceeded.
   */
  public CodeListInfo load(String name, CodeListOptions options, Reader content) {
    Names.require(GroundingException.ResourceKind.CODE_LIST, name);
    if (options == null) {
      throw new GroundingException.InvalidInput("code list options are missing");
    }
    CodeListParser.Parsed parsed = CodeListParser.parse(content, options, limits.maxCodesPerList());
    checkCanAdd(name);
    // Index outside the registry lock (most of a load), then publish under it.
    Path tmp = root.resolve(HIDDEN_PREFIX + "loading-" + name + "-" + System.nanoTime());
    CodeList loaded;
    try {
      Files.createDirectories(tmp);
      CodeList.writeIndex(tmp.resolve(INDEX), parsed, analyzer);
      CodeTable.write(tmp.resolve(TABLE), parsed.codes(), parsed.descriptions());
      Properties p = new Properties();
      p.setProperty("format-version", FORMAT_VERSION);
      p.setProperty("format", options.format().name());
      p.setProperty("dotted", Boolean.toString(options.dotted()));
      p.setProperty("csv-header", options.csvHeader().name());
      p.setProperty("codes", Integer.toString(parsed.codes().length));
      try (Writer w = Files.newBufferedWriter(tmp.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
        p.store(w, "Guidepost code list");
      }
      registry.lock();
      try {
        checkCanAdd(name);
        Path dir = root.resolve(name);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        // Open it from what is already in memory: nothing to read back but the index.
        loaded = CodeList.open(name, options, dir.resolve(INDEX), analyzer, parsed);
        open.put(name, loaded);
      } finally {
        registry.unlock();
      }
    } catch (IOException | RuntimeException e) {
      try {
        FileTrees.deleteRecursively(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
    LOG.info(() -> "Loaded code list " + name + " with " + parsed.codes().length + " codes");
    return loaded.info();
  }

  /** Throws when the store is closed, the name is taken or the number of lists is at its limit. */
  private void checkCanAdd(String name) {
    registry.lock();
    try {
      ensureOpen();
      if (Files.exists(root.resolve(name))) {
        throw new GroundingException.AlreadyExists(GroundingException.ResourceKind.CODE_LIST, name);
      }
      int existing = names().size();
      if (existing >= limits.maxCodeLists()) {
        throw new GroundingException.LimitExceeded(
            "max-code-lists",
            limits.maxCodeLists(),
            existing + 1L,
            "cannot load code list '" + name + "'");
      }
    } finally {
      registry.unlock();
    }
  }

  /** Every code list, sorted by name. */
  public List<CodeListInfo> list() {
    List<CodeListInfo> out = new ArrayList<>();
    for (String name : names()) {
      try {
        out.add(list(name).info());
      } catch (GroundingException.NotFound deletedMeanwhile) {
        // Deleted between listing the folder and opening it: not part of the answer.
      }
    }
    return out;
  }

  /** One code list. */
  public CodeListInfo info(String name) {
    return list(name).info();
  }

  /** Deletes a code list and its files. */
  public void delete(String name) {
    Names.require(GroundingException.ResourceKind.CODE_LIST, name);
    registry.lock();
    try {
      ensureOpen();
      Path dir = root.resolve(name);
      if (!Files.isRegularFile(dir.resolve(PROPERTIES))) {
        throw new GroundingException.NotFound(
            GroundingException.ResourceKind.CODE_LIST, name, null);
      }
      CodeList cl = open.remove(name);
      if (cl != null) {
        cl.close();
      }
      Path trash = root.resolve(HIDDEN_PREFIX + "deleting-" + name + "-" + System.nanoTime());
      Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.deleteRecursively(trash);
      LOG.info(() -> "Deleted code list " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      registry.unlock();
    }
  }

  /**
   * Every code of the list in its presented form (ICD-10-CM dotted when the list was loaded so), in
   * file order; unmodifiable and shared, so calling it is free.
   */
  public List<String> codes(String list) {
    return list(list).codes();
  }

  /**
   * The description of a code. The code is given in the presented form; for ICD-10-CM lists the
   * form without the dot and the dotted form are both accepted.
   */
  public String describe(String list, String code) {
    String d = list(list).describe(code);
    if (d == null) {
      throw new GroundingException.NotFound(
          GroundingException.ResourceKind.CODE, code, "code list '" + list + "'");
    }
    return d;
  }

  /**
   * Codes relevant to a clinical text, best first: BM25 over the descriptions (English analysis, so
   * "hyperglycemic" meets "hyperglycemia"), plus a bonus for codes the text names (e.g. {@code
   * E11.65} or {@code E1165}). With {@code n > 0}, at most {@code n} codes that match at least one
   * term (possibly fewer, or none); with {@code n == 0}, every code of the list: the matching ones
   * by score, then the rest in list order with score 0.
   */
  public List<CodeCandidate> candidates(String list, String clinicalText, int n) {
    CodeList cl = list(list);
    if (clinicalText == null) {
      throw new GroundingException.InvalidInput("clinical text is missing");
    }
    if (n < 0) {
      throw new GroundingException.InvalidInput("n must be 0 (all codes) or positive, got " + n);
    }
    try {
      return cl.candidates(clinicalText, n, limits.maxQueryTerms());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes every open list; later calls fail with {@link IllegalStateException}. */
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

  private List<String> names() {
    return Names.published(root, PROPERTIES);
  }

  /** The open list, opening it on first use. */
  private CodeList list(String name) {
    Names.require(GroundingException.ResourceKind.CODE_LIST, name);
    CodeList cl = open.get(name);
    if (cl != null && !cl.isClosed()) {
      return cl;
    }
    registry.lock();
    try {
      ensureOpen();
      cl = open.get(name);
      if (cl != null && !cl.isClosed()) {
        return cl;
      }
      Path dir = root.resolve(name);
      Path props = dir.resolve(PROPERTIES);
      if (!Files.isRegularFile(props)) {
        throw new GroundingException.NotFound(
            GroundingException.ResourceKind.CODE_LIST, name, null);
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      String version = p.getProperty("format-version");
      if (!FORMAT_VERSION.equals(version) && !FORMAT_VERSION_1.equals(version)) {
        throw new IllegalStateException(
            "code list '"
                + name
                + "' has unsupported format "
                + version
                + " (this version reads "
                + FORMAT_VERSION_1
                + " and "
                + FORMAT_VERSION
                + "); delete it and load it again");
      }
      CodeListOptions options =
          new CodeListOptions(
              CodeListFormat.valueOf(p.getProperty("format")),
              Boolean.parseBoolean(p.getProperty("dotted")),
              CodeListOptions.CsvHeader.valueOf(p.getProperty("csv-header")));
      int count = Integer.parseInt(p.getProperty("codes"));
      if (FORMAT_VERSION.equals(version)) {
        cl =
            CodeList.open(
                name,
                options,
                dir.resolve(INDEX),
                analyzer,
                CodeTable.read(dir.resolve(TABLE), count));
      } else {
        cl = CodeList.openVersion1(name, options, dir.resolve(INDEX), analyzer, count);
        LOG.info(
            () ->
                "Code list "
                    + name
                    + " has the first on-disk format, slow to open: delete it and load it again"
                    + " to convert it");
      }
      open.put(name, cl);
      return cl;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      registry.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("code list store is closed");
    }
  }
}
