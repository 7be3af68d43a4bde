package io.guidepost.decoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/** Demo model folders for tests, generated once per JVM and spec under target/test-models. */
final class DemoModelFixture {

  private static final ConcurrentHashMap<DemoModelSpec, Path> FOLDERS = new ConcurrentHashMap<>();

  private DemoModelFixture() {}

  static Path folder(DemoModelSpec spec) {
    return FOLDERS.computeIfAbsent(
        spec,
        s -> {
          Path dir = Path.of("target", "test-models", "m" + Integer.toHexString(s.hashCode()));
          try {
            DemoModel.writeTo(dir, s);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return dir;
        });
  }

  private static final ConcurrentHashMap<DemoModelSpec, Generator> GENERATORS =
      new ConcurrentHashMap<>();

  /**
   * A generator shared by the tests of this JVM (CPU, 1 intra-op thread, 8 concurrent generations);
   * never closed, the JVM's exit frees it.
   */
  static Generator generator(DemoModelSpec spec) {
    return GENERATORS.computeIfAbsent(
        spec,
        s ->
            Generator.open(
                folder(s),
                ModelOptions.defaults().withIntraOpThreads(1).withMaxConcurrentGenerations(8)));
  }

  static OnnxModel load(DemoModelSpec spec, ModelOptions options) {
    return OnnxModel.load(folder(spec), options.withIntraOpThreads(1));
  }
}
