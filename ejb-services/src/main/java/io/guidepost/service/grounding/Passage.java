package io.guidepost.service.grounding;

/**
 * A passage of a document: a contiguous slice of its text.
 *
 * <p>Invariant: {@code document.text().substring(start, end).equals(text)}, with {@code start} and
 * {@code end} UTF-16 indices that never split a surrogate pair; so an offset {@code i} inside the
 * passage text is offset {@code start + i} inside the document text. Passages of a document are
 * numbered {@code 0, 1, ...} in text order and may overlap.
 *
 * @param documentId the id of the document
 * @param passageId the 0-based ordinal of the passage within its document
 * @param start UTF-16 index of the first character inside the document text
 * @param end UTF-16 index one past the last character
 * @param text the passage text
 */
public record Passage(String documentId, int passageId, int start, int end, String text) {}
