package io.guidepost.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.aggregator.ArgumentsAccessor;
import org.junit.jupiter.params.provider.CsvSource;

class RegexTest {

  static boolean full(String pattern, String s) {
    return Regex.compile(pattern).matches(s);
  }

  static boolean test(String pattern, String s) {
    return Regex.toLang(pattern, false).accepts(s);
  }

  @Test
  void acceptRejectTable() {
    String[][] accept = {
      {"[A-Z][0-9]{2}(\\.[0-9]{1,2})?", "E11.65", "I10", "N18.3"},
      {"a|b|", "a", "b", ""},
      {"\\d+", "0", "123"},
      {"\\w*", "", "a_Z9"},
      {"\\s", " ", "\t", "\u00a0", "\u2028", "\ufeff", "\u000b"},
      {"\\S\\D\\W", "a0_".substring(0, 1) + "a" + "-"},
      {".", "a", "\u0085", "\uD83D\uDE00", "\u00e9"},
      {"[^a-c]", "d", "\uD83D\uDE00", "\n"},
      {"\\uD83D\\uDE00", "\uD83D\uDE00"},
      {"\\u{1F600}+", "\uD83D\uDE00\uD83D\uDE00"},
      {"[\\u{1F600}-\\u{1F64F}]", "\uD83D\uDE4F"},
      {"\\x41\\u0042\\t\\n\\r\\f\\v\\0", "AB\t\n\r\f\u000b\u0000"},
      {"\\cJ", "\n"},
      {"\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\\\\\/\\-\\^\\$", ".*+?()[]{}|\\/-^$"},
      {"(?:ab)+", "ab", "abab"},
      {"(?<year>\\d{4})-(\\d\\d)", "2024-01"},
      {"^abc$", "abc"},
      {"^a$|^b$", "a", "b"},
      {"a{0}", ""},
      {"a{2,}", "aa", "aaaaa"},
      {"[-a]", "-", "a"},
      {"[a-]", "-"},
      {"[\\d.]", "5", "."},
      {"[\\b]", "\b"},
      {"}]", "}]"},
      {"é+", "éé"},
    };
    for (String[] row : accept) {
      for (int k = 1; k < row.length; k++) {
        assertTrue(full(row[0], row[k]), row[0] + " should accept " + row[k]);
      }
    }
    String[][] reject = {
      {"[A-Z][0-9]{2}(\\.[0-9]{1,2})?", "E1", "E11.", "E11.123", "e11"},
      {"\\d+", "", "a", "\uFF10"},
      {".", "\n", "\r", "\u2028", "\u2029", "", "ab"},
      {"\\s", "\u0085", "\u200b"},
      {"[^a-c]", "a", ""},
      {"a{2,3}", "a", "aaaa"},
      {"\\w", "é"},
    };
    for (String[] row : reject) {
      for (int k = 1; k < row.length; k++) {
        assertFalse(full(row[0], row[k]), row[0] + " should reject " + row[k]);
      }
    }
  }

  @Test
  void unanchoredSemanticsForSchemaPatterns() {
    assertTrue(test("b", "abc"));
    assertTrue(test("^a", "abc"));
    assertFalse(test("^b", "abc"));
    assertTrue(test("c$", "abc"));
    assertFalse(test("b$", "abc"));
    assertTrue(test("^abc$", "abc"));
    assertFalse(test("^abc$", "abcd"));
    assertTrue(test("^x|c$", "abc"));
    assertTrue(test("", "anything"));
  }

  /**
   * Assertions anywhere, ECMA-262 semantics: {pattern, mode ("full" or "search"), then strings,
   * each prefixed with "+" (accepted) or "-" (rejected)}.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      value = {
        "(^a|b$)~search~+a~+ax~+xb~+b~-xa~-bx~-",
        "^(?:foo$|bar)~search~+foo~+barx~+bar~-foox~-xbar~-xfoo",
        "(x|^)y~search~+y~+xy~+axy~+yz~-ay~-",
        "a(?:$|b)~search~+a~+xab~+abx~-ax",
        "\\bfoo\\b~search~+foo~+a foo b~+foo-bar~+(foo)~-foobar~-afoo~-foo_~-foo1",
        "\\Boo\\B~search~+foox~+_oo_~-oo~-foo~-oox",
        "\\b~search~+a~+-a-~-~--~`- `",
        "\\B~search~+~+-~+ab~-a",
        "a\\b-~full~+a-~-a",
        "(a$)|b~full~+a~+b~-ab",
        "^^a$$~full~+a",
        "(?:^a)*b~full~+b~+ab~-aab",
        "(?:a|\\b)+~full~-~+a~+aa",
        "(?:\\b|-)+a~full~+a~+-a~+--a",
        "(?:-\\b)*a~full~+a~+-a~--",
        "a$~search~+a~+ba~-a\\n~-ab",
        "\\bé~search~+aé~-é~`- é`",
        "é\\b~search~+éa~-é~-éé",
        "a\\b😀~full~+a😀",
        "\\B😀~search~+😀~+-😀~-a😀",
        "😀\\b~search~+😀a~-😀~-😀😀",
        "\\u{10000}x|y^x~full~+\uD800\uDC00x~-yx~-x",
        "\\u{10001}x|y$x~full~+\uD800\uDC01x~-yx~-x",
        "\\u{10002}x|y\\bx~full~+\uD800\uDC02x~-yx",
        "\\u{10003}x|y\\Bx~full~+\uD800\uDC03x~+yx~-x",
        "[\\b]\\b~full~-\b",
        "(^|-){2,3}~full~+-~+~+--~+---~-----",
        "^(?!\\s*$).+~search~+a~+ a~- ~-~-\\t",
        "^(?=.*[A-Z])(?=.*\\d).{8,}$~search~+abcdefG1~+1AAAAAAA~-abcdefg1~-ABCDEFGH~-Ab1",
        "a(?=b)~search~+ab~+xabc~-a~-ac",
        "(?!foo)\\w+~full~+bar~+fo~+fob~-foo~-foobar",
        "x(?=a$)a~full~+xa",
        "x(?=a$)~search~+xa~+yxa~-xab~-x",
        "(?=a(?!b))a.~full~+ac~+aa~-ab",
        "(?=😀)😀~full~+😀",
        "(?!😀).~full~+é~+a~-😀",
        "^(?!.*--)[a-z-]+$~search~+a-b~+-~-a--b~---",
        "(?=\\b)a|(?!\\b)-~full~+a~+-",
        "-(?=\\b)~search~+-a~--~---",
        "(?=(?=a)\\w)\\w~full~+a~-b",
        "(?!)a|b~full~-a~+b",
        "(?=)a~full~+a",
      })
  void assertionsAnywhere(ArgumentsAccessor row) {
    String pattern = row.getString(0);
    String mode = row.getString(1);
    CharLang lang = Regex.toLang(pattern, mode.equals("full"));
    for (int k = 2; k < row.size(); k++) {
      String s = row.getString(k);
      String text = s.substring(1).translateEscapes();
      assertEquals(s.charAt(0) == '+', lang.accepts(text), pattern + " " + mode + " on " + s);
    }
  }

  @Test
  void lazyQuantifiersMatchWhatTheGreedyOnesMatch() {
    String[][] pairs = {
      {"^(.*?)\\.alfred3?workflow$", "^(.*)\\.alfred3?workflow$"},
      {"a+?b??c{1,3}?", "a+b?c{1,3}"},
      {"x(?=a*?b)", "x(?=a*b)"}
    };
    for (String[] p : pairs) {
      CharLang lazy = Regex.toLang(p[0], false);
      CharLang greedy = Regex.toLang(p[1], false);
      assertTrue(lazy.minus(greedy).isEmpty() && greedy.minus(lazy).isEmpty(), p[0]);
    }
    assertTrue(full("a+?b", "aab"));
    assertFalse(full("a+?b", "b"));
  }

  @Test
  void assertionsThatCannotHoldLeaveNoString() {
    for (String p : new String[] {"a^b", "a$b", "a\\bb", "a\\B-", "$a", "a^", "a$\\n"}) {
      assertThrows(EmptyConstraintException.class, () -> Regex.compile(p), p);
    }
    // ECMA: '$' only at the very end, unlike java.util.regex's '$' before a final line terminator.
    assertFalse(test("a$", "a\n"));
    assertTrue(Regex.toLang("a$\\n", false).isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      value = {
        "(a|b)\\1~regex-unsupported~5~backreferences are not supported",
        "(?<n>a)\\k<n>~regex-unsupported~7~backreferences are not supported",
        "(?<=a)b~regex-unsupported~0~lookbehind is not supported",
        "(?<!a)b~regex-unsupported~0~lookbehind is not supported",
        "a*??~regex-syntax~3~nothing to repeat",
        "a{1,2}?+~regex-syntax~7~nothing to repeat",
        "a++~regex-unsupported~2~possessive quantifiers are not supported",
        "(?=a)*~regex-unsupported~5~a quantified lookahead is not supported",
        "x(?!a|b){2}~regex-unsupported~8~a quantified lookahead is not supported",
        "[\\B]~regex-unsupported~1~\\B inside a character class is not supported",
        "(?i)abc~regex-unsupported~0~inline flags and other (?...) groups are not supported",
        "\\p{L}~regex-unsupported~0~Unicode property escapes are not supported",
        "[a[b]]~regex-unsupported~2~an unescaped '[' inside a character class means different"
            + " things in Java and ECMAScript; write \\[",
        "[a&&b]~regex-unsupported~2~'&&' inside a character class means intersection in Java but"
            + " not in ECMAScript; write \\&\\&",
        "\\uD83D~regex-unsupported~0~lone surrogate escapes cannot occur in UTF-8 text",
        "ab)~regex-syntax~2~unmatched ')'",
        "(ab~regex-syntax~0~missing ')' for the group opened here",
        "x(a(b)~regex-syntax~1~missing ')' for the group opened here",
        "[ab~regex-syntax~0~missing ']' for the character class opened here",
        "[z-a]~regex-syntax~1~range out of order in character class",
        "a{3,2}~regex-syntax~1~numbers out of order in {3,2} quantifier",
        "a{99999999999}~regex-syntax~1~repetition count too large",
        "*a~regex-syntax~0~nothing to repeat",
        "a**~regex-syntax~2~nothing to repeat",
        "a|+~regex-syntax~2~nothing to repeat",
        "a{~regex-syntax~1~'{' must start a quantifier {n}, {n,} or {n,m}; write \\{ for a"
            + " literal brace",
        "{1}~regex-syntax~0~nothing to repeat",
        "^*~regex-syntax~1~nothing to repeat: '^' is an assertion",
        "a$?~regex-syntax~2~nothing to repeat: '$' is an assertion",
        "(\\b+)~regex-syntax~3~nothing to repeat: '\\b' is an assertion",
        "x\\B{2}~regex-syntax~3~nothing to repeat: '\\B' is an assertion",
        "(?=a~regex-syntax~0~missing ')' for the group opened here",
        "[]~regex-syntax~0~empty character class []",
        "[^]~regex-syntax~0~empty negated class [^] is not supported; write [\\s\\S] for any"
            + " character",
        "ab\\~regex-syntax~2~pattern ends with a lone backslash",
        "\\q~regex-syntax~0~unknown escape \\q",
        "\\x4~regex-syntax~0~incomplete escape: expected 2 hex digits",
        "\\u12G4~regex-syntax~0~incomplete escape: expected 4 hex digits",
        "\\u{110000}~regex-syntax~0~code point above U+10FFFF",
        "[\\d-z]~regex-syntax~3~a character class escape cannot be a range bound",
        "[a-\\d]~regex-syntax~2~a character class escape cannot be a range bound",
        "(?<1a>x)~regex-syntax~0~invalid group name",
        "\\c1~regex-syntax~0~\\c must be followed by an ASCII letter",
      })
  void errorTable(String pattern, String type, int position, String reason) {
    RegexSyntaxException e = assertThrows(RegexSyntaxException.class, () -> Regex.compile(pattern));
    assertEquals(type, e.type());
    assertEquals(position, e.position());
    assertEquals(reason, e.reason());
    assertEquals(pattern, e.pattern());
    assertTrue(e.getMessage().contains("at index " + position + ": " + reason), e.getMessage());
  }

  @Test
  void emptyLanguageIsAnError() {
    EmptyConstraintException e =
        assertThrows(EmptyConstraintException.class, () -> Regex.compile("[^\\s\\S]"));
    assertEquals("empty-language", e.type());
    assertEquals(
        "constraint accepts no output: regex \"[^\\s\\S]\" matches no string", e.getMessage());
  }

  @Test
  void limitsAreReportedWithNumbers() {
    ConstraintTooComplexException e =
        assertThrows(ConstraintTooComplexException.class, () -> Regex.compile("a{20000}"));
    assertEquals("maxRepeatCount", e.limitName());
    assertEquals(10_000, e.limit());
    assertEquals(20_000, e.observed());
    assertEquals("repetitions", e.unit());
    assertEquals(
        "constraint too complex: the quantifier at index 1 needs 20000 repetitions, limit"
            + " maxRepeatCount = 10000 repetitions",
        e.getMessage());
    ConstraintTooComplexException blowUp =
        assertThrows(
            ConstraintTooComplexException.class,
            () ->
                Regex.compile("(a|b)*a(a|b){24}", GrammarLimits.DEFAULTS.withMaxDfaStates(50_000)));
    assertEquals("maxDfaStates", blowUp.limitName());
    // Lookaheads are intersections: exact, and so as large as the intersection (2^14 states here).
    ConstraintTooComplexException lookahead =
        assertThrows(
            ConstraintTooComplexException.class,
            () ->
                Regex.compile(
                    "(?:a|b|(?=.{14}a)c)*", GrammarLimits.DEFAULTS.withMaxDfaStates(5_000)));
    assertEquals("maxDfaStates", lookahead.limitName());
    assertEquals(256, Regex.compile("(?:a|b|(?=.{8}a)c)*").stats().states());
    ConstraintTooComplexException length =
        assertThrows(
            ConstraintTooComplexException.class,
            () -> Regex.compile("abcdef", GrammarLimits.DEFAULTS.withMaxRegexLength(5)));
    assertEquals("maxRegexLength", length.limitName());
    assertEquals(6, length.observed());
  }

  @Test
  void compileTimeLimitStopsALongCompilation() {
    // 2^16 subsets, well over a millisecond of determinization on any machine; within the work
    // and state limits, so only the wall clock stops it.
    ConstraintTooComplexException e =
        assertThrows(
            ConstraintTooComplexException.class,
            () ->
                Regex.compile("(a|b)*a(a|b){16}", GrammarLimits.DEFAULTS.withMaxCompileMillis(1)));
    assertEquals("maxCompileMillis", e.limitName());
    assertEquals(1, e.limit());
    assertEquals("ms", e.unit());
    assertTrue(e.observed() > 1, "observed " + e.observed());
    // The same pattern compiles under the default limit.
    assertTrue(Regex.compile("(a|b)*a(a|b){16}").stats().states() > 60_000);
  }

  @Test
  void compiledConstraintBasics() {
    CompiledConstraint c = Regex.compile("[a-c]{2}");
    assertEquals(ConstraintKind.REGEX, c.kind());
    assertEquals("aa", c.shortestExample());
    assertEquals(0, c.minChars());
    assertEquals(Integer.MAX_VALUE, c.maxChars());
    assertFalse(c.hasLengthBounds());
    assertEquals(3, c.stats().states());
    assertTrue(c.stats().compileNanos() > 0);
    int s = c.dfa().run(c.dfa().initialState(), "a".getBytes(StandardCharsets.UTF_8), 0, 1);
    assertTrue(c.canComplete(s, 1));
    assertFalse(c.canComplete(-1, 1));
    assertTrue(c.captures("ab").isEmpty());
    assertEquals(null, c.locate("ab"));
  }
}
