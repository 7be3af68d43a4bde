package io.guidepost.service.grounding;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a document's text into overlapping, sentence-aligned passages (see {@link
 * PassageSettings}).
 *
 * <p>Algorithm: sentence boundaries come from {@link BreakIterator#getSentenceInstance(Locale)}
 * (Unicode UAX #29 rules as implemented by the JDK), word boundaries are the starts of
 * non-whitespace runs. From a start {@code s} (never whitespace) the passage ends at the last
 * sentence boundary in {@code (previousEnd, s + maxChars]}, else the last word boundary there, else
 * at {@code s + maxChars} moved back by one if it would split a surrogate pair; trailing whitespace
 * is trimmed. The next start is the first sentence boundary (else word boundary) in {@code [max(s +
 * 1, end - overlapChars), end)}, else {@code end}, then skips whitespace. Ends strictly increase,
 * so the loop terminates and no passage is contained in the previous one.
 *
 * <p>Invariants of the output: every passage is {@code text.substring(start, end)}, is non-empty,
 * starts and ends with a non-whitespace character, and never splits a surrogate pair; every
 * non-whitespace character of the text lies in some passage. Cost: linear in the text length plus a
 * binary search per passage. Stateless; thread-safe.
 */
final class PassageSplitter {
  private PassageSplitter() {}

  /** The passages of {@code text} for the document {@code documentId}, in text order. */
  static List<Passage> split(String documentId, String text, PassageSettings settings) {
    int n = text.length();
    int[] sentences = sentenceBoundaries(text);
    int[] words = wordBoundaries(text);
    List<Passage> out = new ArrayList<>();
    int pos = skipWhitespace(text, 0);
    int previousEnd = pos;
    while (pos < n) {
      int limit = Math.min(n, pos + settings.maxChars());
      int end;
      if (limit == n) {
        end = n;
      } else {
        end = lastIn(sentences, previousEnd, limit);
        if (end < 0) {
          end = lastIn(words, previousEnd, limit);
        }
        if (end < 0) {
          end = limit;
          if (Character.isHighSurrogate(text.charAt(end - 1))
              && Character.isLowSurrogate(text.charAt(end))) {
            end--;
          }
        }
      }
      int trimmed = end;
      while (trimmed > pos && Character.isWhitespace(text.charAt(trimmed - 1))) {
        trimmed--;
      }
      out.add(new Passage(documentId, out.size(), pos, trimmed, text.substring(pos, trimmed)));
      if (end >= n) {
        break;
      }
      int next = end;
      if (settings.overlapChars() > 0) {
        int from = Math.max(pos + 1, end - settings.overlapChars());
        int candidate = firstIn(sentences, from, end);
        if (candidate < 0) {
          candidate = firstIn(words, from, end);
        }
        if (candidate >= 0) {
          next = candidate;
        }
      }
      previousEnd = end;
      pos = skipWhitespace(text, next);
    }
    return out;
  }

  private static int skipWhitespace(String text, int i) {
    int n = text.length();
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Sentence boundaries strictly inside the text that do not split a surrogate pair, ascending. */
  private static int[] sentenceBoundaries(String text) {
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(text);
    int n = text.length();
    int[] b = new int[16];
    int count = 0;
    for (int p = it.next(); p != BreakIterator.DONE; p = it.next()) {
      if (p <= 0 || p >= n || splitsPair(text, p)) {
        continue;
      }
      if (count == b.length) {
        b = java.util.Arrays.copyOf(b, count * 2);
      }
      b[count++] = p;
    }
    return java.util.Arrays.copyOf(b, count);
  }

  /** Starts of non-whitespace runs after whitespace, ascending. */
  private static int[] wordBoundaries(String text) {
    int n = text.length();
    int[] b = new int[16];
    int count = 0;
    for (int i = 1; i < n; i++) {
      if (Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))) {
        if (count == b.length) {
          b = java.util.Arrays.copyOf(b, count * 2);
        }
        b[count++] = i;
      }
    }
    return java.util.Arrays.copyOf(b, count);
  }

  private static boolean splitsPair(String text, int p) {
    return Character.isHighSurrogate(text.charAt(p - 1))
        && Character.isLowSurrogate(text.charAt(p));
  }

  /** The largest value {@code v} of sorted {@code a} with {@code lo < v <= hi}, or -1. */
  static int lastIn(int[] a, int lo, int hi) {
    int i = java.util.Arrays.binarySearch(a, hi);
    int idx = i >= 0 ? i : -i - 2;
    return idx >= 0 && a[idx] > lo ? a[idx] : -1;
  }

  /** The smallest value {@code v} of sorted {@code a} with {@code lo <= v < hi}, or -1. */
  static int firstIn(int[] a, int lo, int hi) {
    int i = java.util.Arrays.binarySearch(a, lo);
    int idx = i >= 0 ? i : -i - 1;
    return idx < a.length && a[idx] < hi ? a[idx] : -1;
  }
}
