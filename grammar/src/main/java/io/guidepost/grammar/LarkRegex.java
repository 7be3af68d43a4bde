package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The regex terminals of a Lark grammar ({@code /.../flags}), read with the meaning Lark gives them:
 * Python's {@code re} on {@code str} patterns. Reads the pattern in place in the grammar text, so
 * errors carry the grammar's line and column.
 *
 * <h2>Supported, with Python's meaning</h2>
 *
 * <ul>
 *   <li>Literals; {@code .} (any character except {@code \n}; any character with the {@code s}
 *       flag); classes {@code [...]} and {@code [^...]} with ranges ({@code ]} first in a class and
 *       {@code -} first or last stand for themselves); groups {@code (...)}, {@code (?:...)}, {@code
 *       (?P<name>...)} (the name is checked and has no effect); comments {@code (?#...)};
 *       alternation; {@code * + ?}, {@code {m}}, {@code {m,}}, {@code {,n}}, {@code {m,n}}; a
 *       {@code {} that does not start a quantifier is itself.
 *   <li>Escapes: {@code \d} (Unicode decimal digits, category Nd), {@code \w} (letters, numbers and
 *       {@code _}: categories L* and N*), {@code \s} (Python's white space: categories Zs and the
 *       bidirectional classes WS, B, S, so U+001C..U+001F and U+0085 but not U+FEFF), their
 *       negations; {@code \a \f \n \r \t \v}, {@code \b} in a class (backspace), {@code \xHH},
 *       {@code \}{@code uHHHH}, {@code \UHHHHHHHH}, octal {@code \0}, {@code \0o}, {@code \0oo} and
 *       {@code \ooo}; any other escaped character that is not an ASCII letter or digit is itself
 *       ({@code \/} included). Unicode data comes from the JDK's tables, which may be a Unicode
 *       version apart from the Python that runs Lark.
 *   <li>Flags: {@code i} (a character matches every character with the same case key, upper case of
 *       lower case, which is Python's equivalence: {@code s} matches {@code S} and {@code ſ}),
 *       {@code s} (dot matches {@code \n}), {@code m} and {@code u} (no effect here: anchors are
 *       rejected and patterns are Unicode anyway).
 * </ul>
 *
 * <h2>Rejected</h2>
 *
 * <p>{@code grammar-unsupported}: anchors and boundaries ({@code ^ $ \A \Z \b \B}) and lookaround
 * (a Lark terminal sees the text after it, which a lexeme cannot); backreferences, conditionals,
 * lazy and possessive quantifiers, atomic groups (they change what Lark's lexer picks, not a set of
 * strings); inline flags ({@code (?i)}: write the flag after the closing slash); {@code \N{...}};
 * the {@code x} and {@code l} flags. {@code grammar-syntax}: what Python itself rejects (an unknown
 * letter escape, nothing to repeat, a multiple repeat, a range out of order, an unclosed group or
 * class, an escape with too few hex digits, ...), and a lone surrogate.
 */
final class LarkRegex {
  private static final int MAX_CP = 0x10FFFF;

  /** Deepest group nesting accepted (bounds this parser's recursion). */
  private static final int MAX_DEPTH = 500;

  private final String src;
  private final int end; // index of the closing '/'
  private final boolean ignoreCase;
  private final boolean dotAll;
  private int i;
  private boolean category; // the last escape() read a class escape (\d \w \s, negated or not)

  private LarkRegex(String src, int start, int end, boolean ignoreCase, boolean dotAll) {
    this.src = src;
    this.i = start;
    this.end = end;
    this.ignoreCase = ignoreCase;
    this.dotAll = dotAll;
  }

  /**
   * The language of the pattern {@code src[start, end)} (the text between the slashes) with the
   * given flags (the letters after the closing slash, already checked by the caller).
   */
  static CharLang parse(String src, int start, int end, String flags) {
    LarkRegex r = new LarkRegex(src, start, end, flags.indexOf('i') >= 0, flags.indexOf('s') >= 0);
    CharLang.Nfa body = r.alternatives(0, -1);
    if (r.i < end) {
      throw r.syntax(r.i, "unbalanced parenthesis");
    }
    return body.lang();
  }

  /**
   * The case-insensitive closure of the literal {@code text}: each character matches every
   * character with its case key (see the class comment).
   */
  static CharLang ignoringCase(String text) {
    List<CharLang.Nfa> parts = new ArrayList<>();
    text.codePoints()
        .forEach(cp -> parts.add(CharLang.Nfa.of(CharLang.codePointSet(fold(new int[] {cp, cp})))));
    return CharLang.Nfa.concat(parts).lang();
  }

  // ---------------------------------------------------------------- structure

  private CharLang.Nfa alternatives(int depth, int open) {
    if (depth > MAX_DEPTH) {
      throw unsupported(open, "groups nest more than " + MAX_DEPTH + " levels deep");
    }
    List<CharLang.Nfa> alts = new ArrayList<>();
    while (true) {
      alts.add(sequence(depth));
      if (i < end && src.charAt(i) == '|') {
        i++;
        continue;
      }
      return CharLang.Nfa.union(alts);
    }
  }

  private CharLang.Nfa sequence(int depth) {
    List<CharLang.Nfa> items = new ArrayList<>();
    while (i < end) {
      char c = src.charAt(i);
      if (c == '|' || c == ')') {
        break;
      }
      int at = i;
      CharLang.Nfa atom = atom(depth);
      if (atom == null) {
        continue; // a comment group
      }
      items.add(quantified(atom, at));
    }
    return CharLang.Nfa.concat(items);
  }

  private CharLang.Nfa quantified(CharLang.Nfa atom, int atomAt) {
    if (i >= end) {
      return atom;
    }
    int qAt = i;
    char c = src.charAt(i);
    int min;
    int max;
    if (c == '*' || c == '+' || c == '?') {
      i++;
      min = c == '+' ? 1 : 0;
      max = c == '?' ? 1 : -1;
    } else if (c == '{') {
      int[] q = braces();
      if (q == null) {
        return atom;
      }
      min = q[0];
      max = q[1];
    } else {
      return atom;
    }
    if (i < end) {
      char d = src.charAt(i);
      if (d == '?') {
        throw unsupported(
            i,
            "lazy quantifiers change which match Lark's lexer picks, not a set of strings; write"
                + " the terminal so that it cannot run past its end");
      }
      if (d == '+') {
        throw unsupported(i, "possessive quantifiers are not supported");
      }
      if (d == '*' || (d == '{' && bracesAhead())) {
        throw syntax(i, "multiple repeat");
      }
    }
    int bound = Math.max(min, max);
    int limit = CharLang.limits().maxRepeatCount();
    if (bound > limit) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount", limit, bound, "repetitions", "the quantifier at " + where(qAt));
    }
    return atom.repeat(min, max);
  }

  private boolean bracesAhead() {
    int save = i;
    try {
      return braces() != null;
    } finally {
      i = save;
    }
  }

  /**
   * {@code {m}}, {@code {m,}}, {@code {,n}}, {@code {m,n}} or {@code {,}} at i as {min, max (-1:
   * none)}, advancing past it; null (i unchanged) when the brace does not start one, as Python
   * reads it then as a literal brace.
   */
  private int[] braces() {
    int start = i;
    int j = i + 1;
    int d1 = j;
    while (j < end && isDigit(src.charAt(j))) {
      j++;
    }
    long min = d1 == j ? 0 : number(d1, j);
    long max;
    if (j < end && src.charAt(j) == ',') {
      j++;
      int d2 = j;
      while (j < end && isDigit(src.charAt(j))) {
        j++;
      }
      max = d2 == j ? -1 : number(d2, j);
    } else {
      if (d1 == j) {
        return null; // "{" or "{}" or "{x"
      }
      max = min;
    }
    if (j >= end || src.charAt(j) != '}') {
      return null;
    }
    if (max >= 0 && max < min) {
      throw syntax(start, "min repeat greater than max repeat");
    }
    i = j + 1;
    return new int[] {(int) min, (int) max};
  }

  private long number(int from, int to) {
    if (to - from > 9) {
      throw syntax(from, "the repeat count is too large");
    }
    return Long.parseLong(src.substring(from, to));
  }

  /** One atom at i; null for a comment group {@code (?#...)}. */
  private CharLang.Nfa atom(int depth) {
    int at = i;
    char c = src.charAt(i);
    switch (c) {
      case '(' -> {
        return group(depth);
      }
      case '[' -> {
        return set(charClass());
      }
      case '.' -> {
        i++;
        return set(dotAll ? new int[] {0, MAX_CP} : new int[] {0, 9, 11, MAX_CP});
      }
      case '*', '+', '?' -> throw syntax(at, "nothing to repeat");
      case '{' -> {
        if (bracesAhead()) {
          throw syntax(at, "nothing to repeat");
        }
        i++;
        return set(new int[] {'{', '{'});
      }
      case '^', '$' ->
          throw unsupported(
              at,
              "the anchor '"
                  + c
                  + "' in a terminal: a Lark terminal is matched inside the text, so anchors"
                  + " depend on what surrounds it; express it in the grammar instead");
      case '\\' -> {
        int[] set = escape(false);
        if (category) {
          return CharLang.Nfa.of(categoryLang(set));
        }
        return set(set);
      }
      default -> {
        int cp = literal();
        return set(new int[] {cp, cp});
      }
    }
  }

  private CharLang.Nfa set(int[] pairs) {
    return CharLang.Nfa.of(CharLang.codePointSet(ignoreCase ? fold(pairs) : pairs));
  }

  private int literal() {
    int cp = src.codePointAt(i);
    if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
      throw syntax(i, "a lone surrogate is not a character");
    }
    i += Character.charCount(cp);
    return cp;
  }

  private CharLang.Nfa group(int depth) {
    int open = i;
    i++;
    if (i < end && src.charAt(i) == '?') {
      if (src.startsWith("?:", i)) {
        i += 2;
      } else if (src.startsWith("?P<", i)) {
        int j = i + 3;
        int nameStart = j;
        while (j < end && isNameChar(src.charAt(j), j == nameStart)) {
          j++;
        }
        if (j == nameStart || j >= end || src.charAt(j) != '>') {
          throw syntax(open, "bad character in group name");
        }
        i = j + 1;
      } else if (src.startsWith("?#", i)) {
        int close = src.indexOf(')', i);
        if (close < 0 || close >= end) {
          throw syntax(open, "missing ), unterminated comment");
        }
        i = close + 1;
        return null;
      } else if (src.startsWith("?=", i)
          || src.startsWith("?!", i)
          || src.startsWith("?<=", i)
          || src.startsWith("?<!", i)) {
        throw unsupported(
            open,
            "lookaround in a terminal: a Lark terminal's lookaround sees the text around it,"
                + " which a lexeme cannot");
      } else if (src.startsWith("?P=", i) || src.startsWith("?(", i)) {
        throw unsupported(open, "backreferences and conditional groups are not supported");
      } else if (src.startsWith("?>", i)) {
        throw unsupported(open, "atomic groups are not supported");
      } else {
        throw unsupported(
            open,
            "inline flags and other (?...) groups are not supported; write flags after the"
                + " closing slash, e.g. /abc/i");
      }
    }
    CharLang.Nfa body = alternatives(depth + 1, open);
    if (i >= end) {
      throw syntax(open, "missing ), unterminated subpattern");
    }
    i++;
    return body;
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_' || Character.isLetter(c) || (!first && Character.isDigit(c));
  }

  /** A class {@code [...]} at i as normalized pairs (negation applied after case folding). */
  private int[] charClass() {
    int open = i++;
    boolean negated = i < end && src.charAt(i) == '^';
    if (negated) {
      i++;
    }
    int[] pairs = new int[16]; // characters and ranges
    int n = 0;
    int[] categories = new int[0]; // class escapes, as a normalized set
    boolean first = true;
    while (true) {
      if (i >= end) {
        throw syntax(open, "unterminated character set");
      }
      char c = src.charAt(i);
      if (c == ']' && !first) {
        i++;
        break;
      }
      first = false;
      int itemAt = i;
      int[] lo = classAtom();
      boolean loCategory = category;
      if (i + 1 < end && src.charAt(i) == '-' && src.charAt(i + 1) != ']') {
        if (loCategory) {
          throw syntax(itemAt, "bad character range " + src.substring(itemAt, i + 2));
        }
        i++;
        int[] hi = classAtom();
        if (category || hi[1] < lo[0]) {
          throw syntax(itemAt, "bad character range " + src.substring(itemAt, i));
        }
        lo = new int[] {lo[0], hi[0]};
      } else if (loCategory) {
        categories = union(categories, ignoreCase ? UnicodeSets.lowerPreimage(lo) : lo);
        continue;
      }
      if (n + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      pairs[n++] = lo[0];
      pairs[n++] = lo[1];
    }
    int[] set = Regex.normalize(pairs, n);
    if (ignoreCase) {
      set = fold(set);
    }
    set = union(set, categories);
    return negated ? Regex.negate(set) : set;
  }

  private static int[] union(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    int[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return Regex.normalize(both, both.length);
  }

  /**
   * The language of a class escape outside a class. Python tests a class escape on the lower case
   * of the character when the {@code i} flag is on. Cached: the large Unicode classes cost
   * milliseconds to build once, outside the request's limits (a shared constant, not its work).
   */
  private CharLang categoryLang(int[] set) {
    int[] s = ignoreCase ? UnicodeSets.lowerPreimage(set) : set;
    CharLang cached = CATEGORY_LANGS.get(s);
    if (cached == null) {
      cached = CharLang.outsideLimits(() -> CharLang.codePointSet(s));
      CATEGORY_LANGS.put(s, cached);
    }
    return cached;
  }

  /** Keyed by the identity of {@link UnicodeSets}' arrays. */
  private static final Map<int[], CharLang> CATEGORY_LANGS =
      java.util.Collections.synchronizedMap(new IdentityHashMap<>());

  private static boolean isSingle(int[] set) {
    return set.length == 2 && set[0] == set[1] && set[0] >= 0;
  }

  /** One class member at i: a character (as a one-character set) or a class escape. */
  private int[] classAtom() {
    if (src.charAt(i) == '\\') {
      return escape(true);
    }
    category = false;
    int cp = literal();
    return new int[] {cp, cp};
  }

  /**
   * The escape at i (a backslash), advancing past it: a one-character set for a character escape,
   * the class for {@code \d \w \s} and their negations.
   */
  private int[] escape(boolean inClass) {
    int at = i;
    if (i + 1 >= end) {
      throw syntax(at, "bad escape (end of pattern)");
    }
    char e = src.charAt(i + 1);
    i += 2;
    category = "dDwWsS".indexOf(e) >= 0;
    switch (e) {
      case 'd':
        return UnicodeSets.DIGIT;
      case 'D':
        return UnicodeSets.NOT_DIGIT;
      case 'w':
        return UnicodeSets.WORD;
      case 'W':
        return UnicodeSets.NOT_WORD;
      case 's':
        return UnicodeSets.SPACE;
      case 'S':
        return UnicodeSets.NOT_SPACE;
      case 'a':
        return single(7);
      case 'f':
        return single('\f');
      case 'n':
        return single('\n');
      case 'r':
        return single('\r');
      case 't':
        return single('\t');
      case 'v':
        return single(0x0B);
      case 'x':
        return single(hex(at, 2));
      case 'u':
        return single(hex(at, 4));
      case 'U':
        return single(hex(at, 8));
      case 'b':
        if (inClass) {
          return single(8);
        }
        throw boundary(at);
      case 'B', 'A', 'Z':
        if (inClass) {
          throw syntax(at, "bad escape \\" + e);
        }
        throw boundary(at);
      case 'N':
        throw unsupported(at, "named characters \\N{...} are not supported: write \\UHHHHHHHH");
      default:
        break;
    }
    if (e >= '0' && e <= '7') {
      return single(octal(at, inClass));
    }
    if (e == '8' || e == '9') {
      throw inClass
          ? syntax(at, "bad escape \\" + e)
          : unsupported(at, "backreferences are not supported");
    }
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z')) {
      throw syntax(at, "bad escape \\" + e);
    }
    i = at + 1;
    return single(literal());
  }

  private GrammarSyntaxException boundary(int at) {
    return unsupported(
        at,
        "the boundary "
            + src.substring(at, at + 2)
            + " in a terminal: it depends on the text around the terminal, which a lexeme"
            + " cannot see");
  }

  /** An octal escape at {@code at}; i is just past its first digit. */
  private int octal(int at, boolean inClass) {
    char first = src.charAt(at + 1);
    int j = i;
    while (j < end && j < at + 4 && src.charAt(j) >= '0' && src.charAt(j) <= '7') {
      j++;
    }
    if (first != '0' && j - (at + 1) < 3) {
      // \1 .. \77: a backreference in Python (outside a class); in a class, an error
      if (inClass) {
        throw syntax(at, "bad escape " + src.substring(at, j));
      }
      throw unsupported(at, "backreferences are not supported");
    }
    int v = Integer.parseInt(src.substring(at + 1, j), 8);
    if (v > 0377) {
      throw syntax(at, "octal escape value " + src.substring(at, j) + " outside of range 0-0o377");
    }
    i = j;
    return v;
  }

  private int hex(int at, int digits) {
    if (i + digits > end) {
      throw syntax(at, "incomplete escape " + src.substring(at, end));
    }
    long v = 0;
    for (int k = i; k < i + digits; k++) {
      int d = Character.digit(src.charAt(k), 16);
      if (d < 0 || src.charAt(k) > 'f') {
        throw syntax(at, "incomplete escape " + src.substring(at, k));
      }
      v = v * 16 + d;
    }
    i += digits;
    if (v > MAX_CP) {
      throw syntax(at, "bad escape " + src.substring(at, i) + " (above U+10FFFF)");
    }
    if (v >= Character.MIN_SURROGATE && v <= Character.MAX_SURROGATE) {
      throw syntax(at, "the escape " + src.substring(at, i) + " is a lone surrogate");
    }
    return (int) v;
  }

  private static int[] single(int cp) {
    return new int[] {cp, cp};
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  // ---------------------------------------------------------------- case folding

  /**
   * Every character equivalent to a member of {@code set} under Python's {@code IGNORECASE}: two
   * characters are equivalent when the upper case of their lower case is the same (simple case
   * mappings).
   */
  static int[] fold(int[] set) {
    int[] cased = UnicodeSets.CASED;
    int[] keys = UnicodeSets.CASED_KEYS;
    Set<Integer> present = new HashSet<>();
    for (int k = 0; k < cased.length; k++) {
      if (contains(set, cased[k])) {
        present.add(keys[k]);
      }
    }
    if (present.isEmpty()) {
      return set;
    }
    int[] pairs = Arrays.copyOf(set, set.length + 2 * cased.length);
    int n = set.length;
    for (int k = 0; k < cased.length; k++) {
      if (present.contains(keys[k])) {
        pairs[n++] = cased[k];
        pairs[n++] = cased[k];
      }
    }
    return Regex.normalize(pairs, n);
  }

  private static boolean contains(int[] set, int cp) {
    int lo = 0;
    int hi = set.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < set[2 * mid]) {
        hi = mid - 1;
      } else if (cp > set[2 * mid + 1]) {
        lo = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** Python's Unicode classes and case data, built once from the JDK's Unicode tables. */
  private static final class UnicodeSets {
    static final int[] DIGIT = build(cp -> Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER);
    static final int[] NOT_DIGIT = Regex.negate(DIGIT);
    static final int[] WORD = build(cp -> cp == '_' || Character.isLetter(cp) || isNumber(cp));
    static final int[] NOT_WORD = Regex.negate(WORD);
    static final int[] SPACE = build(UnicodeSets::isPySpace);
    static final int[] NOT_SPACE = Regex.negate(SPACE);

    /** The code points whose case key differs from themselves, or that are another's key. */
    static final int[] CASED;

    /** {@code CASED_KEYS[k]} is the case key of {@code CASED[k]}. */
    static final int[] CASED_KEYS;

    static {
      Set<Integer> keyValues = new HashSet<>();
      for (int cp = 0; cp <= MAX_CP; cp++) {
        int key = key(cp);
        if (key != cp) {
          keyValues.add(key);
          keyValues.add(cp);
        }
      }
      CASED = keyValues.stream().mapToInt(Integer::intValue).sorted().toArray();
      CASED_KEYS = Arrays.stream(CASED).map(UnicodeSets::key).toArray();
    }

    /** {@code lowerPreimage(X)} for each of the six class escapes, in the order above. */
    private static final int[][] CLASSES = {DIGIT, NOT_DIGIT, WORD, NOT_WORD, SPACE, NOT_SPACE};

    private static final int[][] LOWER_PREIMAGES = new int[CLASSES.length][];

    /**
     * The characters whose lower case is in {@code set}, one of the six class escape sets; the same
     * array for the same set.
     */
    static synchronized int[] lowerPreimage(int[] set) {
      for (int k = 0; k < CLASSES.length; k++) {
        if (CLASSES[k] == set) {
          if (LOWER_PREIMAGES[k] == null) {
            LOWER_PREIMAGES[k] = computeLowerPreimage(set);
          }
          return LOWER_PREIMAGES[k];
        }
      }
      throw new IllegalArgumentException("not a class escape set");
    }

    private static int[] computeLowerPreimage(int[] set) {
      return build(cp -> contains(set, Character.toLowerCase(cp)));
    }

    private static int key(int cp) {
      return Character.toUpperCase(Character.toLowerCase(cp));
    }

    private static boolean isNumber(int cp) {
      int t = Character.getType(cp);
      return t == Character.DECIMAL_DIGIT_NUMBER
          || t == Character.LETTER_NUMBER
          || t == Character.OTHER_NUMBER;
    }

    private static boolean isPySpace(int cp) {
      if (Character.getType(cp) == Character.SPACE_SEPARATOR) {
        return true;
      }
      byte d = Character.getDirectionality(cp);
      return d == Character.DIRECTIONALITY_WHITESPACE
          || d == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
          || d == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
    }

    private static int[] build(java.util.function.IntPredicate in) {
      int[] pairs = new int[64];
      int n = 0;
      int cp = 0;
      while (cp <= MAX_CP) {
        if (!in.test(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
          cp++;
          continue;
        }
        int lo = cp;
        while (cp + 1 <= MAX_CP && in.test(cp + 1)) {
          cp++;
        }
        if (n + 2 > pairs.length) {
          pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[n++] = lo;
        pairs[n++] = cp;
        cp++;
      }
      return Arrays.copyOf(pairs, n);
    }

    private UnicodeSets() {}
  }

  // ---------------------------------------------------------------- messages

  private String where(int at) {
    GrammarSyntaxException e = GrammarSyntaxException.syntax("lark", src, at, "");
    return "line " + e.line() + ", column " + e.column();
  }

  private GrammarSyntaxException syntax(int at, String reason) {
    return GrammarSyntaxException.syntax("lark", src, at, "in a regex terminal: " + reason);
  }

  private GrammarSyntaxException unsupported(int at, String reason) {
    return GrammarSyntaxException.unsupported("lark", src, at, "in a regex terminal: " + reason);
  }
}
