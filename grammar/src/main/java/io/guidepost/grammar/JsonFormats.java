package io.guidepost.grammar;

import java.util.Map;

/**
 * Content languages of the JSON Schema {@code format} values Guidepost asserts, as ECMA-262 regular
 * expressions (full match) compiled with {@link Regex#toLang}.
 *
 * <p>Each language is a subset of what RFC 3339 / RFC 5321 / RFC 1123 / RFC 4291 / RFC 3986 / RFC
 * 4122 allow, chosen so that common validators (format assertions on) accept every member: dates
 * and times check days per month and leap years, use upper-case {@code T} and {@code Z} and no leap
 * second; e-mail addresses use a dot-atom local part; URIs are absolute (RFC 3986 section 3), with
 * IPv6 literals but no IPvFuture. None contains {@code "}, {@code \} or a control character, so the
 * canonical string encoding is the identity on them.
 *
 * <p>Thread-safety: immutable. Cost: each format compiles once per schema use.
 */
final class JsonFormats {
  private JsonFormats() {}

  private static final String LEAP_YEAR =
      "([0-9][0-9](0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)";
  private static final String DATE =
      "([0-9]{4}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
          + "|[0-9]{4}-(0[469]|11)-(0[1-9]|[12][0-9]|30)"
          + "|[0-9]{4}-02-(0[1-9]|1[0-9]|2[0-8])"
          + "|"
          + LEAP_YEAR
          + "-02-29)";
  private static final String TIME =
      "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+](0[0-9]|1[0-3]):[0-5][0-9])";
  private static final String NUM = "[0-9]{1,9}";
  private static final String DUR_TIME =
      "T(" + NUM + "H(" + NUM + "M)?(" + NUM + "S)?|" + NUM + "M(" + NUM + "S)?|" + NUM + "S)";
  private static final String DURATION =
      "P((" + NUM + "Y(" + NUM + "M)?(" + NUM + "D)?|" + NUM + "M(" + NUM + "D)?|" + NUM + "D)("
          + DUR_TIME + ")?|" + DUR_TIME + "|" + NUM + "W)";
  private static final String LABEL = "[a-zA-Z0-9]{1,20}(-[a-zA-Z0-9]{1,20}){0,2}";
  private static final String HOSTNAME = LABEL + "(\\." + LABEL + ")*";
  private static final String EMAIL =
      "[a-zA-Z0-9]([a-zA-Z0-9_+-]{0,30}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9_+-]{0,30}[a-zA-Z0-9])?){0,4}"
          + "@"
          + LABEL
          + "(\\."
          + LABEL
          + "){0,4}\\.(com|org|net|edu|gov|io|info|biz|de|uk|fr|es|it|nl|jp|cn|ca|au|us|in|br)";
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String IPV4 = OCTET + "(\\." + OCTET + "){3}";
  private static final String H16 = "[0-9a-f]{1,4}";
  private static final String IPV6 =
      "(("
          + H16
          + ":){7}"
          + H16
          + "|("
          + H16
          + ":){1,7}:"
          + "|("
          + H16
          + ":){1,6}:"
          + H16
          + "|("
          + H16
          + ":){1,5}(:"
          + H16
          + "){1,2}"
          + "|("
          + H16
          + ":){1,4}(:"
          + H16
          + "){1,3}"
          + "|("
          + H16
          + ":){1,3}(:"
          + H16
          + "){1,4}"
          + "|("
          + H16
          + ":){1,2}(:"
          + H16
          + "){1,5}"
          + "|"
          + H16
          + ":(:"
          + H16
          + "){1,6}"
          + "|:(:"
          + H16
          + "){1,7}"
          + "|::)";
  // RFC 3986 section 3: an absolute URI, "scheme:" then "//" authority and a path, or a path that
  // does not start with "//" (mailto:a@b.org, urn:isbn:0451450523, did:example:123), then an
  // optional query and fragment. The path after "scheme:" is never empty, upper-case letters are
  // allowed in the scheme and percent-escapes, and ports have at most 5 digits (subsets of the
  // RFC).
  private static final String UNRESERVED_SUB = "a-zA-Z0-9._~!$&'()*+,;=";
  private static final String PCT = "%[0-9A-Fa-f][0-9A-Fa-f]";
  private static final String PCHAR = "([" + UNRESERVED_SUB + ":@-]|" + PCT + ")";
  private static final String SEGMENT_NZ = PCHAR + "+";
  private static final String HOST =
      "(\\[" + IPV6 + "\\]|([" + UNRESERVED_SUB + "-]|" + PCT + ")*)";
  private static final String AUTHORITY =
      "(([" + UNRESERVED_SUB + ":-]|" + PCT + ")*@)?" + HOST + "(:[0-9]{0,5})?";
  private static final String URI =
      "[a-zA-Z][a-zA-Z0-9+.-]{0,31}:(//"
          + AUTHORITY
          + "(/"
          + PCHAR
          + "*)*|/("
          + SEGMENT_NZ
          + "(/"
          + PCHAR
          + "*)*)?|"
          + SEGMENT_NZ
          + "(/"
          + PCHAR
          + "*)*)(\\?("
          + PCHAR
          + "|/|\\?)*)?(#("
          + PCHAR
          + "|/|\\?)*)?";
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private static final Map<String, String> PATTERNS =
      Map.of(
          "date", DATE,
          "time", TIME,
          "date-time", DATE + "T" + TIME,
          "duration", DURATION,
          "email", EMAIL,
          "hostname", HOSTNAME,
          "ipv4", IPV4,
          "ipv6", IPV6,
          "uri", URI,
          "uuid", UUID);

  /** The content language of {@code format}, or null when the format is not supported. */
  static CharLang content(String format) {
    String p = PATTERNS.get(format);
    if (p == null) {
      return null;
    }
    CharLang lang = Regex.toLang(p, true);
    if (format.equals("hostname")) {
      lang = lang.intersect(JsonLangs.PLAIN_CP.repeat(1, 253));
    }
    return lang;
  }

  /** True when {@code format} is one of the asserted formats. */
  static boolean isSupported(String format) {
    return PATTERNS.containsKey(format);
  }
}
