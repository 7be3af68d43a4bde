package io.guidepost.service.grounding;

/**
 * How a corpus splits documents into passages, fixed when the corpus is created and stored with it.
 *
 * <p>Sizes are in UTF-16 characters. A passage is built from whole sentences up to {@code
 * maxChars}; a sentence longer than that is cut at a word boundary (or, failing that, at {@code
 * maxChars}, never inside a surrogate pair). Consecutive passages share about {@code overlapChars}
 * characters: the next passage starts at the first sentence (or word) boundary inside the last
 * {@code overlapChars} characters of the previous one. Immutable record.
 *
 * @param maxChars the largest passage, 64 to 100,000 characters
 * @param overlapChars the overlap, 0 to {@code maxChars / 2}
 */
public record PassageSettings(int maxChars, int overlapChars) {
  /** 1,000 characters with a 200-character overlap. */
  public static final PassageSettings DEFAULTS = new PassageSettings(1_000, 200);

  /** Checks the ranges; throws {@link GroundingException.InvalidInput}. */
  public PassageSettings {
    if (maxChars < 64 || maxChars > 100_000) {
      throw new GroundingException.InvalidInput(
          "passage max_chars must be between 64 and 100000, got " + maxChars);
    }
    if (overlapChars < 0 || overlapChars > maxChars / 2) {
      throw new GroundingException.InvalidInput(
          "passage overlap_chars must be between 0 and max_chars / 2 = "
              + maxChars / 2
              + ", got "
              + overlapChars);
    }
  }
}
