package io.guidepost.decoding;

/**
 * A compiled constraint lifted to a vocabulary: a regular one ({@link TokenAutomaton}, masks
 * memoised per DFA state) or a context-free one ({@link GrammarAutomaton}, masks computed by the
 * parser-driven trie walk). Shared by all requests; each generation takes a fresh cursor.
 */
public sealed interface TokenConstraint permits TokenAutomaton, GrammarAutomaton {
  /** A fresh per-request cursor at the start of the output. */
  ConstraintCursor newCursor();

  /** The vocabulary. */
  Vocabulary vocabulary();

  /** Bytes of memoised masks currently kept (approximate heap footprint). */
  long cacheBytes();
}
