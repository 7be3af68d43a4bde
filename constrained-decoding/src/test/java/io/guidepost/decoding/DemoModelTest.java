package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoModelTest {

  @Test
  void sameSpecGivesIdenticalFiles(@TempDir Path a, @TempDir Path b) throws Exception {
    DemoModelSpec spec = DemoModelSpec.defaults().withSeed(99);
    DemoModel.writeTo(a, spec);
    DemoModel.writeTo(b, spec);
    for (String f :
        new String[] {
          "genai_config.json",
          "model.onnx",
          "model.onnx.data",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json"
        }) {
      assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
    }
  }

  /** The build writes target/demo-model (exec-maven-plugin); it must load and generate. */
  @Test
  void theBuildGeneratedFolderLoadsAndGenerates() {
    Path folder = Path.of("target", "demo-model");
    Assumptions.assumeTrue(
        Files.isDirectory(folder), "target/demo-model is written by the Maven build");
    try (Generator g = Generator.open(folder, ModelOptions.defaults().withIntraOpThreads(1))) {
      GenerationResult r = g.generate(GenerationRequest.chat(null, "hi", 5), null, null);
      assertTrue(r.generatedTokens() > 0);
      assertEquals(GenaiConfig.read(folder), g.model().config());
    }
  }

  @Test
  void configHasPhi3LayoutWithPaddedLogits() {
    GenaiConfig c = GenaiConfig.read(DemoModelFixture.folder(DemoModelSpec.defaults()));
    assertEquals("phi3", c.modelType());
    int tokenizerSize = 3 + 256 + 4000 + 11;
    assertEquals(4288, c.vocabSize());
    assertTrue(c.vocabSize() > tokenizerSize && c.vocabSize() % 64 == 0);
    int endOfText = tokenizerSize - 11;
    assertArrayEquals(new int[] {endOfText, endOfText + 1, endOfText + 7}, c.eosTokenIds());
    assertEquals(32, c.headSize());
    assertEquals(2, c.numKeyValueHeads());
    assertTrue(c.pastPresentShareBuffer());
  }

  /**
   * A demo model over the real Phi-3 tokenizer: 32,064 logits, Phi-3's end-of-sequence ids, the
   * tokenizer copied byte for byte; it loads and generates constrained output in Phi-3 tokens.
   */
  @Test
  void externalTokenizerGivesThePhi3Layout(@TempDir Path dir) throws Exception {
    Path phi3 = io.guidepost.testing.SharedData.require("data/phi3/tokenizer.json");
    DemoModel.writeTo(dir, DemoModelSpec.defaults(), phi3);
    assertArrayEquals(Files.readAllBytes(phi3), Files.readAllBytes(dir.resolve("tokenizer.json")));
    GenaiConfig c = GenaiConfig.read(dir);
    assertEquals(32064, c.vocabSize());
    assertArrayEquals(new int[] {32000, 32001, 32007}, c.eosTokenIds());
    try (Generator g = Generator.open(dir, ModelOptions.defaults().withIntraOpThreads(1))) {
      assertEquals(32064, g.vocabulary().logitsSize());
      assertEquals(32011, g.vocabulary().tokenizerSize());
      TokenAutomaton code =
          TokenAutomaton.compile(
              io.guidepost.grammar.Regex.compile("[A-Z][0-9]{2}\\.[0-9]{1,2}"), g.vocabulary());
      GenerationResult r =
          g.generate(
              GenerationRequest.chat(null, "code?", 16)
                  .withSampling(new SamplingParams(1.0, 0, 1.0, 7)),
              code.newCursor(),
              null);
      assertTrue(r.text().matches("[A-Z][0-9]{2}\\.[0-9]{1,2}"), r.text());
      // The chat prompt is Phi-3's: <|user|> is 32010 and <|assistant|> 32001 in this tokenizer.
      int[] prompt = g.tokenizer().encodePhi3Chat(null, "code?");
      assertEquals(32010, prompt[0]);
      assertEquals(32001, prompt[prompt.length - 1]);
    }
  }

  @Test
  void externalTokenizerWithoutThePhi3EndTokensIsRejected(@TempDir Path dir) throws Exception {
    String json =
        DemoTokenizerJson.mapper()
            .writeValueAsString(new DemoTokenizerJson(1, 4000).tokenizerJson());
    Path broken = dir.resolve("tokenizer.json");
    Files.writeString(broken, json.replace("<|end|>", "<|finish|>"));
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () -> DemoModel.writeTo(dir.resolve("out"), DemoModelSpec.defaults(), broken));
    assertTrue(e.getMessage().contains("<|end|>"), e.getMessage());
  }

  /** DJL (Hugging Face tokenizers) loads the generated tokenizer; its ids spell the input. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "hello world",
        "{\"name\": \"Ann\", \"age\": 42, \"codes\": [\"E11.9\"]}",
        "The patient was admitted with fever and cough.",
        "naïve café — 中文 😀 \t tab",
        "  two  spaces"
      })
  void generatedTokenizerRoundTrips(String text) throws Exception {
    Path folder = DemoModelFixture.folder(DemoModelSpec.defaults());
    GenaiConfig c = GenaiConfig.read(folder);
    Vocabulary vocab =
        Vocabulary.fromTokenizerJson(
            folder.resolve("tokenizer.json"), c.vocabSize(), c.eosTokenIds());
    assertEquals(3 + 256 + 4000 + 11, vocab.tokenizerSize());
    try (Tokenizer tok = Tokenizer.load(folder)) {
      int[] ids = tok.encode(text);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (int id : ids) {
        assertTrue(vocab.isText(id), "id " + id + " is a text token");
        bytes.writeBytes(vocab.tokenBytes(id));
      }
      // SentencePiece normalisation: a space is prepended; the bytes spell exactly that.
      assertEquals(" " + text, bytes.toString(StandardCharsets.UTF_8));
      assertEquals(text, tok.decode(ids));
      if (text.startsWith("hello")) {
        assertEquals(2, ids.length, "whole-word pieces '▁hello' '▁world' are merged");
      }
    }
  }

  @Test
  void chatTemplateUsesTheAddedTokens() throws Exception {
    Path folder = DemoModelFixture.folder(DemoModelSpec.defaults());
    GenaiConfig c = GenaiConfig.read(folder);
    int endOfText = c.eosTokenIds()[0];
    try (Tokenizer tok = Tokenizer.load(folder)) {
      int[] ids = tok.encodePhi3Chat("sys", "hi");
      assertEquals(endOfText + 6, ids[0], "<|system|>");
      assertEquals(endOfText + 1, ids[ids.length - 1], "<|assistant|> (its \\n is stripped)");
      int ends = 0;
      for (int id : ids) {
        if (id == endOfText + 7) {
          ends++;
        }
      }
      assertEquals(2, ends, "two <|end|>");
    }
  }
}
