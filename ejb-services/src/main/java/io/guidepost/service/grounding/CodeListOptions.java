package io.guidepost.service.grounding;

/**
 * How to read and present a code list. Immutable record.
 *
 * @param format the file format
 * @param dotted for {@link CodeListFormat#ICD10CM} only: present codes with the dot after the third
 *     character ({@code A0101} becomes {@code A01.01}; three-character codes have no dot). Must be
 *     false for CSV, whose codes are kept exactly as written.
 * @param csvHeader for CSV: whether the first record is a header ({@code null} means {@link
 *     CsvHeader#AUTO}); ignored for ICD-10-CM
 */
public record CodeListOptions(CodeListFormat format, boolean dotted, CsvHeader csvHeader) {
  /** Whether a CSV file starts with a header record. */
  public enum CsvHeader {
    /** The first record is a header when it reads {@code code,description} (any case). */
    AUTO,
    /** The first record is a header and is skipped whatever it says. */
    PRESENT,
    /** There is no header: the first record is a code. */
    ABSENT
  }

  /** Checks the combination; throws {@link GroundingException.InvalidInput}. */
  public CodeListOptions {
    if (format == null) {
      throw new GroundingException.InvalidInput("code list format is missing");
    }
    if (dotted && format != CodeListFormat.ICD10CM) {
      throw new GroundingException.InvalidInput(
          "the dotted form applies to ICD-10-CM code lists only, not " + format);
    }
    if (csvHeader == null) {
      csvHeader = CsvHeader.AUTO;
    }
  }

  /** ICD-10-CM codes, dotted ({@code A01.01}) or not ({@code A0101}). */
  public static CodeListOptions icd10cm(boolean dotted) {
    return new CodeListOptions(CodeListFormat.ICD10CM, dotted, null);
  }

  /** CSV with the given header rule. */
  public static CodeListOptions csv(CsvHeader header) {
    return new CodeListOptions(CodeListFormat.CSV, false, header);
  }
}
