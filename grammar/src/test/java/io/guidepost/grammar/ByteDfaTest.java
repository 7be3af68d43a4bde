package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteDfaTest {

  /** "ab*c" built by hand. */
  private static ByteDfa abStarC() {
    ByteDfa.Builder b = ByteDfa.builder();
    int s0 = b.addState(false);
    int s1 = b.addState(false);
    int s2 = b.addState(true);
    int orphan = b.addState(true); // unreachable: dropped by build()
    int deadEnd = b.addState(false); // reachable but cannot accept: dropped
    b.addTransition(s0, 'a', 'a', s1);
    b.addTransition(s1, 'b', 'b', s1);
    b.addTransition(s1, 'c', 'c', s2);
    b.addTransition(s1, 'x', 'x', deadEnd);
    b.addTransition(orphan, 'a', 'a', s0);
    return b.build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsExactlyTheLanguage() {
    ByteDfa dfa = abStarC();
    assertTrue(dfa.matches(utf8("ac")));
    assertTrue(dfa.matches(utf8("abbbc")));
    assertFalse(dfa.matches(utf8("ab")));
    assertFalse(dfa.matches(utf8("acc")));
    assertFalse(dfa.matches(utf8("")));
    assertFalse(dfa.matches(utf8("ax")));
    assertTrue(dfa.matchesPrefix(utf8("abb")));
    assertFalse(dfa.matchesPrefix(utf8("ax")));
  }

  @Test
  void dropsUselessStatesAndGroupsBytes() {
    ByteDfa dfa = abStarC();
    assertEquals(3, dfa.stateCount());
    // classes: 'a', 'b', 'c', everything else
    assertEquals(4, dfa.classCount());
    assertEquals(dfa.byteClass('x'), dfa.byteClass(0xFF));
    for (int s = 0; s < dfa.stateCount(); s++) {
      assertTrue(dfa.isLive(s));
    }
    assertEquals(-1, dfa.step(-1, 'a'));
    assertFalse(dfa.isLive(-1));
    assertFalse(dfa.isAccepting(-1));
  }

  @Test
  void shortestExampleIsShortestAndSmallest() {
    assertArrayEquals(utf8("ac"), abStarC().shortestExample());
  }

  @Test
  void emptyLanguage() {
    ByteDfa.Builder b = ByteDfa.builder();
    int s0 = b.addState(false);
    b.addTransition(s0, 0, 255, s0);
    ByteDfa dfa = b.build();
    assertTrue(dfa.isEmpty());
    assertNull(dfa.shortestExample());
    assertFalse(dfa.matches(new byte[0]));
  }

  @Test
  void rejectsNonDeterminism() {
    ByteDfa.Builder b = ByteDfa.builder();
    int s0 = b.addState(false);
    int s1 = b.addState(true);
    b.addTransition(s0, 'a', 'c', s1);
    assertThrows(IllegalStateException.class, () -> b.addTransition(s0, 'c', 'd', s0));
  }
}
