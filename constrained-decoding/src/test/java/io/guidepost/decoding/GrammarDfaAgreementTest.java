package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guidepost.grammar.CompiledConstraint;
import io.guidepost.grammar.Grammar;
import io.guidepost.grammar.Regex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two token layers agree: a grammar written with recursion (so it takes the context-free path)
 * whose language is regular, against the regex of the same language (the DFA path). Along seeded
 * random walks on the synthetic and Phi-3 vocabularies, the masks, acceptance and forced bytes must
 * be equal at every step; a non-recursive grammar must compile to the DFA path.
 */
class GrammarDfaAgreementTest {

  /** GBNF grammars with recursion and the regex of the same language. */
  static final String[][] PAIRS = {
    {"root ::= \"a\" root | \"b\"", "a*b"},
    {
      "root ::= item | item \", \" root\nitem ::= [a-z]+ | \"(\" [0-9]{1,3} \")\"",
      "([a-z]+|\\([0-9]{1,3}\\))(, ([a-z]+|\\([0-9]{1,3}\\)))*"
    },
    {
      "root ::= list\nlist ::= list \";\" kv | kv\nkv ::= [a-c]+ \"=\" ( \"true\" | \"false\" | [0-9]+ )",
      "[a-c]+=(true|false|[0-9]+)(;[a-c]+=(true|false|[0-9]+))*"
    },
    {"root ::= \"{\" body \"}\"\nbody ::= | \"x\" body | \" \" body", "\\{[x ]*\\}"},
  };

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String[] p : PAIRS) {
      for (long seed = 0; seed < 4; seed++) {
        out.add(Arguments.of(p[0], p[1], seed));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void contextFreeAndDfaPathsAgreeOnSynthetic(String gbnf, String regex, long seed) {
    agree(gbnf, regex, TestVocabularies.synthetic(seed), seed, 40);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void contextFreeAndDfaPathsAgreeOnPhi3(String gbnf, String regex, long seed) {
    if (seed < 2) {
      agree(gbnf, regex, TestVocabularies.phi3(), seed, 24);
    }
  }

  @org.junit.jupiter.api.Test
  void nonRecursiveGrammarsTakeTheDfaPath() {
    CompiledConstraint g =
        Grammar.compile("root ::= word ( \", \" word )*\nword ::= [a-z]+", Grammar.Syntax.GBNF);
    CompiledConstraint r = Regex.compile("[a-z]+(, [a-z]+)*");
    assertFalse(g.isContextFree());
    assertEquals(r.dfa().stateCount(), g.dfa().stateCount());
    for (String s : List.of("a", "ab, c", "ab,c", "", "a, ", "x, y, z")) {
      assertEquals(r.matches(s), g.matches(s), s);
      assertEquals(r.isPrefix(s), g.isPrefix(s), s);
    }
  }

  private static void agree(String gbnf, String regex, Vocabulary vocab, long seed, int steps) {
    CompiledConstraint g = Grammar.compile(gbnf, Grammar.Syntax.GBNF);
    CompiledConstraint r = Regex.compile(regex);
    assertTrue(g.isContextFree(), "the recursive grammar must take the context-free path");
    GrammarCursor gc = GrammarAutomaton.compile(g, vocab).newCursor();
    TokenCursor rc = TokenAutomaton.compile(r, vocab).newCursor();
    int words = (vocab.logitsSize() + 63) >>> 6;
    long[] gm = new long[words];
    long[] rm = new long[words];
    Random rnd = new Random(seed);
    for (int step = 0; step < steps; step++) {
      gc.fillMask(gm);
      rc.fillMask(rm);
      assertArrayEquals(rm, gm, "step " + step);
      assertEquals(rc.isAccepting(), gc.isAccepting());
      assertEquals(rc.isComplete(), gc.isComplete());
      assertArrayEquals(rc.forcedBytes(), gc.forcedBytes(), "forced bytes at step " + step);
      List<Integer> allowed = new ArrayList<>();
      for (int t = 0; t < vocab.logitsSize(); t++) {
        if ((gm[t >>> 6] & (1L << t)) != 0 && !vocab.isEos(t)) {
          allowed.add(t);
        }
      }
      if (allowed.isEmpty()) {
        break;
      }
      int t = allowed.get(rnd.nextInt(allowed.size()));
      gc.advance(t);
      rc.advance(t);
    }
  }
}
