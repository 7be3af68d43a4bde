package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
