package io.guidepost.service.grounding;

/**
 * What a corpus holds, as of its last committed change.
 *
 * @param name the corpus name
 * @param settings how it splits documents
 * @param documents the number of documents
 * @param passages the number of passages
 */
public record CorpusInfo(String name, PassageSettings settings, long documents, long passages) {}
