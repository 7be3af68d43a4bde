package io.guidepost.decoding;

import io.guidepost.grammar.ByteDfa;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fast-forward: when the constraint forces the next bytes (a JSON key, the literal text of a
 * template, the rest of a unique choice), produce their tokens without sampling so the model can
 * take several in one forward pass.
 *
 * <p>Algorithm: the forced bytes {@code F} ({@link ConstraintCursor#forcedBytes()}), cut to their
 * longest well-formed UTF-8 prefix, are tokenized the way the tokenizer would tokenize them as a
 * continuation of the output (its canonical tokenization, without the word-start {@code ▁} a
 * SentencePiece normalizer prepends: the text is encoded after a newline sentinel, which no Phi-3
 * merge crosses, and the sentinel's tokens are removed). The right boundary is healed: the last
 * canonical token is held back when the text that follows {@code F} could merge with the end of
 * {@code F} into a different token, that is when some vocabulary token starts inside {@code F},
 * spells the rest of {@code F} and goes on past its end along a path the DFA keeps alive (a
 * "crossing" token, found by walking the vocabulary trie with the DFA from the state after {@code
 * F}). When no token crosses, no BPE merge can cross the end of {@code F} either, so the canonical
 * tokens of {@code F} followed by those of the rest equal the canonical tokens of the whole text,
 * and nothing is held back. The left boundary (a merge of {@code F}'s start with the token before
 * it) cannot be healed without undoing emitted tokens and is left as is. When the tokenizer's
 * tokens do not spell {@code F} exactly (an unusual tokenizer), the longest-match tokenization over
 * the vocabulary is used instead; either way every token is checked against the cursor's mask
 * before it is advanced.
 *
 * <p>Thread-safety: immutable, shared by all requests. Cost: one native encode of {@code F} per
 * forced stretch (allocation per stretch, not per step), plus the crossing check: one trie descent
 * per byte offset of the last {@code maxTokenBytes} bytes of {@code F} and a DFA walk of the
 * subtree below each descent that reaches the end, stopping at the first live token.
 */
public final class ForcedTokens {
  private static final int[] NONE = new int[0];
  private static final String SENTINEL = "\n";

  private final Tokenizer tokenizer;
  private final Vocabulary vocab;
  private final byte[] sentinelBytes; // what the tokenizer's tokens for SENTINEL spell

  public ForcedTokens(Tokenizer tokenizer, Vocabulary vocab) {
    this.tokenizer = tokenizer;
    this.vocab = vocab;
    this.sentinelBytes = spell(tokenizer.encode(SENTINEL));
  }

  /**
   * Advances {@code cursor} over the forced tokens of its current state and returns them (empty
   * when nothing is forced, or when the forced stretch is a single token that must be held back).
   * The generation loop appends the returned tokens to the model in one call and counts them
   * separately ({@link FastForwardCursor#forcedTokenCount()}).
   *
   * @param maxTokens the most tokens to take (the remaining output budget)
   */
  public int[] next(FastForwardCursor cursor, int maxTokens) {
    return next(cursor, maxTokens, null);
  }

  /**
   * Same as {@link #next(FastForwardCursor, int)}; when the last canonical token of the forced
   * bytes was held back (a valid token crosses their end), {@code heldBack[0]} receives it (allowed
   * at the cursor's new state), else -1. The generation loop may append it speculatively.
   */
  public int[] next(FastForwardCursor cursor, int maxTokens, int[] heldBack) {
    if (heldBack != null) {
      heldBack[0] = -1;
    }
    byte[] forced = cursor.forcedBytes();
    if (forced.length == 0 || maxTokens <= 0) {
      return NONE;
    }
    int valid = wellFormedPrefix(forced);
    if (valid == 0) {
      return NONE;
    }
    byte[] text = valid == forced.length ? forced : Arrays.copyOf(forced, valid);
    int[] ids = tokenizeContinuation(text);
    boolean crosses = cursor.crossesEnd(this, text);
    int take = crosses ? ids.length - 1 : ids.length;
    take = Math.min(take, maxTokens);
    int n = 0;
    while (n < take && cursor.isAllowed(ids[n])) {
      cursor.advanceForced(ids[n]);
      n++;
    }
    if (heldBack != null
        && crosses
        && n == ids.length - 1
        && valid == forced.length
        && cursor.isAllowed(ids[n])) {
      heldBack[0] = ids[n];
    }
    return n == ids.length ? ids : Arrays.copyOf(ids, n);
  }

  /**
   * True when some text token starts at a byte offset of {@code text}, spells the rest of it, and
   * continues past its end with bytes the DFA (from {@code state}, the state before {@code text})
   * keeps alive: such a token could replace the last canonical tokens of {@code text} once the
   * following bytes are known.
   */
  boolean crossesEnd(ByteDfa dfa, int state, byte[] text) {
    TokenTrie trie = vocab.trie();
    int end = dfa.run(state, text, 0, text.length);
    if (!dfa.isLive(end)) {
      return false;
    }
    int[] states = new int[trie.maxDepth + 1];
    for (int k = Math.max(0, text.length - trie.maxDepth); k < text.length; k++) {
      int node = descend(trie, text, k);
      if (node < 0) {
        continue;
      }
      // Walk the subtree strictly below node with the DFA: any live token there crosses the end.
      int base = trie.depth[node];
      states[base] = end;
      int stop = trie.subtreeEnd[node];
      int i = node + 1;
      while (i < stop) {
        int d = trie.depth[i];
        int s = dfa.step(states[d - 1], trie.label[i] & 0xFF);
        if (!dfa.isLive(s)) {
          i = trie.subtreeEnd[i];
          continue;
        }
        if (trie.tokenStart[i + 1] > trie.tokenStart[i]) {
          return true;
        }
        states[d] = s;
        i++;
      }
    }
    return false;
  }

  /** The trie node spelling {@code text[from..]}, or -1 when no token starts with those bytes. */
  static int descend(TokenTrie trie, byte[] text, int from) {
    int i = 0;
    int end = trie.nodeCount;
    int node = -1;
    for (int p = from; p < text.length; p++) {
      byte want = text[p];
      node = -1;
      for (int c = i; c < end; c = trie.subtreeEnd[c]) {
        if (trie.label[c] == want) {
          node = c;
          break;
        }
      }
      if (node < 0) {
        return -1;
      }
      end = trie.subtreeEnd[node];
      i = node + 1;
    }
    return node;
  }

  /**
   * The canonical tokens of {@code text} as a continuation of the output: what the tokenizer
   * produces, without a prepended word-start space; their bytes spell {@code text} exactly.
   *
   * @param text well-formed UTF-8
   */
  public int[] tokenizeContinuation(byte[] text) {
    String s = new String(text, StandardCharsets.UTF_8);
    int[] direct = tokenizer.encode(s);
    if (Arrays.equals(spell(direct), text)) {
      return direct;
    }
    int[] withSentinel = tokenizer.encode(SENTINEL + s);
    int skip = 0;
    int spelled = 0;
    int[] off = vocab.packedOffsets();
    while (skip < withSentinel.length && spelled < sentinelBytes.length) {
      spelled += off[withSentinel[skip] + 1] - off[withSentinel[skip]];
      skip++;
    }
    if (spelled == sentinelBytes.length) {
      int[] rest = Arrays.copyOfRange(withSentinel, skip, withSentinel.length);
      if (Arrays.equals(spell(rest), text)) {
        return rest;
      }
    }
    return longestMatch(text);
  }

  /** Greedy longest-prefix tokenization over the vocabulary's text tokens (the fallback). */
  int[] longestMatch(byte[] text) {
    TokenTrie trie = vocab.trie();
    int[] out = new int[text.length];
    int n = 0;
    int pos = 0;
    while (pos < text.length) {
      int best = -1;
      int bestLen = 0;
      int i = 0;
      int depth = 0;
      // Walk down the trie along text[pos..]: at each level scan siblings for the next byte.
      int end = trie.nodeCount;
      while (i < end && pos + depth < text.length) {
        byte want = text[pos + depth];
        int node = -1;
        for (int c = i; c < end; c = trie.subtreeEnd[c]) {
          if (trie.label[c] == want) {
            node = c;
            break;
          }
        }
        if (node < 0) {
          break;
        }
        depth++;
        if (trie.tokenStart[node + 1] > trie.tokenStart[node]) {
          best = trie.tokens[trie.tokenStart[node]];
          bestLen = depth;
        }
        end = trie.subtreeEnd[node];
        i = node + 1;
      }
      if (best < 0) {
        break; // no token spells this byte: stop here, the rest is sampled
      }
      out[n++] = best;
      pos += bestLen;
    }
    return Arrays.copyOf(out, n);
  }

  private byte[] spell(int[] ids) {
    int[] off = vocab.packedOffsets();
    byte[] data = vocab.packedBytes();
    int len = 0;
    for (int id : ids) {
      if (id < 0 || id >= vocab.logitsSize()) {
        return null;
      }
      len += off[id + 1] - off[id];
    }
    byte[] out = new byte[len];
    int p = 0;
    for (int id : ids) {
      int l = off[id + 1] - off[id];
      System.arraycopy(data, off[id], out, p, l);
      p += l;
    }
    return out;
  }

  /**
   * Length of the longest prefix of {@code b} that is well-formed UTF-8 ending on a character
   * boundary (Unicode Table 3-7: no overlong forms, surrogates or code points above U+10FFFF).
   * Allocation free.
   */
  static int wellFormedPrefix(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      int lead = b[i] & 0xFF;
      if (lead < 0x80) {
        i++;
        continue;
      }
      int len;
      int lo = 0x80; // allowed range of the second byte
      int hi = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        lo = lead == 0xE0 ? 0xA0 : 0x80;
        hi = lead == 0xED ? 0x9F : 0xBF;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        lo = lead == 0xF0 ? 0x90 : 0x80;
        hi = lead == 0xF4 ? 0x8F : 0xBF;
      } else {
        return i;
      }
      if (i + len > n) {
        return i;
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k < len; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += len;
    }
    return n;
  }
}
