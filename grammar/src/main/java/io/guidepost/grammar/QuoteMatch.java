package io.guidepost.grammar;

/**
 * Where a quoted output occurs in the quote's passages.
 *
 * @param passage index of the passage in the list given to {@link Quote#compile}
 * @param start start offset in the passage, in UTF-16 chars (inclusive; {@code String.substring})
 * @param end end offset in the passage, in UTF-16 chars (exclusive)
 * @param startCodePoint the same start, in code points
 * @param endCodePoint the same end, in code points
 */
public record QuoteMatch(int passage, int start, int end, int startCodePoint, int endCodePoint) {}
