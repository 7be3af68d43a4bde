package io.guidepost.grammar;

/**
 * The text one named template hole produced.
 *
 * @param name the hole's name
 * @param text the captured text
 * @param start start offset in the output, in UTF-16 chars (inclusive)
 * @param end end offset in the output, in UTF-16 chars (exclusive)
 */
public record Capture(String name, String text, int start, int end) {}
