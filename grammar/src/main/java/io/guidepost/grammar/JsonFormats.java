package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Content languages of the JSON Schema {@code format} values Guidepost asserts, as ECMA-262 regular
 * expressions (full match) compiled with {@link Regex#toLang}, or built with the {@link CharLang}
 * algebra (e-mail, idn-hostname, regex).
 *
 * <p>Each language is what its RFC allows ({@link #EXACT}: {@code date}, {@code ipv4}) or a subset
 * of it (RFC 3339, 5321, 6531, 1123, 5890-5893, 4291, 3986, 3987, 4122, 6901, 6570; ECMA-262),
 * chosen so that common validators (networknt's, format assertions on) accept every member; the
 * comment at each format says which subset. Dates and times check days per month and leap years,
 * use upper-case {@code T} and {@code Z} and no leap second; e-mail addresses use a dot-atom local
 * part; URIs are absolute (RFC 3986 section 3), with IPv6 literals but no IPvFuture. The languages
 * are over the decoded string content: only regex (its escapes), json-pointer and
 * relative-json-pointer contain {@code "}, {@code \} or control characters, which the schema
 * compiler writes as canonical JSON escapes.
 *
 * <p>Thread-safety: immutable. Cost: each format compiles once per schema use (at most about 100
 * ms; hostname, e-mail and regex are the largest).
 */
final class JsonFormats {
  private JsonFormats() {}

  private static final String LEAP_YEAR =
      "([0-9][0-9](0[48]|[2468][048]|[13579][26])|(00|0[48]|[2468][048]|[13579][26])00)";
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
  private static final String HOST =
      "(\\[" + IPV6 + "\\]|([" + UNRESERVED_SUB + "-]|" + PCT + ")*)";
  private static final String AUTHORITY =
      "(([" + UNRESERVED_SUB + ":-]|" + PCT + ")*@)?" + HOST + "(:[0-9]{0,5})?";
  private static final String URI = absoluteUri(PCHAR, AUTHORITY);

  private static String absoluteUri(String pchar, String authority) {
    return "[a-zA-Z][a-zA-Z0-9+.-]{0,31}:"
        + hierarchicalPart(pchar, pchar, authority)
        + queryAndFragment(pchar);
  }

  /**
   * RFC 3986 hier-part / relative-part as one group: {@code //} authority and a path, an absolute
   * path, or a rootless path whose first segment takes {@code firstSegmentChar}.
   */
  private static String hierarchicalPart(String pchar, String firstSegmentChar, String authority) {
    String segments = "(/" + pchar + "*)*";
    return "(//"
        + authority
        + segments
        + "|/("
        + pchar
        + "+"
        + segments
        + ")?|"
        + firstSegmentChar
        + "+"
        + segments
        + ")";
  }

  /** An optional query, then an optional fragment. */
  private static String queryAndFragment(String pchar) {
    return "(\\?(" + pchar + "|/|\\?)*)?(#(" + pchar + "|/|\\?)*)?";
  }

  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  // --- RFC 3986 relative references (uri-reference): "//" authority and a path, an absolute path,
  // a relative path whose first segment has no ":" (so it cannot read as a scheme), or an empty
  // path; then an optional query and fragment. Same character subsets as URI.
  private static String relativeRef(String pchar, String pcharNc, String authority) {
    return hierarchicalPart(pchar, pcharNc, authority) + "?" + queryAndFragment(pchar);
  }

  private static final String PCHAR_NC = "([" + UNRESERVED_SUB + "@-]|" + PCT + ")";
  private static final String RELATIVE_REF = relativeRef(PCHAR, PCHAR_NC, AUTHORITY);

  // --- RFC 3987 IRIs: the URI subsets above with IRI_LETTERS (a subset of ucschar) added to
  // unreserved (so also to reg-name, user info, path, query and fragment). All are NFC letters,
  // which java.net.URI accepts as "other" characters.
  /**
   * Letters below U+0800 (two UTF-8 octets): Latin-1 and Latin Extended-A letters, the Greek
   * letters (with tonos and dialytika) and Cyrillic U+0400-U+045F.
   */
  private static final String LETTERS_2B =
      "\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u017f\\u0386\\u0388-\\u038a\\u038c\\u038e-\\u03a1"
          + "\\u03a3-\\u03ce\\u0400-\\u045f";

  /** LETTERS_2B, hiragana, katakana and the CJK unified ideographs of Unicode 1.1. */
  private static final String IRI_LETTERS =
      LETTERS_2B + "\\u3041-\\u3096\\u30a1-\\u30fa\\u4e00-\\u9fa5";

  private static final String IUNRESERVED_SUB = UNRESERVED_SUB + IRI_LETTERS;
  private static final String IPCHAR = "([" + IUNRESERVED_SUB + ":@-]|" + PCT + ")";
  private static final String IPCHAR_NC = "([" + IUNRESERVED_SUB + "@-]|" + PCT + ")";
  private static final String IHOST =
      "(\\[" + IPV6 + "\\]|([" + IUNRESERVED_SUB + "-]|" + PCT + ")*)";
  private static final String IAUTHORITY =
      "(([" + IUNRESERVED_SUB + ":-]|" + PCT + ")*@)?" + IHOST + "(:[0-9]{0,5})?";
  private static final String IRI = absoluteUri(IPCHAR, IAUTHORITY);
  private static final String IRELATIVE_REF = relativeRef(IPCHAR, IPCHAR_NC, IAUTHORITY);

  // --- RFC 6901 JSON pointers: exact except that '#' is left out of reference tokens (networknt's
  // validator rejects it although the RFC allows it). Characters needing JSON escapes are in the
  // language; JsonSchemaCompiler leaves those strings out.
  private static final String JSON_POINTER = "(/([^/~#]|~[01])*)*";
  // draft-handrews-relative-json-pointer-01 as JSON Schema 2020-12 cites it (no index adjustment).
  private static final String RELATIVE_JSON_POINTER = "(0|[1-9][0-9]*)(#|" + JSON_POINTER + ")";

  // --- RFC 6570 URI templates (levels 1-4): literals are ASCII (letters, digits and
  // -._~:/?#[]@!$&()*+,;= or a percent-escape; no ucschar or iprivate), operators are the level
  // 2-3 ones (+ # . / ; ? &, not the reserved = , ! @ |), variable names are ASCII, prefixes have
  // 1-4 digits.
  private static final String TEMPLATE_VARCHAR = "([a-zA-Z0-9_]|" + PCT + ")";
  private static final String TEMPLATE_VARSPEC =
      TEMPLATE_VARCHAR + "(\\.?" + TEMPLATE_VARCHAR + ")*(:[1-9][0-9]{0,3}|\\*)?";
  private static final String URI_TEMPLATE =
      "([a-zA-Z0-9._~:/?#\\[\\]@!$&()*+,;=-]|"
          + PCT
          + "|\\{[+#./;?&]?"
          + TEMPLATE_VARSPEC
          + "(,"
          + TEMPLATE_VARSPEC
          + ")*\\})*";

  private static final Map<String, String> PATTERNS =
      Map.ofEntries(
          Map.entry("date", DATE),
          Map.entry("time", TIME),
          Map.entry("date-time", DATE + "T" + TIME),
          Map.entry("duration", DURATION),
          Map.entry("hostname", HOSTNAME),
          Map.entry("ipv4", IPV4),
          Map.entry("ipv6", IPV6),
          Map.entry("uri", URI),
          Map.entry("uri-reference", URI + "|" + RELATIVE_REF),
          Map.entry("iri", IRI),
          Map.entry("iri-reference", IRI + "|" + IRELATIVE_REF),
          Map.entry("uuid", UUID),
          Map.entry("json-pointer", JSON_POINTER),
          Map.entry("relative-json-pointer", RELATIVE_JSON_POINTER),
          Map.entry("uri-template", URI_TEMPLATE));

  /**
   * The formats whose language is exactly what their RFC allows (not a subset): schemas using them
   * can be complete, and {@code not}/{@code if}/{@code oneOf} can take their complement.
   */
  static final Set<String> EXACT = Set.of("date", "ipv4");

  /** Formats whose languages are built with the {@link CharLang} algebra, not one pattern. */
  private static final Set<String> BUILT = Set.of("email", "idn-email", "idn-hostname", "regex");

  /** The content language of {@code format}, or null when the format is not supported. */
  static CharLang content(String format) {
    String p = PATTERNS.get(format);
    if (p == null) {
      return switch (format) {
        case "email" -> email(false);
        case "idn-email" -> email(true);
        case "idn-hostname" -> idnHostname();
        case "regex" -> regex();
        default -> null;
      };
    }
    CharLang lang = re(p);
    if (format.equals("hostname")) {
      lang = lang.intersect(JsonLangs.PLAIN_CP.repeat(1, 253));
    }
    return lang;
  }

  /** True when {@code format} is one of the asserted formats. */
  static boolean isSupported(String format) {
    return PATTERNS.containsKey(format) || BUILT.contains(format);
  }

  private static CharLang re(String pattern) {
    return Regex.toLang(pattern, true);
  }

  // --- RFC 5890-5893 host names with U-labels (idn-hostname). A label is either an LDH label of
  // lower-case ASCII as in "hostname" (at most 62 characters, hyphens single and inside), or a
  // label of at most 12 code points from lower-case ASCII letters, digits, single inner hyphens and
  // the lower-case letters of ONE of these scripts: Latin-1 (U+00E0-U+00F6, U+00F8-U+00FF), Greek
  // (U+03AC-U+03CE without the final sigma U+03C2) or Cyrillic (U+0430-U+045F). These letters are
  // PVALID in RFC 5892, NFC, left-to-right (the bidi rule holds) and need no context rule; with no
  // "--" no label is an A-label or reserved. One script per label bounds the Punycode deltas: the
  // first is below (0x45F - 0x80) * 12 + 12 < 38,886, so at most 5 digits, the others below 48 * 12
  // + 12 < 3,886, so at most 4 digits, and the ACE form ("xn--" and Punycode) of a label is at most
  // 4 + 5 + 11 * 4 = 53 octets (RFC 5891 section 4.2.4: 63). At most 4 labels keep the ACE host
  // name within 4 * 62 + 3 = 251 <= 253 octets. (Latin Extended-A letters are left out: their
  // scattered code points made the automaton's transitions several times costlier to build.)
  private static final String[] SCRIPTS = {
    "\\u00e0-\\u00f6\\u00f8-\\u00ff", "\\u03ac-\\u03c1\\u03c3-\\u03ce", "\\u0430-\\u045f"
  };

  private static CharLang idnLabel() {
    CharLang ascii = re("[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,2}");
    List<CharLang> labels = new ArrayList<>();
    labels.add(ascii);
    CharLang upTo12 = JsonLangs.SCALAR.repeat(1, 12);
    for (String script : SCRIPTS) {
      String c = "[a-z0-9" + script + "]";
      labels.add(re(c + "+(-" + c + "+)*").intersect(upTo12));
    }
    return CharLang.union(labels);
  }

  private static CharLang idnHostname() {
    CharLang label = idnLabel();
    return CharLang.concat(List.of(label, CharLang.codePoint('.').concat(label).repeat(0, 3)));
  }

  // --- E-mail addresses (RFC 5321; RFC 6531 for idn-email). The local part is a dot-atom whose
  // atoms start and end with a letter or digit: one atom of at most 32 characters and at most two
  // more of at most 15, so at most 64 octets (RFC 5321 section 4.5.3.1.1; networknt rejects longer
  // ones too). The domain is 1-4 labels of letters, digits and inner single hyphens (a run of at
  // most 20 then at most two of at most 9: 40 characters) and a common top-level domain: at most
  // 168 octets, so the address fits the 254 octets of an RFC 5321 path. idn-email also allows a
  // local part of one atom of at most 16 code points and one more of at most 15 (at most 32 code
  // points below U+0800: 64 octets) with the LETTERS_2B letters (RFC 6531 UTF8-non-ascii), and a
  // domain of 1-2 idn-hostname labels and a top-level domain that may also be рф, укр, срб or ελ
  // (at most 2 * 63 + 2 + 10 octets in A-label form).
  private static final String TLDS =
      "com|org|net|edu|gov|io|info|biz|de|uk|fr|es|it|nl|jp|cn|ca|au|us|in|br";
  private static final String IDN_TLDS =
      "\\u0440\\u0444|\\u0443\\u043a\\u0440|\\u0441\\u0440\\u0431|\\u03b5\\u03bb";

  private static String atom(String letters, int max) {
    return "[" + letters + "]([" + letters + "_+-]{0," + (max - 2) + "}[" + letters + "])?";
  }

  private static CharLang email(boolean idn) {
    String ascii = "a-zA-Z0-9";
    CharLang local = re(atom(ascii, 32) + "(\\." + atom(ascii, 15) + "){0,2}");
    CharLang domain;
    if (idn) {
      String intl = ascii + LETTERS_2B;
      local = local.union(re(atom(intl, 16) + "(\\." + atom(intl, 15) + ")?"));
      CharLang label = idnLabel();
      domain =
          CharLang.concat(
              List.of(
                  label,
                  CharLang.codePoint('.').concat(label).optional(),
                  re("\\.(" + TLDS + "|" + IDN_TLDS + ")")));
    } else {
      String label = "[a-zA-Z0-9]{1,20}(-[a-zA-Z0-9]{1,9}){0,2}";
      domain = re(label + "(\\." + label + "){0,3}\\.(" + TLDS + ")");
    }
    return CharLang.concat(List.of(local, CharLang.codePoint('@'), domain));
  }

  // --- ECMA-262 regular expressions (regex): a subset that is valid for ECMA-262 with and without
  // the u flag, for java.util.regex (networknt's default engine) and for Guidepost's own Regex.
  // Alternatives of terms; a term is an atom with an optional greedy quantifier (* + ? {n} {n,}
  // {n,m} with one-digit n <= m); an atom is a literal (ASCII letters, digits, space and
  // _,:;!@#%&'=<>~/-), ".", an escape (\d \D \w \W \s \S \t \n \r or an escaped syntax character or
  // /), a non-empty class, or a group "(...)" / "(?:...)" nesting at most 3 deep. Classes hold
  // literals (as above without & and -, plus .*+?()$|{}), the ranges a-z A-Z 0-9 a-f A-F 1-9 and
  // the escapes \d \D \w \W \s \S \. \- \] \\ \^ \/, and a "-" last; a leading ^ negates. "^" may
  // start and "$" end a top-level alternative. No lookaround, backreference, lazy quantifier, lone
  // ] } { or empty group: those differ between the engines or are errors in one of them.
  private static final int REGEX_DEPTH = 3;

  private static CharLang regex() {
    CharLang lit = re("[a-zA-Z0-9 _,:;!@#%&'=<>~/-]");
    CharLang esc = re("\\\\[dDwWsStnr.*+?()\\[\\]{}|^$\\\\/]");
    CharLang classItem =
        CharLang.union(
            List.of(
                re("[a-zA-Z0-9 _,:;!@#%'=<>~/.*+?()$|{}]"),
                re("a-z|A-Z|0-9|a-f|A-F|1-9"),
                re("\\\\[dDwWsS.\\-\\]\\\\^/]")));
    CharLang cls = CharLang.concat(List.of(re("\\[\\^?"), classItem.plus(), re("-?\\]")));
    List<String> bounds = new ArrayList<>();
    for (int n = 0; n <= 9; n++) {
      bounds.add("{" + n + "}");
      bounds.add("{" + n + ",}");
      for (int m = n; m <= 9; m++) {
        bounds.add("{" + n + "," + m + "}");
      }
    }
    CharLang quant = re("[*+?]").union(CharLang.stringUnion(bounds));
    CharLang atom = CharLang.union(List.of(lit, re("\\."), esc, cls));
    CharLang open = re("\\((\\?:)?");
    CharLang bar = CharLang.codePoint('|');
    for (int d = 1; d <= REGEX_DEPTH; d++) {
      CharLang alt = atom.concat(quant.optional()).plus();
      CharLang alts = alt.concat(bar.concat(alt).star());
      atom = atom.union(CharLang.concat(List.of(open, alts, CharLang.codePoint(')'))));
    }
    CharLang term = atom.concat(quant.optional());
    CharLang topAlt =
        CharLang.concat(
            List.of(
                CharLang.codePoint('^').optional(),
                term.plus(),
                CharLang.codePoint('$').optional()));
    return topAlt.concat(bar.concat(topAlt).star());
  }
}
