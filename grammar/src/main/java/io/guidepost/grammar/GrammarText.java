package io.guidepost.grammar;

import java.util.Arrays;
import java.util.Locale;

/**
 * Positions and character descriptions in a grammar's text, shared by the grammar front-ends:
 * 1-based lines and columns (UTF-16 units) counted as {@link GrammarSyntaxException} counts them
 * ({@code \n}, {@code \r\n} and a lone {@code \r} each end a line).
 */
final class GrammarText {
  private final String src;
  private final int[] lineStarts;

  GrammarText(String src) {
    this.src = src;
    int[] starts = new int[16];
    int count = 1;
    for (int k = 0; k < src.length(); k++) {
      char c = src.charAt(k);
      if (c == '\n' || (c == '\r' && (k + 1 >= src.length() || src.charAt(k + 1) != '\n'))) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = k + 1;
      }
    }
    this.lineStarts = Arrays.copyOf(starts, count);
  }

  /** 1-based line of index {@code at}. */
  int line(int at) {
    int i = Arrays.binarySearch(lineStarts, at);
    return i >= 0 ? i + 1 : -(i + 1);
  }

  /** 1-based column (UTF-16 units) of index {@code at}. */
  int column(int at) {
    return at - lineStarts[line(at) - 1] + 1;
  }

  /** "line L, column C" of index {@code at}. */
  String where(int at) {
    return "line " + line(at) + ", column " + column(at);
  }

  /**
   * The character at {@code at} for a message: {@code ';'}, {@code 'é' (U+00E9)}, {@code U+000C},
   * {@code line break}, {@code end of grammar}.
   */
  String describe(int at) {
    if (at >= src.length()) {
      return "end of grammar";
    }
    int cp = src.codePointAt(at);
    if (cp == '\n' || cp == '\r') {
      return "line break";
    }
    if (cp > ' ' && cp < 0x7F) {
      return "'" + (char) cp + "'";
    }
    if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return hex(cp);
    }
    return "'" + Character.toString(cp) + "' (" + hex(cp) + ")";
  }

  /** {@code U+XXXX}. */
  static String hex(int cp) {
    return String.format(Locale.ROOT, "U+%04X", cp);
  }

  /** The end of the run of ASCII digits starting at {@code from}. */
  int digitsEnd(int from) {
    int k = from;
    while (k < src.length() && src.charAt(k) >= '0' && src.charAt(k) <= '9') {
      k++;
    }
    return k;
  }

  /** The decimal value of the digits {@code src[from, to)}, saturated at Integer.MAX_VALUE. */
  int saturatedValue(int from, int to) {
    long v = 0;
    for (int k = from; k < to; k++) {
      v = Math.min(v * 10 + (src.charAt(k) - '0'), Integer.MAX_VALUE);
    }
    return (int) v;
  }

  /** The index of the first unpaired surrogate in the text, or -1. */
  int unpairedSurrogate() {
    for (int k = 0; k < src.length(); k++) {
      char c = src.charAt(k);
      if (Character.isHighSurrogate(c)
          && k + 1 < src.length()
          && Character.isLowSurrogate(src.charAt(k + 1))) {
        k++;
      } else if (Character.isSurrogate(c)) {
        return k;
      }
    }
    return -1;
  }
}
