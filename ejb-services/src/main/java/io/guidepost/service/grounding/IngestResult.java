package io.guidepost.service.grounding;

/**
 * The outcome of one ingest request, committed and visible to searches when returned.
 *
 * @param documents documents written (new or replacing)
 * @param replaced how many of them replaced a document with the same id
 * @param passages passages written
 */
public record IngestResult(int documents, int replaced, int passages) {}
