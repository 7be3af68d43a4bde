package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vocabulary loading: Phi-3 facts, a generated SentencePiece-style file, a byte-level file. */
class VocabularyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void phi3Facts() {
    Vocabulary v = TestVocabularies.phi3();
    assertEquals(VocabularyKind.SENTENCEPIECE, v.kind());
    assertEquals(32011, v.tokenizerSize());
    assertEquals(32064, v.logitsSize());
    assertArrayEquals(new int[] {32000, 32001, 32007}, v.eosIds());
    assertArrayEquals(" ".getBytes(StandardCharsets.UTF_8), v.tokenBytes(29871)); // ▁
    assertArrayEquals(new byte[] {0x0A}, v.tokenBytes(13)); // <0x0A>
    assertArrayEquals(new byte[] {(byte) 0xFF}, v.tokenBytes(258)); // <0xFF>
    assertArrayEquals("{\"".getBytes(StandardCharsets.UTF_8), v.tokenBytes(6377));
    assertArrayEquals(" \"".getBytes(StandardCharsets.UTF_8), v.tokenBytes(376));
    assertEquals(29871, v.idOf("\u2581"));
    int[] never = {0, 1, 2, 32002, 32003, 32004, 32005, 32006, 32008, 32009, 32010};
    for (int id : never) {
      assertTrue(v.isSpecial(id), "special " + id);
      assertFalse(v.isText(id));
      assertFalse(v.isEos(id));
    }
    for (int id = 32011; id < 32064; id++) {
      assertTrue(v.isPadding(id));
      assertFalse(v.isText(id));
      assertEquals(0, v.tokenLength(id));
    }
    int text = 0;
    for (int id = 0; id < v.logitsSize(); id++) {
      if (v.isText(id)) {
        text++;
      }
    }
    assertEquals(32000 - 3, text, "every piece but <unk>, <s>, </s>");
    assertEquals(1, v.tokenCodePoints(0xC3 + 3)); // <0xC3>: a lead byte
    assertEquals(0, v.tokenCodePoints(0xA9 + 3)); // <0xA9>: a continuation byte
    assertEquals(4, v.tokenCodePoints(v.idOf("▁the"))); // " the"
  }

  @Test
  void logitsNarrowerThanTheTokenizerIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Vocabulary.fromTokenizerJson(phi3Json(), 32000, 2));
  }

  private static Path phi3Json() {
    return io.guidepost.testing.SharedData.require("data/phi3/tokenizer.json");
  }

  /** A SentencePiece-style BPE file with byte fallback, like the demo model's. */
  static ObjectNode sentencePieceJson(long seed) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode model = JSON.createObjectNode();
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", "<unk>");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", true);
    model.put("byte_fallback", true);
    ObjectNode vocab = model.putObject("vocab");
    ArrayNode merges = model.putArray("merges");
    int id = 0;
    for (String c : new String[] {"<unk>", "<s>", "</s>"}) {
      vocab.put(c, id);
      ObjectNode a = added.addObject();
      a.put("id", id);
      a.put("content", c);
      a.put("single_word", false);
      a.put("lstrip", false);
      a.put("rstrip", false);
      a.put("normalized", false);
      a.put("special", true);
      id++;
    }
    for (int b = 0; b < 256; b++) {
      vocab.put(String.format("<0x%02X>", b), id++);
    }
    for (String p : new String[] {"▁", "a", "b", "c", "d", "é"}) {
      vocab.put(p, id++);
    }
    String[][] merge = {{"▁", "a"}, {"a", "b"}, {"▁a", "b"}, {"c", "d"}, {"▁", "cd"}, {"é", "a"}};
    for (String[] m : merge) {
      vocab.put(m[0] + m[1], id++);
      merges.add(m[0] + " " + m[1]);
    }
    ObjectNode end = added.addObject();
    end.put("id", id);
    end.put("content", "<|end|>");
    end.put("single_word", false);
    end.put("lstrip", false);
    end.put("rstrip", true);
    end.put("normalized", false);
    end.put("special", true);
    ObjectNode norm = root.putObject("normalizer");
    norm.put("type", "Sequence");
    ArrayNode ns = norm.putArray("normalizers");
    ns.addObject().put("type", "Prepend").put("prepend", "▁");
    ObjectNode rep = ns.addObject();
    rep.put("type", "Replace");
    rep.putObject("pattern").put("String", " ");
    rep.put("content", "▁");
    root.putNull("pre_tokenizer");
    root.putNull("post_processor");
    ObjectNode dec = root.putObject("decoder");
    dec.put("type", "Sequence");
    ArrayNode ds = dec.putArray("decoders");
    ObjectNode r = ds.addObject();
    r.put("type", "Replace");
    r.putObject("pattern").put("String", "▁");
    r.put("content", " ");
    ds.addObject().put("type", "ByteFallback");
    ds.addObject().put("type", "Fuse");
    ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
    root.set("model", model);
    return root;
  }

  @Test
  void sentencePieceStyleGeneratedFileLoadsInBoth(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    JSON.writeValue(file.toFile(), sentencePieceJson(1));
    Vocabulary v = Vocabulary.fromTokenizerJson(file, 320, 3 + 256 + 12);
    assertEquals(VocabularyKind.SENTENCEPIECE, v.kind());
    assertEquals(3 + 256 + 12 + 1, v.tokenizerSize());
    assertTrue(v.isEos(271) && v.isSpecial(271));
    try (Tokenizer t = Tokenizer.load(dir)) {
      Random rnd = new Random(5);
      String alphabet = "abcdé €x\n";
      for (int i = 0; i < 100; i++) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0, len = 1 + rnd.nextInt(12); k < len; k++) {
          sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        String text = sb.toString();
        ByteArrayOutputStream spelled = new ByteArrayOutputStream();
        for (int id : t.encode(text)) {
          assertTrue(v.isText(id));
          spelled.writeBytes(v.tokenBytes(id));
        }
        assertEquals(" " + text, spelled.toString(StandardCharsets.UTF_8));
      }
      assertArrayEquals(new int[] {3 + 256 + 6 + 2}, t.encode("ab")); // ▁ab
      int[] withEnd = t.encode("ab<|end|>\nab");
      assertEquals(271, withEnd[1]);
      assertEquals(
          3, withEnd.length, "rstrip swallows the newline: " + java.util.Arrays.toString(withEnd));
    }
  }

  /** GPT-2 byte-level BPE: every byte is one character of the byte-to-unicode table. */
  @Test
  void byteLevelFileLoadsInBoth(@TempDir Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true);
    pre.put("use_regex", true);
    root.putNull("post_processor");
    ObjectNode dec = root.putObject("decoder");
    dec.put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true);
    dec.put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    ArrayNode merges = model.putArray("merges");
    int id = 0;
    String[] table = new String[256];
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
      table[b] = String.valueOf((char) (printable ? b : next++));
    }
    for (int b = 0; b < 256; b++) {
      vocab.put(table[b], id++);
    }
    String[][] merge = {{"Ġ", "h"}, {"Ġh", "i"}, {"Ã", "©"}, {"Ċ", "Ċ"}};
    for (String[] m : merge) {
      vocab.put(m[0] + m[1], id++);
      merges.add(m[0] + " " + m[1]);
    }
    ObjectNode eot = added.addObject();
    eot.put("id", id);
    eot.put("content", "<|endoftext|>");
    eot.put("single_word", false).put("lstrip", false).put("rstrip", false);
    eot.put("normalized", false).put("special", true);
    Path file = dir.resolve("tokenizer.json");
    JSON.writeValue(file.toFile(), root);
    Vocabulary v = Vocabulary.fromTokenizerJson(file, 320, id);
    assertEquals(VocabularyKind.BYTE_LEVEL, v.kind());
    assertArrayEquals(new byte[] {' ', 'h', 'i'}, v.tokenBytes(v.idOf("Ġhi")));
    assertArrayEquals(new byte[] {'\n', '\n'}, v.tokenBytes(v.idOf("ĊĊ")));
    assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), v.tokenBytes(v.idOf("Ã©")));
    for (int b = 0; b < 256; b++) {
      assertArrayEquals(new byte[] {(byte) b}, v.tokenBytes(b));
    }
    try (Tokenizer t = Tokenizer.load(file)) {
      for (String text : new String[] {"hi hi", "café\n\nhi", "\u0000\u00ff x"}) {
        ByteArrayOutputStream spelled = new ByteArrayOutputStream();
        for (int tok : t.encode(text)) {
          spelled.writeBytes(v.tokenBytes(tok));
        }
        assertEquals(text, spelled.toString(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void missingFileIsAnIoError(@TempDir Path dir) {
    assertThrows(IOException.class, () -> Tokenizer.load(dir.resolve("nope.json")));
    assertThrows(
        IOException.class, () -> Vocabulary.fromTokenizerJson(dir.resolve("nope.json"), 10));
    assertFalse(Files.exists(dir.resolve("nope.json")));
  }
}
