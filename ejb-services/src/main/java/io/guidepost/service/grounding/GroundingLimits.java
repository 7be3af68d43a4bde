package io.guidepost.service.grounding;

/**
 * Size limits of the corpus store and the code-list registry. Exceeding one is answered with {@link
 * GroundingException.LimitExceeded} naming the limit (by the key below) and both numbers; nothing
 * is stored by a request that fails a limit.
 *
 * <p>Defaults ({@link #DEFAULTS}) and configuration keys (MicroProfile Config, read by the beans):
 *
 * <ul>
 *   <li>{@code max-corpora} = 100: corpora in one data directory.
 *   <li>{@code max-document-bytes} = 4 MiB: UTF-8 bytes of one document's text.
 *   <li>{@code max-documents-per-ingest} = 10,000: documents (NDJSON lines) in one ingest request.
 *   <li>{@code max-passages-per-corpus} = 2,000,000: passages in one corpus.
 *   <li>{@code max-top-k} = 1,000: results of one corpus search.
 *   <li>{@code max-query-terms} = 1,024: analysed terms in one corpus query, distinct analysed
 *       terms plus code-like tokens in one clinical text; at most Lucene's clause limit ({@link
 *       org.apache.lucene.search.IndexSearcher#getMaxClauseCount()}, 1,024 by default).
 *   <li>{@code max-code-lists} = 32: code lists in one data directory.
 *   <li>{@code max-codes-per-list} = 200,000: codes in one code list (ICD-10-CM has about 74,000).
 * </ul>
 *
 * <p>Immutable record.
 *
 * @param maxCorpora corpora in one data directory
 * @param maxDocumentBytes UTF-8 bytes of one document's text
 * @param maxDocumentsPerIngest documents in one ingest request
 * @param maxPassagesPerCorpus passages in one corpus
 * @param maxTopK results of one search
 * @param maxQueryTerms distinct analysed terms of a query
 * @param maxCodeLists code lists in one data directory
 * @param maxCodesPerList codes in one code list
 */
public record GroundingLimits(
    int maxCorpora,
    long maxDocumentBytes,
    int maxDocumentsPerIngest,
    long maxPassagesPerCorpus,
    int maxTopK,
    int maxQueryTerms,
    int maxCodeLists,
    int maxCodesPerList) {

  /** The documented defaults. */
  public static final GroundingLimits DEFAULTS =
      new GroundingLimits(100, 4L << 20, 10_000, 2_000_000L, 1_000, 1_024, 32, 200_000);

  /** Rejects non-positive limits. */
  public GroundingLimits {
    positive("max-corpora", maxCorpora);
    positive("max-document-bytes", maxDocumentBytes);
    positive("max-documents-per-ingest", maxDocumentsPerIngest);
    positive("max-passages-per-corpus", maxPassagesPerCorpus);
    positive("max-top-k", maxTopK);
    positive("max-query-terms", maxQueryTerms);
    positive("max-code-lists", maxCodeLists);
    if (maxQueryTerms > org.apache.lucene.search.IndexSearcher.getMaxClauseCount()) {
      throw new IllegalArgumentException(
          "max-query-terms must not exceed Lucene's clause limit "
              + org.apache.lucene.search.IndexSearcher.getMaxClauseCount()
              + ", got "
              + maxQueryTerms);
    }
    positive("max-codes-per-list", maxCodesPerList);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
