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

  static OnnxModel load(DemoModelSpec spec, ModelOptions options) {
    return OnnxModel.load(folder(spec), options.withIntraOpThreads(1));
  }
}
