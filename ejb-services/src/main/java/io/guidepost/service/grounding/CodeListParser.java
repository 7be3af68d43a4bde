package io.guidepost.service.grounding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads code lists from the ICD-10-CM codes-file format and from RFC 4180 CSV (see {@link
 * CodeListFormat}), validating every line.
 *
 * <p>Errors are {@link GroundingException.MalformedLine} with the 1-based line number (for CSV, the
 * line where the record starts) and what is wrong; a code that repeats an earlier one is an error
 * naming both lines (policy: duplicates are never merged or silently dropped). More than {@code
 * maxCodes} codes is {@link GroundingException.LimitExceeded}. Text with unpaired surrogates is
 * rejected because it could not be stored and read back exactly.
 *
 * <p>Stateless; thread-safe. Cost: linear in the input.
 */
final class CodeListParser {
  static final String ICD_SOURCE = "ICD-10-CM codes file";
  static final String CSV_SOURCE = "CSV";
  static final int MAX_CODE_CHARS = 64;
  private static final int ICD_DESCRIPTION_COLUMN = 8;

  private CodeListParser() {}

  /** Parallel arrays of codes (stored form: ICD-10-CM without the dot) and descriptions. */
  record Parsed(String[] codes, String[] descriptions) {}

  static Parsed parse(Reader in, CodeListOptions options, int maxCodes) {
    Accumulator acc =
        new Accumulator(
            options.format() == CodeListFormat.ICD10CM ? ICD_SOURCE : CSV_SOURCE, maxCodes);
    try (BufferedReader r = new BufferedReader(in)) {
      skipByteOrderMark(r);
      if (options.format() == CodeListFormat.ICD10CM) {
        readIcd(r, acc);
      } else {
        readCsv(r, options.csvHeader(), acc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (acc.codes.isEmpty()) {
      throw new GroundingException.InvalidInput(acc.source + " has no codes");
    }
    return new Parsed(acc.codes.toArray(new String[0]), acc.descriptions.toArray(new String[0]));
  }

  /** Skips a leading U+FEFF (a UTF-8 byte order mark, as spreadsheet programs write). */
  static void skipByteOrderMark(BufferedReader r) throws IOException {
    r.mark(1);
    if (r.read() != '\uFEFF') {
      r.reset();
    }
  }

  /** The ICD-10-CM dotted form: a dot after the third character when there are more. */
  static String dotted(String code) {
    return code.length() > 3 ? code.substring(0, 3) + "." + code.substring(3) : code;
  }

  /** Whether {@code code} has the ICD-10-CM shape (without the dot). */
  static boolean isIcdCode(String code) {
    int n = code.length();
    if (n < 3 || n > 7) {
      return false;
    }
    if (!isUpper(code.charAt(0)) || !isDigit(code.charAt(1))) {
      return false;
    }
    for (int i = 2; i < n; i++) {
      char c = code.charAt(i);
      if (!isUpper(c) && !isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static void readIcd(BufferedReader r, Accumulator acc) throws IOException {
    long lineNumber = 0;
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      int codeEnd = 0;
      while (codeEnd < line.length() && !Character.isWhitespace(line.charAt(codeEnd))) {
        codeEnd++;
      }
      String code = line.substring(0, codeEnd);
      if (codeEnd == 0) {
        throw acc.malformed(lineNumber, "line starts with whitespace instead of a code");
      }
      if (!isIcdCode(code)) {
        throw acc.malformed(
            lineNumber,
            "'"
                + shorten(code)
                + "' is not an ICD-10-CM code (a letter, a digit, a digit or letter, then up to 4"
                + " letters or digits, without the dot)");
      }
      for (int i = codeEnd; i < Math.min(line.length(), ICD_DESCRIPTION_COLUMN); i++) {
        if (line.charAt(i) != ' ') {
          throw acc.malformed(
              lineNumber,
              "expected spaces up to column 9 after code '"
                  + code
                  + "', found "
                  + describeChar(line.charAt(i))
                  + " at column "
                  + (i + 1));
        }
      }
      if (line.length() <= ICD_DESCRIPTION_COLUMN
          || line.substring(ICD_DESCRIPTION_COLUMN).isBlank()) {
        throw acc.malformed(lineNumber, "code '" + code + "' has no description");
      }
      if (line.charAt(ICD_DESCRIPTION_COLUMN) == ' ') {
        throw acc.malformed(
            lineNumber, "description of code '" + code + "' does not start at column 9");
      }
      acc.add(lineNumber, code, code, line.substring(ICD_DESCRIPTION_COLUMN).stripTrailing());
    }
  }

  private static void readCsv(BufferedReader r, CodeListOptions.CsvHeader header, Accumulator acc)
      throws IOException {
    CsvRecords records = new CsvRecords(r, acc);
    boolean first = true;
    for (List<String> fields = records.next(); fields != null; fields = records.next()) {
      long lineNumber = records.recordLine;
      if (fields.size() == 1 && fields.get(0).isEmpty() && !records.recordWasQuoted) {
        continue;
      }
      if (first) {
        first = false;
        boolean looksLikeHeader =
            fields.size() == 2
                && fields.get(0).strip().equalsIgnoreCase("code")
                && fields.get(1).strip().equalsIgnoreCase("description");
        if (header == CodeListOptions.CsvHeader.PRESENT
            || (header == CodeListOptions.CsvHeader.AUTO && looksLikeHeader)) {
          continue;
        }
      }
      if (fields.size() != 2) {
        throw acc.malformed(
            lineNumber, "expected 2 fields (code,description), found " + fields.size());
      }
      String code = fields.get(0);
      String description = fields.get(1);
      if (code.isEmpty()) {
        throw acc.malformed(lineNumber, "code is empty");
      }
      if (!code.equals(code.strip())) {
        throw acc.malformed(
            lineNumber, "code '" + shorten(code) + "' has leading or trailing whitespace");
      }
      if (code.length() > MAX_CODE_CHARS) {
        throw acc.malformed(
            lineNumber, "code has " + code.length() + " characters, more than " + MAX_CODE_CHARS);
      }
      for (int i = 0; i < code.length(); i++) {
        if (Character.isISOControl(code.charAt(i))) {
          throw acc.malformed(lineNumber, "code contains a control character at index " + i);
        }
      }
      if (description.isBlank()) {
        throw acc.malformed(lineNumber, "code '" + code + "' has no description");
      }
      acc.add(lineNumber, code, code, description.strip());
    }
  }

  private static String describeChar(char c) {
    return c == '\t' ? "a tab" : "'" + c + "'";
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** Collects codes, checking duplicates, limits and surrogates. */
  private static final class Accumulator {
    final String source;
    final int maxCodes;
    final List<String> codes = new ArrayList<>();
    final List<String> descriptions = new ArrayList<>();
    final Map<String, Long> lineOfKey = new HashMap<>();

    Accumulator(String source, int maxCodes) {
      this.source = source;
      this.maxCodes = maxCodes;
    }

    GroundingException.MalformedLine malformed(long line, String detail) {
      return new GroundingException.MalformedLine(source, line, detail);
    }

    void add(long line, String key, String code, String description) {
      if (hasUnpairedSurrogate(code) || hasUnpairedSurrogate(description)) {
        throw malformed(line, "text has an unpaired surrogate");
      }
      Long earlier = lineOfKey.putIfAbsent(key, line);
      if (earlier != null) {
        throw malformed(line, "code '" + code + "' repeats the code of line " + earlier);
      }
      if (codes.size() == maxCodes) {
        throw new GroundingException.LimitExceeded(
            "max-codes-per-list",
            maxCodes,
            codes.size() + 1L,
            source + " line " + line + ": too many codes");
      }
      codes.add(code);
      descriptions.add(description);
    }
  }

  static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An RFC 4180 record reader over characters: fields split by commas, records by LF or CRLF (a
   * lone CR is a line end too); a field that starts with a quote runs to the matching quote, with
   * {@code ""} standing for one quote and line breaks allowed inside.
   */
  private static final class CsvRecords {
    private final Reader in;
    private final Accumulator acc;
    private long line = 1;
    private int pushedBack = -2;
    long recordLine;
    boolean recordWasQuoted;

    CsvRecords(Reader in, Accumulator acc) {
      this.in = in;
      this.acc = acc;
    }

    private int read() throws IOException {
      if (pushedBack != -2) {
        int c = pushedBack;
        pushedBack = -2;
        return c;
      }
      return in.read();
    }

    /** The next record's fields, or null at the end of input. */
    List<String> next() throws IOException {
      int c = read();
      if (c == -1) {
        return null;
      }
      recordLine = line;
      recordWasQuoted = false;
      List<String> fields = new ArrayList<>(2);
      StringBuilder field = new StringBuilder();
      int column = 1;
      boolean fieldStart = true;
      while (true) {
        if (c == -1) {
          fields.add(field.toString());
          return fields;
        }
        if (c == '\r' || c == '\n') {
          if (c == '\r') {
            int d = read();
            if (d != '\n') {
              pushedBack = d;
            }
          }
          line++;
          fields.add(field.toString());
          return fields;
        }
        if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
          fieldStart = true;
          column++;
          c = read();
          continue;
        }
        if (c == '"') {
          if (!fieldStart) {
            throw acc.malformed(line, "quote inside an unquoted field at column " + column);
          }
          recordWasQuoted = true;
          long quoteLine = line;
          while (true) {
            int q = read();
            if (q == -1) {
              throw acc.malformed(quoteLine, "quoted field is not closed");
            }
            if (q == '"') {
              int after = read();
              if (after == '"') {
                field.append('"');
                continue;
              }
              c = after;
              break;
            }
            if (q == '\n' || (q == '\r')) {
              if (q == '\r') {
                int d = read();
                if (d != '\n') {
                  pushedBack = d;
                  field.append('\r');
                } else {
                  field.append("\r\n");
                }
              } else {
                field.append('\n');
              }
              line++;
              column = 1;
              continue;
            }
            field.append((char) q);
            column++;
          }
          if (c != ',' && c != '\n' && c != '\r' && c != -1) {
            throw acc.malformed(
                line, "unexpected " + describeChar((char) c) + " after a closing quote");
          }
          fieldStart = false;
          continue;
        }
        field.append((char) c);
        fieldStart = false;
        column++;
        c = read();
      }
    }
  }
}
