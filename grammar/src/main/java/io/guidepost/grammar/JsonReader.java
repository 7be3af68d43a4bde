package io.guidepost.grammar;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A small, strict RFC 8259 JSON reader producing {@link JsonValue}s: object members keep document
 * order, numbers are read exactly as {@link BigDecimal}, strings are fully unescaped (surrogate
 * pairs joined; lone surrogates rejected).
 *
 * <p>Errors raise {@link InvalidConstraintException} with the 0-based character offset of the
 * problem. Nesting is limited by {@code maxDepth} so that hostile input cannot overflow the stack.
 *
 * <p>Thread-safety: one instance per document (it holds the cursor). Cost: linear in the text.
 */
final class JsonReader {
  private final String text;
  private final int maxDepth;
  private int pos;
  private UnaryOperator<String> numbers; // rewriting mode: the new spelling of a number token
  private StringBuilder out;
  private int copied; // text before this offset is in out

  private JsonReader(String text, int maxDepth) {
    this.text = text;
    this.maxDepth = maxDepth;
  }

  /** Parses one JSON document (surrounding whitespace allowed). */
  static JsonValue parse(String text, int maxDepth) {
    JsonReader r = new JsonReader(text, maxDepth);
    r.skipWs();
    JsonValue v = r.value(0);
    r.skipWs();
    if (r.pos != text.length()) {
      throw r.error("unexpected text after the JSON value");
    }
    return v;
  }

  /**
   * {@code text} with every number token (outside strings) replaced by {@code rewrite} of it, all
   * other characters kept; null when {@code text} is not one JSON document (nested at most {@code
   * maxDepth} deep) or {@code rewrite} answers null for a token.
   */
  static String rewriteNumbers(String text, int maxDepth, UnaryOperator<String> rewrite) {
    JsonReader r = new JsonReader(text, maxDepth);
    r.numbers = rewrite;
    r.out = new StringBuilder(text.length());
    try {
      r.skipWs();
      r.value(0);
      r.skipWs();
      if (r.pos != text.length()) {
        return null;
      }
    } catch (InvalidConstraintException e) {
      return null;
    }
    return r.out.append(text, r.copied, text.length()).toString();
  }

  /** Parses with a nesting limit of 512. */
  static JsonValue parse(String text) {
    return parse(text, 512);
  }

  private InvalidConstraintException error(String what) {
    return new InvalidConstraintException("JSON syntax error at offset " + pos + ": " + what);
  }

  private void skipWs() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }

  private JsonValue value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return new JsonValue.Str(string());
      case 't':
        word("true");
        return new JsonValue.Bool(true);
      case 'f':
        word("false");
        return new JsonValue.Bool(false);
      case 'n':
        word("null");
        return JsonValue.Null.INSTANCE;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private void word(String w) {
    if (!text.startsWith(w, pos)) {
      throw error("expected " + w);
    }
    pos += w.length();
  }

  private JsonValue object(int depth) {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    pos++;
    Map<String, JsonValue> members = new LinkedHashMap<>();
    skipWs();
    if (pos < text.length() && text.charAt(pos) == '}') {
      pos++;
      return new JsonValue.Obj(members);
    }
    while (true) {
      skipWs();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw error("expected a member name");
      }
      String key = string();
      skipWs();
      if (pos >= text.length() || text.charAt(pos) != ':') {
        throw error("expected ':'");
      }
      pos++;
      skipWs();
      JsonValue v = value(depth);
      members.remove(key);
      members.put(key, v);
      skipWs();
      if (pos >= text.length()) {
        throw error("unterminated object");
      }
      char c = text.charAt(pos++);
      if (c == '}') {
        return new JsonValue.Obj(members);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private JsonValue array(int depth) {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    pos++;
    List<JsonValue> elements = new ArrayList<>();
    skipWs();
    if (pos < text.length() && text.charAt(pos) == ']') {
      pos++;
      return new JsonValue.Arr(elements);
    }
    while (true) {
      skipWs();
      elements.add(value(depth));
      skipWs();
      if (pos >= text.length()) {
        throw error("unterminated array");
      }
      char c = text.charAt(pos++);
      if (c == ']') {
        return new JsonValue.Arr(elements);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        break;
      }
      if (c < 0x20) {
        throw error("unescaped control character in string");
      }
      if (c == '\\') {
        pos++;
        if (pos >= text.length()) {
          throw error("unterminated escape");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> sb.append(hex4());
          default -> {
            pos--;
            throw error("invalid escape '\\" + e + "'");
          }
        }
      } else {
        sb.append(c);
        pos++;
      }
    }
    String s = sb.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw error("lone surrogate in string");
      }
    }
    return s;
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos), 16);
      if (d < 0) {
        throw error("invalid hex digit in \\u escape");
      }
      v = v * 16 + d;
      pos++;
    }
    return (char) v;
  }

  private JsonValue number() {
    int start = pos;
    if (text.charAt(pos) == '-') {
      pos++;
    }
    if (pos >= text.length()) {
      throw error("truncated number");
    }
    char c = text.charAt(pos);
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
    } else {
      throw error("invalid number");
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      int f = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (f == pos) {
        throw error("expected a digit after '.'");
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      int f = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (f == pos) {
        throw error("expected a digit in the exponent");
      }
    }
    JsonValue.Num n;
    try {
      n = new JsonValue.Num(new BigDecimal(text.substring(start, pos)));
    } catch (NumberFormatException | ArithmeticException e) {
      pos = start;
      throw error("number out of range");
    }
    if (numbers != null) {
      String spelled = numbers.apply(text.substring(start, pos));
      if (spelled == null) {
        pos = start;
        throw error("number not rewritten");
      }
      out.append(text, copied, start).append(spelled);
      copied = pos;
    }
    return n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
