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
 * Owns the application's {@link CodeListStore}: opens it on startup in {@code <guidepost.data.dir>/
 * codelists} with limits from {@code guidepost.grounding.*} (see {@link GroundingLimits}), closes
 * it (and every Lucene index) on shutdown.
 *
 * <p>A startup singleton with bean-managed concurrency: the store is thread-safe, so callers use it
 * concurrently without container locks. REST resources inject this bean and call {@link #store()}.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CodeListService {
  private static final Logger LOG = Logger.getLogger(CodeListService.class.getName());

  @Inject Config config;

  private volatile CodeListStore store;

  @PostConstruct
  void start() {
    start(GroundingConfig.dataDir(this::lookup), GroundingConfig.limits(this::lookup));
  }

  /** Opens the store in {@code dataDir/codelists} (also used by tests, without a container). */
  void start(Path dataDir, GroundingLimits limits) {
    Path root = dataDir.resolve("codelists");
    store = CodeListStore.open(root, limits);
    LOG.info(
        () -> "Code-list store open in " + root + " with " + store.list().size() + " code lists");
  }

  @PreDestroy
  void stop() {
    CodeListStore s = store;
    if (s != null) {
      s.close();
      LOG.info("Code-list store closed");
    }
  }

  /** The code-list store (thread-safe). */
  public CodeListStore store() {
    CodeListStore s = store;
    if (s == null) {
      throw new IllegalStateException("code-list store is not started");
    }
    return s;
  }

  private String lookup(String key) {
    return config.getOptionalValue(key, String.class).orElse(null);
  }
}
