package io.guidepost.service.grounding;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads the grounding settings from configuration keys (MicroProfile Config in the server, a map in
 * tests): {@code guidepost.data.dir} (required) and {@code guidepost.grounding.<limit>} for each
 * limit of {@link GroundingLimits} (optional, defaults there).
 *
 * <p>Stateless; thread-safe.
 */
final class GroundingConfig {
  static final String DATA_DIR = "guidepost.data.dir";
  static final String PREFIX = "guidepost.grounding.";

  private GroundingConfig() {}

  /** The data directory; throws {@link IllegalStateException} when it is not configured. */
  static Path dataDir(Function<String, String> lookup) {
    String v = lookup.apply(DATA_DIR);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(DATA_DIR + " is not configured");
    }
    return Path.of(v);
  }

  /** The limits, each from its key when set, else the default. */
  static GroundingLimits limits(Function<String, String> lookup) {
    GroundingLimits d = GroundingLimits.DEFAULTS;
    return new GroundingLimits(
        readInt(lookup, "max-corpora", d.maxCorpora()),
        readLong(lookup, "max-document-bytes", d.maxDocumentBytes(), Long.MAX_VALUE),
        readInt(lookup, "max-documents-per-ingest", d.maxDocumentsPerIngest()),
        readLong(lookup, "max-passages-per-corpus", d.maxPassagesPerCorpus(), Long.MAX_VALUE),
        readInt(lookup, "max-top-k", d.maxTopK()),
        readInt(lookup, "max-query-terms", d.maxQueryTerms()),
        readInt(lookup, "max-code-lists", d.maxCodeLists()),
        readInt(lookup, "max-codes-per-list", d.maxCodesPerList()));
  }

  private static int readInt(Function<String, String> lookup, String key, int fallback) {
    return (int) readLong(lookup, key, fallback, Integer.MAX_VALUE);
  }

  private static long readLong(
      Function<String, String> lookup, String key, long fallback, long max) {
    String v = lookup.apply(PREFIX + key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n <= 0 || n > max) {
      throw new IllegalStateException(
          PREFIX + key + " must be an integer from 1 to " + max + ", got '" + v + "'");
    }
    return n;
  }
}
