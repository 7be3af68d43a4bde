package io.guidepost.service.grounding;

/**
 * One search result: a passage, the title of its document and its BM25 score (higher is better).
 *
 * @param passage the passage
 * @param documentTitle the title of the passage's document, or {@code null}
 * @param score the BM25 score
 */
public record PassageHit(Passage passage, String documentTitle, float score) {}
