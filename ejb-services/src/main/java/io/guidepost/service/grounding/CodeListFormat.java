package io.guidepost.service.grounding;

/** The file formats a code list can be loaded from. */
public enum CodeListFormat {
  /**
   * The CMS/CDC ICD-10-CM codes file ({@code icd10cm-codes-YYYY.txt}): one code per line, the code
   * without its dot (e.g. {@code A0101}), spaces up to column 9, then the long description. Codes
   * are a letter, a digit, a digit or letter, then up to four letters or digits (3 to 7
   * characters). Blank lines and a leading byte order mark are skipped.
   */
  ICD10CM,
  /**
   * RFC 4180 CSV with two fields per record, {@code code,description}; quoted fields may contain
   * commas, doubled quotes and line breaks; CRLF or LF line ends; blank lines and a leading byte
   * order mark are skipped; an optional header (see {@link CodeListOptions.CsvHeader}).
   */
  CSV
}
