package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChoiceTest {

  /** ICD-10-CM shaped codes: letter, 2 digits, optionally '.' and 1-4 of [0-9A-Z]. */
  static List<String> icdLike(int count, long seed) {
    Random rnd = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    String alnum = "0123456789ABCDEFGHJKXYZ";
    while (out.size() < count) {
      StringBuilder sb = new StringBuilder();
      sb.append((char) ('A' + rnd.nextInt(26)));
      sb.append(rnd.nextInt(10)).append(rnd.nextInt(10));
      int ext = rnd.nextInt(5);
      if (ext > 0) {
        sb.append('.');
        for (int i = 0; i < ext; i++) {
          sb.append(alnum.charAt(rnd.nextInt(alnum.length())));
        }
      }
      out.add(sb.toString());
    }
    List<String> list = new ArrayList<>(out);
    Collections.shuffle(list, rnd);
    return list;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void table() {
    CompiledConstraint c = Choice.compile(List.of("A00.0", "A00.1", "S72.001A", "A00.0", "A0"));
    assertEquals(ConstraintKind.CHOICE, c.kind());
    for (String s : List.of("A00.0", "A00.1", "S72.001A", "A0")) {
      assertTrue(c.matches(s), s);
    }
    for (String s : List.of("", "A", "A00", "A00.", "A00.2", "S72.001", "S72.001AB", "a00.0")) {
      assertFalse(c.matches(s), s);
    }
    assertEquals("A0", c.shortestExample());
  }

  @Test
  void emptyEntryMeansEmptyOutputAllowed() {
    CompiledConstraint c = Choice.compile(List.of("", "yes", "no"));
    assertTrue(c.matches(""));
    assertTrue(c.matches("yes"));
    assertFalse(c.matches("y"));
    assertEquals("", c.shortestExample());
  }

  @Test
  void unicodeOptions() {
    List<String> opts = List.of("caf\u00e9", "cafe", "\uD83D\uDE00", "\uD83D\uDE01x", "\u20AC");
    CompiledConstraint c = Choice.compile(opts);
    for (String s : opts) {
      assertTrue(c.matches(s), s);
    }
    assertFalse(c.matches("caf"));
    assertFalse(c.matches("\uD83D\uDE01"));
    assertEquals(
        c.dfa().stateCount(),
        CharLang.stringUnion(opts).toByteDfa(GrammarLimits.DEFAULTS).stateCount());
  }

  @Test
  void errors() {
    InvalidConstraintException e =
        assertThrows(InvalidConstraintException.class, () -> Choice.compile(List.of()));
    assertEquals("invalid constraint: a choice needs at least one option", e.getMessage());
    InvalidConstraintException s =
        assertThrows(
            InvalidConstraintException.class, () -> Choice.compile(List.of("ok", "b\uD800")));
    assertEquals("choice option 1 contains a lone surrogate at index 1", s.reason());
    ConstraintTooComplexException c =
        assertThrows(
            ConstraintTooComplexException.class,
            () ->
                Choice.compile(
                    List.of("a", "b", "c"), GrammarLimits.DEFAULTS.withMaxChoiceCount(2)));
    assertEquals("maxChoiceCount", c.limitName());
    assertEquals(2, c.limit());
    assertEquals(3, c.observed());
    assertEquals("options", c.unit());
  }

  @Test
  void hundredThousandCodesAgainstHashSetOracle() {
    List<String> codes = icdLike(100_000, 7);
    ByteDfa dfa = Choice.toByteDfa(codes, GrammarLimits.DEFAULTS);
    Set<String> oracle = new HashSet<>(codes);
    for (String s : codes) {
      assertTrue(dfa.matches(utf8(s)), s);
    }
    Random rnd = new Random(11);
    String alphabet = "0123456789ABCDEFGHJKXYZ.a\u00e9";
    for (int k = 0; k < 100_000; k++) {
      String base = codes.get(rnd.nextInt(codes.size()));
      StringBuilder sb = new StringBuilder(base);
      switch (rnd.nextInt(5)) {
        case 0 ->
            sb.setCharAt(rnd.nextInt(sb.length()), alphabet.charAt(rnd.nextInt(alphabet.length())));
        case 1 -> sb.deleteCharAt(rnd.nextInt(sb.length()));
        case 2 -> sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        case 3 -> sb.setLength(rnd.nextInt(sb.length() + 1));
        default ->
            sb.insert(
                rnd.nextInt(sb.length() + 1), alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      assertEquals(oracle.contains(s), dfa.matches(utf8(s)), s);
      if (k % 1000 == 0) {
        assertEquals(prefixOfSome(codes, s), dfa.matchesPrefix(utf8(s)), s);
      }
    }
    // Minimal: Hopcroft finds nothing to merge.
    assertEquals(dfa.stateCount(), dfa.minimize().stateCount());
  }

  private static boolean prefixOfSome(List<String> codes, String s) {
    for (String c : codes) {
      if (c.startsWith(s)) {
        return true;
      }
    }
    return false;
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 30).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomUnicodeListsAgainstOracleAndCharLang(int seed) {
    Random rnd = new Random(seed);
    int[] pool = {'a', 'b', 'c', 0xE9, 0x20AC, 0x1F600, 0x1F601, 0x10FFFF};
    List<String> opts = new ArrayList<>();
    int n = 1 + rnd.nextInt(60);
    for (int i = 0; i < n; i++) {
      opts.add(randomString(rnd, pool, 6));
    }
    ByteDfa dfa = Choice.toByteDfa(opts, GrammarLimits.DEFAULTS);
    Set<String> oracle = new HashSet<>(opts);
    for (int k = 0; k < 500; k++) {
      String s = k < opts.size() ? opts.get(k) : randomString(rnd, pool, 6);
      assertEquals(oracle.contains(s), dfa.matches(utf8(s)), s);
    }
    assertEquals(dfa.stateCount(), dfa.minimize().stateCount());
    assertEquals(
        CharLang.stringUnion(opts).toByteDfa(GrammarLimits.DEFAULTS).stateCount(),
        dfa.stateCount());
  }

  static String randomString(Random rnd, int[] pool, int maxLen) {
    StringBuilder sb = new StringBuilder();
    int len = rnd.nextInt(maxLen + 1);
    for (int i = 0; i < len; i++) {
      sb.appendCodePoint(pool[rnd.nextInt(pool.length)]);
    }
    return sb.toString();
  }
}
