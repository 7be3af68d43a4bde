package io.guidepost.service.grounding;

import java.util.Map;

/**
 * Validation of documents before they are split and stored.
 *
 * <p>Rejects what could not be stored and reproduced exactly: an unpaired surrogate would be
 * replaced by U+FFFD when Lucene encodes the text as UTF-8, shifting nothing but changing the text,
 * so offsets would no longer reproduce it. Stateless; thread-safe. Cost: linear in the text.
 */
final class DocumentRules {
  static final int MAX_ID_CHARS = 256;

  private DocumentRules() {}

  /** What is wrong with {@code d}, or {@code null} when it is acceptable. */
  static String problem(Document d, GroundingLimits limits) {
    if (d == null) {
      return "document is null";
    }
    if (d.id() == null || d.id().isBlank()) {
      return "id is missing or blank";
    }
    if (d.id().length() > MAX_ID_CHARS) {
      return "id has " + d.id().length() + " characters, more than " + MAX_ID_CHARS;
    }
    String bad = unpaired(d.id(), "id");
    if (bad != null) {
      return bad;
    }
    if (d.text() == null) {
      return "text is missing";
    }
    if (d.text().isBlank()) {
      return "text is empty";
    }
    if (d.title() != null && (bad = unpaired(d.title(), "title")) != null) {
      return bad;
    }
    if ((bad = unpaired(d.text(), "text")) != null) {
      return bad;
    }
    for (Map.Entry<String, String> e : d.metadata().entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        return "metadata keys and values must not be null";
      }
      if ((bad = unpaired(e.getKey(), "metadata key")) != null
          || (bad = unpaired(e.getValue(), "metadata value")) != null) {
        return bad;
      }
    }
    return null;
  }

  /** Throws {@link GroundingException.LimitExceeded} when the text is too large. */
  static void checkSize(Document d, GroundingLimits limits, String where) {
    long bytes = utf8Length(d.text());
    if (bytes > limits.maxDocumentBytes()) {
      throw new GroundingException.LimitExceeded(
          "max-document-bytes",
          limits.maxDocumentBytes(),
          bytes,
          where + ": text of document '" + d.id() + "' has too many UTF-8 bytes");
    }
  }

  /** UTF-8 length of a string without unpaired surrogates. */
  static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static String unpaired(String s, String field) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return field + " has an unpaired surrogate at index " + i;
      }
      if (Character.isLowSurrogate(c)) {
        return field + " has an unpaired surrogate at index " + i;
      }
    }
    return null;
  }
}
