package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built byte DFAs for generation tests, independent of the grammar compilers: a chain of
 * literal and repeated character-class segments (a regex without alternation, each class disjoint
 * from what may follow it), a trie over a list of strings, and the substrings of a passage.
 */
final class GenerationTestDfas {

  private GenerationTestDfas() {}

  /** A chain of segments; build with {@link #lit} and {@link #rep}. */
  static final class Chain {
    private final ByteDfa.Builder b = ByteDfa.builder();
    private List<Integer> frontier = new ArrayList<>();

    Chain() {
      frontier.add(b.addState(false));
    }

    Chain lit(String s) {
      for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
        int t = b.addState(false);
        for (int f : frontier) {
          b.addTransition(f, x & 0xFF, x & 0xFF, t);
        }
        frontier = new ArrayList<>(List.of(t));
      }
      return this;
    }

    /** {@code ranges} are inclusive ASCII pairs, e.g. "AZaz". */
    Chain rep(String ranges, int min, int max) {
      List<Integer> next = new ArrayList<>();
      if (min == 0) {
        next.addAll(frontier);
      }
      List<Integer> from = frontier;
      for (int i = 1; i <= max; i++) {
        int t = b.addState(false);
        for (int f : from) {
          for (int r = 0; r < ranges.length(); r += 2) {
            b.addTransition(f, ranges.charAt(r), ranges.charAt(r + 1), t);
          }
        }
        if (i >= min) {
          next.add(t);
        }
        from = List.of(t);
      }
      frontier = next;
      return this;
    }

    ByteDfa build() {
      for (int f : frontier) {
        b.setAccepting(f, true);
      }
      return b.build();
    }
  }

  /** Accepts exactly the given strings. */
  static ByteDfa choice(List<String> strings) {
    ByteDfa.Builder b = ByteDfa.builder();
    int root = b.addState(false);
    Map<Long, Integer> edges = new HashMap<>();
    for (String s : strings) {
      int at = root;
      for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
        long key = ((long) at << 8) | (x & 0xFF);
        Integer t = edges.get(key);
        if (t == null) {
          t = b.addState(false);
          edges.put(key, t);
          b.addTransition(at, x & 0xFF, x & 0xFF, t);
        }
        at = t;
      }
      b.setAccepting(at, true);
    }
    return b.build();
  }

  /**
   * Accepts every non-empty substring of {@code passage} that starts and ends on a character
   * boundary (a trie of its suffixes, accepting after complete UTF-8 sequences only).
   */
  static ByteDfa substrings(String passage) {
    byte[] p = passage.getBytes(StandardCharsets.UTF_8);
    ByteDfa.Builder b = ByteDfa.builder();
    int root = b.addState(false);
    Map<Long, Integer> edges = new HashMap<>();
    for (int start = 0; start < p.length; start++) {
      if ((p[start] & 0xC0) == 0x80) {
        continue;
      }
      int at = root;
      for (int i = start; i < p.length; i++) {
        long key = ((long) at << 8) | (p[i] & 0xFF);
        Integer t = edges.get(key);
        if (t == null) {
          t = b.addState(false);
          edges.put(key, t);
          b.addTransition(at, p[i] & 0xFF, p[i] & 0xFF, t);
        }
        boolean charEnds = i + 1 == p.length || (p[i + 1] & 0xC0) != 0x80;
        if (charEnds) {
          b.setAccepting(t, true);
        }
        at = t;
      }
    }
    return b.build();
  }
}
