package io.guidepost.service.grounding;

/**
 * A passage of a document: a contiguous slice of its text.
 *
 * <p>Invariant: {@code document.text().substring(start, end).equals(text)}, with {@code start} and
 * {@code end} UTF-16 indices that never split a surrogate pair; so an offset {@code i} inside the
 * passage text is offset {@code start + i} inside the document text ({@link #toDocumentOffset}).
 * Passages of a document are numbered {@code 0, 1, ...} in text order and may overlap.
 *
 * @param documentId the id of the document
 * @param passageId the 0-based ordinal of the passage within its document
 * @param start UTF-16 index of the first character inside the document text
 * @param end UTF-16 index one past the last character
 * @param text the passage text
 */
public record Passage(String documentId, int passageId, int start, int end, String text) {
  /** Checks that the offsets are consistent with the text length. */
  public Passage {
    if (start < 0 || end - start != text.length()) {
      throw new IllegalArgumentException(
          "passage offsets [" + start + ", " + end + ") do not fit a text of " + text.length());
    }
  }

  /**
   * The document offset of an offset inside this passage's text (e.g. where a verbatim quote starts
   * or ends), {@code 0 <= offsetInPassage <= text().length()}.
   */
  public int toDocumentOffset(int offsetInPassage) {
    if (offsetInPassage < 0 || offsetInPassage > text.length()) {
      throw new IndexOutOfBoundsException(
          "offset " + offsetInPassage + " is outside the passage text of " + text.length());
    }
    return start + offsetInPassage;
  }
}
