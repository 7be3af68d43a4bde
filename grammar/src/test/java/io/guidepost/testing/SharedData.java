package io.guidepost.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the test data in {@code ../shared/data} beside the checkout (the Phi-3 tokenizer, the
 * maskbench schemas, the ICD-10-CM sample, the benchmark workloads in {@code ../shared/bench}).
 *
 * <p>The build passes {@code -Dguidepost.shared.dir}; without it the working directory and its
 * parents are searched for a {@code shared/} folder beside them. A test that needs the data calls
 * {@link #require}: on a fresh clone without the data the test is skipped with a message saying so;
 * under CI ({@code CI=true}) the data must be there and a missing folder fails the test.
 *
 * <p>Shared by the test sources of every module through the grammar test-jar.
 */
public final class SharedData {
  private SharedData() {}

  /** The {@code shared/} folder, or {@code null} when it cannot be found. */
  public static Path root() {
    String configured = System.getProperty("guidepost.shared.dir");
    if (configured != null && Files.isDirectory(Path.of(configured, "data"))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("data"))) {
        return candidate.normalize();
      }
    }
    return null;
  }

  /**
   * The file or folder {@code relative} (e.g. {@code "data/phi3/tokenizer.json"}) under {@code
   * shared/}; skips the calling test when it is absent, or fails it under CI.
   */
  public static Path require(String relative) {
    Path root = root();
    Path p = root == null ? null : root.resolve(relative);
    boolean present = p != null && Files.exists(p);
    if (!present) {
      String msg =
          "test data shared/"
              + relative
              + " not found (looked in -Dguidepost.shared.dir and ../shared beside the checkout)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg + "; CI must provide it");
      }
      assumeTrue(false, "skipping: " + msg);
    }
    return p;
  }
}
