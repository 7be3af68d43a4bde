package io.guidepost.grammar;

import java.math.BigDecimal;
import java.util.List;

/**
 * The canonical JSON text that compiled JSON Schema automata are built from: one spelling per value
 * (the automata also take the other spellings of numbers, see {@link JsonLangs#spellings}, and
 * {@link #normalizeNumbers} maps a text back to canonical numbers).
 *
 * <p>Strings: every code point literally, except {@code "} and {@code \} (escaped as {@code \"} and
 * {@code \\}), the controls {@code \b \t \n \f \r}, and the other controls below U+0020 as {@code
 * \}{@code u00xx} with lower-case hex. Numbers: no exponent, no {@code +}, no leading zeros, no
 * trailing fractional zeros, no {@code -0}; integers without a fraction ({@code 1.0} is {@code 1}).
 * Objects and arrays: compact; object members in the order given by the caller.
 *
 * <p>Thread-safety: stateless. Cost: linear in the output.
 */
final class JsonText {
  private JsonText() {}

  /** The canonical literal (with quotes) of a string. */
  static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    sb.append('"');
    appendEscaped(sb, s);
    return sb.append('"').toString();
  }

  /** Appends the canonical escaped content of {@code s} (without quotes). */
  static void appendEscaped(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 15, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
  }

  /** The canonical spelling of a number. */
  static String number(BigDecimal v) {
    if (v.signum() == 0) {
      return "0";
    }
    BigDecimal s = v.stripTrailingZeros();
    if (s.scale() <= 0) {
      return s.toBigIntegerExact().toString();
    }
    return s.toPlainString();
  }

  /**
   * Longest canonical number spelling {@link #normalizeNumbers} writes: a number whose canonical
   * spelling is longer (such as {@code 1e100000}) makes the text not normalizable.
   */
  static final int MAX_NORMALIZED_NUMBER_CHARS = 4096;

  /** Nesting limit of {@link #normalizeNumbers}. */
  static final int MAX_NORMALIZED_DEPTH = 512;

  /**
   * The JSON text {@code text} with every number token (outside strings) in canonical spelling
   * ({@link #number}), all other characters (whitespace, member order, string escapes) unchanged;
   * null when {@code text} is not one JSON document (nested at most {@link #MAX_NORMALIZED_DEPTH}
   * deep) or a number's canonical spelling would exceed {@link #MAX_NORMALIZED_NUMBER_CHARS}. With
   * {@code integerTokens} (draft-04, see {@link JsonSchemaCompiler#draft04(JsonValue)}) an integral
   * value written with a fraction or exponent becomes {@code <integer>.0} ({@code 1e2} is {@code
   * 100.0}), so that it stays a number that is not an integer token. Validity against a schema
   * depends only on each number's value (draft-04: and on whether it is an integer token), which
   * this keeps.
   */
  static String normalizeNumbers(String text, boolean integerTokens) {
    return JsonReader.rewriteNumbers(
        text, MAX_NORMALIZED_DEPTH, token -> canonicalToken(token, integerTokens));
  }

  /** The canonical spelling of a valid number token, or null when it would be too long. */
  static String canonicalToken(String token, boolean integerTokens) {
    BigDecimal v = new BigDecimal(token);
    boolean integerToken =
        token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0;
    String suffix = "";
    if (v.signum() != 0) {
      BigDecimal s = v.stripTrailingZeros();
      long p = s.precision();
      long scale = s.scale();
      long length = scale <= 0 ? p - scale : Math.max(p + 1, scale + 2);
      if (length + 3 > MAX_NORMALIZED_NUMBER_CHARS) {
        return null;
      }
      if (integerTokens && !integerToken && scale <= 0) {
        suffix = ".0";
      }
    } else if (integerTokens && !integerToken) {
      suffix = ".0";
    }
    return number(v) + suffix;
  }

  /**
   * Writes a value compactly; object members are ordered by {@code order} (see {@link KeyOrder}).
   */
  static String write(JsonValue v, KeyOrder order) {
    return write(v, order, false);
  }

  /**
   * Like {@link #write(JsonValue, KeyOrder)}, but with {@code keepIntegralFractions} an integral
   * number parsed with a fraction (such as {@code 12345.0}, scale kept by {@link BigDecimal}) is
   * written as parsed, without exponent: JSON Schema draft-04 does not count it as an integer,
   * later drafts do. Every other number is canonical.
   */
  static String write(JsonValue v, KeyOrder order, boolean keepIntegralFractions) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, order, keepIntegralFractions);
    return sb.toString();
  }

  private static String spelling(BigDecimal v, boolean keepIntegralFractions) {
    if (keepIntegralFractions && v.scale() > 0 && v.stripTrailingZeros().scale() <= 0) {
      return v.toPlainString();
    }
    return number(v);
  }

  private static void write(
      StringBuilder sb, JsonValue v, KeyOrder order, boolean keepIntegralFractions) {
    switch (v) {
      case JsonValue.Null n -> sb.append("null");
      case JsonValue.Bool b -> sb.append(b.value());
      case JsonValue.Num n -> sb.append(spelling(n.value(), keepIntegralFractions));
      case JsonValue.Str s -> {
        sb.append('"');
        appendEscaped(sb, s.value());
        sb.append('"');
      }
      case JsonValue.Arr a -> {
        sb.append('[');
        KeyOrder items = order == null ? null : order.items();
        for (int i = 0; i < a.elements().size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(sb, a.elements().get(i), items, keepIntegralFractions);
        }
        sb.append(']');
      }
      case JsonValue.Obj o -> {
        sb.append('{');
        boolean first = true;
        for (String k : order == null ? List.copyOf(o.members().keySet()) : order.order(o)) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          sb.append('"');
          appendEscaped(sb, k);
          sb.append("\":");
          write(
              sb, o.members().get(k), order == null ? null : order.child(k), keepIntegralFractions);
        }
        sb.append('}');
      }
    }
  }

  /** Supplies the member order of objects at each place of an instance. */
  interface KeyOrder {
    /** The keys of {@code o} in the order they are to be written. */
    List<String> order(JsonValue.Obj o);

    /** The order below member {@code key}, or null for document order. */
    KeyOrder child(String key);

    /** The order inside array elements, or null for document order. */
    KeyOrder items();
  }
}
