package io.guidepost.service.grounding;

/**
 * A code suggested for a clinical text.
 *
 * @param code the code in the list's presented form (e.g. {@code E11.65})
 * @param description its description
 * @param score relevance (BM25 over the description, plus a bonus when the text names the code); 0
 *     for codes that match nothing (only returned when all codes are asked for)
 */
public record CodeCandidate(String code, String description, float score) {}
