package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hand-built DFAs for tests, before the grammar compilers are merged: sequences of byte sets with
 * repetition (subset construction over a tiny NFA), word lists (a trie), literals, random DFAs.
 */
final class TestDfas {
  private TestDfas() {}

  /** One element of a sequence: a byte set repeated {@code min..max} times (max -1 = unbounded). */
  record Part(boolean[] set, int min, int max) {}

  static boolean[] bytes(String chars) {
    boolean[] s = new boolean[256];
    for (byte b : chars.getBytes(StandardCharsets.UTF_8)) {
      s[b & 0xFF] = true;
    }
    return s;
  }

  static boolean[] range(int lo, int hi) {
    boolean[] s = new boolean[256];
    for (int b = lo; b <= hi; b++) {
      s[b] = true;
    }
    return s;
  }

  static boolean[] union(boolean[]... sets) {
    boolean[] s = new boolean[256];
    for (boolean[] x : sets) {
      for (int b = 0; b < 256; b++) {
        s[b] |= x[b];
      }
    }
    return s;
  }

  static boolean[] minus(boolean[] a, boolean[] b) {
    boolean[] s = a.clone();
    for (int i = 0; i < 256; i++) {
      s[i] &= !b[i];
    }
    return s;
  }

  static Part one(boolean[] set) {
    return new Part(set, 1, 1);
  }

  static Part rep(boolean[] set, int min, int max) {
    return new Part(set, min, max);
  }

  static List<Part> literal(String text) {
    List<Part> out = new ArrayList<>();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      boolean[] s = new boolean[256];
      s[b & 0xFF] = true;
      out.add(one(s));
    }
    return out;
  }

  /** A DFA for the concatenation of the parts (subset construction). */
  static ByteDfa sequence(List<Part> parts) {
    // Slots: each part expands to min mandatory slots, then (max-min) optional slots or one star.
    List<boolean[]> sets = new ArrayList<>();
    List<Integer> kinds = new ArrayList<>(); // 0 mandatory, 1 optional, 2 star
    for (Part p : parts) {
      for (int i = 0; i < p.min(); i++) {
        sets.add(p.set());
        kinds.add(0);
      }
      if (p.max() < 0) {
        sets.add(p.set());
        kinds.add(2);
      } else {
        for (int i = p.min(); i < p.max(); i++) {
          sets.add(p.set());
          kinds.add(1);
        }
      }
    }
    int n = sets.size();
    ByteDfa.Builder b = ByteDfa.builder();
    Map<BitSet, Integer> ids = new HashMap<>();
    List<BitSet> work = new ArrayList<>();
    BitSet start = closure(single(0), kinds, n);
    ids.put(start, b.addState(start.get(n)));
    work.add(start);
    for (int w = 0; w < work.size(); w++) {
      BitSet cur = work.get(w);
      int from = ids.get(cur);
      for (int by = 0; by < 256; by++) {
        BitSet next = new BitSet();
        for (int k = cur.nextSetBit(0); k >= 0 && k < n; k = cur.nextSetBit(k + 1)) {
          if (sets.get(k)[by]) {
            next.set(kinds.get(k) == 2 ? k : k + 1);
          }
        }
        if (next.isEmpty()) {
          continue;
        }
        next = closure(next, kinds, n);
        Integer to = ids.get(next);
        if (to == null) {
          to = b.addState(next.get(n));
          ids.put(next, to);
          work.add(next);
        }
        b.addTransition(from, by, by, to);
      }
    }
    return b.build();
  }

  private static BitSet single(int k) {
    BitSet s = new BitSet();
    s.set(k);
    return s;
  }

  private static BitSet closure(BitSet s, List<Integer> kinds, int n) {
    BitSet c = (BitSet) s.clone();
    for (int k = 0; k < n; k++) {
      if (c.get(k) && kinds.get(k) != 0) {
        c.set(k + 1);
      }
    }
    return c;
  }

  /** A DFA accepting exactly the given strings (a trie). */
  static ByteDfa words(List<String> words) {
    ByteDfa.Builder b = ByteDfa.builder();
    int root = b.addState(false);
    List<int[]> children = new ArrayList<>(); // per state: 256 targets, lazily
    children.add(null);
    for (String w : words) {
      int s = root;
      for (byte by : w.getBytes(StandardCharsets.UTF_8)) {
        int[] ch = children.get(s);
        if (ch == null) {
          ch = new int[256];
          java.util.Arrays.fill(ch, -1);
          children.set(s, ch);
        }
        int t = ch[by & 0xFF];
        if (t < 0) {
          t = b.addState(false);
          children.add(null);
          ch[by & 0xFF] = t;
          b.addTransition(s, by & 0xFF, by & 0xFF, t);
        }
        s = t;
      }
      b.setAccepting(s, true);
    }
    return b.build();
  }

  /** A random DFA: {@code states} states, each with a few random byte-range transitions. */
  static ByteDfa random(Random rnd, int states, String alphabet) {
    byte[] alpha = alphabet.getBytes(StandardCharsets.UTF_8);
    ByteDfa.Builder b = ByteDfa.builder();
    for (int i = 0; i < states; i++) {
      b.addState(rnd.nextInt(4) == 0);
    }
    for (int s = 0; s < states; s++) {
      int edges = 1 + rnd.nextInt(4);
      boolean[] used = new boolean[256];
      for (int e = 0; e < edges; e++) {
        int by = alpha[rnd.nextInt(alpha.length)] & 0xFF;
        if (!used[by]) {
          used[by] = true;
          b.addTransition(s, by, by, rnd.nextInt(states));
        }
      }
    }
    b.setAccepting(states - 1, true);
    return b.build();
  }

  // The benchmark-like shapes, hand-built.

  static final boolean[] DIGIT = range('0', '9');
  static final boolean[] UPPER = range('A', 'Z');
  static final boolean[] LOWER = range('a', 'z');

  /** {@code [A-Z][0-9]{2}\.[0-9]{1,2}}. */
  static ByteDfa code() {
    List<Part> p = new ArrayList<>();
    p.add(one(UPPER));
    p.add(rep(DIGIT, 2, 2));
    p.addAll(literal("."));
    p.add(rep(DIGIT, 1, 2));
    return sequence(p);
  }

  /** {@code [a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,4}}. */
  static ByteDfa email() {
    List<Part> p = new ArrayList<>();
    p.add(rep(union(LOWER, DIGIT, bytes("._%+-")), 1, -1));
    p.addAll(literal("@"));
    p.add(rep(union(LOWER, DIGIT, bytes(".-")), 1, -1));
    p.addAll(literal("."));
    p.add(rep(LOWER, 2, 4));
    return sequence(p);
  }

  /**
   * A JSON-object shape: {@code {"name": "<string>", "age": <integer>}} where the string is any
   * UTF-8 text without quote, backslash or control characters (well-formed UTF-8 enforced).
   */
  static ByteDfa jsonish() {
    ByteDfa.Builder b = ByteDfa.builder();
    int s = b.addState(false);
    s = lit(b, s, "{\"name\": \"");
    int str = s;
    // ASCII content.
    b.addTransition(str, 0x20, 0x21, str);
    b.addTransition(str, 0x23, 0x5B, str);
    b.addTransition(str, 0x5D, 0x7E, str);
    // 2-byte sequences.
    int c1 = b.addState(false);
    b.addTransition(str, 0xC2, 0xDF, c1);
    b.addTransition(c1, 0x80, 0xBF, str);
    // 3-byte sequences (E1..EC, simplified: no surrogate exclusion needed for E1..EC).
    int c2 = b.addState(false);
    int c2b = b.addState(false);
    b.addTransition(str, 0xE1, 0xEC, c2);
    b.addTransition(c2, 0x80, 0xBF, c2b);
    b.addTransition(c2b, 0x80, 0xBF, str);
    int afterName = lit(b, str, "\", \"age\": ");
    int digits = b.addState(true);
    int zero = b.addState(false);
    b.addTransition(afterName, '1', '9', digits);
    b.addTransition(afterName, '0', '0', zero);
    b.addTransition(digits, '0', '9', digits);
    int end = b.addState(true);
    b.addTransition(digits, '}', '}', end);
    b.addTransition(zero, '}', '}', end);
    b.setAccepting(digits, false);
    return b.build();
  }

  /** Adds states for a literal from {@code s}; returns the state after it. */
  static int lit(ByteDfa.Builder b, int s, String text) {
    for (byte by : text.getBytes(StandardCharsets.UTF_8)) {
      int t = b.addState(false);
      b.addTransition(s, by & 0xFF, by & 0xFF, t);
      s = t;
    }
    return s;
  }

  /** A DFA accepting exactly {@code text}. */
  static ByteDfa literalDfa(String text) {
    ByteDfa.Builder b = ByteDfa.builder();
    int s = b.addState(false);
    s = lit(b, s, text);
    b.setAccepting(s, true);
    return b.build();
  }
}
