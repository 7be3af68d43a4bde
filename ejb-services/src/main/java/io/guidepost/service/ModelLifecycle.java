package io.guidepost.service;

import io.guidepost.decoding.DemoModel;
import io.guidepost.decoding.DemoModelSpec;
import io.guidepost.decoding.Generator;
import io.guidepost.decoding.ModelOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owns the model: loads the configured Phi-3 ONNX folder ({@code guidepost.model.dir}) or, when
 * none is configured, generates and loads the built-in demo model; holds the ONNX Runtime session
 * (inside {@link Generator}) for the life of the application and closes it on shutdown.
 *
 * <p>Loading runs in {@code @PostConstruct} of this startup singleton, so the application (and
 * {@code /health/ready}) becomes ready only once the model is usable. A load failure is logged and
 * reported as status {@code failed} with its message; the server keeps serving what needs no model
 * (constraint compilation, health, info) and generation answers 503.
 *
 * <p>Configuration (MicroProfile Config; server.xml variables, environment or system properties):
 * {@code guidepost.model.dir}, {@code guidepost.model.provider} ({@code cpu}|{@code cuda}), {@code
 * guidepost.model.cuda-device}, {@code guidepost.model.threads} (0 = ONNX Runtime default), {@code
 * guidepost.generation.max-concurrent}, {@code guidepost.data.dir} (where the demo model is
 * written).
 *
 * <p>Thread-safety: fields are written once during startup and published through volatile writes.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class ModelLifecycle {
  private static final Logger LOG = Logger.getLogger(ModelLifecycle.class.getName());

  @Inject
  @ConfigProperty(name = "guidepost.model.dir")
  Optional<String> modelDir;

  @Inject
  @ConfigProperty(name = "guidepost.data.dir")
  Optional<String> dataDir;

  @Inject
  @ConfigProperty(name = "guidepost.model.provider", defaultValue = "cpu")
  String provider;

  @Inject
  @ConfigProperty(name = "guidepost.model.cuda-device", defaultValue = "0")
  int cudaDevice;

  @Inject
  @ConfigProperty(name = "guidepost.model.threads", defaultValue = "0")
  int threads;

  @Inject
  @ConfigProperty(name = "guidepost.generation.max-concurrent", defaultValue = "4")
  int maxConcurrent;

  private volatile ServiceInfo.ModelStatus status = ServiceInfo.ModelStatus.NONE;
  private volatile Generator generator;
  private volatile String failure;
  private volatile boolean demo;
  private volatile String modelId = "none";
  private volatile Path folder;

  @PostConstruct
  void start() {
    status = ServiceInfo.ModelStatus.LOADING;
    try {
      load();
    } catch (RuntimeException | IOException | LinkageError e) {
      failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      status = ServiceInfo.ModelStatus.FAILED;
      LOG.log(Level.SEVERE, "Model loading failed: " + failure, e);
    }
  }

  private void load() throws IOException {
    ModelOptions options =
        ModelOptions.defaults()
            .withIntraOpThreads(threads)
            .withMaxConcurrentGenerations(Math.max(1, maxConcurrent));
    String p = provider.trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "cpu" -> {}
      case "cuda" -> options = options.withProvider(ModelOptions.ProviderKind.CUDA, cudaDevice);
      default ->
          throw new IllegalArgumentException(
              "guidepost.model.provider must be cpu or cuda, not '" + provider + "'");
    }
    Optional<String> configured = modelDir.map(String::trim).filter(s -> !s.isEmpty());
    Path dir;
    if (configured.isPresent()) {
      dir = Path.of(configured.get()).toAbsolutePath();
      demo = false;
      modelId = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    } else {
      Path base =
          dataDir
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .map(Path::of)
              .orElse(Path.of(System.getProperty("java.io.tmpdir"), "guidepost"));
      dir = demoModel(base.resolve("demo-model"), DemoModelSpec.defaults());
      demo = true;
      modelId = "guidepost-demo";
      LOG.warning(
          "No model folder configured (guidepost.model.dir): serving the built-in demo model with"
              + " random weights from "
              + dir
              + ". Outputs satisfy their constraints but are meaningless.");
    }
    folder = dir;
    long t0 = System.nanoTime();
    generator = Generator.open(dir, options);
    status = ServiceInfo.ModelStatus.READY;
    LOG.info(
        () ->
            String.format(
                Locale.ROOT,
                "Model %s loaded from %s in %d ms (provider %s, vocabulary %d, logits %d)",
                modelId,
                dir,
                (System.nanoTime() - t0) / 1_000_000,
                p,
                generator.vocabulary().tokenizerSize(),
                generator.vocabulary().logitsSize()));
  }

  @PreDestroy
  void stop() {
    Generator g = generator;
    generator = null;
    if (g != null) {
      g.close();
    }
  }

  /** The model status. */
  public ServiceInfo.ModelStatus status() {
    return status;
  }

  /** Why loading failed, or null. */
  public String failure() {
    return failure;
  }

  /** Name of the file that records which build and spec generated a demo model folder. */
  static final String DEMO_STAMP = "guidepost-demo.stamp";

  /**
   * The demo model folder {@code dir}, (re)generated unless its stamp says it was written by this
   * version from this spec. A new folder is written next to it and moved into place, so a crash
   * never leaves a half-written model where a later start would load it.
   */
  static Path demoModel(Path dir, DemoModelSpec spec) throws IOException {
    String stamp = "version=" + ServiceInfo.readVersion() + "\nspec=" + spec + "\n";
    Path stampFile = dir.resolve(DEMO_STAMP);
    if (Files.isRegularFile(stampFile) && stamp.equals(Files.readString(stampFile))) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path fresh = Files.createTempDirectory(parent, "demo-model-");
    DemoModel.writeTo(fresh, spec);
    Files.writeString(fresh.resolve(DEMO_STAMP), stamp);
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.move(fresh, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.info(() -> "Generated the demo model in " + dir);
    return dir;
  }

  /** True when serving the built-in demo model. */
  public boolean isDemo() {
    return demo;
  }

  /** The model's id as reported to clients ({@code guidepost-demo} or the folder name). */
  public String modelId() {
    return modelId;
  }

  /** The loaded model folder, or null. */
  public Path folder() {
    return folder;
  }

  /**
   * The generator of the loaded model.
   *
   * @throws ModelNotReadyException when no model is loaded (loading, failed)
   */
  public Generator generator() {
    Generator g = generator;
    if (g == null) {
      throw new ModelNotReadyException(status, failure);
    }
    return g;
  }
}
