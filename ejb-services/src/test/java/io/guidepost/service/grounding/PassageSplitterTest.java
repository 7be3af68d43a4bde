package io.guidepost.service.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PassageSplitterTest {

  /** Random text with sentences, paragraphs, supplementary characters and unbroken runs. */
  static String randomText(Random rnd, int approxChars) {
    String[] words = {
      "the", "patient", "reports", "chest", "pain", "naïve", "café", "日本語", "😀", "𝔘𝔫𝔦",
      "e\u0301", "Dr.", "3.5", "mg", "über", "—", "x", "hyperglycemia", "🇺🇸", "a"
    };
    StringBuilder sb = new StringBuilder();
    if (rnd.nextInt(4) == 0) {
      sb.append("  \n");
    }
    while (sb.length() < approxChars) {
      int r = rnd.nextInt(40);
      if (r == 0) {
        // An unbroken run longer than any passage: forces hard cuts.
        int len = 50 + rnd.nextInt(400);
        for (int i = 0; i < len; i++) {
          sb.append(rnd.nextInt(5) == 0 ? "😀" : "z");
        }
      } else {
        sb.append(words[rnd.nextInt(words.length)]);
      }
      int sep = rnd.nextInt(12);
      sb.append(
          switch (sep) {
            case 0 -> ". ";
            case 1 -> "? ";
            case 2 -> "!\n\n";
            case 3 -> ".\u00a0";
            case 4 -> "\t";
            default -> " ";
          });
    }
    if (rnd.nextBoolean()) {
      sb.append("   ");
    }
    return sb.toString();
  }

  static void assertInvariants(String text, List<Passage> passages, PassageSettings s) {
    boolean[] covered = new boolean[text.length()];
    int prevStart = -1;
    int prevEnd = -1;
    for (int i = 0; i < passages.size(); i++) {
      Passage p = passages.get(i);
      assertEquals(i, p.passageId());
      assertEquals("doc", p.documentId());
      assertTrue(p.start() < p.end(), "empty passage " + p);
      assertEquals(text.substring(p.start(), p.end()), p.text());
      assertTrue(p.text().length() <= s.maxChars(), "too long: " + p.text().length());
      assertFalse(Character.isWhitespace(p.text().charAt(0)));
      assertFalse(Character.isWhitespace(p.text().charAt(p.text().length() - 1)));
      assertFalse(Character.isLowSurrogate(text.charAt(p.start())), "starts inside a pair");
      assertFalse(Character.isHighSurrogate(text.charAt(p.end() - 1)), "ends inside a pair");
      assertTrue(p.start() > prevStart, "starts must increase");
      assertTrue(p.end() > prevEnd, "ends must increase");
      if (s.overlapChars() == 0) {
        assertTrue(p.start() >= prevEnd, "no overlap expected");
      }
      for (int c = p.start(); c < p.end(); c++) {
        covered[c] = true;
      }
      prevStart = p.start();
      prevEnd = p.end();
    }
    for (int c = 0; c < text.length(); c++) {
      if (!Character.isWhitespace(text.charAt(c))) {
        assertTrue(covered[c], "character " + c + " is in no passage");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomTextsKeepEveryInvariant(long seed) {
    Random rnd = new Random(seed);
    for (int round = 0; round < 10; round++) {
      String text = randomText(rnd, 1 + rnd.nextInt(6000));
      int max = 64 + rnd.nextInt(1200);
      PassageSettings s = new PassageSettings(max, rnd.nextInt(max / 2 + 1));
      assertInvariants(text, PassageSplitter.split("doc", text, s), s);
    }
  }

  @Test
  void passagesEndAtSentenceBoundariesWhenTheyCan() {
    String a = "Alpha sentence number one is here. ";
    String b = "Bravo sentence number two is here. ";
    String c = "Charlie sentence number three ends.";
    String text = a + b + c;
    List<Passage> ps = PassageSplitter.split("doc", text, new PassageSettings(80, 0));
    assertEquals(
        List.of((a + b).trim(), c), ps.stream().map(Passage::text).toList(), "whole sentences");
    List<Passage> overlapping = PassageSplitter.split("doc", text, new PassageSettings(80, 40));
    assertEquals((a + b).trim(), overlapping.get(0).text());
    assertEquals((b + c).trim(), overlapping.get(1).text(), "starts at the sentence in overlap");
    assertEquals(2, overlapping.size());
  }

  @Test
  void shortTextIsOnePassageTrimmed() {
    List<Passage> ps =
        PassageSplitter.split("doc", "\n  Hello 😀 world.  \n", PassageSettings.DEFAULTS);
    assertEquals(1, ps.size());
    assertEquals(new Passage("doc", 0, 3, 18, "Hello 😀 world."), ps.get(0));
  }

  @Test
  void hardCutNeverSplitsASurrogatePair() {
    String text = "a" + "😀".repeat(100);
    List<Passage> ps = PassageSplitter.split("doc", text, new PassageSettings(64, 0));
    assertEquals(63, ps.get(0).end(), "64 would split the pair at indices 63-64");
    assertInvariants(text, ps, new PassageSettings(64, 0));
  }

  @Test
  void settingsAreChecked() {
    var e = assertThrows(GroundingException.InvalidInput.class, () -> new PassageSettings(10, 0));
    assertEquals("passage max_chars must be between 64 and 100000, got 10", e.getMessage());
    e = assertThrows(GroundingException.InvalidInput.class, () -> new PassageSettings(100, 51));
    assertEquals(
        "passage overlap_chars must be between 0 and max_chars / 2 = 50, got 51", e.getMessage());
  }
}
