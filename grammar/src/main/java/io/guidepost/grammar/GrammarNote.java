package io.guidepost.grammar;

/**
 * Something a grammar's text wrote that does not change the set of strings it accepts, such as a
 * Lark priority ({@code rule.2: ...}): reported with the compiled constraint, never dropped
 * silently.
 *
 * @param line 1-based line in the grammar text
 * @param column 1-based column (UTF-16 units)
 * @param note what was written and why it does not constrain the output
 */
public record GrammarNote(int line, int column, String note) {}
