package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code format} languages of {@link JsonFormats}, each checked in both directions: hand-picked
 * examples (from the RFCs and the JSON Schema test suite) are members exactly when expected, and
 * seeded random members (walks over the byte automaton) are valid for networknt's validator with
 * format assertions on AND for an independent checker written from the RFC's grammar here (ABNF as
 * {@code java.util.regex}, IDNA via {@link IDN}, lengths in octets).
 */
class JsonFormatsTest {
  private static final Map<String, com.networknt.schema.JsonSchema> VALIDATORS =
      new ConcurrentHashMap<>();

  static boolean networkntValid(String format, String value) {
    com.networknt.schema.JsonSchema v =
        VALIDATORS.computeIfAbsent(
            format,
            f -> JsonSchemaWalkTest.validator("{\"type\":\"string\",\"format\":\"" + f + "\"}"));
    return v.validate(jsonString(value), InputFormat.JSON).isEmpty();
  }

  /** {@code s} as a JSON string literal. */
  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                b.append('\\').append((char) c);
              } else if (c < 0x20) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.append('"').toString();
  }

  // ------------------------------------------------------------ independent RFC checkers

  private static final String HEX = "[0-9A-Fa-f]";
  private static final String PCT = "%" + HEX + HEX;
  private static final String UNRESERVED = "[A-Za-z0-9._~-]";
  private static final String SUB_DELIMS = "[!$&'()*+,;=]";
  private static final String DEC_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])";
  private static final String IPV4 = DEC_OCTET + "(?:\\." + DEC_OCTET + "){3}";
  private static final String H16 = HEX + "{1,4}";
  private static final String LS32 = "(?:" + H16 + ":" + H16 + "|" + IPV4 + ")";
  // RFC 3986 section 3.2.2 IPv6address, alternative by alternative.
  private static final String IPV6 =
      ("(?:(?:H:){6}L|::(?:H:){5}L|(?:H)?::(?:H:){4}L|(?:(?:H:){0,1}H)?::(?:H:){3}L"
              + "|(?:(?:H:){0,2}H)?::(?:H:){2}L|(?:(?:H:){0,3}H)?::H:L|(?:(?:H:){0,4}H)?::L"
              + "|(?:(?:H:){0,5}H)?::H|(?:(?:H:){0,6}H)?::)")
          .replace("H", H16)
          .replace("L", LS32);
  // RFC 3987 section 2.2 ucschar and iprivate.
  private static final String UCSCHAR =
      "[\\x{A0}-\\x{D7FF}\\x{F900}-\\x{FDCF}\\x{FDF0}-\\x{FFEF}\\x{10000}-\\x{1FFFD}"
          + "\\x{20000}-\\x{2FFFD}\\x{30000}-\\x{3FFFD}\\x{40000}-\\x{4FFFD}\\x{50000}-\\x{5FFFD}"
          + "\\x{60000}-\\x{6FFFD}\\x{70000}-\\x{7FFFD}\\x{80000}-\\x{8FFFD}\\x{90000}-\\x{9FFFD}"
          + "\\x{A0000}-\\x{AFFFD}\\x{B0000}-\\x{BFFFD}\\x{C0000}-\\x{CFFFD}\\x{D0000}-\\x{DFFFD}"
          + "\\x{E1000}-\\x{EFFFD}]";
  private static final String IPRIVATE =
      "[\\x{E000}-\\x{F8FF}\\x{F0000}-\\x{FFFFD}\\x{100000}-\\x{10FFFD}]";

  /** RFC 3986 (or with {@code iri} RFC 3987) URI and relative-ref, from the ABNF. */
  private static String[] uriGrammar(boolean iri) {
    String u = iri ? "(?:" + UNRESERVED + "|" + UCSCHAR + ")" : UNRESERVED;
    String pchar = "(?:" + u + "|" + PCT + "|" + SUB_DELIMS + "|[:@])";
    String userinfo = "(?:" + u + "|" + PCT + "|" + SUB_DELIMS + "|:)*";
    String ipFuture = "v" + HEX + "+\\.(?:" + UNRESERVED + "|" + SUB_DELIMS + "|:)+";
    String host =
        "(?:\\[(?:"
            + IPV6
            + "|"
            + ipFuture
            + ")\\]|"
            + IPV4
            + "|(?:"
            + u
            + "|"
            + PCT
            + "|"
            + SUB_DELIMS
            + ")*)";
    String authority = "(?:" + userinfo + "@)?" + host + "(?::[0-9]*)?";
    String segment = pchar + "*";
    String segmentNzNc = "(?:" + u + "|" + PCT + "|" + SUB_DELIMS + "|@)+";
    String abempty = "(?:/" + segment + ")*";
    String absolute = "/(?:" + pchar + "+(?:/" + segment + ")*)?";
    String query = "(?:" + pchar + "|[/?]" + (iri ? "|" + IPRIVATE : "") + ")*";
    String fragment = "(?:" + pchar + "|[/?])*";
    String tail = "(?:\\?" + query + ")?(?:#" + fragment + ")?";
    String uri =
        "[A-Za-z][A-Za-z0-9+.-]*:(?://"
            + authority
            + abempty
            + "|"
            + absolute
            + "|"
            + pchar
            + "+(?:/"
            + segment
            + ")*|)"
            + tail;
    String relative =
        "(?://"
            + authority
            + abempty
            + "|"
            + absolute
            + "|"
            + segmentNzNc
            + "(?:/"
            + segment
            + ")*|)"
            + tail;
    return new String[] {uri, relative};
  }

  private static final String[] URI_ABNF = uriGrammar(false);
  private static final String[] IRI_ABNF = uriGrammar(true);
  private static final Pattern URI = Pattern.compile(URI_ABNF[0]);
  private static final Pattern URI_REFERENCE =
      Pattern.compile("(?:" + URI_ABNF[0] + ")|(?:" + URI_ABNF[1] + ")");
  private static final Pattern IRI = Pattern.compile(IRI_ABNF[0]);
  private static final Pattern IRI_REFERENCE =
      Pattern.compile("(?:" + IRI_ABNF[0] + ")|(?:" + IRI_ABNF[1] + ")");
  // RFC 6901 section 3.
  private static final String JSON_POINTER_ABNF =
      "(?:/(?:[\\x{0}-\\x{2E}\\x{30}-\\x{7D}\\x{7F}-\\x{10FFFF}]|~[01])*)*";
  private static final Pattern JSON_POINTER = Pattern.compile(JSON_POINTER_ABNF);
  private static final Pattern RELATIVE_JSON_POINTER =
      Pattern.compile("(?:0|[1-9][0-9]*)(?:#|" + JSON_POINTER_ABNF + ")");
  // RFC 6570 section 2.
  private static final String VARCHAR = "(?:[A-Za-z0-9_]|" + PCT + ")";
  private static final String VARSPEC =
      VARCHAR + "(?:\\.?" + VARCHAR + ")*(?::[1-9][0-9]{0,3}|\\*)?";
  private static final Pattern URI_TEMPLATE =
      Pattern.compile(
          "(?:[\\x21\\x23\\x24\\x26\\x28-\\x3B\\x3D\\x3F-\\x5B\\x5D\\x5F\\x61-\\x7A\\x7E]|"
              + UCSCHAR
              + "|"
              + IPRIVATE
              + "|"
              + PCT
              + "|\\{[+#./;?&=,!@|]?"
              + VARSPEC
              + "(?:,"
              + VARSPEC
              + ")*\\})*");
  // RFC 5321 section 4.1.2 Dot-string (RFC 6531 adds UTF8-non-ascii to atext).
  private static final Pattern DOT_STRING =
      Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
  private static final Pattern IDN_DOT_STRING =
      Pattern.compile(
          "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\\x00-\\x7F])+"
              + "(?:\\.(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|[^\\x00-\\x7F])+)*");
  private static final Pattern LDH_LABEL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private static int octets(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Why {@code host} is not an RFC 5890-5893 host name of U-labels and NR-LDH labels (as {@code
   * idn} says; else an RFC 1123 one), or null. Checked: LDH syntax of the A-label form, at most 63
   * octets a label and 253 in all, U-labels NFC, lower case, letters, digits and inner hyphens of
   * left-to-right scripts, surviving the IDNA round trip, no "--" in positions 3-4.
   */
  static String hostProblem(String host, boolean idn) {
    String[] labels = host.split("\\.", -1);
    int total = labels.length - 1;
    for (String label : labels) {
      if (label.isEmpty()) {
        return "empty label";
      }
      if (!idn) {
        if (!LDH_LABEL.matcher(label).matches()) {
          return "not LDH: " + label;
        }
        total += label.length();
        continue;
      }
      if (!Normalizer.isNormalized(label, Normalizer.Form.NFC)) {
        return "not NFC: " + label;
      }
      if (label.length() >= 4 && label.charAt(2) == '-' && label.charAt(3) == '-') {
        return "-- in positions 3-4: " + label;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || (c > 0x7F
                    && Character.isLetter(c)
                    && Character.isLowerCase(c)
                    && Character.getDirectionality(c) == Character.DIRECTIONALITY_LEFT_TO_RIGHT);
        if (!ok) {
          return "character U+" + Integer.toHexString(c) + " in " + label;
        }
      }
      String ace;
      try {
        ace = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        return "IDNA: " + e.getMessage();
      }
      if (!IDN.toUnicode(ace, IDN.USE_STD3_ASCII_RULES).equals(label)) {
        return "no IDNA round trip: " + label;
      }
      if (!LDH_LABEL.matcher(ace).matches()) {
        return "A-label not LDH: " + ace;
      }
      total += ace.length();
    }
    return total <= 253 ? null : "longer than 253 octets";
  }

  /** Why {@code s} is not an RFC 5321 (or with {@code idn} RFC 6531) mailbox, or null. */
  static String emailProblem(String s, boolean idn) {
    int at = s.lastIndexOf('@');
    if (at < 0) {
      return "no @";
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    if (!(idn ? IDN_DOT_STRING : DOT_STRING).matcher(local).matches()) {
      return "local part not a dot-string";
    }
    if (octets(local) > 64) {
      return "local part longer than 64 octets";
    }
    if (!domain.contains(".")) {
      return "domain of one label";
    }
    String why = hostProblem(domain, idn);
    if (why != null) {
      return why;
    }
    String ace = idn ? IDN.toASCII(domain) : domain;
    return octets(local) + 1 + ace.length() <= 254 ? null : "longer than 254 octets";
  }

  /** Why {@code s} is not a regex that ECMA-262 and java.util.regex both accept, or null. */
  static String regexProblem(String s) {
    try {
      Pattern.compile(s);
    } catch (RuntimeException e) {
      return "java.util.regex: " + e.getMessage();
    }
    try {
      // Guidepost's ECMA-262 parser (a subset of ECMA-262 syntax, so acceptance is meaningful).
      Regex.toLang(s, false);
    } catch (RegexSyntaxException e) {
      return "Regex: " + e.getMessage();
    } catch (ConstraintTooComplexException | EmptyConstraintException e) {
      // well-formed, only large or empty
    }
    return null;
  }

  /** Why {@code s} is not valid for {@code format} per its RFC, or null. */
  static String rfcProblem(String format, String s) {
    return switch (format) {
      case "uri" -> URI.matcher(s).matches() ? null : "not RFC 3986 URI";
      case "uri-reference" -> URI_REFERENCE.matcher(s).matches() ? null : "not URI-reference";
      case "iri" -> IRI.matcher(s).matches() ? null : "not RFC 3987 IRI";
      case "iri-reference" -> IRI_REFERENCE.matcher(s).matches() ? null : "not IRI-reference";
      case "json-pointer" -> JSON_POINTER.matcher(s).matches() ? null : "not RFC 6901";
      case "relative-json-pointer" ->
          RELATIVE_JSON_POINTER.matcher(s).matches() ? null : "not a relative JSON pointer";
      case "uri-template" -> URI_TEMPLATE.matcher(s).matches() ? null : "not RFC 6570";
      case "email" -> emailProblem(s, false);
      case "idn-email" -> emailProblem(s, true);
      case "hostname" -> hostProblem(s, false);
      case "idn-hostname" -> hostProblem(s, true);
      case "regex" -> regexProblem(s);
      default -> throw new IllegalArgumentException(format);
    };
  }

  // ------------------------------------------------------------ examples

  static Stream<Arguments> examples() {
    List<Arguments> out = new ArrayList<>();
    Object[][] table = {
      // regex: valid and in the subset
      {
        "regex",
        true,
        "([abc])+\\s+$",
        "^[a-z]+$",
        "\\d{3}-\\d{4}",
        "colou?r",
        "a|b|c",
        "[^0-9]",
        ".*",
        "^\\w+@\\w+\\.com$",
        "[0-9a-fA-F]{2}",
        "x{2,5}",
        "[a-zA-Z0-9._-]+",
        "^(?:[A-Z][a-z]*)( [A-Z][a-z]*)*$",
        "\\d+(\\.\\d+)?",
        "^(a(b(c)))$"
      },
      // regex: invalid (suite: unclosed parenthesis), and valid ones outside the subset
      {
        "regex",
        false,
        "^(abc]",
        "(",
        "a**",
        "[a-",
        "*a",
        "a{2,1}",
        "\\",
        "a)",
        "[z-a]",
        // valid, outside the subset
        "(?=a)b",
        "a*?",
        "\\bword\\b",
        "(a)\\1",
        "((((a))))",
        ""
      },
      // uri-reference: suite, RFC 3986 section 5.4 examples
      {
        "uri-reference",
        true,
        "http://foo.bar/?baz=qux#quux",
        "//foo.bar/?baz=qux#quux",
        "/abc",
        "abc",
        "#fragment",
        "",
        "g:h",
        "g",
        "./g",
        "g/",
        "/g",
        "//g",
        "?y",
        "g?y",
        "#s",
        "g#s",
        "g?y#s",
        ";x",
        "g;x",
        "g;x?y#s",
        ".",
        "./",
        "..",
        "../",
        "../g",
        "../..",
        "../../g",
        "http://[2001:db8::1]/x",
        "urn:isbn:0451450523"
      },
      {
        "uri-reference",
        false,
        "\\\\WINDOWS\\fileshare",
        "#frag\\ment",
        "a b",
        "http://x/%zz",
        "1:2",
        "%",
        "[",
        "http://exa mple.com",
        "/\u00e4"
      },
      // iri: suite ones in the subset, RFC 3987-style examples
      {
        "iri",
        true,
        "http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com",
        "http://[2001:0db8:85a3:0000:0000:8a2e:0370:7334]",
        "http://m\u00fcnchen.de/stra\u00dfe?q=\u00fc#abschnitt",
        "https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/\u043f\u0443\u0442\u044c",
        "http://\u4f8b\u3048.jp/\u30d1\u30b9",
        "mailto:j\u00f6rg@example.com",
        "urn:isbn:0451450523"
      },
      {
        "iri",
        false,
        "/abc",
        "\u00e2\u03c0\u03c0",
        "http://2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "\\\\WINDOWS\\fil\u00eb\u00df\u00e5r\u00e9",
        "http://exa mple.com",
        // valid, outside the subset: letters of Latin Extended-B and a mathematical symbol
        "http://\u0192\u00f8\u00f8.\u00df\u00e5r/?\u2202\u00e9\u0153=\u03c0\u00eex#\u03c0\u00ee\u00fcx"
      },
      {
        "iri-reference",
        true,
        "http://m\u00fcnchen.de/?q=\u00e4",
        "//m\u00fcnchen.de/?q=\u00e4#x",
        "/\u00e2\u03c0\u03c0",
        "\u00e2\u03c0\u03c0",
        "#fr\u00e4gm\u00eant",
        "",
        "../\u0434\u043e\u043c"
      },
      {
        "iri-reference",
        false,
        "\\\\WINDOWS\\fil\u00eb\u00df\u00e5r\u00e9",
        "#fr\u00e4g\\m\u00eant",
        "a b",
        "%zz"
      },
      // json-pointer: suite and RFC 6901 section 5
      {
        "json-pointer",
        true,
        "/foo/bar~0/baz~1/%a",
        "/foo//bar",
        "/foo/bar/",
        "",
        "/foo",
        "/foo/0",
        "/",
        "/a~1b",
        "/c%d",
        "/e^f",
        "/g|h",
        "/i\\j",
        "/k\"l",
        "/ ",
        "/m~0n",
        "/foo/-",
        "/foo/-/bar",
        "/~1~0~0~1~1",
        "/~1.1",
        "/~0.1",
        "/\u00fcber/\ud83d\ude00"
      },
      {
        "json-pointer",
        false,
        "/foo/bar~",
        "#",
        "#/",
        "#a",
        "/~0~",
        "/~0/~",
        "/~2",
        "/~-1",
        "/~~",
        "a",
        "0",
        "a/a",
        // valid, outside the subset (networknt rejects '#')
        "/a#b"
      },
      {
        "relative-json-pointer",
        true,
        "1",
        "0/foo/bar",
        "2/0/baz/1/zip",
        "0#",
        "120/foo/bar",
        "0",
        "3/a~1b"
      },
      {
        "relative-json-pointer",
        false,
        "/foo/bar",
        "-1/foo/bar",
        "+1/foo/bar",
        "0##",
        "01/a",
        "01#",
        "",
        "1/~2"
      },
      // uri-template: suite and RFC 6570 section 1.2 examples
      {
        "uri-template",
        true,
        "http://example.com/dictionary/{term:1}/{term}",
        "http://example.com/dictionary",
        "dictionary/{term:1}/{term}",
        "{var}",
        "{+path}/here",
        "{#var}",
        "X{.list*}",
        "{/var,x}/here",
        "{;x,y}",
        "{?x,y}",
        "{&x}",
        "map{?keys*}",
        "{var:30}",
        "http://example.com/~{username}/",
        "{x,hello,y}",
        "?fixed=yes{&x}"
      },
      {
        "uri-template",
        false,
        "http://example.com/dictionary/{term:1}/{term",
        "{}",
        "{var:0}",
        "{var:10000}",
        "a b",
        "{va r}",
        "}",
        "{",
        "%g0",
        // valid, outside the subset: a reserved operator, a non-ASCII literal
        "{=x}",
        "\u00fc{x}"
      },
      // idn-email: suite ones in the subset, RFC 6530-style examples
      {
        "idn-email",
        true,
        "joe.bloggs@example.com",
        "j\u00f6rg@m\u00fcnchen.de",
        "\u0438\u0432\u0430\u043d@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
        "\u03b4\u03bf\u03ba\u03b9\u03bc\u03ae@\u03c0\u03b1\u03c1\u03ac\u03b4\u03b5\u03b9\u03b3\u03bc\u03b1.\u03b5\u03bb",
        "First.Last@mail.example.org"
      },
      {
        "idn-email",
        false,
        "2962",
        "a@b",
        "a..b@example.com",
        ".a@example.com",
        "a@-example.com",
        "a@example..com",
        "a b@example.com",
        "a@example.com.",
        // valid, outside the subset: Hangul and the .test TLD (suite)
        "\uc2e4\ub840@\uc2e4\ub840.\ud14c\uc2a4\ud2b8"
      },
      {"email", true, "a.b@example.com", "john.smith+tag@mail.example.co.uk", "x@y.io"},
      {"email", false, "a".repeat(65) + "@example.com", "a@b", "j\u00f6rg@example.com"},
      // idn-hostname: suite and RFC 5890-style examples
      {
        "idn-hostname",
        true,
        "m\u00fcnchen.de",
        "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
        "\u03c0\u03b1\u03c1\u03ac\u03b4\u03b5\u03b9\u03b3\u03bc\u03b1.\u03b4\u03bf\u03ba\u03b9\u03bc\u03ae",
        "example.com",
        "b\u00fccher-\u00e4rger.de",
        "hostname",
        "host-name",
        "h0stn4me",
        "1host",
        "hostnam3"
      },
      {
        "idn-hostname",
        false,
        "\u302e\uc2e4\ub840.\ud14c\uc2a4\ud2b8",
        "-> $1.00 <--",
        "xn--X",
        "XN--aa---o47jg78q",
        "-hello",
        "hello-",
        "-hello-",
        "\u0903hello",
        "\u0300hello",
        "\u0488hello",
        "a\u00b7l",
        "l\u00b7",
        "\u03b1\u0375S",
        "A\u05f3\u05d1",
        "def\u30fbabc",
        "\u0660\u06f0",
        "\u0915\u200d\u0937",
        "ab--cd",
        "a..b",
        "",
        "m\u00dcnchen.de",
        // valid, outside the subset: an A-label, Hangul, more than 4 labels, upper case ASCII,
        // a final sigma, two scripts in one label
        "xn--ihqwcrb4cv8a8dqg056pqjye",
        "\uc2e4\ub840.\ud14c\uc2a4\ud2b8",
        "a.b.c.d.e",
        "Example.com",
        "\u03c3\u03bf\u03c6\u03cc\u03c2.gr",
        "\u00e4\u0434.de"
      },
    };
    for (Object[] row : table) {
      for (int i = 2; i < row.length; i++) {
        out.add(Arguments.of(row[0], row[i], row[1]));
      }
    }
    return out.stream();
  }

  /**
   * Members exactly when expected; every member is also valid for networknt and the RFC checker
   * (the expected-false rows mix invalid values and valid ones outside the documented subsets).
   */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("examples")
  void examplesAreMembersExactlyWhenExpected(String format, String value, boolean member) {
    assertEquals(member, JsonFormats.content(format).accepts(value), format + " " + value);
    if (member) {
      assertTrue(networkntValid(format, value), "networknt rejects " + value);
      assertNull(rfcProblem(format, value), value);
    }
  }

  /** The RFC checkers are not vacuous: they reject invalid values. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "uri | no-scheme",
        "uri | http://x/%zz",
        "uri-reference | a b",
        "iri | /abc",
        "iri-reference | %zz",
        "json-pointer | a",
        "json-pointer | /~2",
        "relative-json-pointer | 01",
        "uri-template | {}",
        "email | a@b",
        "email | a..b@example.com",
        "idn-email | .a@example.de",
        "hostname | -a.com",
        "idn-hostname | Ab.de",
        "idn-hostname | ab--c.de",
        "regex | (",
        "regex | a{2,1}"
      })
  void rfcCheckersRejectInvalidValues(String format, String value) {
    assertNotNull(rfcProblem(format, value), value);
  }

  static final String[] CHECKED = {
    "regex", "uri", "uri-reference", "iri", "iri-reference", "json-pointer",
    "relative-json-pointer", "uri-template", "email", "idn-email", "hostname", "idn-hostname"
  };

  /**
   * Soundness duel: 256 seeded random members per format (walks with length budgets from 8 to 300
   * bytes) are valid for networknt (format assertions on) and for the RFC checker.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "regex", "uri", "uri-reference", "iri", "iri-reference", "json-pointer",
        "relative-json-pointer", "uri-template", "email", "idn-email", "hostname", "idn-hostname"
      })
  void randomMembersAreValid(String format) {
    ByteDfa dfa = JsonFormats.content(format).toByteDfa(GrammarLimits.DEFAULTS);
    List<String> samples = new ArrayList<>();
    for (int budget : new int[] {8, 30, 100, 300}) {
      samples.addAll(JsonSchemaWalkTest.walks(dfa, format.hashCode() * 31L + budget, 64, budget));
    }
    assertEquals(256, samples.size());
    for (String s : samples) {
      assertTrue(networkntValid(format, s), () -> format + ": networknt rejects " + jsonString(s));
      assertNull(rfcProblem(format, s), () -> format + ": " + jsonString(s));
    }
  }

  /** State counts of the minimal UTF-16-level automata, kept small for products with them. */
  @ParameterizedTest(name = "{0} <= {1} states")
  @CsvSource({
    "regex, 200",
    "uri-reference, 200",
    "iri, 200",
    "iri-reference, 200",
    "json-pointer, 10",
    "relative-json-pointer, 10",
    "uri-template, 20",
    "email, 500",
    "idn-email, 1000",
    "idn-hostname, 1000"
  })
  void automataStaySmall(String format, int max) {
    int states = JsonFormats.content(format).stateCount();
    assertTrue(states <= max, format + ": " + states + " states");
  }

  /**
   * The formats claimed exact (their language is the RFC's, so a schema using them can be complete
   * and complemented) against brute force: every month and day text 00..99 of sampled years
   * (leap-year corners and seeded random ones), judged by {@code java.time} (RFC 3339 full-date:
   * four-digit proleptic Gregorian years) and by networknt with format assertions on; ipv4 over
   * every octet text of up to three digits in each position of a sampled address.
   */
  @Test
  void exactFormatsEqualTheirRfcOnBruteForce() {
    assertEquals(java.util.Set.of("date", "ipv4"), JsonFormats.EXACT);
    CharLang date = JsonFormats.content("date");
    java.util.Random rnd = new java.util.Random(20261204);
    List<Integer> years =
        new ArrayList<>(List.of(0, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999));
    for (int i = 0; i < 10; i++) {
      years.add(rnd.nextInt(10_000));
    }
    int checked = 0;
    for (int y : years) {
      for (int m = 0; m < 100; m++) {
        for (int d = 0; d < 100; d++) {
          String text = String.format("%04d-%02d-%02d", y, m, d);
          boolean valid;
          try {
            java.time.LocalDate.of(y, m, d);
            valid = true;
          } catch (java.time.DateTimeException e) {
            valid = false;
          }
          assertEquals(valid, date.accepts(text), text);
          if (valid || (m >= 1 && m <= 12 && d >= 28)) {
            assertEquals(valid, networkntValid("date", text), "networknt: " + text);
          }
          checked++;
        }
      }
    }
    assertEquals(200_000, checked);
    CharLang ipv4 = JsonFormats.content("ipv4");
    List<String> octets = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      octets.add(String.valueOf(i));
      octets.add(String.format("%02d", i % 100));
      octets.add(String.format("%03d", i));
    }
    for (String o : octets) {
      for (int pos = 0; pos < 4; pos++) {
        String[] parts = {"10", "0", "255", "7"};
        parts[pos] = o;
        String text = String.join(".", parts);
        boolean valid =
            o.length() == String.valueOf(Integer.parseInt(o)).length()
                && Integer.parseInt(o) <= 255;
        assertEquals(valid, ipv4.accepts(text), text);
      }
    }
  }

  @Test
  void everyListedFormatIsSupported() {
    for (String f : CHECKED) {
      assertTrue(JsonFormats.isSupported(f), f);
    }
    assertTrue(JsonFormats.content("color") == null && !JsonFormats.isSupported("color"));
  }
}
