package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random duels of the number languages against BigDecimal arithmetic: integer ranges,
 * decimal bounds, {@code multipleOf}, and the canonical number shape itself.
 */
class JsonNumberDuelTest {

  private static BigDecimal randomDecimal(Random r, int maxScale) {
    int scale = r.nextInt(maxScale + 1);
    long unscaled = r.nextInt(40001) - 20000;
    return BigDecimal.valueOf(unscaled, scale);
  }

  /** A canonical number near interesting values, or a random non-canonical spelling. */
  private static String candidate(Random r) {
    BigDecimal v = randomDecimal(r, 3);
    return JsonText.number(v);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void decimalBoundsMatchArithmetic(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 12; round++) {
      BigDecimal lo = randomDecimal(r, 2);
      BigDecimal hi = randomDecimal(r, 2);
      CharLang atLeast = JsonLangs.atLeast(lo);
      CharLang atMost = JsonLangs.atMost(hi);
      for (int i = 0; i < 150; i++) {
        String x = candidate(r);
        BigDecimal v = new BigDecimal(x);
        assertEquals(v.compareTo(lo) >= 0, atLeast.accepts(x), x + " >= " + lo);
        assertEquals(v.compareTo(hi) <= 0, atMost.accepts(x), x + " <= " + hi);
      }
      assertEquals(true, atLeast.accepts(JsonText.number(lo)));
      assertEquals(true, atMost.accepts(JsonText.number(hi)));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void integerRangesMatchArithmetic(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 15; round++) {
      BigInteger lo = r.nextInt(4) == 0 ? null : BigInteger.valueOf(r.nextInt(20001) - 10000);
      BigInteger hi = r.nextInt(4) == 0 ? null : BigInteger.valueOf(r.nextInt(20001) - 10000);
      CharLang range = JsonLangs.intRange(lo, hi);
      for (int i = 0; i < 200; i++) {
        BigInteger v = BigInteger.valueOf(r.nextInt(30001) - 15000);
        boolean in = (lo == null || v.compareTo(lo) >= 0) && (hi == null || v.compareTo(hi) <= 0);
        assertEquals(in, range.accepts(v.toString()), v + " in [" + lo + ", " + hi + "]");
      }
      assertEquals(false, range.accepts("-0"));
      assertEquals(false, range.accepts("007"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2", "3", "7", "10", "12", "0.5", "0.2", "0.01", "0.1", "1.0"})
  void multipleOfMatchesArithmetic(String m) {
    BigDecimal mm = new BigDecimal(m);
    CharLang lang = JsonLangs.multiplesOf(mm, 24);
    Random r = new Random(m.hashCode());
    for (int i = 0; i < 400; i++) {
      String x = candidate(r);
      BigDecimal v = new BigDecimal(x);
      boolean multiple = v.remainder(mm).signum() == 0;
      assertEquals(multiple, lang.accepts(x), x + " multipleOf " + m);
    }
  }

  @org.junit.jupiter.api.Test
  void multipleOfBeyondTheStateBudgetIsRefused() {
    assertEquals(null, JsonLangs.multiplesOf(new BigDecimal("2.5"), 24));
    assertEquals(null, JsonLangs.multiplesOf(new BigDecimal("101"), 24));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "-1", "10", "0.5", "-0.05", "123.456", "-0", "01", "1.0", "1e2", "+1", ".5"})
  void canonicalShape(String x) {
    boolean canonical;
    try {
      canonical = JsonText.number(new BigDecimal(x)).equals(x) && !x.equals("-0");
    } catch (NumberFormatException e) {
      canonical = false;
    }
    assertEquals(canonical, JsonLangs.INT.union(JsonLangs.NONINT).accepts(x), x);
  }
}
