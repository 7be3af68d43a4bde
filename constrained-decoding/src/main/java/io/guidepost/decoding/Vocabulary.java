package io.guidepost.decoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A model's token vocabulary as the constraint engine sees it: for every token id the exact bytes
 * the token adds to the output text, which ids are special (added tokens, control tokens), which
 * ids end generation, and how wide the model's logits are.
 *
 * <p>Invariants: ids run {@code 0..logitsSize()-1}; {@code tokenizerSize() <= logitsSize()}; ids at
 * or beyond {@code tokenizerSize()} are padding rows of the output layer with no text (Phi-3:
 * 32011..32063). Every id listed in {@link #eosIds()} is also special. A <em>text</em> token
 * ({@link #isText}) is one that is neither special nor padding and adds at least one byte; only
 * text tokens can ever be allowed by a constraint, besides end-of-sequence.
 *
 * <p>Loading ({@link #fromTokenizerJson}): Hugging Face {@code tokenizer.json} with a BPE, Unigram
 * or WordPiece-style {@code model.vocab}. SentencePiece-style vocabularies ({@code ▁} is a space,
 * {@code <0xNN>} one raw byte when byte fallback is on) and byte-level BPE vocabularies (GPT-2's
 * byte-to-unicode table, detected from a {@code ByteLevel} pre-tokenizer or decoder) are both
 * understood. Every entry of {@code added_tokens} is flagged special: such tokens are matched
 * before normalisation by the tokenizer and are never produced as constrained text.
 *
 * <p>Layout: the bytes of all tokens are packed into one {@code byte[]}; token {@code t} owns
 * {@code data[offsets[t] .. offsets[t+1])}. Special and EOS sets are {@code long[]} bitsets of
 * {@code logitsSize} bits.
 *
 * <p>Thread-safety: immutable after construction and freely shared; the byte trie ({@link #trie()})
 * is built once on first use. Cost: loading is linear in the size of the file; the Phi-3 vocabulary
 * takes about 0.5 MB of heap.
 */
public final class Vocabulary {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] BYTE_LEVEL_DECODE = byteLevelDecodeTable();

  private final VocabularyKind kind;
  private final int logitsSize;
  private final int tokenizerSize;
  private final byte[] data; // concatenated token bytes
  private final int[] offsets; // token t owns data[offsets[t] .. offsets[t+1]), logitsSize + 1
  private final long[] special; // bitset: added / special / control tokens
  private final long[] eos; // bitset: end-of-sequence ids
  private final int[] eosIds; // sorted
  private final String[] pieces; // raw token strings as in the file, null for padding
  private final Map<String, Integer> idsByPiece;
  private volatile TokenTrie trie;

  private Vocabulary(
      VocabularyKind kind,
      int logitsSize,
      int tokenizerSize,
      byte[][] tokenBytes,
      long[] special,
      int[] eosIds,
      String[] pieces) {
    if (logitsSize < tokenizerSize) {
      throw new IllegalArgumentException(
          "logitsSize " + logitsSize + " is smaller than the tokenizer's size " + tokenizerSize);
    }
    this.kind = kind;
    this.logitsSize = logitsSize;
    this.tokenizerSize = tokenizerSize;
    this.offsets = new int[logitsSize + 1];
    int total = 0;
    for (int t = 0; t < logitsSize; t++) {
      offsets[t] = total;
      if (t < tokenBytes.length && tokenBytes[t] != null) {
        total += tokenBytes[t].length;
      }
    }
    offsets[logitsSize] = total;
    this.data = new byte[total];
    for (int t = 0; t < Math.min(logitsSize, tokenBytes.length); t++) {
      if (tokenBytes[t] != null) {
        System.arraycopy(tokenBytes[t], 0, data, offsets[t], tokenBytes[t].length);
      }
    }
    this.special = special;
    this.eos = new long[(logitsSize + 63) >>> 6];
    int[] sorted = eosIds.clone();
    Arrays.sort(sorted);
    for (int id : sorted) {
      if (id < 0 || id >= logitsSize) {
        throw new IllegalArgumentException(
            "end-of-sequence id " + id + " outside 0.." + (logitsSize - 1));
      }
      eos[id >>> 6] |= 1L << id;
      special[id >>> 6] |= 1L << id;
    }
    this.eosIds = sorted;
    this.pieces = pieces;
    this.idsByPiece = new HashMap<>();
    for (int t = 0; t < pieces.length; t++) {
      if (pieces[t] != null) {
        idsByPiece.putIfAbsent(pieces[t], t);
      }
    }
  }

  /**
   * Loads a Hugging Face {@code tokenizer.json}.
   *
   * @param tokenizerJson path of the file
   * @param logitsSize width of the model's logits (Phi-3: 32064, from {@code genai_config.json}
   *     {@code vocab_size}); at least the tokenizer's size
   * @param eosIds ids that end generation (Phi-3: 32000, 32001, 32007), from the model config
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when the file is not a tokenizer this class understands
   */
  public static Vocabulary fromTokenizerJson(Path tokenizerJson, int logitsSize, int... eosIds)
      throws IOException {
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      return fromTokenizerJson(JSON.readTree(in), logitsSize, eosIds);
    }
  }

  /** Same as {@link #fromTokenizerJson(Path, int, int...)} for an already parsed document. */
  public static Vocabulary fromTokenizerJson(JsonNode root, int logitsSize, int... eosIds) {
    JsonNode model = root.path("model");
    JsonNode vocab = model.path("vocab");
    Map<Integer, String> byId = new HashMap<>();
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        byId.put(e.getValue().asInt(), e.getKey());
      }
    } else if (vocab.isArray()) {
      for (int i = 0; i < vocab.size(); i++) {
        JsonNode entry = vocab.get(i);
        byId.put(i, entry.isArray() ? entry.get(0).asText() : entry.asText());
      }
    } else {
      throw new IllegalArgumentException("tokenizer.json has no model.vocab");
    }
    Map<Integer, String> added = new HashMap<>();
    for (JsonNode a : root.path("added_tokens")) {
      added.put(a.path("id").asInt(), a.path("content").asText());
    }
    int size = 0;
    for (int id : byId.keySet()) {
      size = Math.max(size, id + 1);
    }
    for (int id : added.keySet()) {
      size = Math.max(size, id + 1);
    }
    VocabularyKind kind =
        mentionsType(root.path("pre_tokenizer"), "ByteLevel")
                || mentionsType(root.path("decoder"), "ByteLevel")
            ? VocabularyKind.BYTE_LEVEL
            : VocabularyKind.SENTENCEPIECE;
    boolean byteFallback =
        model.path("byte_fallback").asBoolean(false)
            || mentionsType(root.path("decoder"), "ByteFallback");
    byte[][] bytes = new byte[size][];
    String[] pieces = new String[size];
    long[] special = new long[(Math.max(logitsSize, size) + 63) >>> 6];
    for (int id = 0; id < size; id++) {
      String addedContent = added.get(id);
      if (addedContent != null) {
        pieces[id] = addedContent;
        bytes[id] = addedContent.getBytes(StandardCharsets.UTF_8);
        special[id >>> 6] |= 1L << id;
        continue;
      }
      String piece = byId.get(id);
      if (piece == null) {
        continue; // a hole in the id space: no text, treated like padding
      }
      pieces[id] = piece;
      bytes[id] =
          kind == VocabularyKind.BYTE_LEVEL
              ? byteLevelBytes(piece, id)
              : sentencePieceBytes(piece, byteFallback);
    }
    return new Vocabulary(kind, logitsSize, size, bytes, special, eosIds, pieces);
  }

  /**
   * A vocabulary built directly from token bytes (synthetic vocabularies in tests, adapters).
   *
   * @param tokenBytes bytes of each token id; {@code null} for ids without text
   * @param special ids flagged special (never text); may be {@code null}
   * @param logitsSize width of the logits, at least {@code tokenBytes.length}
   * @param eosIds end-of-sequence ids (flagged special too)
   */
  public static Vocabulary fromTokenBytes(
      byte[][] tokenBytes, int[] special, int logitsSize, int... eosIds) {
    long[] bits = new long[(logitsSize + 63) >>> 6];
    if (special != null) {
      for (int id : special) {
        bits[id >>> 6] |= 1L << id;
      }
    }
    String[] pieces = new String[tokenBytes.length];
    byte[][] copy = new byte[tokenBytes.length][];
    for (int i = 0; i < tokenBytes.length; i++) {
      if (tokenBytes[i] != null) {
        copy[i] = tokenBytes[i].clone();
        pieces[i] = new String(copy[i], StandardCharsets.ISO_8859_1);
      }
    }
    return new Vocabulary(
        VocabularyKind.RAW_BYTES, logitsSize, tokenBytes.length, copy, bits, eosIds, pieces);
  }

  /** How token strings were turned into bytes. */
  public VocabularyKind kind() {
    return kind;
  }

  /** Width of the model's logits; masks have this many bits. */
  public int logitsSize() {
    return logitsSize;
  }

  /** Number of ids the tokenizer knows (Phi-3: 32011); ids from here to logitsSize are padding. */
  public int tokenizerSize() {
    return tokenizerSize;
  }

  /** The bytes token {@code id} adds to the text (a copy); empty for padding ids. */
  public byte[] tokenBytes(int id) {
    return Arrays.copyOfRange(data, offsets[id], offsets[id + 1]);
  }

  /** Number of bytes token {@code id} adds to the text. */
  public int tokenLength(int id) {
    return offsets[id + 1] - offsets[id];
  }

  /** Number of code points the token starts: its bytes that are not UTF-8 continuation bytes. */
  public int tokenCodePoints(int id) {
    int n = 0;
    for (int i = offsets[id], end = offsets[id + 1]; i < end; i++) {
      if ((data[i] & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  /** The token's string as written in the tokenizer file (null for padding ids). */
  public String tokenString(int id) {
    return id < pieces.length ? pieces[id] : null;
  }

  /** The id of a token string as written in the tokenizer file, or -1. */
  public int idOf(String piece) {
    Integer id = idsByPiece.get(piece);
    return id == null ? -1 : id;
  }

  /** True for added, special and control tokens (including end-of-sequence ids). */
  public boolean isSpecial(int id) {
    return (special[id >>> 6] & (1L << id)) != 0;
  }

  /** True for end-of-sequence ids. */
  public boolean isEos(int id) {
    return (eos[id >>> 6] & (1L << id)) != 0;
  }

  /** True for ids at or beyond the tokenizer's size, and holes in the id space. */
  public boolean isPadding(int id) {
    return id >= tokenizerSize || id >= pieces.length || pieces[id] == null;
  }

  /** True when the token may appear as constrained text: not special, not padding, non-empty. */
  public boolean isText(int id) {
    return !isSpecial(id) && !isPadding(id) && offsets[id + 1] > offsets[id];
  }

  /** The end-of-sequence ids, sorted (a copy). */
  public int[] eosIds() {
    return eosIds.clone();
  }

  /** Approximate heap footprint in bytes (excluding the token strings). */
  public long sizeInBytes() {
    return data.length + 4L * offsets.length + 8L * (special.length + eos.length);
  }

  // Package-private access for the hot paths (no copies).
  byte[] packedBytes() {
    return data;
  }

  int[] packedOffsets() {
    return offsets;
  }

  long[] eosBits() {
    return eos;
  }

  int[] eosIdsShared() {
    return eosIds;
  }

  /** The flat byte trie over all text tokens, built on first use and shared. */
  TokenTrie trie() {
    TokenTrie t = trie;
    if (t == null) {
      synchronized (this) {
        t = trie;
        if (t == null) {
          t = TokenTrie.build(this);
          trie = t;
        }
      }
    }
    return t;
  }

  @Override
  public String toString() {
    return "Vocabulary["
        + kind
        + ", tokenizerSize="
        + tokenizerSize
        + ", logitsSize="
        + logitsSize
        + ", eos="
        + Arrays.toString(eosIds)
        + "]";
  }

  private static boolean mentionsType(JsonNode node, String type) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (type.equals(node.path("type").asText(null))) {
      return true;
    }
    for (JsonNode child : node) {
      if (child.isContainerNode() && mentionsType(child, type)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] sentencePieceBytes(String piece, boolean byteFallback) {
    if (byteFallback && piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
      int hi = Character.digit(piece.charAt(3), 16);
      int lo = Character.digit(piece.charAt(4), 16);
      if (hi >= 0 && lo >= 0) {
        return new byte[] {(byte) (hi * 16 + lo)};
      }
    }
    return piece.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] byteLevelBytes(String piece, int id) {
    byte[] out = new byte[piece.length()];
    for (int i = 0; i < piece.length(); i++) {
      char c = piece.charAt(i);
      int b = c < BYTE_LEVEL_DECODE.length ? BYTE_LEVEL_DECODE[c] : -1;
      if (b < 0) {
        throw new IllegalArgumentException(
            "token " + id + " has character U+" + Integer.toHexString(c) + " outside byte-level");
      }
      out[i] = (byte) b;
    }
    return out;
  }

  /**
   * GPT-2's byte-to-unicode table, inverted: printable bytes (33..126, 161..172, 174..255) stand
   * for themselves, the other 68 bytes for U+0100 upwards in byte order.
   */
  private static int[] byteLevelDecodeTable() {
    int[] decode = new int[256 + 68];
    Arrays.fill(decode, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
      decode[printable ? b : next++] = b;
    }
    return decode;
  }
}
