package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Phi-3 tokenizer parity with Hugging Face on llama.cpp's 46 vectors and the chat template. */
class TokenizerParityTest {
  private static Tokenizer tokenizer;
  private static Vocabulary vocab;

  @BeforeAll
  static void load() throws IOException {
    Path json = SharedData.require("data/phi3/tokenizer.json");
    tokenizer = Tokenizer.load(json);
    vocab = Vocabulary.fromTokenizerJson(json, 32064, 32000, 32001, 32007);
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  static List<String> cases() throws IOException {
    String inp =
        Files.readString(
            SharedData.require("data/phi3/tokenizer-cases.inp"), StandardCharsets.UTF_8);
    String sep = "\n__ggml_vocab_test__\n";
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from < inp.length()) {
      int at = inp.indexOf(sep, from);
      if (at < 0) {
        out.add(inp.substring(from));
        break;
      }
      out.add(inp.substring(from, at));
      from = at + sep.length();
    }
    return out;
  }

  @Test
  void matchesAllVectors() throws IOException {
    List<String> inputs = cases();
    List<String> lines =
        Files.readAllLines(
            SharedData.require("data/phi3/tokenizer-cases.out"), StandardCharsets.UTF_8);
    assertEquals(46, inputs.size());
    assertEquals(46, lines.size());
    for (int i = 0; i < inputs.size(); i++) {
      String line = lines.get(i).trim();
      int[] expected =
          line.isEmpty()
              ? new int[0]
              : java.util.Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
      int[] actual = tokenizer.encode(inputs.get(i));
      assertArrayEquals(expected, actual, "case " + i + ": " + inputs.get(i));
    }
  }

  @Test
  void chatTemplateSpecialsSwallowTheNewlineAfterThem() {
    String prompt = Tokenizer.phi3ChatPrompt("You are terse.", "List 3 ICD-10 codes\nfor flu.");
    assertEquals(
        "<|system|>\nYou are terse.<|end|>\n<|user|>\nList 3 ICD-10 codes\nfor flu.<|end|>\n"
            + "<|assistant|>\n",
        prompt);
    int[] ids = tokenizer.encode(prompt);
    List<Integer> expected = new ArrayList<>();
    expected.add(32006);
    for (int id : tokenizer.encode("You are terse.")) {
      expected.add(id);
    }
    expected.add(32007);
    expected.add(32010);
    for (int id : tokenizer.encode("List 3 ICD-10 codes\nfor flu.")) {
      expected.add(id);
    }
    expected.add(32007);
    expected.add(32001);
    assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), ids);
    assertArrayEquals(
        ids, tokenizer.encodePhi3Chat("You are terse.", "List 3 ICD-10 codes\nfor flu."));
    // No system turn: starts with <|user|>; no BOS anywhere.
    int[] noSystem = tokenizer.encodePhi3Chat(null, "Hi");
    assertEquals(32010, noSystem[0]);
    assertEquals(32001, noSystem[noSystem.length - 1]);
    for (int id : noSystem) {
      assertTrue(id != 1, "no BOS");
    }
    // Exactly one <0x0A> (13): the newline inside the user text; the ones after specials vanish.
    long newlines = java.util.Arrays.stream(ids).filter(id -> id == 13).count();
    assertEquals(1, newlines);
  }

  @Test
  void vocabularyBytesSpellWhatTheTokenizerEncodes() {
    java.util.Random rnd = new java.util.Random(42);
    String alphabet = "abcdefghij KLMNOP0123456789.,;:{}[]\"'\n\t-_éüßñ中文🦙€\u00a0";
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + rnd.nextInt(40);
      for (int k = 0; k < len; k++) {
        int cp =
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, rnd.nextInt(alphabet.codePointCount(0, alphabet.length()))));
        sb.appendCodePoint(cp);
      }
      String text = sb.toString();
      java.io.ByteArrayOutputStream spelled = new java.io.ByteArrayOutputStream();
      for (int id : tokenizer.encode(text)) {
        assertTrue(vocab.isText(id), "text token " + id);
        spelled.writeBytes(vocab.tokenBytes(id));
      }
      // The normalizer prepends the word-start space.
      assertEquals(" " + text, spelled.toString(StandardCharsets.UTF_8), "text " + text);
      assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
    }
  }

  @Test
  void longInputIsNotTruncated() {
    String text = "word ".repeat(3000);
    int[] ids = tokenizer.encode(text);
    assertTrue(ids.length >= 3000, "got " + ids.length);
  }
}
