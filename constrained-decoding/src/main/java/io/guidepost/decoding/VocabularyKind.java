package io.guidepost.decoding;

/** How a vocabulary's token strings map to the bytes they add to the text. */
public enum VocabularyKind {
  /**
   * SentencePiece style (Llama, Phi-3): {@code ▁} (U+2581) is a space, {@code <0xNN>} is one raw
   * byte (byte fallback), every other character is its UTF-8 encoding.
   */
  SENTENCEPIECE,
  /**
   * Byte-level BPE (GPT-2, tiktoken style): every character of a token stands for one byte through
   * the GPT-2 byte-to-unicode table.
   */
  BYTE_LEVEL,
  /** Built directly from token bytes (tests, synthetic vocabularies). */
  RAW_BYTES
}
