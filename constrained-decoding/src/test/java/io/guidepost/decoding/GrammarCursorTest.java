package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.ConstraintTooComplexException;
import io.guidepost.grammar.EarleyParser;
import io.guidepost.grammar.Grammar;
import io.guidepost.grammar.GrammarLimits;
import io.guidepost.grammar.ParserLimits;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grammar cursor's masks against the brute-force token filter (every token's bytes pushed
 * through a parser at the same position), along seeded random walks, on a synthetic vocabulary with
 * the awkward cases and on Phi-3's; forced bytes against a byte-by-byte check.
 */
class GrammarCursorTest {

  static Stream<Arguments> syntheticCases() {
    List<Arguments> out = new ArrayList<>();
    for (TestGrammars.Case c : TestGrammars.CASES) {
      for (long seed = 0; seed < 6; seed++) {
        out.add(Arguments.of(c, seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("syntheticCases")
  void masksEqualBruteForceOnSyntheticVocabulary(TestGrammars.Case c, long seed) {
    walk(c, TestVocabularies.synthetic(seed), seed, 40);
  }

  static Stream<Arguments> phi3Cases() {
    List<Arguments> out = new ArrayList<>();
    for (TestGrammars.Case c : TestGrammars.CASES) {
      for (long seed = 0; seed < 2; seed++) {
        out.add(Arguments.of(c, seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("phi3Cases")
  void masksEqualBruteForceOnPhi3(TestGrammars.Case c, long seed) {
    walk(c, TestVocabularies.phi3(), seed, 12);
  }

  /**
   * A grammar with a lexeme boundary after every character makes the first mask push the parser
   * along every path of Phi-3's token trie (about 10^5 pushes, milliseconds): under a 1 ms step
   * limit it stops with a typed too-complex error, under the default it completes.
   */
  @org.junit.jupiter.api.Test
  void aMaskOverTheStepTimeLimitIsTooComplex() {
    String text = "root ::= item\nitem ::= [a-zA-Z ] item | \"\"";
    Vocabulary vocab = TestVocabularies.phi3();
    CompiledConstraint slow =
        Grammar.compile(
            text,
            Grammar.Syntax.GBNF,
            GrammarLimits.DEFAULTS,
            ParserLimits.DEFAULTS.withMaxStepMillis(1));
    assertTrue(slow.isContextFree());
    long[] mask = new long[(vocab.logitsSize() + 63) >>> 6];
    ConstraintTooComplexException e =
        assertThrows(
            ConstraintTooComplexException.class,
            () -> GrammarAutomaton.compile(slow, vocab).newCursor().fillMask(mask));
    assertEquals("maxStepMillis", e.limitName());
    assertEquals(1, e.limit());
    CompiledConstraint normal = Grammar.compile(text, Grammar.Syntax.GBNF);
    GrammarAutomaton.compile(normal, vocab).newCursor().fillMask(mask);
    assertTrue(mask[0] != 0 || mask[1] != 0 || mask[2] != 0, "some token must be allowed");
  }

  /**
   * A JSON Schema grammar tracks the nesting of arrays and objects in committed tokens (not inside
   * strings): reaching {@code maxNesting} stops the generation with a typed too-complex error.
   */
  @org.junit.jupiter.api.Test
  void reachingTheNestingLimitIsTooComplex() {
    Vocabulary vocab = TestVocabularies.synthetic(0);
    CompiledConstraint c =
        io.guidepost.grammar.JsonSchema.compile(
            TestGrammars.FREEFORM_SCHEMA,
            io.guidepost.grammar.JsonSchemaOptions.DEFAULTS.withMaxNesting(3));
    GrammarAutomaton automaton = GrammarAutomaton.compile(c, vocab);
    GrammarCursor inString = automaton.newCursor();
    for (char ch : "{\"id\":1,\"meta\":\"[[[{{{\\\"[\"".toCharArray()) {
      inString.advance(TestVocabularies.singleByteToken(vocab, ch));
    }
    inString.advance(TestVocabularies.singleByteToken(vocab, '}'));
    assertTrue(inString.isAccepting(), "brackets inside strings do not nest");
    GrammarCursor cursor = automaton.newCursor();
    for (char ch : "{\"id\":1,\"meta\":[{\"a\":".toCharArray()) {
      cursor.advance(
          TestVocabularies.singleByteToken(vocab, ch)); // nesting 3: at the limit, not over it
    }
    int open = TestVocabularies.singleByteToken(vocab, '[');
    assertTrue(cursor.isAllowed(open), "the grammar itself allows deeper nesting");
    ConstraintTooComplexException e =
        assertThrows(ConstraintTooComplexException.class, () -> cursor.advance(open));
    assertEquals("maxNesting", e.limitName());
    assertEquals(3, e.limit());
    assertEquals(4, e.observed());
  }

  /**
   * Random walk of {@code steps} tokens (biased towards closing so that walks end): at every step
   * the cursor's mask must equal the brute-force filter, forced bytes must be exactly the bytes
   * with no alternative, and isAllowed must agree with the mask.
   */
  private static void walk(TestGrammars.Case c, Vocabulary vocab, long seed, int steps) {
    CompiledConstraint compiled = c.compile();
    assertTrue(compiled.isContextFree(), c.name() + " must take the context-free path");
    GrammarAutomaton automaton = GrammarAutomaton.compile(compiled, vocab);
    GrammarCursor cursor = automaton.newCursor();
    EarleyParser reference = compiled.grammar().newParser();
    Random rnd = new Random(seed);
    int words = (vocab.logitsSize() + 63) >>> 6;
    long[] mask = new long[words];
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (int step = 0; step < steps; step++) {
      cursor.fillMask(mask);
      long[] expected = bruteForce(reference, vocab);
      assertArrayEquals(expected, mask, c.name() + " step " + step + " after '" + text + "'");
      assertEquals(reference.isAccepting(), cursor.isAccepting());
      checkForced(cursor.forcedBytes(), reference);
      List<Integer> allowed = new ArrayList<>();
      for (int t = 0; t < vocab.logitsSize(); t++) {
        boolean bit = (mask[t >>> 6] & (1L << t)) != 0;
        assertEquals(bit, cursor.isAllowed(t), "isAllowed(" + t + ")");
        if (bit && !vocab.isEos(t)) {
          allowed.add(t);
        }
      }
      if (allowed.isEmpty()) {
        assertTrue(cursor.isComplete());
        break;
      }
      int token = allowed.get(rnd.nextInt(allowed.size()));
      int[] off = vocab.packedOffsets();
      int len = off[token + 1] - off[token];
      cursor.advance(token);
      assertTrue(reference.pushAll(vocab.packedBytes(), off[token], len));
      text.write(vocab.packedBytes(), off[token], len);
      assertEquals(reference.depth(), cursor.bytesConsumed());
    }
    int refused = firstRefused(cursor, vocab, mask);
    if (refused >= 0) {
      int t = refused;
      assertThrows(IllegalArgumentException.class, () -> cursor.advance(t));
    }
  }

  private static long[] bruteForce(EarleyParser p, Vocabulary vocab) {
    long[] out = new long[(vocab.logitsSize() + 63) >>> 6];
    int[] off = vocab.packedOffsets();
    byte[] bytes = vocab.packedBytes();
    int base = p.depth();
    for (int t = 0; t < vocab.logitsSize(); t++) {
      boolean ok;
      if (vocab.isEos(t)) {
        ok = p.isAccepting();
      } else if (!vocab.isText(t)) {
        ok = false;
      } else {
        ok = p.pushAll(bytes, off[t], off[t + 1] - off[t]);
        p.popTo(base);
      }
      if (ok) {
        out[t >>> 6] |= 1L << t;
      }
    }
    return out;
  }

  /** Each forced byte must be the only byte the parser takes, and the run stops where it should. */
  private static void checkForced(byte[] forced, EarleyParser p) {
    int base = p.depth();
    try {
      for (byte f : forced) {
        assertFalse(p.isAccepting(), "forced bytes go past an accepting point");
        int viable = 0;
        for (int b = 0; b < 256; b++) {
          if (p.push(b)) {
            viable++;
            p.popTo(p.depth() - 1);
          }
        }
        assertEquals(1, viable, "a forced byte had alternatives");
        assertTrue(p.push(f & 0xFF));
      }
      if (!p.isAccepting() && forced.length < 256) {
        int viable = 0;
        for (int b = 0; b < 256; b++) {
          if (p.push(b)) {
            viable++;
            p.popTo(p.depth() - 1);
          }
        }
        assertTrue(viable != 1, "the forced run stopped before a forced byte");
      }
    } finally {
      p.popTo(base);
    }
  }

  private static int firstRefused(GrammarCursor cursor, Vocabulary vocab, long[] mask) {
    cursor.fillMask(mask);
    for (int t = 0; t < vocab.logitsSize(); t++) {
      if (vocab.isText(t) && (mask[t >>> 6] & (1L << t)) == 0) {
        return t;
      }
    }
    return -1;
  }
}
