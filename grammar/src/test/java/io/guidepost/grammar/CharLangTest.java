package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CharLangTest {

  /** Code points of every UTF-8 length, plus the extremes. */
  static final int[] ALPHABET = {'a', 'b', 0xE9, 0x20AC, 0xFFFF, 0x1F600, 0x10FFFF, 0x10000};

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static boolean validUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void anyStringByteDfaAcceptsExactlyValidUtf8() {
    ByteDfa dfa = CharLang.anyCodePoint().star().toByteDfa(GrammarLimits.DEFAULTS);
    for (int a = 0; a < 256; a++) {
      assertEquals(validUtf8(new byte[] {(byte) a}), dfa.matches(new byte[] {(byte) a}), "" + a);
      for (int b = 0; b < 256; b++) {
        byte[] x = {(byte) a, (byte) b};
        assertEquals(validUtf8(x), dfa.matches(x), a + " " + b);
      }
    }
    Random rnd = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      byte[] x = new byte[1 + rnd.nextInt(6)];
      for (int j = 0; j < x.length; j++) {
        // bias towards lead and continuation bytes
        x[j] = (byte) (rnd.nextBoolean() ? 0x80 + rnd.nextInt(64) : 0xC0 + rnd.nextInt(64));
      }
      assertEquals(validUtf8(x), dfa.matches(x));
    }
    assertFalse(dfa.matches(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})); // surrogate
    assertFalse(dfa.matches(new byte[] {(byte) 0xC0, (byte) 0x80})); // overlong NUL
    assertFalse(dfa.matches(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80})); // overlong
    assertFalse(dfa.matches(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
    assertTrue(dfa.matches(utf8("\uD83D\uDE00\uDBFF\uDFFF")));
  }

  static Stream<Integer> seeds() {
    return IntStream.range(0, 40).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void codePointRangeMatchesBoundsInBothLevels(int seed) {
    Random rnd = new Random(seed);
    int lo = randomCp(rnd);
    int hi = randomCp(rnd);
    if (lo > hi) {
      int t = lo;
      lo = hi;
      hi = t;
    }
    CharLang l = CharLang.codePointRange(lo, hi);
    ByteDfa dfa = l.toByteDfa(GrammarLimits.DEFAULTS);
    int[] probes = {lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, 0xD7FF, 0xE000, 0xFFFF, 0x10000};
    for (int k = 0; k < 2000; k++) {
      int cp = k < probes.length ? probes[k] : randomCp(rnd);
      if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        continue;
      }
      String s = Character.toString(cp);
      boolean in = cp >= lo && cp <= hi;
      assertEquals(in, l.accepts(s), "char level " + Integer.toHexString(cp));
      assertEquals(in, dfa.matches(utf8(s)), "byte level " + Integer.toHexString(cp));
    }
  }

  private static int randomCp(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextInt(0x80);
      case 1 -> rnd.nextInt(0x800);
      case 2 -> rnd.nextInt(0x10000);
      default -> 0x10000 + rnd.nextInt(0x100000);
    };
  }

  // ---- random expression duel: oracle (direct membership) vs char level vs byte level

  sealed interface Expr permits Set, Cat, Alt, Rep, And, Not, Minus {}

  record Set(int[] pairs) implements Expr {}

  record Cat(Expr a, Expr b) implements Expr {}

  record Alt(Expr a, Expr b) implements Expr {}

  record Rep(Expr a, int min, int max) implements Expr {}

  record And(Expr a, Expr b) implements Expr {}

  record Not(Expr a) implements Expr {}

  record Minus(Expr a, Expr b) implements Expr {}

  static Expr randomExpr(Random rnd, int depth) {
    if (depth == 0 || rnd.nextInt(4) == 0) {
      int x = ALPHABET[rnd.nextInt(ALPHABET.length)];
      int y = rnd.nextInt(3) == 0 ? ALPHABET[rnd.nextInt(ALPHABET.length)] : x;
      return new Set(new int[] {Math.min(x, y), Math.max(x, y)});
    }
    return switch (rnd.nextInt(7)) {
      case 0, 1 -> new Cat(randomExpr(rnd, depth - 1), randomExpr(rnd, depth - 1));
      case 2 -> new Alt(randomExpr(rnd, depth - 1), randomExpr(rnd, depth - 1));
      case 3 -> {
        int min = rnd.nextInt(3);
        yield new Rep(
            randomExpr(rnd, depth - 1), min, rnd.nextBoolean() ? -1 : min + rnd.nextInt(3));
      }
      case 4 -> new And(randomExpr(rnd, depth - 1), randomExpr(rnd, depth - 1));
      case 5 -> new Not(randomExpr(rnd, depth - 1));
      default -> new Minus(randomExpr(rnd, depth - 1), randomExpr(rnd, depth - 1));
    };
  }

  static CharLang build(Expr e) {
    return switch (e) {
      case Set s -> CharLang.codePointSet(s.pairs());
      case Cat c -> build(c.a()).concat(build(c.b()));
      case Alt c -> build(c.a()).union(build(c.b()));
      case Rep r -> build(r.a()).repeat(r.min(), r.max());
      case And c -> build(c.a()).intersect(build(c.b()));
      case Not n -> build(n.a()).complement();
      case Minus m -> build(m.a()).minus(build(m.b()));
    };
  }

  /** Direct membership of cps[i..j) in e. */
  static boolean member(Expr e, int[] cps, int i, int j) {
    return switch (e) {
      case Set s -> j == i + 1 && inSet(s.pairs(), cps[i]);
      case Cat c -> {
        for (int m = i; m <= j; m++) {
          if (member(c.a(), cps, i, m) && member(c.b(), cps, m, j)) {
            yield true;
          }
        }
        yield false;
      }
      case Alt c -> member(c.a(), cps, i, j) || member(c.b(), cps, i, j);
      case Rep r -> rep(r.a(), r.min(), r.max(), cps, i, j);
      case And c -> member(c.a(), cps, i, j) && member(c.b(), cps, i, j);
      case Not n -> !member(n.a(), cps, i, j);
      case Minus m -> member(m.a(), cps, i, j) && !member(m.b(), cps, i, j);
    };
  }

  static boolean rep(Expr a, int min, int max, int[] cps, int i, int j) {
    if (min == 0 && i == j) {
      return true;
    }
    if (max == 0) {
      return false;
    }
    // one more non-empty-or-empty iteration; empty iterations only matter to reach min
    for (int m = i; m <= j; m++) {
      if (m == i && min == 0) {
        continue;
      }
      if (member(a, cps, i, m) && rep(a, Math.max(0, min - 1), max < 0 ? -1 : max - 1, cps, m, j)) {
        return true;
      }
    }
    return false;
  }

  static boolean inSet(int[] pairs, int cp) {
    for (int k = 0; k < pairs.length; k += 2) {
      if (cp >= pairs[k] && cp <= pairs[k + 1]) {
        return true;
      }
    }
    return false;
  }

  static Stream<Integer> duelSeeds() {
    return IntStream.range(0, 150).boxed();
  }

  @ParameterizedTest
  @MethodSource("duelSeeds")
  void oracleVsCharVsByte(int seed) {
    Random rnd = new Random(1000 + seed);
    Expr e = randomExpr(rnd, 3);
    CharLang lang = build(e);
    ByteDfa dfa = lang.toByteDfa(GrammarLimits.DEFAULTS);
    assertEquals(lang.isEmpty(), dfa.isEmpty());
    List<int[]> inputs = new ArrayList<>();
    for (int k = 0; k < 300; k++) {
      int[] cps = new int[rnd.nextInt(5)];
      for (int x = 0; x < cps.length; x++) {
        cps[x] = rnd.nextInt(10) == 0 ? randomCp(rnd) : ALPHABET[rnd.nextInt(ALPHABET.length)];
        if (cps[x] >= 0xD800 && cps[x] <= 0xDFFF) {
          cps[x] = 'z';
        }
      }
      inputs.add(cps);
    }
    String ex = lang.example();
    if (ex != null) {
      inputs.add(ex.codePoints().toArray());
    }
    for (int[] cps : inputs) {
      String s = new String(cps, 0, cps.length);
      boolean expected = member(e, cps, 0, cps.length);
      assertEquals(expected, lang.accepts(s), () -> e + " char level on " + s);
      assertEquals(expected, dfa.matches(utf8(s)), () -> e + " byte level on " + s);
    }
    if (ex == null) {
      assertTrue(lang.isEmpty());
      assertNull(dfa.shortestExample());
    } else {
      assertTrue(dfa.matches(utf8(ex)));
      byte[] shortest = dfa.shortestExample();
      assertTrue(dfa.matches(shortest));
      assertTrue(shortest.length <= utf8(ex).length);
    }
  }

  @Test
  void queries() {
    CharLang ab = CharLang.literal("ab");
    assertTrue(ab.accepts("ab"));
    assertFalse(ab.accepts("a"));
    assertTrue(ab.isFinite());
    assertFalse(ab.acceptsEmptyString());
    assertTrue(ab.optional().acceptsEmptyString());
    assertFalse(ab.star().isFinite());
    assertTrue(CharLang.empty().isEmpty());
    assertTrue(CharLang.emptyString().acceptsEmptyString());
    assertEquals("ab", ab.example());
    assertTrue(ab.overlaps(CharLang.anyCodePoint().plus()));
    assertFalse(ab.overlaps(CharLang.literal("abc")));
    CharLang u = CharLang.stringUnion(List.of("x", "\uD83D\uDE00", "x", ""));
    assertTrue(u.accepts(""));
    assertTrue(u.accepts("\uD83D\uDE00"));
    assertFalse(u.accepts("\uD83D"));
    assertTrue(u.toByteDfa(GrammarLimits.DEFAULTS).matches(utf8("\uD83D\uDE00")));
    // complement never contains lone surrogates
    CharLang notAb = ab.complement();
    assertFalse(notAb.accepts("\uD83D"));
    assertTrue(notAb.accepts("\uD83D\uDE00"));
    assertFalse(notAb.accepts("ab"));
    assertTrue(notAb.accepts(""));
  }

  @Test
  void loneSurrogateLiteralRejected() {
    InvalidConstraintException e =
        assertThrows(InvalidConstraintException.class, () -> CharLang.literal("a\uDE00"));
    assertEquals("invalid-constraint", e.type());
    assertEquals("string contains a lone surrogate U+DE00 at index 1", e.reason());
  }

  @Test
  void determinizationBlowUpIsBounded() {
    // (a|b)* a (a|b){20}: the minimal DFA has 2^21 states.
    CharLang ab = CharLang.codePointRange('a', 'b');
    ConstraintTooComplexException e =
        assertThrows(
            ConstraintTooComplexException.class,
            () ->
                CharLang.withLimits(
                    GrammarLimits.DEFAULTS.withMaxDfaStates(10_000),
                    () -> ab.star().concat(CharLang.literal("a")).concat(ab.repeat(20, 20))));
    assertEquals("too-complex", e.type());
    assertEquals("maxDfaStates", e.limitName());
    assertEquals(10_000, e.limit());
    assertTrue(e.observed() > 10_000);
    assertEquals("states", e.unit());
  }

  @Test
  void repeatCountIsLimited() {
    ConstraintTooComplexException e =
        assertThrows(
            ConstraintTooComplexException.class, () -> CharLang.literal("a").repeat(0, 20_000));
    assertEquals("maxRepeatCount", e.limitName());
    assertEquals(20_000, e.observed());
  }

  @Test
  void stringUnionWithUnitsAboveU8000() {
    // Transition sort keys once overflowed into the sign bit for units >= 0x8000.
    CharLang u = CharLang.stringUnion(List.of("\uFFFF", "\uDBFF\uDFFF", "c", "\u8000x"));
    for (String s : List.of("\uFFFF", "\uDBFF\uDFFF", "c", "\u8000x")) {
      assertTrue(u.accepts(s), s);
    }
    assertFalse(u.accepts("\u8000"));
    assertEquals(java.util.Set.of("\uFFFF", "\uDBFF\uDFFF", "c", "\u8000x"), u.finiteStrings(10));
    assertEquals("c", u.example());
  }

  @Test
  void finiteStringsNeverIncludeTheEmptyString() {
    CharLang l = CharLang.stringUnion(List.of("", "a", "bc"));
    assertEquals(java.util.Set.of("a", "bc"), l.finiteStrings(10));
    assertNull(l.finiteStrings(1));
    assertNull(CharLang.literal("a").star().finiteStrings(10));
  }

  /**
   * A used-up budget abandons the strategy with BudgetExceeded (never a user-facing error), only
   * inside its own scope: the enclosing work, and constants built outside the limits, go on.
   */
  @Test
  void aUsedUpBudgetAbandonsOnlyItsScope() throws Exception {
    java.util.function.Supplier<CharLang> work =
        () -> {
          CharLang l = CharLang.literal("a");
          for (int i = 0; i < 50; i++) {
            l = l.union(CharLang.literal("b" + i)).concat(CharLang.literal("c"));
          }
          return l;
        };
    CharLang.withLimits(
        GrammarLimits.DEFAULTS,
        () -> {
          Thread.yield();
          assertThrows(CharLang.BudgetExceeded.class, () -> CharLang.withBudget(0, work));
          // nested: the inner budget cannot outlast the outer one
          assertThrows(
              CharLang.BudgetExceeded.class,
              () -> CharLang.withBudget(0, () -> CharLang.withBudget(60_000, work)));
          // outside the limits (shared constants) no budget applies
          assertTrue(
              CharLang.withBudget(0, () -> CharLang.outsideLimits(work))
                  .accepts("a" + "c".repeat(50)));
          // after the scope, work goes on under the compile-time limit alone
          assertTrue(work.get().accepts("b7c" + "c".repeat(42)));
          return null;
        });
  }
}
