package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Regular expressions in the ECMA-262 / {@code java.util.regex} subset people write, compiled
 * exactly to automata. {@link #compile} has full-match semantics (the whole output must match).
 *
 * <p>Supported: literals (supplementary characters included); escapes {@code \d} = [0-9], {@code
 * \w} = [A-Za-z0-9_], {@code \s} = the ECMA-262 white space and line terminators (U+0009-U+000D,
 * U+0020, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), their
 * negations {@code \D \W \S}, {@code \t \n \r \f \v \0}, {@code \cX}, {@code \xHH}, {@code
 * \}{@code uXXXX} (a high and a low surrogate escape in a row combine into one code point), {@code
 * \}{@code u{H..}} up to 10FFFF, and any escaped ASCII punctuation as itself; classes {@code
 * [...]}, {@code [^...]} with ranges and the escapes above; {@code .} = any code point except
 * the line terminators \n \r U+2028 U+2029 (ECMA; unlike Java, U+0085 is matched); groups {@code
 * (...)}, {@code (?:...)} and {@code (?<name>...)} (the name is checked and ignored: all groups
 * are non-capturing here); alternation; {@code * + ?}, {@code {n} {n,} {n,m}}; the assertions
 * {@code ^ $ \b \B} and lookaheads {@code (?=...)}, {@code (?!...)} anywhere, exactly (below).
 *
 * <p>Assertions have ECMA-262 semantics without the {@code m} flag, over code points (positions
 * lie between code points, as with the {@code u} flag): {@code ^} holds only at the start of the
 * input and {@code $} only at its very end, in both modes (unlike {@code java.util.regex}, whose
 * {@code $} also holds before a final line terminator: {@code a$\n} matches nothing here); {@code
 * \b} holds where exactly one neighbour is a word character {@code [A-Za-z0-9_]}, the outside of
 * the input counting as non-word, {@code \B} elsewhere; {@code (?=X)} where the rest of the input
 * starts with a string of X, {@code (?!X)} where it does not (X may contain assertions and
 * lookaheads; what X matches is not consumed). In search mode the surrounding {@code .*} are
 * subject to them too: {@code (x|^)y} matches "y" and "axy" but not "ay". An assertion cannot
 * be quantified ({@code ^*} is a syntax error, as in ECMA-262; a quantified lookahead, which
 * ECMA-262 allows without the {@code u} flag, is unsupported); a group containing one can. A
 * {@code ^} that opens a top-level alternative and a {@code $} that closes one are the cheap case
 * (no {@code .*} on that side, no marker); every other assertion is a marker resolved by a product
 * with a small context automaton ({@link CharLang.Assertion}), built only for the top-level
 * alternatives that contain one.
 *
 * <p>Rejected with {@link RegexSyntaxException} carrying the 0-based index: backreferences ({@code
 * \1}, {@code \k<n>}), lookbehind, possessive quantifiers ({@code *+}), a quantified assertion or lookahead, {@code \B} inside a class, inline flags {@code (?i)},
 * Unicode property escapes, lone surrogate escapes (no UTF-8 text contains them), an unescaped
 * {@code [} or {@code &&} inside a class (they mean different things in Java and ECMA), the empty
 * classes {@code []} and {@code [^]}, a {@code {} that does not start a quantifier, unbalanced
 * parentheses, ranges out of order, {@code {n,m}} with n > m and unknown letter escapes. Bounds
 * above {@link GrammarLimits#maxRepeatCount()} raise {@link ConstraintTooComplexException}.
 *
 * <p>Translation: a recursive-descent parser (this class) builds the language bottom-up with the
 * {@link CharLang} algebra (int-array automata over UTF-16 code units, {@link IntAutomaton}). No
 * third-party regex parser is used: dk.brics', which this project once relied on, differs in syntax
 * (e.g. {@code @}, {@code <1-5>}, literal {@code \d}) and works on UTF-16 units, so supplementary
 * characters in classes could not be expressed in it.
 *
 * <p>Thread-safety: stateless; safe to call concurrently.
 */
public final class Regex {
  private Regex() {}

  /**
   * Compiles {@code pattern} (full-match semantics) with the default limits.
   *
   * @throws RegexSyntaxException malformed or unsupported pattern
   * @throws EmptyConstraintException the pattern matches nothing (e.g. {@code [^\s\S]})
   * @throws ConstraintTooComplexException a limit is exceeded
   */
  public static CompiledConstraint compile(String pattern) {
    return compile(pattern, GrammarLimits.DEFAULTS);
  }

  /** Compiles {@code pattern} (full-match semantics) under {@code limits}. */
  public static CompiledConstraint compile(String pattern, GrammarLimits limits) {
    long t0 = System.nanoTime();
    String what = "regex " + RegexSyntaxException.quote(pattern);
    ByteDfa dfa =
        CharLang.withLimits(
            limits,
            () -> {
              CharLang lang = toLang(pattern, true);
              if (lang.isEmpty()) {
                throw new EmptyConstraintException(what + " matches no string");
              }
              return lang.toByteDfa(limits);
            });
    return CompiledConstraint.of(ConstraintKind.REGEX, what, dfa, t0);
  }

  /**
   * The language of {@code pattern}. With {@code fullMatch} the pattern must match the whole
   * string; without, it follows ECMA {@code RegExp.test} (JSON Schema {@code pattern}): the
   * language of {@code .*(?:pattern).*} with the assertions of the class javadoc, so each top-level
   * alternative may be preceded by anything unless it starts with {@code ^} and followed by
   * anything unless it ends with {@code $}. Uses the limits bound by {@link CharLang#withLimits}.
   */
  static CharLang toLang(String pattern, boolean fullMatch) {
    GrammarLimits limits = CharLang.limits();
    if (pattern.length() > limits.maxRegexLength()) {
      throw new ConstraintTooComplexException(
          "maxRegexLength", limits.maxRegexLength(), pattern.length(), "chars", "the regex");
    }
    return new Parser(pattern, fullMatch, limits).parse();
  }

  // Sorted disjoint code-point pairs of the predefined classes.
  private static final int[] DIGIT = {'0', '9'};
  private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
  private static final int[] SPACE = {
    0x09, 0x0D, 0x20, 0x20, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F,
    0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF
  };
  private static final int[] LINE_TERMINATORS = {0x0A, 0x0A, 0x0D, 0x0D, 0x2028, 0x2029};

  /** Sorted, merged, disjoint pairs from arbitrary pairs. */
  static int[] normalize(int[] pairs, int n) {
    long[] keys = new long[n / 2];
    for (int k = 0; k < n; k += 2) {
      keys[k / 2] = ((long) pairs[k] << 32) | pairs[k + 1];
    }
    Arrays.sort(keys);
    int[] out = new int[n];
    int m = 0;
    for (long key : keys) {
      int lo = (int) (key >>> 32);
      int hi = (int) key;
      if (m > 0 && lo <= out[m - 1] + 1) {
        out[m - 1] = Math.max(out[m - 1], hi);
      } else {
        out[m++] = lo;
        out[m++] = hi;
      }
    }
    return Arrays.copyOf(out, m);
  }

  /** The complement of normalized pairs within 0..10FFFF. */
  static int[] negate(int[] set) {
    int[] out = new int[set.length + 2];
    int m = 0;
    int next = 0;
    for (int k = 0; k < set.length; k += 2) {
      if (set[k] > next) {
        out[m++] = next;
        out[m++] = set[k] - 1;
      }
      next = set[k + 1] + 1;
    }
    if (next <= 0x10FFFF) {
      out[m++] = next;
      out[m++] = 0x10FFFF;
    }
    return Arrays.copyOf(out, m);
  }

  private static final class Parser {
    private final String p;
    private final boolean fullMatch;
    private final GrammarLimits limits;
    private int i;
    private int assertions; // assertion markers emitted so far
    private final CharLang.Lookaheads lookaheads = new CharLang.Lookaheads();

    Parser(String p, boolean fullMatch, GrammarLimits limits) {
      this.p = p;
      this.fullMatch = fullMatch;
      this.limits = limits;
    }

    private RegexSyntaxException syntax(int at, String reason) {
      return RegexSyntaxException.syntax(p, at, reason);
    }

    private RegexSyntaxException unsupported(int at, String reason) {
      return RegexSyntaxException.unsupported(p, at, reason);
    }

    private boolean more() {
      return i < p.length();
    }

    private char peek() {
      return p.charAt(i);
    }

    CharLang parse() {
      List<CharLang.Nfa> alts = new ArrayList<>();
      while (true) {
        boolean startAnchored = false;
        if (more() && peek() == '^') {
          startAnchored = true;
          i++;
          notQuantified(i - 1);
        }
        List<CharLang.Nfa> seq = new ArrayList<>();
        int assertionsBefore = assertions;
        boolean endAnchored = sequence(seq, 0);
        boolean marked = assertions != assertionsBefore;
        CharLang.Nfa alt = CharLang.Nfa.concat(seq);
        if (!fullMatch) {
          List<CharLang.Nfa> parts = new ArrayList<>(3);
          if (!startAnchored) {
            parts.add(anyString());
          }
          parts.add(alt);
          if (!endAnchored) {
            parts.add(anyString());
          }
          // Determinized per alternative: the union of several unanchored alternatives is then
          // built from small DFAs instead of from their NFAs with ".*" on both sides. Assertions
          // are resolved per alternative too: each spans the whole input, so its first position
          // is the start of the input and its last the end.
          CharLang.Nfa wrapped = CharLang.Nfa.concat(parts);
          alt = CharLang.Nfa.of(marked ? wrapped.resolveAssertions(lookaheads) : wrapped.lang());
        } else if (marked) {
          alt = CharLang.Nfa.of(alt.resolveAssertions(lookaheads));
        }
        alts.add(alt);
        if (more() && peek() == '|') {
          i++;
          continue;
        }
        break;
      }
      if (more()) {
        throw syntax(i, "unmatched ')'");
      }
      return CharLang.Nfa.union(alts).lang();
    }

    private static CharLang.Nfa anyString() {
      return CharLang.Nfa.of(CharLang.anyString());
    }

    /**
     * Parses terms into {@code out} up to '|', ')' or the end. Returns true when the sequence ended
     * with a top-level '$', which is then not in {@code out}: the caller anchors the alternative (a
     * leading top-level '^' likewise), the cheap and common case. Every other assertion becomes a
     * marker fragment ({@link CharLang.Nfa#assertion}) that the caller resolves.
     */
    private boolean sequence(List<CharLang.Nfa> out, int depth) {
      while (more()) {
        char c = peek();
        if (c == '|' || c == ')') {
          return false;
        }
        CharLang.Assertion kind = null;
        int at = i;
        if (c == '$') {
          if (depth == 0 && (i + 1 == p.length() || p.charAt(i + 1) == '|')) {
            i++;
            return true;
          }
          kind = CharLang.Assertion.END;
          i++;
        } else if (c == '^') {
          kind = CharLang.Assertion.START;
          i++;
        } else if (c == '\\'
            && i + 1 < p.length()
            && (p.charAt(i + 1) == 'b' || p.charAt(i + 1) == 'B')) {
          kind =
              p.charAt(i + 1) == 'b'
                  ? CharLang.Assertion.WORD_BOUNDARY
                  : CharLang.Assertion.NOT_WORD_BOUNDARY;
          i += 2;
        } else if (p.startsWith("(?=", i) || p.startsWith("(?!", i)) {
          out.add(lookahead(depth));
          if (quantifierAhead()) {
            // ECMA-262 allows it without the u flag (Annex B); it repeats a zero-width test.
            throw unsupported(i, "a quantified lookahead is not supported");
          }
          assertions++;
          continue;
        }
        if (kind == null) {
          out.add(term(depth));
          continue;
        }
        notQuantified(at);
        assertions++;
        out.add(CharLang.Nfa.assertion(kind));
      }
      return false;
    }

    /**
     * Parses {@code (?=...)} or {@code (?!...)} at i into a marker; its body, followed by any
     * string, joins {@link #lookaheads}.
     */
    private CharLang.Nfa lookahead(int depth) {
      int open = i;
      boolean negative = p.charAt(i + 2) == '!';
      if (lookaheads.size() == CharLang.Lookaheads.MAX) {
        throw unsupported(open, "more than " + CharLang.Lookaheads.MAX + " lookaheads");
      }
      i += 3;
      CharLang.Nfa body = groupBody(open, depth);
      CharLang bodyThenAnything = CharLang.Nfa.concat(List.of(body, anyString())).lang();
      return CharLang.Nfa.lookahead(lookaheads.add(bodyThenAnything, negative));
    }

    /** Rejects a quantifier after the assertion that starts at {@code at} and ends at i. */
    private void notQuantified(int at) {
      if (quantifierAhead()) {
        throw syntax(i, "nothing to repeat: '" + p.substring(at, i) + "' is an assertion");
      }
    }

    private boolean quantifierAhead() {
      return more() && ("*+?".indexOf(peek()) >= 0 || (peek() == '{' && bracesAhead()));
    }

    private CharLang.Nfa term(int depth) {
      CharLang.Nfa atom = atom(depth);
      if (!more()) {
        return atom;
      }
      int qAt = i;
      char c = peek();
      int min;
      int max;
      if (c == '*') {
        min = 0;
        max = -1;
        i++;
      } else if (c == '+') {
        min = 1;
        max = -1;
        i++;
      } else if (c == '?') {
        min = 0;
        max = 1;
        i++;
      } else if (c == '{') {
        int[] q = braces();
        if (q == null) {
          throw syntax(
              qAt, "'{' must start a quantifier {n}, {n,} or {n,m}; write \\{ for a literal brace");
        }
        min = q[0];
        max = q[1];
      } else {
        return atom;
      }
      boolean lazy = false;
      if (more() && peek() == '?') {
        // A lazy quantifier changes which match a search finds, never whether one exists: the
        // language is the greedy one's.
        lazy = true;
        i++;
      }
      if (more()) {
        char d = peek();
        if (d == '+' && !lazy) {
          throw unsupported(i, "possessive quantifiers are not supported");
        }
        if (d == '*' || d == '+' || d == '?' || (d == '{' && bracesAhead())) {
          throw syntax(i, "nothing to repeat");
        }
      }
      int bound = Math.max(min, max);
      if (bound > limits.maxRepeatCount()) {
        throw new ConstraintTooComplexException(
            "maxRepeatCount",
            limits.maxRepeatCount(),
            bound,
            "repetitions",
            "the quantifier at index " + qAt);
      }
      return atom.repeat(min, max);
    }

    private boolean bracesAhead() {
      int save = i;
      try {
        return braces() != null;
      } catch (RegexSyntaxException e) {
        return true;
      } finally {
        i = save;
      }
    }

    /** Parses {n}, {n,} or {n,m} at i; returns {min, max(-1)} or null (i unchanged) if none. */
    private int[] braces() {
      int start = i;
      int j = i + 1;
      int n1 = j;
      while (j < p.length() && isDigit(p.charAt(j))) {
        j++;
      }
      if (j == n1) {
        return null;
      }
      long min = number(n1, j, start);
      long max = min;
      if (j < p.length() && p.charAt(j) == ',') {
        j++;
        int n2 = j;
        while (j < p.length() && isDigit(p.charAt(j))) {
          j++;
        }
        max = j == n2 ? -1 : number(n2, j, start);
      }
      if (j >= p.length() || p.charAt(j) != '}') {
        return null;
      }
      if (max >= 0 && max < min) {
        throw syntax(start, "numbers out of order in {" + min + "," + max + "} quantifier");
      }
      i = j + 1;
      return new int[] {(int) min, (int) max};
    }

    private long number(int from, int to, int at) {
      if (to - from > 9) {
        throw syntax(at, "repetition count too large");
      }
      return Long.parseLong(p.substring(from, to));
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    private CharLang.Nfa atom(int depth) {
      int at = i;
      char c = peek();
      switch (c) {
        case '(' -> {
          return group(depth);
        }
        case '[' -> {
          return CharLang.Nfa.of(CharLang.codePointSet(charClass()));
        }
        case '.' -> {
          i++;
          return CharLang.Nfa.of(CharLang.codePointSet(negate(LINE_TERMINATORS)));
        }
        case '*', '+', '?' -> throw syntax(at, "nothing to repeat");
        case '{' -> {
          if (bracesAhead()) {
            throw syntax(at, "nothing to repeat");
          }
          throw syntax(
              at, "'{' must start a quantifier {n}, {n,} or {n,m}; write \\{ for a literal brace");
        }
        case '\\' -> {
          int[] set = escape(false);
          return CharLang.Nfa.of(CharLang.codePointSet(set));
        }
        default -> {
          int cp = literalCodePoint();
          return CharLang.Nfa.of(CharLang.codePoint(cp));
        }
      }
    }

    private int literalCodePoint() {
      int at = i;
      int cp = p.codePointAt(i);
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        throw unsupported(at, "lone surrogate character cannot occur in UTF-8 text");
      }
      i += Character.charCount(cp);
      return cp;
    }

    private CharLang.Nfa group(int depth) {
      int open = i;
      i++;
      if (i < p.length() && p.charAt(i) == '?') {
        if (p.startsWith("?:", i)) {
          i += 2;
        } else if (p.startsWith("?<=", i) || p.startsWith("?<!", i)) {
          throw unsupported(open, "lookbehind is not supported");
        } else if (p.startsWith("?<", i)) {
          int j = i + 2;
          int nameStart = j;
          while (j < p.length() && isNameChar(p.charAt(j), j == nameStart)) {
            j++;
          }
          if (j == nameStart || j >= p.length() || p.charAt(j) != '>') {
            throw syntax(open, "invalid group name");
          }
          i = j + 1;
        } else {
          throw unsupported(open, "inline flags and other (?...) groups are not supported");
        }
      }
      return groupBody(open, depth);
    }

    /** Parses alternatives up to the ')' that closes the group opened at {@code open}. */
    private CharLang.Nfa groupBody(int open, int depth) {
      List<CharLang.Nfa> alts = new ArrayList<>();
      while (true) {
        List<CharLang.Nfa> seq = new ArrayList<>();
        sequence(seq, depth + 1);
        alts.add(CharLang.Nfa.concat(seq));
        if (more() && peek() == '|') {
          i++;
          continue;
        }
        break;
      }
      if (!more()) {
        throw syntax(open, "missing ')' for the group opened here");
      }
      i++; // ')'
      return CharLang.Nfa.union(alts);
    }

    private static boolean isNameChar(char c, boolean first) {
      return c == '_' || c == '$' || Character.isLetter(c) || (!first && Character.isDigit(c));
    }

    /** Parses [...] at i; returns normalized code-point pairs. */
    private int[] charClass() {
      int open = i;
      i++;
      boolean negated = false;
      if (more() && peek() == '^') {
        negated = true;
        i++;
      }
      if (more() && peek() == ']') {
        throw syntax(
            open,
            negated
                ? "empty negated class [^] is not supported; write [\\s\\S] for any character"
                : "empty character class []");
      }
      int[] pairs = new int[16];
      int n = 0;
      while (true) {
        if (!more()) {
          throw syntax(open, "missing ']' for the character class opened here");
        }
        char c = peek();
        if (c == ']') {
          i++;
          break;
        }
        int itemAt = i;
        int[] lo = classAtom();
        if (more()
            && peek() == '-'
            && i + 1 < p.length()
            && p.charAt(i + 1) != ']'
            && lo.length == 2
            && lo[0] == lo[1]
            && !isPredefinedClassEscape(itemAt)) {
          int dashAt = i;
          i++;
          int hiAt = i;
          int[] hi = classAtom();
          if (hi.length != 2 || hi[0] != hi[1] || isPredefinedClassEscape(hiAt)) {
            throw syntax(dashAt, "a character class escape cannot be a range bound");
          }
          if (hi[0] < lo[0]) {
            throw syntax(itemAt, "range out of order in character class");
          }
          lo = new int[] {lo[0], hi[0]};
        } else if (more()
            && peek() == '-'
            && i + 1 < p.length()
            && p.charAt(i + 1) != ']'
            && isPredefinedClassEscape(itemAt)) {
          throw syntax(i, "a character class escape cannot be a range bound");
        }
        if (n + lo.length > pairs.length) {
          pairs = Arrays.copyOf(pairs, Math.max(pairs.length * 2, n + lo.length));
        }
        System.arraycopy(lo, 0, pairs, n, lo.length);
        n += lo.length;
      }
      int[] set = normalize(pairs, n);
      return negated ? negate(set) : set;
    }

    private boolean isPredefinedClassEscape(int at) {
      return p.charAt(at) == '\\' && at + 1 < p.length() && "dDwWsS".indexOf(p.charAt(at + 1)) >= 0;
    }

    /** One class item: a code point (pair lo==hi) or a predefined class. */
    private int[] classAtom() {
      char c = peek();
      if (c == '\\') {
        return escape(true);
      }
      if (c == '[') {
        throw unsupported(
            i,
            "an unescaped '[' inside a character class means different things in Java and"
                + " ECMAScript; write \\[");
      }
      if (c == '&' && i + 1 < p.length() && p.charAt(i + 1) == '&') {
        throw unsupported(
            i,
            "'&&' inside a character class means intersection in Java but not in ECMAScript;"
                + " write \\&\\&");
      }
      int cp = literalCodePoint();
      return new int[] {cp, cp};
    }

    /** Parses an escape at i ('\\'); returns normalized code-point pairs. */
    private int[] escape(boolean inClass) {
      int at = i;
      i++;
      if (!more()) {
        throw syntax(at, "pattern ends with a lone backslash");
      }
      char c = peek();
      i++;
      switch (c) {
        case 'd':
          return DIGIT;
        case 'D':
          return negate(DIGIT);
        case 'w':
          return WORD;
        case 'W':
          return negate(WORD);
        case 's':
          return SPACE;
        case 'S':
          return negate(SPACE);
        case 't':
          return single(0x09);
        case 'n':
          return single(0x0A);
        case 'v':
          return single(0x0B);
        case 'f':
          return single(0x0C);
        case 'r':
          return single(0x0D);
        case '0':
          if (more() && isDigit(peek())) {
            throw unsupported(at, "octal escapes are not supported");
          }
          return single(0);
        case 'b':
          return single(0x08); // in a class; outside, sequence() reads \b as an assertion
        case 'B':
          throw unsupported(at, "\\B inside a character class is not supported");
        case 'c':
          if (more() && Character.isLetter(peek()) && peek() < 0x80) {
            return single(p.charAt(i++) % 32);
          }
          throw syntax(at, "\\c must be followed by an ASCII letter");
        case 'x':
          return single(hex(at, 2));
        case 'u':
          return single(unicodeEscape(at));
        case 'k':
          throw unsupported(at, "backreferences are not supported");
        case 'p':
        case 'P':
          throw unsupported(at, "Unicode property escapes are not supported");
        default:
          break;
      }
      if (c >= '1' && c <= '9') {
        throw unsupported(at, "backreferences are not supported");
      }
      if (Character.isLetterOrDigit(c)) {
        throw syntax(at, "unknown escape \\" + c);
      }
      i--;
      int cp = literalCodePoint();
      return single(cp);
    }

    private static int[] single(int cp) {
      return new int[] {cp, cp};
    }

    private int hex(int at, int digits) {
      if (i + digits > p.length()) {
        throw syntax(at, "incomplete escape: expected " + digits + " hex digits");
      }
      int v = 0;
      for (int k = 0; k < digits; k++) {
        int d = Character.digit(p.charAt(i + k), 16);
        if (d < 0) {
          throw syntax(at, "incomplete escape: expected " + digits + " hex digits");
        }
        v = v * 16 + d;
      }
      i += digits;
      return v;
    }

    private int unicodeEscape(int at) {
      if (more() && peek() == '{') {
        int j = i + 1;
        int v = 0;
        int start = j;
        while (j < p.length() && Character.digit(p.charAt(j), 16) >= 0 && v <= 0x10FFFF) {
          v = v * 16 + Character.digit(p.charAt(j), 16);
          j++;
        }
        if (j == start || j >= p.length() || p.charAt(j) != '}') {
          throw syntax(at, "invalid \\u{...} escape");
        }
        if (v > 0x10FFFF) {
          throw syntax(at, "code point above U+10FFFF");
        }
        i = j + 1;
        if (v >= 0xD800 && v <= 0xDFFF) {
          throw unsupported(at, "lone surrogate escapes cannot occur in UTF-8 text");
        }
        return v;
      }
      int v = hex(at, 4);
      if (v >= 0xD800 && v <= 0xDBFF && p.startsWith("\\u", i)) {
        int save = i;
        i += 2;
        int low = -1;
        try {
          low = hex(save, 4);
        } catch (RegexSyntaxException e) {
          i = save;
        }
        if (low >= 0xDC00 && low <= 0xDFFF) {
          return Character.toCodePoint((char) v, (char) low);
        }
        i = save;
      }
      if (v >= 0xD800 && v <= 0xDFFF) {
        throw unsupported(at, "lone surrogate escapes cannot occur in UTF-8 text");
      }
      return v;
    }
  }
}
