package io.guidepost.grammar;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical languages of canonical JSON text (see {@link JsonText}) as {@link CharLang}s: string
 * literals, numbers, decimal ranges, and small digit automata (remainders for {@code multipleOf});
 * {@link #spellings} closes a canonical number language under the other spellings of its values.
 *
 * <p>Ranges use the digit-wise construction: a range of equal-length decimals splits on the first
 * differing digit into a prefix-fixed low part, a free middle and a prefix-fixed high part;
 * different lengths split by length. Fractions compare digit-wise as well. Everything here is
 * exact.
 *
 * <p>Thread-safety: the constants are immutable and shared; the methods are pure. Cost: linear in
 * the number of digits of the bounds, except {@link #fromDigitDfa} (cubic in its state count,
 * Kleene's state elimination).
 */
final class JsonLangs {
  private JsonLangs() {}

  static final CharLang DIGIT = CharLang.codePointRange('0', '9');
  static final CharLang NONZERO = CharLang.codePointRange('1', '9');

  /** Code points written literally inside canonical strings (no quote, backslash, control). */
  static final CharLang PLAIN_CP =
      CharLang.codePointSet(new int[] {0x20, 0x21, 0x23, 0x5B, 0x5D, 0xD7FF, 0xE000, 0x10FFFF});

  /** Any Unicode scalar value (no surrogates). */
  static final CharLang SCALAR = CharLang.codePointSet(new int[] {0, 0xD7FF, 0xE000, 0x10FFFF});

  /** Scalars that canonical strings must escape. */
  static final CharLang SPECIAL_CP =
      CharLang.codePointSet(new int[] {0, 0x1F, 0x22, 0x22, 0x5C, 0x5C});

  /** The canonical escapes of the characters JSON strings must escape ({@link JsonText}). */
  private static final java.util.Map<Character, String> ESCAPES = new java.util.HashMap<>();

  /**
   * The canonical contents of the string literals (quotes excluded) whose decoded values are the
   * strings of {@code decoded}: its characters that need escapes written as canonical escapes.
   */
  static CharLang escaped(CharLang decoded) {
    return decoded.overlaps(SPECIAL_STRINGS) ? decoded.substituted(ESCAPES) : decoded;
  }

  /** The canonical encoding of one code point inside a string literal. */
  static final CharLang CHAR_ENC;

  /** The strings with at least one character that needs an escape. */
  private static final CharLang SPECIAL_STRINGS;

  /** Any canonical string literal, quotes included. */
  static final CharLang STRING;

  /** Canonical integers: 0 or -?[1-9][0-9]*. */
  static final CharLang INT;

  /** Canonical non-negative integers: 0 or [1-9][0-9]*. */
  static final CharLang UINT;

  /** Canonical fraction digits: [0-9]*[1-9]. */
  static final CharLang FRAC_DIGITS;

  /** Canonical non-integers: -?(0|[1-9][0-9]*)\.[0-9]*[1-9]. */
  static final CharLang NONINT;

  /**
   * Every JSON number without an exponent: -?(0|[1-9][0-9]*)(\.[0-9]+)? ({@link #spellings} of
   * every canonical number, integral fractions included).
   */
  static final CharLang PLAIN_NUMBER;

  /** Every JSON number (RFC 8259): -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. */
  static final CharLang ANY_NUMBER;

  static {
    List<String> escapes = new ArrayList<>();
    for (int c = 0; c < 0x20; c++) {
      escapes.add(JsonText.string(String.valueOf((char) c)).replace("\"", ""));
    }
    escapes.add("\\\"");
    escapes.add("\\\\");
    CHAR_ENC = PLAIN_CP.union(CharLang.stringUnion(escapes));
    for (char c = 0; c < 0x20; c++) {
      ESCAPES.put(c, JsonText.string(String.valueOf(c)).replace("\"", ""));
    }
    ESCAPES.put('"', "\\\"");
    ESCAPES.put('\\', "\\\\");
    SPECIAL_STRINGS = CharLang.concat(List.of(SCALAR.star(), SPECIAL_CP, SCALAR.star()));
    CharLang quote = CharLang.codePoint('"');
    STRING = CharLang.concat(List.of(quote, CHAR_ENC.star(), quote));
    UINT = CharLang.literal("0").union(NONZERO.concat(DIGIT.star()));
    INT = UINT.union(CharLang.codePoint('-').concat(NONZERO.concat(DIGIT.star())));
    FRAC_DIGITS = DIGIT.star().concat(NONZERO);
    NONINT =
        CharLang.concat(
            List.of(
                CharLang.codePoint('-').optional(), UINT, CharLang.codePoint('.'), FRAC_DIGITS));
    PLAIN_NUMBER = spellings(INT.union(NONINT), true);
    CharLang exponent =
        CharLang.concat(
            List.of(
                CharLang.codePoint('e').union(CharLang.codePoint('E')),
                CharLang.codePoint('+').union(CharLang.codePoint('-')).optional(),
                DIGIT.repeat(1, -1)));
    ANY_NUMBER = PLAIN_NUMBER.concat(exponent.optional());
  }

  /**
   * The spellings without exponent of the values of the canonical numbers in {@code canonical}
   * (words outside {@link #INT} and {@link #NONINT} are ignored, so the operation is idempotent):
   * non-integers with any number of trailing fraction zeros ({@code 1.5}, {@code 1.50}), integers
   * as they are, {@code -0} wherever {@code 0} is in, and with {@code integralFractions} also
   * integers with a fraction of zeros ({@code 1.0}, {@code -0.00}). Without {@code
   * integralFractions} an integer keeps the form of a JSON integer token, which is what draft-04
   * calls an {@code integer} ({@code 1.0} is not one there). Every word has the value of a word of
   * {@code canonical}, and every exponent-free spelling of such a value is in. Regular operations
   * only; the automaton grows by a few states.
   */
  static CharLang spellings(CharLang canonical, boolean integralFractions) {
    CharLang ints = canonical.intersect(INT);
    CharLang fracs = canonical.intersect(NONINT);
    if (ints.accepts("0")) {
      ints = ints.union(CharLang.literal("-0"));
    }
    CharLang zeros = CharLang.codePoint('0').star();
    List<CharLang> parts = new ArrayList<>(List.of(ints, fracs.concat(zeros)));
    if (integralFractions) {
      parts.add(CharLang.concat(List.of(ints, CharLang.literal(".0"), zeros)));
    }
    return CharLang.union(parts);
  }

  /** The literal of one string value. */
  static CharLang stringLiteral(String s) {
    return CharLang.literal(JsonText.string(s));
  }

  /** Canonical non-negative integers in {@code [lo, hi]}; {@code hi == null} means unbounded. */
  static CharLang uintRange(BigInteger lo, BigInteger hi) {
    if (lo.signum() < 0) {
      lo = BigInteger.ZERO;
    }
    if (hi != null && hi.compareTo(lo) < 0) {
      return CharLang.empty();
    }
    String a = lo.toString();
    if (hi == null) {
      // Same length and >= lo, or longer.
      CharLang sameLen = sameLength(a, "9".repeat(a.length()));
      return sameLen.union(NONZERO.concat(DIGIT.repeat(a.length(), -1)));
    }
    String b = hi.toString();
    if (a.length() == b.length()) {
      return sameLength(a, b);
    }
    List<CharLang> parts = new ArrayList<>();
    parts.add(sameLength(a, "9".repeat(a.length())));
    for (int len = a.length() + 1; len < b.length(); len++) {
      parts.add(NONZERO.concat(DIGIT.repeat(len - 1, len - 1)));
    }
    parts.add(sameLength("1" + "0".repeat(b.length() - 1), b));
    return CharLang.union(parts);
  }

  /** Digit strings of the length of {@code a} between {@code a} and {@code b} (equal lengths). */
  private static CharLang sameLength(String a, String b) {
    int n = a.length();
    if (n == 0) {
      return CharLang.emptyString();
    }
    char x = a.charAt(0);
    char y = b.charAt(0);
    if (x == y) {
      return CharLang.codePoint(x).concat(sameLength(a.substring(1), b.substring(1)));
    }
    List<CharLang> parts = new ArrayList<>();
    parts.add(CharLang.codePoint(x).concat(sameLength(a.substring(1), "9".repeat(n - 1))));
    if (y - x >= 2) {
      parts.add(CharLang.codePointRange(x + 1, y - 1).concat(DIGIT.repeat(n - 1, n - 1)));
    }
    parts.add(CharLang.codePoint(y).concat(sameLength("0".repeat(n - 1), b.substring(1))));
    return CharLang.union(parts);
  }

  /** Canonical integers in {@code [lo, hi]} (either may be null = unbounded). */
  static CharLang intRange(BigInteger lo, BigInteger hi) {
    if (lo != null && hi != null && lo.compareTo(hi) > 0) {
      return CharLang.empty();
    }
    List<CharLang> parts = new ArrayList<>();
    // Non-negative part.
    if (hi == null || hi.signum() >= 0) {
      parts.add(uintRange(lo == null ? BigInteger.ZERO : lo.max(BigInteger.ZERO), hi));
    }
    // Negative part: magnitudes in [max(1, -hi), -lo].
    if (lo == null || lo.signum() < 0) {
      BigInteger magLo = hi == null || hi.signum() >= 0 ? BigInteger.ONE : hi.negate();
      BigInteger magHi = lo == null ? null : lo.negate();
      parts.add(CharLang.codePoint('-').concat(uintRange(magLo, magHi)));
    }
    return CharLang.union(parts);
  }

  /** Canonical numbers {@code >= b} (integers and non-integers). */
  static CharLang atLeast(BigDecimal b) {
    CharLang number = INT.union(NONINT);
    if (b.signum() <= 0) {
      CharLang nonNeg =
          UINT.union(CharLang.concat(List.of(UINT, CharLang.codePoint('.'), FRAC_DIGITS)));
      CharLang neg = CharLang.codePoint('-').concat(magnitudeAtMost(b.negate()));
      return number.intersect(nonNeg.union(neg));
    }
    return number.intersect(magnitudeAtLeast(b));
  }

  /** Canonical numbers {@code <= b}. */
  static CharLang atMost(BigDecimal b) {
    CharLang number = INT.union(NONINT);
    if (b.signum() >= 0) {
      CharLang neg =
          CharLang.codePoint('-')
              .concat(
                  UINT.union(CharLang.concat(List.of(UINT, CharLang.codePoint('.'), FRAC_DIGITS))));
      return number.intersect(neg.union(magnitudeAtMost(b)));
    }
    return number.intersect(CharLang.codePoint('-').concat(magnitudeAtLeast(b.negate())));
  }

  /** Unsigned canonical numbers N[.F] with value >= m (m >= 0). */
  private static CharLang magnitudeAtLeast(BigDecimal m) {
    BigInteger whole = m.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
    String frac = fractionDigits(m);
    CharLang anyFrac = CharLang.codePoint('.').concat(FRAC_DIGITS).optional();
    CharLang above = uintRange(whole.add(BigInteger.ONE), null).concat(anyFrac);
    CharLang equalWhole =
        frac.isEmpty()
            ? anyFrac
            : CharLang.codePoint('.').concat(fracAtLeast(frac).intersect(FRAC_DIGITS));
    return above.union(CharLang.literal(whole.toString()).concat(equalWhole));
  }

  /** Unsigned canonical numbers N[.F] with value <= m (m >= 0). */
  private static CharLang magnitudeAtMost(BigDecimal m) {
    BigInteger whole = m.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
    String frac = fractionDigits(m);
    CharLang anyFrac = CharLang.codePoint('.').concat(FRAC_DIGITS).optional();
    CharLang below =
        whole.signum() == 0
            ? CharLang.empty()
            : uintRange(BigInteger.ZERO, whole.subtract(BigInteger.ONE)).concat(anyFrac);
    CharLang equalWhole =
        frac.isEmpty()
            ? CharLang.emptyString()
            : CharLang.emptyString()
                .union(CharLang.codePoint('.').concat(fracAtMost(frac).intersect(FRAC_DIGITS)));
    return below.union(CharLang.literal(whole.toString()).concat(equalWhole));
  }

  /** The digits after the point of {@code |m|} without trailing zeros ("" for integers). */
  private static String fractionDigits(BigDecimal m) {
    BigDecimal f = m.abs().subtract(new BigDecimal(m.abs().toBigInteger())).stripTrailingZeros();
    if (f.signum() == 0) {
      return "";
    }
    String s = f.toPlainString(); // "0.xyz"
    return s.substring(s.indexOf('.') + 1);
  }

  /** Digit strings F with 0.F >= 0.D. */
  private static CharLang fracAtLeast(String d) {
    if (d.isEmpty()) {
      return DIGIT.star();
    }
    int x = d.charAt(0);
    CharLang rest = CharLang.codePoint(x).concat(fracAtLeast(d.substring(1)));
    if (x == '9') {
      return rest;
    }
    return rest.union(CharLang.codePointRange(x + 1, '9').concat(DIGIT.star()));
  }

  /** Digit strings F with 0.F <= 0.D. */
  private static CharLang fracAtMost(String d) {
    if (d.isEmpty()) {
      return CharLang.codePoint('0').star();
    }
    int x = d.charAt(0);
    CharLang rest = CharLang.codePoint(x).concat(fracAtMost(d.substring(1)));
    if (x == '0') {
      return rest.union(CharLang.emptyString());
    }
    return CharLang.union(
        List.of(
            rest,
            CharLang.codePointRange('0', x - 1).concat(DIGIT.star()),
            CharLang.emptyString()));
  }

  /**
   * The language of a DFA over the code points {@code symbols} ({@code next[s][i]} is the target on
   * {@code symbols[i]}, -1 = dead), built directly as an automaton (linear in its transitions).
   */
  static CharLang fromDfa(int n, int start, boolean[] accepting, int[] symbols, int[][] next) {
    // CharLang.fromCodePointDfa starts in state 0: swap 0 and start.
    java.util.function.IntUnaryOperator id = q -> q == start ? 0 : q == 0 ? start : q;
    int count = 0;
    for (int[] row : next) {
      for (int t : row) {
        count += t >= 0 ? 1 : 0;
      }
    }
    int[] from = new int[count];
    int[] cp = new int[count];
    int[] to = new int[count];
    boolean[] accept = new boolean[n];
    int k = 0;
    for (int q = 0; q < n; q++) {
      accept[id.applyAsInt(q)] = accepting[q];
      for (int i = 0; i < symbols.length; i++) {
        if (next[q][i] >= 0) {
          from[k] = id.applyAsInt(q);
          cp[k] = symbols[i];
          to[k++] = id.applyAsInt(next[q][i]);
        }
      }
    }
    return CharLang.fromCodePointDfa(n, from, cp, to, accept);
  }

  /**
   * Canonical numbers that are integer multiples of {@code m > 0}, or null when the remainder
   * automaton would have more than {@code maxStates} states. With {@code m = p / 10^s} (p an
   * integer), x is a multiple iff x has at most s fraction digits and x * 10^s is divisible by p.
   * The automaton reads the digits and the point, tracking (remainder mod p, fraction digits read).
   */
  static CharLang multiplesOf(BigDecimal m, int maxStates) {
    BigDecimal mm = m.stripTrailingZeros();
    int s = Math.max(0, mm.scale());
    BigInteger p = mm.movePointRight(s).toBigIntegerExact();
    // States: whole part r (0..q-1); after the point with f digits read: q * (1 + f) + r.
    if (p.compareTo(BigInteger.valueOf(maxStates)) > 0) {
      return null;
    }
    int q = p.intValueExact();
    int n = s == 0 ? q : q * (s + 2);
    if (n > maxStates) {
      return null;
    }
    int[] symbols = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.'};
    int[][] next = new int[n][symbols.length];
    boolean[] accepting = new boolean[n];
    int tenS = BigInteger.TEN.pow(s).mod(p).intValueExact();
    for (int r = 0; r < q; r++) {
      for (int d = 0; d < 10; d++) {
        next[r][d] = (r * 10 + d) % q;
      }
      next[r][10] = s == 0 ? -1 : q + r;
      accepting[r] = ((long) r * tenS) % q == 0;
      for (int f = 0; f <= s && s > 0; f++) {
        int state = q * (1 + f) + r;
        for (int d = 0; d < 10; d++) {
          next[state][d] = f == s ? -1 : q * (2 + f) + (r * 10 + d) % q;
        }
        next[state][10] = -1;
        int scale = BigInteger.TEN.pow(s - f).mod(p).intValueExact();
        accepting[state] = f > 0 && ((long) r * scale) % q == 0;
      }
    }
    CharLang unsigned = fromDfa(n, 0, accepting, symbols, next);
    CharLang signed = unsigned.union(CharLang.codePoint('-').concat(unsigned));
    return signed.intersect(INT.union(NONINT));
  }
}
