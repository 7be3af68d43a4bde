package io.guidepost.service.grounding;

import java.util.Map;

/**
 * A document to ingest into (or read back from) a corpus.
 *
 * <p>Immutable record; {@code metadata} is copied into an unmodifiable map that keeps the caller's
 * iteration order. Validation against the store's rules and limits happens on ingest, not here.
 *
 * @param id caller-chosen identifier, unique within the corpus (1 to 256 characters); ingesting the
 *     same id again replaces the document and its passages
 * @param title optional title ({@code null} allowed, stored and returned as is)
 * @param text the text; must contain a non-whitespace character
 * @param metadata optional string key/value pairs ({@code null} means none)
 */
public record Document(String id, String title, String text, Map<String, String> metadata) {
  /** Copies {@code metadata}; {@code null} becomes empty. */
  public Document {
    metadata =
        metadata == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }

  /** A document without title or metadata. */
  public static Document of(String id, String text) {
    return new Document(id, null, text, null);
  }
}
