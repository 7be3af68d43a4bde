package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model folders that do not fit are refused with a typed error and a precise message. */
class ModelFolderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private int copies;

  private Path copyOfDemo() throws IOException {
    Path src = DemoModelFixture.folder(DemoModelSpec.defaults());
    Path dst = dir.resolve("model" + copies++);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  private Path withConfig(Consumer<ObjectNode> edit) throws IOException {
    Path folder = copyOfDemo();
    Path file = folder.resolve("genai_config.json");
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(root);
    JSON.writeValue(file.toFile(), root);
    return folder;
  }

  private static ObjectNode decoder(ObjectNode root) {
    return (ObjectNode) root.path("model").path("decoder");
  }

  private static ModelFolderException refused(Path folder) {
    return refused(folder, ModelOptions.defaults());
  }

  private static ModelFolderException refused(Path folder, ModelOptions options) {
    return assertThrows(ModelFolderException.class, () -> OnnxModel.load(folder, options).close());
  }

  @Test
  void theDemoFolderLoads() throws IOException {
    try (OnnxModel m = OnnxModel.load(copyOfDemo(), ModelOptions.defaults())) {
      assertEquals(4288, m.logitsSize());
      assertTrue(m.sharedKv());
      assertTrue(!m.fp16Kv() && !m.fp16Logits() && !m.hasPositionIds());
    }
  }

  @Test
  void missingFolderAndFiles() throws IOException {
    Path none = dir.resolve("nowhere");
    ModelFolderException e = refused(none);
    assertEquals(ModelFolderException.Kind.MISSING_FILE, e.kind());
    assertEquals("model folder " + none + " not found", e.getMessage());
    for (String name : new String[] {"genai_config.json", "model.onnx", "tokenizer.json"}) {
      Path folder = copyOfDemo();
      Files.delete(folder.resolve(name));
      e = refused(folder);
      assertEquals(ModelFolderException.Kind.MISSING_FILE, e.kind(), name);
      assertEquals("missing " + name + " in " + folder, e.getMessage());
      deleteAll(folder);
    }
  }

  @Test
  void missingExternalWeights() throws IOException {
    Path folder = copyOfDemo();
    Files.delete(folder.resolve("model.onnx.data"));
    ModelFolderException e = refused(folder);
    assertEquals(ModelFolderException.Kind.LOAD_FAILED, e.kind());
    assertTrue(e.getMessage().startsWith("ONNX Runtime cannot load model.onnx: "), e.getMessage());
  }

  @Test
  void malformedConfig() throws IOException {
    Path folder = copyOfDemo();
    Files.writeString(folder.resolve("genai_config.json"), "{\"model\": ");
    ModelFolderException e = refused(folder);
    assertEquals(ModelFolderException.Kind.INVALID_CONFIG, e.kind());
    assertTrue(e.getMessage().startsWith("genai_config.json is not valid JSON: "), e.getMessage());

    e = refused(withConfig(r -> decoder(r).remove("head_size")));
    assertEquals(ModelFolderException.Kind.INVALID_CONFIG, e.kind());
    assertEquals("genai_config.json: missing model.decoder.head_size", e.getMessage());

    e =
        refused(
            withConfig(r -> ((ObjectNode) decoder(r).path("inputs")).put("past_key_names", "k")));
    assertEquals(
        "genai_config.json: model.decoder.inputs.past_key_names must contain %d for the layer"
            + " index, found 'k'",
        e.getMessage());

    e = refused(withConfig(r -> ((ObjectNode) r.path("model")).put("pad_token_id", 5000)));
    assertEquals(
        "genai_config.json: model.pad_token_id id 5000 is outside vocab_size 4288", e.getMessage());

    e = refused(withConfig(r -> ((ObjectNode) r.path("model")).putArray("eos_token_id").add(9999)));
    assertEquals(
        "genai_config.json: model.eos_token_id id 9999 is outside vocab_size 4288", e.getMessage());

    e = refused(withConfig(r -> ((ObjectNode) r.path("model")).put("vocab_size", -3)));
    assertEquals(
        "genai_config.json: model.vocab_size must be a positive integer, found -3", e.getMessage());
  }

  @Test
  void wrongTensorNames() throws IOException {
    ModelFolderException e =
        refused(
            withConfig(
                r -> ((ObjectNode) decoder(r).path("inputs")).put("past_key_names", "past.%d.k")));
    assertEquals(ModelFolderException.Kind.NAME_MISMATCH, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith(
                "genai_config.json names input 'past.0.k' but model.onnx has no such input (it"
                    + " has [attention_mask, input_ids, past_key_values.0.key,"),
        e.getMessage());

    e = refused(withConfig(r -> ((ObjectNode) decoder(r).path("outputs")).put("logits", "scores")));
    assertEquals(ModelFolderException.Kind.NAME_MISMATCH, e.kind());
    assertTrue(
        e.getMessage().startsWith("genai_config.json names output 'scores' but model.onnx has no"),
        e.getMessage());

    e = refused(withConfig(r -> decoder(r).put("num_hidden_layers", 1)));
    assertEquals(ModelFolderException.Kind.NAME_MISMATCH, e.kind());
    assertEquals(
        "model.onnx requires inputs [past_key_values.1.key, past_key_values.1.value] that"
            + " genai_config.json does not describe (num_hidden_layers=1)",
        e.getMessage());
  }

  @Test
  void mismatchedShapes() throws IOException {
    ModelFolderException e = refused(withConfig(r -> decoder(r).put("num_key_value_heads", 4)));
    assertEquals(ModelFolderException.Kind.SHAPE_MISMATCH, e.kind());
    assertEquals(
        "past_key_values.0.key has 2 KV heads (dimension 1) but genai_config.json says"
            + " num_key_value_heads=4",
        e.getMessage());

    e = refused(withConfig(r -> decoder(r).put("head_size", 64)));
    assertEquals(
        "past_key_values.0.key has head size 32 (dimension 3) but genai_config.json says"
            + " head_size=64",
        e.getMessage());

    e = refused(withConfig(r -> ((ObjectNode) r.path("model")).put("vocab_size", 4352)));
    assertEquals(ModelFolderException.Kind.SHAPE_MISMATCH, e.kind());
    assertEquals(
        "logits is 4288 wide (dimension 2) but genai_config.json says vocab_size=4352",
        e.getMessage());
  }

  @Test
  void cudaOnTheCpuArtifactIsRefusedClearly() throws IOException {
    ModelFolderException e =
        refused(
            copyOfDemo(), ModelOptions.defaults().withProvider(ModelOptions.ProviderKind.CUDA, 0));
    assertEquals(ModelFolderException.Kind.PROVIDER_UNAVAILABLE, e.kind());
    assertTrue(
        e.getMessage().startsWith("CUDA execution provider requested but this ONNX Runtime offers"),
        e.getMessage());
  }

  private static void deleteAll(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(folder);
  }
}
