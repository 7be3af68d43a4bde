package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.ByteDfa;
import io.guidepost.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fast-forward on Phi-3: forced tokens spell the forced bytes and are always in the mask. */
class ForcedTokensTest {
  private static Tokenizer tokenizer;
  private static Vocabulary vocab;
  private static ForcedTokens forced;

  @BeforeAll
  static void load() throws IOException {
    vocab = TestVocabularies.phi3();
    tokenizer = Tokenizer.load(SharedData.require("data/phi3/tokenizer.json"));
    forced = new ForcedTokens(tokenizer, vocab);
  }

  @AfterAll
  static void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  private static String spell(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(vocab.tokenBytes(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void wholeQuoteIsForcedAndSpelledExactly() {
    String quote = "Zoë said: \"the quick brown fox\" — 42 times.";
    TokenCursor c = TokenAutomaton.compile(TestDfas.literalDfa(quote), vocab).newCursor();
    assertEquals(quote, new String(c.forcedBytes(), StandardCharsets.UTF_8));
    int[] ids = forced.next(c, 1000);
    assertEquals(quote, spell(ids), "nothing can follow, so no token is held back");
    assertArrayEquals(forced.tokenizeContinuation(quote.getBytes(StandardCharsets.UTF_8)), ids);
    assertTrue(c.isComplete());
    assertEquals(ids.length, c.forcedTokenCount());
    assertEquals(0, c.forcedBytes().length);
  }

  @Test
  void jsonKeyPrefixHoldsBackTheBoundaryToken() {
    TokenCursor c = TokenAutomaton.compile(TestDfas.jsonish(), vocab).newCursor();
    String f = new String(c.forcedBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"name\": \"", f);
    int[] canonical = forced.tokenizeContinuation(c.forcedBytes());
    assertEquals(f, spell(canonical));
    int[] ids = forced.next(c, 1000);
    assertArrayEquals(Arrays.copyOf(canonical, canonical.length - 1), ids);
    // Matches how the benchmark's reference tokenization starts: {" name ": ▁"
    assertArrayEquals(new int[] {6377, 978, 1115}, ids);
    assertEquals(3, c.forcedTokenCount());
    // The held-back ▁" is now forced bytes again, a single token: held back again.
    assertEquals(" \"", new String(c.forcedBytes(), StandardCharsets.UTF_8));
    assertEquals(0, forced.next(c, 1000).length);
  }

  @Test
  void respectsTheTokenBudget() {
    String quote = "a fairly long literal sentence with several tokens in it";
    TokenCursor c = TokenAutomaton.compile(TestDfas.literalDfa(quote), vocab).newCursor();
    assertEquals(2, forced.next(c, 2).length);
    assertEquals(2, c.tokenCount());
  }

  @Test
  void partialUtf8IsCutAtACharacterBoundary() {
    assertEquals(2, ForcedTokens.wellFormedPrefix(new byte[] {'a', 'b', (byte) 0xC3}));
    assertEquals(3, ForcedTokens.wellFormedPrefix("aé".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, ForcedTokens.wellFormedPrefix(new byte[] {(byte) 0xA9}));
  }

  @Test
  void longestMatchFallbackSpellsTheText() {
    byte[] text = "{\"code\": \"E11.65\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(new String(text, StandardCharsets.UTF_8), spell(forced.longestMatch(text)));
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 6);
  }

  /** Random walks mixing sampled and forced tokens never advance a token outside the mask. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void forcedTokensAreAlwaysInTheMask(long seed) {
    String kind = new String[] {"json", "choice", "email", "code", "quote", "json"}[(int) seed - 1];
    ByteDfa dfa = TokenAutomatonOracleTest.dfa(kind, seed);
    TokenAutomaton a = TokenAutomaton.compile(dfa, vocab);
    Random rnd = new Random(seed);
    long[] mask = new long[(vocab.logitsSize() + 63) >>> 6];
    for (int walk = 0; walk < 5; walk++) {
      TokenCursor c = a.newCursor();
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      for (int step = 0; step < 60 && !c.isFinished(); step++) {
        byte[] f = c.forcedBytes();
        int[] ids = forced.next(c, 64);
        String spelled = spell(ids);
        assertTrue(
            new String(f, StandardCharsets.UTF_8).startsWith(spelled),
            "forced tokens spell a prefix of the forced bytes");
        for (int id : ids) {
          text.writeBytes(vocab.tokenBytes(id));
        }
        c.fillMask(mask);
        int[] allowed = TokenAutomatonOracleTest.setBits(mask, vocab.logitsSize());
        if (allowed.length == 0) {
          break;
        }
        int t = allowed[rnd.nextInt(allowed.length)];
        if (!vocab.isEos(t)) {
          text.writeBytes(vocab.tokenBytes(t));
        }
        c.advance(t);
      }
      if (c.isFinished()) {
        assertTrue(dfa.matches(text.toByteArray()), "accepted: " + text);
      } else {
        assertTrue(dfa.matchesPrefix(text.toByteArray()), "prefix: " + text);
      }
    }
  }
}
