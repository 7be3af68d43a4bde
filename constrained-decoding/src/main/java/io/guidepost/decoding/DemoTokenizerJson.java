package io.guidepost.decoding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates a SentencePiece-style BPE tokenizer in the Hugging Face {@code tokenizer.json} format
 * with the layout of Phi-3's: {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, byte-fallback tokens
 * {@code <0x00>}..{@code <0xFF>} at 3..258, then text pieces, then the eleven Phi-3 added tokens
 * ({@code <|endoftext|>} first, {@code <|user|>} last) in the same relative order and with the same
 * flags.
 *
 * <p>Pieces: every printable ASCII character, {@code ▁} (the SentencePiece space) and a few
 * non-ASCII letters; {@code ▁}-runs; a built-in list of English and clinical words with and without
 * a leading {@code ▁}; JSON punctuation clusters; then seeded pseudo-words up to {@code
 * pieceCount}. The set is closed under prefixes and every piece of two or more characters has the
 * merge {@code "prefix last"}; merges of {@code ▁}-pieces rank first, then quote-pieces, then the
 * rest, each group by length, so a word's left-to-right chain wins over merges inside it.
 *
 * <p>Deterministic from the seed. Not thread-safe (one instance per generation). Cost: linear in
 * the number of pieces.
 */
final class DemoTokenizerJson {

  static final String SPACE = "\u2581";
  static final String[] ADDED_TOKENS = {
    "<|endoftext|>",
    "<|assistant|>",
    "<|placeholder1|>",
    "<|placeholder2|>",
    "<|placeholder3|>",
    "<|placeholder4|>",
    "<|system|>",
    "<|end|>",
    "<|placeholder5|>",
    "<|placeholder6|>",
    "<|user|>"
  };

  /** Offsets into {@link #ADDED_TOKENS} of the tokens that end generation (as in Phi-3). */
  static final int[] EOS_OFFSETS = {0, 1, 7};

  private static final String WORDS =
      "the of and to in is was for on that with as by at from it an be this are or have had not"
          + " but which one all were they their there been has more when will would who no out so"
          + " up can if about into than them only other new some could these two may first any"
          + " time very after like our over also most did many before such where just through"
          + " years year day days well should each much between because under while being both"
          + " patient patients name age years old male female sex gender diagnosis code codes"
          + " condition history treatment medication dose dosage daily tablet mg ml blood pressure"
          + " heart rate temperature weight height pain chronic acute disease disorder infection"
          + " fever cough diabetes type hypertension asthma cancer allergy allergies admitted"
          + " discharged hospital clinic doctor nurse visit date notes note summary result results"
          + " test tests normal abnormal positive negative left right upper lower severe mild"
          + " true false null id value values item items list number string object array email"
          + " address phone city state country zip street first last full user users data text"
          + " answer question yes none unknown other status active inactive report record records"
          + " example json schema format output input please give return following only valid"
          + " hello world assistant system model response request quote source page section"
          + " code icd icd10 cm chapter block category description include exclude use with";

  private static final String[] PUNCTUATION_CLUSTERS = {
    // Clusters with spaces first: their merges must outrank the shorter ones inside them.
    "\":" + SPACE + "\"",
    "\"," + SPACE + "\"",
    "\":" + SPACE,
    "\"}," + SPACE + "{\"",
    "}," + SPACE + "{\"",
    SPACE + "[{\"",
    SPACE + "[\"",
    "\"}]}",
    "\"}]",
    "\"]}",
    "{\"",
    "\":",
    "\",",
    "\"}",
    "},",
    "[\"",
    "\"]",
    "\":\"",
    "\",\"",
    "\":[",
    "\":{",
    "}]",
    "]}",
    "},{",
    "\"},{\"",
    "{}",
    "[]",
    "\":\"\"",
    "\":\"",
    ",\"",
    ":\"",
    "\":-",
    ".\"",
    "\".",
    "()",
    ");",
    "://",
    "@",
    ".com",
    ".org",
    "...",
    "--",
    "==",
    "!=",
    "<=",
    ">=",
    "->",
    "\\n",
    "\\\"",
    SPACE + "{",
    SPACE + "}",
    SPACE + "\"",
    SPACE + "[",
    SPACE + "(",
    SPACE + "-",
    SPACE + "=",
    SPACE + ":"
  };

  private static final String NON_ASCII = "éèàüöäñçßøå—“”‘’€°µ中文日本";

  private final List<String> pieces = new ArrayList<>();
  private final List<String> mergeOrder;

  DemoTokenizerJson(long seed, int pieceCount) {
    LinkedHashSet<String> set = new LinkedHashSet<>();
    for (char c = 0x21; c <= 0x7E; c++) {
      set.add(String.valueOf(c));
    }
    set.add(SPACE);
    for (int i = 0; i < NON_ASCII.length(); i++) {
      set.add(String.valueOf(NON_ASCII.charAt(i)));
    }
    addWithPrefixes(set, SPACE.repeat(8));
    // Insertion order is merge priority: punctuation first, then words with a leading space,
    // capitalised, after a quote, bare; each piece right after its prefixes.
    for (String p : PUNCTUATION_CLUSTERS) {
      addWithPrefixes(set, p);
    }
    String[] words = WORDS.trim().split(" +");
    for (String w : words) {
      addWithPrefixes(set, SPACE + w);
    }
    for (String w : words) {
      addWithPrefixes(set, SPACE + w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1));
    }
    for (String w : words) {
      addWithPrefixes(set, "\"" + w);
    }
    for (String w : words) {
      addWithPrefixes(set, w);
    }
    for (char d = '0'; d <= '9'; d++) {
      addWithPrefixes(set, SPACE + d);
    }
    if (set.size() > pieceCount) {
      throw new IllegalArgumentException(
          "pieceCount " + pieceCount + " is below the " + set.size() + " built-in pieces");
    }
    SplittableRandom random = new SplittableRandom(seed);
    String consonants = "bcdfghjklmnprstvwz";
    String vowels = "aeiou";
    while (set.size() < pieceCount) {
      StringBuilder sb = new StringBuilder();
      if (random.nextInt(2) == 0) {
        sb.append(SPACE);
      }
      int syllables = 1 + random.nextInt(3);
      for (int s = 0; s < syllables; s++) {
        sb.append(consonants.charAt(random.nextInt(consonants.length())));
        sb.append(vowels.charAt(random.nextInt(vowels.length())));
      }
      // Adding one candidate with its prefixes may overshoot: add prefixes one at a time.
      String w = sb.toString();
      for (int end = 1; end <= w.length() && set.size() < pieceCount; end++) {
        set.add(w.substring(0, end));
      }
    }
    pieces.addAll(set);
    mergeOrder = List.copyOf(set);
    // Shorter pieces first, so every merge's parts rank before it (stable on insertion order).
    pieces.sort((a, b) -> Integer.compare(a.length(), b.length()));
  }

  private static void addWithPrefixes(LinkedHashSet<String> set, String piece) {
    for (int end = 1; end <= piece.length(); end++) {
      set.add(piece.substring(0, end));
    }
  }

  /** Number of ids known to the tokenizer (control + bytes + pieces + added tokens). */
  int tokenizerSize() {
    return 3 + 256 + pieces.size() + ADDED_TOKENS.length;
  }

  /** Id of {@code ADDED_TOKENS[offset]}. */
  int addedTokenId(int offset) {
    return 3 + 256 + pieces.size() + offset;
  }

  /** Builds {@code tokenizer.json}. */
  ObjectNode tokenizerJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    added.add(addedToken(0, "<unk>", false, true));
    added.add(addedToken(1, "<s>", false, true));
    added.add(addedToken(2, "</s>", true, false));
    for (int i = 0; i < ADDED_TOKENS.length; i++) {
      added.add(addedToken(addedTokenId(i), ADDED_TOKENS[i], i != 0, true));
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "Sequence");
    ArrayNode norms = normalizer.putArray("normalizers");
    norms.addObject().put("type", "Prepend").put("prepend", SPACE);
    ObjectNode replace = norms.addObject().put("type", "Replace");
    replace.putObject("pattern").put("String", " ");
    replace.put("content", SPACE);
    root.putNull("pre_tokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    post.putArray("single").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    post.putObject("special_tokens");
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "Sequence");
    ArrayNode decs = decoder.putArray("decoders");
    ObjectNode dr = decs.addObject().put("type", "Replace");
    dr.putObject("pattern").put("String", SPACE);
    dr.put("content", " ");
    decs.addObject().put("type", "ByteFallback");
    decs.addObject().put("type", "Fuse");
    decs.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", "<unk>");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", true);
    model.put("byte_fallback", true);
    ObjectNode vocab = model.putObject("vocab");
    vocab.put("<unk>", 0);
    vocab.put("<s>", 1);
    vocab.put("</s>", 2);
    for (int b = 0; b < 256; b++) {
      vocab.put(String.format(Locale.ROOT, "<0x%02X>", b), 3 + b);
    }
    for (int i = 0; i < pieces.size(); i++) {
      vocab.put(pieces.get(i), 259 + i);
    }
    ArrayNode merges = model.putArray("merges");
    for (String p : mergeOrder) {
      if (p.length() >= 2) {
        merges.add(p.substring(0, p.length() - 1) + " " + p.substring(p.length() - 1));
      }
    }
    return root;
  }

  /** Builds {@code tokenizer_config.json} (Phi-3's flags and chat template). */
  ObjectNode tokenizerConfigJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("add_bos_token", false);
    root.put("add_eos_token", false);
    ObjectNode decoder = root.putObject("added_tokens_decoder");
    decoder.set("0", addedToken(0, "<unk>", false, true).without("id"));
    decoder.set("1", addedToken(1, "<s>", false, true).without("id"));
    decoder.set("2", addedToken(2, "</s>", true, false).without("id"));
    for (int i = 0; i < ADDED_TOKENS.length; i++) {
      decoder.set(
          Integer.toString(addedTokenId(i)),
          addedToken(addedTokenId(i), ADDED_TOKENS[i], i != 0, true).without("id"));
    }
    root.put("bos_token", "<s>");
    root.put(
        "chat_template",
        "{% for message in messages %}{% if message['role'] == 'system' %}"
            + "{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}"
            + "{% elif message['role'] == 'user' %}{{'<|user|>\\n' + message['content'] +"
            + " '<|end|>\\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\\n' +"
            + " message['content'] + '<|end|>\\n'}}{% endif %}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}"
            + "{% endif %}");
    root.put("clean_up_tokenization_spaces", false);
    root.put("eos_token", "<|endoftext|>");
    root.put("legacy", false);
    root.put("model_max_length", 4096);
    root.put("pad_token", "<|endoftext|>");
    root.put("padding_side", "left");
    root.put("tokenizer_class", "LlamaTokenizer");
    root.put("unk_token", "<unk>");
    return root;
  }

  /** Builds {@code special_tokens_map.json}. */
  ObjectNode specialTokensMapJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("bos_token", "<s>");
    root.put("eos_token", "<|endoftext|>");
    root.put("pad_token", "<|endoftext|>");
    root.put("unk_token", "<unk>");
    return root;
  }

  private static ObjectNode addedToken(int id, String content, boolean rstrip, boolean special) {
    ObjectNode t = JsonNodeFactory.instance.objectNode();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", rstrip);
    t.put("normalized", false);
    t.put("special", special);
    return t;
  }

  static ObjectMapper mapper() {
    return new ObjectMapper();
  }
}
