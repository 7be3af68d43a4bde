package io.guidepost.service;

import io.guidepost.decoding.GrammarAutomaton;
import io.guidepost.decoding.TokenAutomaton;
import io.guidepost.decoding.TokenConstraint;
import io.guidepost.decoding.Vocabulary;
import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.GrammarLimits;
import io.guidepost.grammar.IgnoredKeyword;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Compiles constraints for the loaded model and caches them: {@link ConstraintSpec} -> {@link
 * PreparedConstraint} (byte DFA + token automaton), least recently used first out once the entries'
 * bytes pass {@code guidepost.constraints.cache-bytes} (default 256 MiB). The token automata fill
 * their per-state masks lazily while they serve, so an entry's size is re-measured each time it is
 * used. The cache key is the spec itself (every option, {@code strictKeywords} included) and the
 * vocabulary. Schema keywords that constrained nothing are logged once per compilation, i.e. on a
 * cache miss.
 *
 * <p>Thread-safe: the map is guarded by its own lock; compilation runs outside it (two threads
 * asking for the same new spec may both compile it; the second result is dropped).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ConstraintService {
  private static final Logger LOG = Logger.getLogger(ConstraintService.class.getName());

  @EJB ModelLifecycle model;

  @Inject
  @ConfigProperty(name = "guidepost.constraints.cache-bytes", defaultValue = "268435456")
  long maxCacheBytes;

  @Inject
  @ConfigProperty(name = "guidepost.constraints.compile-timeout-ms", defaultValue = "10000")
  long compileTimeoutMs;

  /** The grammar limits of every compilation: the defaults with the configured time limit. */
  GrammarLimits limits() {
    return GrammarLimits.DEFAULTS.withMaxCompileMillis(compileTimeoutMs);
  }

  private final LinkedHashMap<Key, PreparedConstraint> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedBytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong compileNanosTotal = new AtomicLong();

  private record Key(ConstraintSpec spec, Vocabulary vocabulary) {}

  /**
   * The prepared constraint for {@code spec} on the loaded model's vocabulary.
   *
   * @throws io.guidepost.grammar.ConstraintException when it cannot be compiled exactly
   * @throws ModelNotReadyException when no model is loaded
   */
  public PreparedConstraint prepare(ConstraintSpec spec) {
    Vocabulary vocab = model.generator().vocabulary();
    Key key = new Key(spec, vocab);
    synchronized (cache) {
      PreparedConstraint p = cache.get(key);
      if (p != null) {
        hits.incrementAndGet();
        return p;
      }
    }
    misses.incrementAndGet();
    long t0 = System.nanoTime();
    CompiledConstraint compiled = ConstraintCompiler.compile(spec, limits());
    logIgnoredKeywords(spec, compiled);
    TokenConstraint automaton =
        compiled.isContextFree()
            ? GrammarAutomaton.compile(compiled, vocab)
            : TokenAutomaton.compile(compiled, vocab);
    PreparedConstraint p =
        new PreparedConstraint(spec, compiled, automaton, System.nanoTime() - t0);
    compileNanosTotal.addAndGet(p.compileNanos());
    synchronized (cache) {
      PreparedConstraint raced = cache.putIfAbsent(key, p);
      if (raced != null) {
        return raced;
      }
      cachedBytes += p.sizeInBytes();
      evict();
    }
    return p;
  }

  /** Compiles without caching or a model: the byte-level constraint only. */
  public CompiledConstraint compileOnly(ConstraintSpec spec) {
    CompiledConstraint compiled = ConstraintCompiler.compile(spec, limits());
    logIgnoredKeywords(spec, compiled);
    return compiled;
  }

  /** Pointers named in the log line of a schema's ignored keywords; the rest are counted. */
  static final int LOGGED_IGNORED_POINTERS = 5;

  /**
   * Logs (INFO) the schema keywords that constrained nothing, once per compilation, that is once
   * per cached schema: their count and the first {@link #LOGGED_IGNORED_POINTERS} pointers, never
   * the schema itself.
   */
  static void logIgnoredKeywords(ConstraintSpec spec, CompiledConstraint compiled) {
    List<IgnoredKeyword> ignored = compiled.ignoredKeywords();
    if (!ignored.isEmpty() && LOG.isLoggable(Level.INFO)) {
      LOG.info(ignoredKeywordsMessage(spec, ignored));
    }
  }

  /** The log line of {@link #logIgnoredKeywords}. */
  static String ignoredKeywordsMessage(ConstraintSpec spec, List<IgnoredKeyword> ignored) {
    StringBuilder sb =
        new StringBuilder()
            .append(spec.kind())
            .append(" constraint ")
            .append(String.format("%08x", spec.hashCode()))
            .append(": ")
            .append(ignored.size())
            .append(ignored.size() == 1 ? " schema keyword" : " schema keywords")
            .append(" constrained nothing (reported as ignored_keywords): ");
    int shown = Math.min(ignored.size(), LOGGED_IGNORED_POINTERS);
    for (int i = 0; i < shown; i++) {
      sb.append(i == 0 ? "" : ", ").append(printable(ignored.get(i).pointer()));
    }
    if (ignored.size() > shown) {
      sb.append(" and ").append(ignored.size() - shown).append(" more");
    }
    return sb.toString();
  }

  /** {@code s} cut to 200 characters with control characters escaped: safe for one log line. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char ch = s.charAt(i);
      if (Character.isISOControl(ch)) {
        sb.append(String.format("\\u%04x", (int) ch));
      } else {
        sb.append(ch);
      }
    }
    return s.length() > 200 ? sb.append("...").toString() : sb.toString();
  }

  private void evict() {
    // Re-measure: automata grow as they serve.
    long total = 0;
    for (PreparedConstraint p : cache.values()) {
      total += p.sizeInBytes();
    }
    cachedBytes = total;
    Iterator<Map.Entry<Key, PreparedConstraint>> it = cache.entrySet().iterator();
    while (cachedBytes > maxCacheBytes && cache.size() > 1 && it.hasNext()) {
      PreparedConstraint victim = it.next().getValue();
      cachedBytes -= victim.sizeInBytes();
      it.remove();
      LOG.fine(() -> "Evicted a " + victim.kind() + " constraint from the cache");
    }
  }

  /** Cache hits since start. */
  public long hits() {
    return hits.get();
  }

  /** Cache misses (compilations) since start. */
  public long misses() {
    return misses.get();
  }

  /** Total compile time since start, nanoseconds. */
  public long compileNanosTotal() {
    return compileNanosTotal.get();
  }

  /** Entries cached. */
  public int size() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** Bytes held by cached entries (as last measured). */
  public long cachedBytes() {
    synchronized (cache) {
      return cachedBytes;
    }
  }
}
