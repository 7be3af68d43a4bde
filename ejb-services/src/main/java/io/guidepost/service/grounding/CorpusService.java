package io.guidepost.service.grounding;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Owns the application's {@link CorpusStore}: opens it on startup in {@code <guidepost.data.dir>/
 * corpora} with limits from {@code guidepost.grounding.*} (see {@link GroundingLimits}), closes it
 * (and every Lucene index) on shutdown.
 *
 * <p>A startup singleton with bean-managed concurrency: the store is thread-safe, so callers use it
 * concurrently without container locks. REST resources inject this bean and call {@link #store()}.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CorpusService {
  private static final Logger LOG = Logger.getLogger(CorpusService.class.getName());

  @Inject Config config;

  private volatile CorpusStore store;

  @PostConstruct
  void start() {
    start(GroundingConfig.dataDir(this::lookup), GroundingConfig.limits(this::lookup));
  }

  /** Opens the store in {@code dataDir/corpora} (also used by tests, without a container). */
  void start(Path dataDir, GroundingLimits limits) {
    Path root = dataDir.resolve("corpora");
    store = CorpusStore.open(root, limits);
    LOG.info(() -> "Corpus store open in " + root + " with " + store.list().size() + " corpora");
  }

  @PreDestroy
  void stop() {
    CorpusStore s = store;
    if (s != null) {
      s.close();
      LOG.info("Corpus store closed");
    }
  }

  /** The corpus store (thread-safe). */
  public CorpusStore store() {
    CorpusStore s = store;
    if (s == null) {
      throw new IllegalStateException("corpus store is not started");
    }
    return s;
  }

  private String lookup(String key) {
    return config.getOptionalValue(key, String.class).orElse(null);
  }
}
