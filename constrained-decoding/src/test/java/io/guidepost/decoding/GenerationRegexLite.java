package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small regex-to-ByteDfa compiler for tests and benchmarks only (the project's real compiler
 * lives in the grammar module): literals (UTF-8 bytes), {@code \} escapes, ASCII classes {@code
 * [a-z]} and {@code [^...]}, groups, {@code |}, {@code ? * +} and {@code {m,n}}. Thompson NFA, then
 * subset construction over bytes. Whole-string match semantics; no anchors.
 */
final class GenerationRegexLite {

  private final List<int[]> edges = new ArrayList<>(); // {from, lo, hi, to}; lo = -1: epsilon
  private int states;
  private final byte[] src;
  private int pos;

  private GenerationRegexLite(String regex) {
    this.src = regex.getBytes(StandardCharsets.UTF_8);
  }

  static ByteDfa compile(String regex) {
    GenerationRegexLite r = new GenerationRegexLite(regex);
    int[] frag = r.alternation();
    if (r.pos != r.src.length) {
      throw new IllegalArgumentException("unexpected ')' at " + r.pos);
    }
    return r.determinize(frag[0], frag[1]);
  }

  private int state() {
    return states++;
  }

  private void edge(int from, int lo, int hi, int to) {
    edges.add(new int[] {from, lo, hi, to});
  }

  private int[] alternation() {
    int[] first = sequence();
    if (pos >= src.length || src[pos] != '|') {
      return first;
    }
    int s = state();
    int e = state();
    edge(s, -1, -1, first[0]);
    edge(first[1], -1, -1, e);
    while (pos < src.length && src[pos] == '|') {
      pos++;
      int[] next = sequence();
      edge(s, -1, -1, next[0]);
      edge(next[1], -1, -1, e);
    }
    return new int[] {s, e};
  }

  private int[] sequence() {
    int s = state();
    int end = s;
    while (pos < src.length && src[pos] != '|' && src[pos] != ')') {
      int atomStart = pos;
      int[] atom = atom();
      int atomEnd = pos;
      atom = quantified(atom, atomStart, atomEnd);
      edge(end, -1, -1, atom[0]);
      end = atom[1];
    }
    return new int[] {s, end};
  }

  private int[] quantified(int[] atom, int atomStart, int atomEnd) {
    if (pos >= src.length) {
      return atom;
    }
    int c = src[pos];
    if (c == '?' || c == '*' || c == '+') {
      pos++;
      int s = state();
      int e = state();
      edge(s, -1, -1, atom[0]);
      edge(atom[1], -1, -1, e);
      if (c != '+') {
        edge(s, -1, -1, e);
      }
      if (c != '?') {
        edge(atom[1], -1, -1, atom[0]);
      }
      return new int[] {s, e};
    }
    if (c == '{') {
      int close = pos;
      while (src[close] != '}') {
        close++;
      }
      String[] mn = new String(src, pos + 1, close - pos - 1, StandardCharsets.US_ASCII).split(",");
      int min = Integer.parseInt(mn[0]);
      int max = mn.length == 1 ? min : Integer.parseInt(mn[1]);
      pos = close + 1;
      int afterQuantifier = pos;
      // Re-parse the atom text for each copy.
      int s = state();
      int end = s;
      List<Integer> optionalEnds = new ArrayList<>();
      for (int i = 0; i < max; i++) {
        int[] copy = i == 0 ? atom : reparse(atomStart, atomEnd);
        if (i >= min) {
          optionalEnds.add(end);
        }
        edge(end, -1, -1, copy[0]);
        end = copy[1];
      }
      int e = state();
      edge(end, -1, -1, e);
      for (int o : optionalEnds) {
        edge(o, -1, -1, e);
      }
      pos = afterQuantifier;
      return new int[] {s, e};
    }
    return atom;
  }

  private int[] reparse(int from, int to) {
    int saved = pos;
    pos = from;
    int[] a = atom();
    if (pos != to) {
      throw new IllegalStateException("reparse mismatch");
    }
    pos = saved;
    return a;
  }

  private int[] atom() {
    int c = src[pos] & 0xFF;
    int s = state();
    int e = state();
    if (c == '(') {
      pos++;
      int[] inner = alternation();
      pos++; // ')'
      edge(s, -1, -1, inner[0]);
      edge(inner[1], -1, -1, e);
      return new int[] {s, e};
    }
    if (c == '[') {
      pos++;
      boolean negate = src[pos] == '^';
      if (negate) {
        pos++;
      }
      BitSet set = new BitSet(256);
      while (src[pos] != ']') {
        int lo = classChar();
        int hi = lo;
        if (src[pos] == '-' && src[pos + 1] != ']') {
          pos++;
          hi = classChar();
        }
        set.set(lo, hi + 1);
      }
      pos++;
      if (negate) {
        set.flip(0, 128); // ASCII complement; non-ASCII bytes are never in a class
      }
      for (int b = set.nextSetBit(0); b >= 0; b = set.nextSetBit(b + 1)) {
        edge(s, b, b, e);
      }
      return new int[] {s, e};
    }
    if (c == '\\') {
      pos++;
      c = escaped();
    } else {
      pos++;
    }
    edge(s, c, c, e);
    return new int[] {s, e};
  }

  private int classChar() {
    int c = src[pos] & 0xFF;
    if (c == '\\') {
      pos++;
      return escaped();
    }
    pos++;
    return c;
  }

  /** The byte of the escape at {@code pos} (after the backslash): {@code \xHH} or a literal. */
  private int escaped() {
    int c = src[pos] & 0xFF;
    if (c == 'x') {
      int v = Integer.parseInt(new String(src, pos + 1, 2, StandardCharsets.US_ASCII), 16);
      pos += 3;
      return v;
    }
    pos++;
    return c;
  }

  private ByteDfa determinize(int start, int accept) {
    List<List<int[]>> out = new ArrayList<>();
    for (int i = 0; i < states; i++) {
      out.add(new ArrayList<>());
    }
    for (int[] e : edges) {
      out.get(e[0]).add(e);
    }
    ByteDfa.Builder b = ByteDfa.builder();
    Map<BitSet, Integer> ids = new HashMap<>();
    ArrayDeque<BitSet> work = new ArrayDeque<>();
    BitSet init = closure(single(start), out);
    ids.put(init, b.addState(init.get(accept)));
    work.add(init);
    while (!work.isEmpty()) {
      BitSet cur = work.poll();
      int from = ids.get(cur);
      BitSet[] next = new BitSet[256];
      for (int s = cur.nextSetBit(0); s >= 0; s = cur.nextSetBit(s + 1)) {
        for (int[] e : out.get(s)) {
          if (e[1] >= 0) {
            for (int x = e[1]; x <= e[2]; x++) {
              if (next[x] == null) {
                next[x] = new BitSet();
              }
              next[x].set(e[3]);
            }
          }
        }
      }
      for (int x = 0; x < 256; x++) {
        if (next[x] == null) {
          continue;
        }
        BitSet t = closure(next[x], out);
        Integer id = ids.get(t);
        if (id == null) {
          id = b.addState(t.get(accept));
          ids.put(t, id);
          work.add(t);
        }
        b.addTransition(from, x, x, id);
      }
    }
    return b.build();
  }

  private static BitSet single(int s) {
    BitSet b = new BitSet();
    b.set(s);
    return b;
  }

  private static BitSet closure(BitSet set, List<List<int[]>> out) {
    BitSet result = (BitSet) set.clone();
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    for (int s = set.nextSetBit(0); s >= 0; s = set.nextSetBit(s + 1)) {
      stack.push(s);
    }
    while (!stack.isEmpty()) {
      int s = stack.pop();
      for (int[] e : out.get(s)) {
        if (e[1] < 0 && !result.get(e[3])) {
          result.set(e[3]);
          stack.push(e[3]);
        }
      }
    }
    return result;
  }
}
