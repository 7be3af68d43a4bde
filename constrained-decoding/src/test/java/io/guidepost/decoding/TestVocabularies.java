package io.guidepost.decoding;

import io.guidepost.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The vocabularies tests run on: the real Phi-3 one (shared data) and a small synthetic one. */
public final class TestVocabularies {
  private TestVocabularies() {}

  private static Vocabulary phi3;

  /** Phi-3's vocabulary (EOS 32000, 32001, 32007; 32064 logits); skips when the data is absent. */
  static synchronized Vocabulary phi3() {
    if (phi3 == null) {
      try {
        phi3 =
            Vocabulary.fromTokenizerJson(
                SharedData.require("data/phi3/tokenizer.json"), 32064, 32000, 32001, 32007);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return phi3;
  }

  /**
   * A small vocabulary with the awkward cases: gaps (not every byte is a token), duplicate bytes
   * under two ids, multi-byte and partial UTF-8 tokens, an EOS id that also has bytes, a special
   * id, padding ids and a logits width that is not a multiple of 64.
   */
  static Vocabulary synthetic(long seed) {
    Random rnd = new Random(seed);
    List<byte[]> tokens = new ArrayList<>();
    tokens.add("<s>".getBytes(StandardCharsets.UTF_8)); // 0: special
    tokens.add("</e>".getBytes(StandardCharsets.UTF_8)); // 1: EOS
    for (int b = 0x20; b < 0x7F; b++) {
      if (b != 'q' && b != 'Q') { // gaps: no token can produce 'q'
        tokens.add(new byte[] {(byte) b});
      }
    }
    tokens.add(new byte[] {(byte) 0xC3}); // partial UTF-8
    tokens.add(new byte[] {(byte) 0xA9});
    tokens.add("é".getBytes(StandardCharsets.UTF_8));
    tokens.add("ü".getBytes(StandardCharsets.UTF_8));
    tokens.add("€".getBytes(StandardCharsets.UTF_8));
    tokens.add(" ".getBytes(StandardCharsets.UTF_8)); // duplicate of the single byte 0x20
    String alphabet = "abcxyzAEZ0123456789.@{}\": -_é";
    for (int i = 0; i < 400; i++) {
      StringBuilder sb = new StringBuilder();
      int len = 2 + rnd.nextInt(5);
      for (int k = 0; k < len; k++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      tokens.add(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    for (String w :
        new String[] {"{\"name\": \"", "\", \"age\": ", "A01", ".7", "@example", ".com"}) {
      tokens.add(w.getBytes(StandardCharsets.UTF_8));
    }
    tokens.add("Z9".getBytes(StandardCharsets.UTF_8)); // last id: EOS with bytes
    int n = tokens.size();
    byte[][] arr = tokens.toArray(new byte[0][]);
    return Vocabulary.fromTokenBytes(arr, new int[] {0}, n + 37, 1, n - 1);
  }

  /** The first text token of {@code vocab} that is the single byte {@code ch}. */
  public static int singleByteToken(Vocabulary vocab, char ch) {
    for (int t = 0; t < vocab.logitsSize(); t++) {
      if (vocab.isText(t)) {
        byte[] b = vocab.tokenBytes(t);
        if (b.length == 1 && b[0] == (byte) ch) {
          return t;
        }
      }
    }
    throw new IllegalStateException("no single-byte token for " + ch);
  }
}
