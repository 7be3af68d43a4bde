package io.guidepost.grammar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random sentences of a lowered {@link ContextFreeGrammar}, for tests: a random derivation from the
 * start symbol (below a depth, always the production with the shortest yield, so every sample
 * ends), each lexeme replaced by a random string of its DFA (steered to acceptance past a length).
 * Every sample is a sentence of the grammar by construction, so checking samples with an
 * independent validator checks that the grammar derives only valid documents.
 */
final class GrammarSampler {
  private final ContextFreeGrammar g;
  private final long[] shortest; // nonterminal -> fewest bytes it derives
  private final int[][] dist; // lexeme -> state -> bytes to acceptance
  private final List<List<List<Integer>>> bytesOf = new ArrayList<>(); // lexeme -> class -> bytes

  GrammarSampler(ContextFreeGrammar g) {
    this.g = g;
    int nLex = g.lexemes.length;
    dist = new int[nLex][];
    for (int t = 0; t < nLex; t++) {
      dist[t] = distances(g.lexemes[t]);
      List<List<Integer>> classes = new ArrayList<>();
      for (int c = 0; c < g.lexemes[t].classCount(); c++) {
        classes.add(new ArrayList<>());
      }
      for (int b = 0; b < 256; b++) {
        classes.get(g.lexemes[t].byteClass(b)).add(b);
      }
      bytesOf.add(classes);
    }
    shortest = new long[g.names.length];
    Arrays.fill(shortest, Long.MAX_VALUE);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int r = 0; r < g.lhs.length; r++) {
        long c = cost(r);
        if (c < shortest[g.lhs[r]]) {
          shortest[g.lhs[r]] = c;
          changed = true;
        }
      }
    }
  }

  /** {@code count} random sentences, as text. */
  List<String> samples(long seed, int count, int maxDepth, int lexemeBudget) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      expand(0, 0, r, maxDepth, lexemeBudget, b);
      out.add(b.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  private void expand(
      int nt, int depth, Random r, int maxDepth, int budget, ByteArrayOutputStream out) {
    int[] prods = g.rulesOf[nt];
    int p;
    if (depth >= maxDepth) {
      p = -1;
      for (int q : prods) {
        if (p < 0 || cost(q) < cost(p)) {
          p = q;
        }
      }
    } else {
      List<Integer> usable = new ArrayList<>();
      for (int q : prods) {
        if (cost(q) != Long.MAX_VALUE) {
          usable.add(q);
        }
      }
      p = usable.get(r.nextInt(usable.size()));
    }
    for (int pos = g.ruleStart[p]; g.rhs[pos] != ContextFreeGrammar.END; pos++) {
      int s = g.rhs[pos];
      if (s >= 0) {
        expand(s, depth + 1, r, maxDepth, budget, out);
      } else {
        lexeme(-s - 1, r, budget, out);
      }
    }
  }

  private void lexeme(int t, Random r, int budget, ByteArrayOutputStream out) {
    ByteDfa d = g.lexemes[t];
    int s = d.initialState();
    int len = 0;
    while (true) {
      if (d.isAccepting(s) && (r.nextInt(4) == 0 || len > budget)) {
        return;
      }
      List<Integer> options = new ArrayList<>();
      for (int c = 0; c < d.classCount(); c++) {
        int n = d.stepClass(s, c);
        if (n >= 0
            && dist[t][n] != Integer.MAX_VALUE
            && (len <= budget || dist[t][n] < dist[t][s])) {
          options.add(c);
        }
      }
      if (options.isEmpty()) {
        return; // accepting with no way on
      }
      int c = options.get(r.nextInt(options.size()));
      List<Integer> bs = bytesOf.get(t).get(c);
      out.write(bs.get(r.nextInt(bs.size())));
      s = d.stepClass(s, c);
      len++;
    }
  }

  private long cost(int production) {
    long total = 0;
    for (int pos = g.ruleStart[production]; g.rhs[pos] != ContextFreeGrammar.END; pos++) {
      int s = g.rhs[pos];
      long c = s >= 0 ? shortest[s] : dist[-s - 1][g.lexemes[-s - 1].initialState()];
      if (c == Long.MAX_VALUE || c == Integer.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
      total += c;
    }
    return total;
  }

  /** For every state of {@code d}, the fewest bytes to an accepting state (reverse BFS). */
  static int[] distances(ByteDfa d) {
    int n = d.stateCount();
    int[] dist = new int[n];
    Arrays.fill(dist, Integer.MAX_VALUE);
    List<List<Integer>> rev = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      rev.add(new ArrayList<>());
    }
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int s = 0; s < n; s++) {
      for (int c = 0; c < d.classCount(); c++) {
        int t = d.stepClass(s, c);
        if (t >= 0) {
          rev.get(t).add(s);
        }
      }
      if (d.isAccepting(s)) {
        dist[s] = 0;
        queue.add(s);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      for (int p : rev.get(s)) {
        if (dist[p] == Integer.MAX_VALUE) {
          dist[p] = dist[s] + 1;
          queue.add(p);
        }
      }
    }
    return dist;
  }
}
