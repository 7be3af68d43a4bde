package io.guidepost.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.decoding.DemoModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo model folder is generated once per version and spec, and replaced when stale. */
class DemoModelFolderTest {

  @TempDir Path tmp;

  @Test
  void generatedOnceThenReusedAndReplacedWhenStale() throws Exception {
    Path dir = tmp.resolve("demo-model");
    ModelLifecycle.demoModel(dir, DemoModelSpec.defaults());
    Path stamp = dir.resolve(ModelLifecycle.DEMO_STAMP);
    assertTrue(Files.isRegularFile(dir.resolve("genai_config.json")));
    assertTrue(Files.readString(stamp).contains("version=" + ServiceInfo.readVersion()));

    // Reused as is: a marker file survives.
    Files.writeString(dir.resolve("marker"), "x");
    ModelLifecycle.demoModel(dir, DemoModelSpec.defaults());
    assertTrue(Files.exists(dir.resolve("marker")));

    // A stale (or half-written, stamp-less) folder is replaced as a whole.
    Files.writeString(stamp, "version=0.0.0-old\n");
    ModelLifecycle.demoModel(dir, DemoModelSpec.defaults());
    assertFalse(Files.exists(dir.resolve("marker")));
    assertTrue(hasOnnx(dir));
    assertEquals(
        "version=" + ServiceInfo.readVersion() + "\nspec=" + DemoModelSpec.defaults() + "\n",
        Files.readString(stamp));
    try (var siblings = Files.list(tmp)) {
      assertEquals(1, siblings.count(), "no temporary folder left behind");
    }
  }

  private static boolean hasOnnx(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.anyMatch(p -> p.toString().endsWith(".onnx"));
    }
  }
}
