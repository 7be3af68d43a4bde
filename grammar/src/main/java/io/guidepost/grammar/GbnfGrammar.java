package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a grammar in llama.cpp's GBNF format into a {@link GrammarDef} whose language is the set
 * of strings llama.cpp's grammar engine accepts for it, character for character; what cannot be
 * given that exact meaning is rejected with its line and column, never loosened.
 *
 * <h2>Syntax accepted</h2>
 *
 * <ul>
 *   <li>A grammar is a list of rules {@code name ::= alternatives}; the start rule is {@code root}.
 *       A name is one or more ASCII letters, digits and {@code -} (it may start with a digit or
 *       {@code -}; names are case-sensitive). {@code _} is not allowed: llama.cpp's parser rejects
 *       it, although its README lists it.
 *   <li>Alternatives are sequences separated by {@code |}. A sequence is zero or more items: a
 *       string literal {@code "..."}, a character class {@code [...]} or {@code [^...]}, {@code .}
 *       (any character), a rule name, or a group {@code ( alternatives )}. Each item may be
 *       followed by postfix operators {@code *}, {@code +}, {@code ?}, {@code {m}}, {@code {m,}}
 *       and {@code {m,n}}; operators stack ({@code "a"*?} is {@code ("a"*)?}). There is no {@code
 *       {,n}}: write {@code {0,n}}.
 *   <li>In literals and classes, {@code \xHH}, {@code \}{@code uHHHH} and {@code \UHHHHHHHH}
 *       (exactly 2, 4 and 8 hex digits) give a code point; {@code \t}, {@code \r}, {@code \n} are
 *       tab, carriage return and line feed; {@code \\}, {@code \"}, {@code \[}, {@code \]} and
 *       {@code \-} are the character itself. Any other character, line breaks included, stands for
 *       itself; each escape is one code point (two {@code \}{@code u} escapes never combine into a
 *       surrogate pair).
 *   <li>In a class, {@code a-b} is an inclusive range; a {@code -} just before the closing {@code
 *       ]} is itself; the class ends at the first unescaped {@code ]}, so {@code ]} cannot be its
 *       first member.
 *   <li>Spaces, tabs and comments ({@code #} to the end of the line) may separate any two items or
 *       operators. A line break ({@code \n}, {@code \r\n} or {@code \r}) ends the rule, except
 *       right after {@code ::=}, right after {@code |}, and anywhere inside parentheses (as
 *       llama.cpp's {@code parse_space}): so a rule cannot continue on the next line with a plain
 *       item or with a leading {@code |} outside parentheses, and {@code ::=} must be on the line
 *       of the rule name. Blank lines and comment lines may appear between rules.
 * </ul>
 *
 * <h2>Semantics</h2>
 *
 * <p>A string is a sequence of code points. A literal matches exactly its characters ({@code ""}
 * the empty string), a class one character in (or, negated, not in) its set, {@code .} any one
 * character, a name what its rule derives (recursion of any kind, left recursion included), and the
 * operators the usual repetitions. The characters are the Unicode scalar values except U+0000:
 * llama.cpp's engine ends every string at U+0000, so {@code .} and negated classes never match it
 * and a class or range containing it leaves it out; likewise a range leaves out the surrogates
 * (U+D800..U+DFFF, not characters) and any part above U+10FFFF.
 *
 * <h2>Rejected</h2>
 *
 * <p>Syntax errors ({@code grammar-syntax}), each at the offending character: whatever llama.cpp
 * itself rejects (a malformed rule, an unclosed literal, class or group, an unknown escape, a
 * postfix operator with nothing before it in its sequence, or after {@code ""} or a {@code {0}}
 * repetition, ...), an undefined rule name (at its first use), a missing {@code root} rule, and
 * also: a second definition of a rule (llama.cpp silently keeps only the last one), an escape
 * written as a single character that is a surrogate or above U+10FFFF (llama.cpp accepts it but it
 * can never match), U+0000 in a literal (it can never match), a reversed range such as {@code
 * [z-a]} (llama.cpp matches nothing for it), bounds {@code {m,n}} with {@code n < m}, and U+0000 or
 * an unpaired surrogate anywhere in the grammar text (llama.cpp stops reading at U+0000).
 *
 * <p>Unsupported ({@code grammar-unsupported}): token references {@code <...>}, {@code <[id]>},
 * {@code !<...>} (they match tokens of a model's vocabulary, not characters); an empty class {@code
 * []} or {@code [^]} (llama.cpp reads it as the empty string, not as a character); a repetition
 * bound above 2000 (llama.cpp rejects a lower bound above 2000 and reads an upper bound above 2000
 * as no bound at all); and nesting deeper than 1000 levels, counted as open parentheses and as
 * syntax-tree depth (each sequence, alternation and postfix operator adds one). A bound above
 * {@link GrammarLimits#maxRepeatCount()} raises {@link ConstraintTooComplexException}.
 *
 * <h2>Differences from llama.cpp</h2>
 *
 * <p>For every grammar accepted by both, the languages are equal. This class accepts more in three
 * ways: left recursion (llama.cpp refuses the left recursion it detects), bounds up to 2000 however
 * repetitions nest (llama.cpp also refuses some by a size estimate, e.g. {@code x{2000}}), and the
 * {@code \-} escape of recent llama.cpp versions. It rejects, as listed above, the grammars where
 * llama.cpp's reading differs from the written text or silently ignores part of it.
 */
final class GbnfGrammar {
  private static final String SYNTAX = "gbnf";

  /** llama.cpp's {@code MAX_REPETITION_THRESHOLD}: larger bounds are refused or made unbounded. */
  private static final int LLAMA_MAX_REPETITION = 2000;

  private static final int MAX_CP = 0x10FFFF;

  /**
   * Deepest nesting accepted, counted both as open parentheses and as the depth of the syntax tree
   * (a sequence, an alternation, a group, a postfix operator each add a level): bounds the
   * recursion of this parser and of every walk over the tree.
   */
  private static final int MAX_DEPTH = 1000;

  /** A rule name's use, for the undefined-name check after all rules are read. */
  private record Use(String name, int at) {}

  private final String src;
  private final int n;
  private final int maxRepeat;
  private final GrammarText text;
  private final Map<String, GrammarDef.Rule> rules = new LinkedHashMap<>();
  private final List<Use> uses = new ArrayList<>();
  private CharLang anyChar;
  private int pos;
  private int openGroups;
  private int depth; // tree depth of the node the last alternatives() or sequence() returned

  private GbnfGrammar(String src, int maxRepeat) {
    this.src = src;
    this.n = src.length();
    this.maxRepeat = maxRepeat;
    this.text = new GrammarText(src);
  }

  /**
   * Parses {@code source}, a GBNF grammar.
   *
   * @throws GrammarSyntaxException for a malformed grammar or an unsupported feature (see the class
   *     comment)
   * @throws ConstraintTooComplexException for a repetition bound above {@code
   *     limits.maxRepeatCount()}, or when building a character class exceeds a limit
   */
  static GrammarDef parse(String source, GrammarLimits limits) {
    return CharLang.withLimits(
        limits, () -> new GbnfGrammar(source, limits.maxRepeatCount()).grammar());
  }

  private GrammarDef grammar() {
    checkText();
    pos = skipSpace(0, true);
    while (pos < n) {
      rule();
    }
    for (Use u : uses) {
      if (!rules.containsKey(u.name())) {
        throw syntax(u.at(), "undefined rule '" + u.name() + "'");
      }
    }
    if (!rules.containsKey("root")) {
      throw syntax(0, "no root rule: a GBNF grammar starts at the rule named 'root'");
    }
    return new GrammarDef(SYNTAX, src, rules, "root", List.of());
  }

  /** U+0000 and unpaired surrogates are refused anywhere, comments included. */
  private void checkText() {
    int nul = src.indexOf(0);
    if (nul >= 0) {
      throw syntax(nul, "U+0000 in the grammar text (llama.cpp reads a grammar only up to it)");
    }
    int lone = text.unpairedSurrogate();
    if (lone >= 0) {
      throw syntax(lone, "unpaired surrogate " + hex(src.charAt(lone)) + " in the grammar text");
    }
  }

  /** One rule, from its name to the line break (or end of text) after it, and the space after. */
  private void rule() {
    int at = pos;
    if (!isNameChar(src.charAt(pos))) {
      throw syntax(pos, ruleStartProblem());
    }
    String name = name();
    GrammarDef.Rule first = rules.get(name);
    if (first != null) {
      throw syntax(
          at,
          "rule '"
              + name
              + "' is already defined at line "
              + first.line()
              + ", column "
              + first.column()
              + " (llama.cpp would silently keep only the last definition)");
    }
    pos = skipSpace(pos, false);
    if (!src.startsWith("::=", pos)) {
      throw unexpected(pos, "'::=' after the rule name '" + name + "', on the same line");
    }
    pos = skipSpace(pos + 3, true);
    GrammarExpr body = alternatives(false, pos);
    if (pos < n && !isLineBreak(src.charAt(pos))) {
      throw unexpected(pos, "a rule element, '|' or the end of the line");
    }
    rules.put(name, new GrammarDef.Rule(name, body, line(at), column(at)));
    pos = skipSpace(pos, true);
  }

  private String ruleStartProblem() {
    if (src.charAt(pos) == '_') {
      return UNDERSCORE;
    }
    if (src.charAt(pos) == '|') {
      return "a line cannot start with '|' outside parentheses: end the previous line with the '|'"
          + " or put the alternatives in parentheses";
    }
    return "unexpected "
        + describe(pos)
        + ": expected a rule name (letters, digits and '-'); a rule ends at the end of its line"
        + " except right after '::=' or '|' and inside parentheses";
  }

  /**
   * Sequences separated by {@code |}, starting at {@code pos}; after a {@code |}, line breaks are
   * allowed even outside parentheses. {@code at} is the node's position when there are several.
   */
  private GrammarExpr alternatives(boolean nested, int at) {
    List<GrammarExpr> alts = new ArrayList<>();
    alts.add(sequence(nested));
    int deepest = depth;
    while (pos < n && src.charAt(pos) == '|') {
      pos = skipSpace(pos + 1, true);
      alts.add(sequence(nested));
      deepest = Math.max(deepest, depth);
    }
    if (alts.size() == 1) {
      return alts.get(0);
    }
    depth = checkDepth(at, deepest + 1);
    return new GrammarExpr.Alt(alts, line(at), column(at));
  }

  /**
   * Items and their postfix operators up to the first character that starts neither; line breaks
   * separate items only when {@code nested} (inside parentheses).
   */
  private GrammarExpr sequence(boolean nested) {
    int at = pos;
    List<GrammarExpr> items = new ArrayList<>();
    int lastAt = -1; // where the item an operator would repeat starts; -1: there is none
    boolean lastEmpty = false; // there is none because the last item was "" or a {0} repetition
    int lastDepth = 0; // tree depth of the last item
    int deepest = 0; // of all items
    while (pos < n) {
      char c = src.charAt(pos);
      int itemAt = pos;
      if (c == '*' || c == '+' || c == '?' || c == '{') {
        if (lastAt < 0) {
          throw syntax(
              pos,
              "'"
                  + c
                  + "' has nothing to repeat: "
                  + (lastEmpty
                      ? "llama.cpp cannot repeat \"\" or an item repeated {0} times"
                      : "it must follow an item"));
        }
        int[] bounds = bounds(nested);
        GrammarExpr body = items.remove(items.size() - 1);
        items.add(new GrammarExpr.Repeat(body, bounds[0], bounds[1], line(lastAt), column(lastAt)));
        lastDepth = checkDepth(itemAt, lastDepth + 1);
        deepest = Math.max(deepest, lastDepth);
        if (bounds[1] == 0) {
          lastAt = -1;
          lastEmpty = true;
        }
        continue;
      }
      GrammarExpr item;
      int itemDepth = 1;
      if (c == '"') {
        item = literal();
      } else if (c == '[') {
        item = charClass();
      } else if (c == '.') {
        pos++;
        item = new GrammarExpr.Lang(anyChar(), ".", line(itemAt), column(itemAt));
      } else if (c == '(') {
        item = group();
        itemDepth = depth;
      } else if (isNameChar(c)) {
        item = reference();
      } else if (c == '<' || c == '!') {
        throw token();
      } else {
        break;
      }
      pos = skipSpace(pos, nested);
      if (item == null) {
        lastAt = -1;
        lastEmpty = true;
      } else {
        items.add(item);
        lastAt = itemAt;
        lastEmpty = false;
        lastDepth = itemDepth;
        deepest = Math.max(deepest, lastDepth);
      }
    }
    if (items.size() == 1) {
      depth = deepest;
      return items.get(0);
    }
    depth = checkDepth(at, deepest + 1);
    return new GrammarExpr.Seq(items, line(at), column(at));
  }

  /**
   * The postfix operator at {@code pos} as {min, max} (max {@link GrammarExpr.Repeat#UNBOUNDED} for
   * none), and the space after it.
   */
  private int[] bounds(boolean nested) {
    char op = src.charAt(pos);
    int opAt = pos;
    pos = skipSpace(pos + 1, nested);
    switch (op) {
      case '*':
        return new int[] {0, GrammarExpr.Repeat.UNBOUNDED};
      case '+':
        return new int[] {1, GrammarExpr.Repeat.UNBOUNDED};
      case '?':
        return new int[] {0, 1};
      default:
        break;
    }
    int minAt = pos;
    long min = count("a number after '{' (the forms are {m}, {m,} and {m,n})");
    pos = skipSpace(pos, nested);
    long max;
    int maxAt = -1;
    if (pos < n && src.charAt(pos) == '}') {
      max = min;
    } else if (pos < n && src.charAt(pos) == ',') {
      pos = skipSpace(pos + 1, nested);
      max = GrammarExpr.Repeat.UNBOUNDED;
      if (pos < n && isDigit(src.charAt(pos))) {
        maxAt = pos;
        max = count("a number");
        pos = skipSpace(pos, nested);
      }
      if (pos >= n || src.charAt(pos) != '}') {
        throw unexpected(pos, "'}' to close the repetition");
      }
    } else {
      throw unexpected(pos, "',' or '}' in the repetition");
    }
    pos = skipSpace(pos + 1, nested);
    if (min > LLAMA_MAX_REPETITION) {
      throw unsupported(
          minAt,
          "the repetition lower bound "
              + digits(minAt)
              + " is above "
              + LLAMA_MAX_REPETITION
              + ", which llama.cpp rejects");
    }
    if (maxAt >= 0 && max > LLAMA_MAX_REPETITION) {
      throw unsupported(
          maxAt,
          "the repetition upper bound "
              + digits(maxAt)
              + " is above "
              + LLAMA_MAX_REPETITION
              + ", which llama.cpp reads as no upper bound; write {m,} if that is meant");
    }
    if (maxAt >= 0 && max < min) {
      throw syntax(opAt, "the repetition upper bound " + max + " is below its lower bound " + min);
    }
    long bound = Math.max(min, max);
    if (bound > maxRepeat) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount", maxRepeat, bound, "repetitions", "the grammar");
    }
    return new int[] {(int) min, (int) max};
  }

  /** The decimal number at {@code pos} (saturated far above any bound), or an error. */
  private long count(String expected) {
    if (pos >= n || !isDigit(src.charAt(pos))) {
      throw unexpected(pos, expected);
    }
    int end = text.digitsEnd(pos);
    int v = text.saturatedValue(pos, end);
    pos = end;
    return v;
  }

  /** The digits written at {@code at}, for messages. */
  private String digits(int at) {
    int end = at;
    while (end < n && isDigit(src.charAt(end))) {
      end++;
    }
    return src.substring(at, end);
  }

  /** A string literal at {@code pos}; null for {@code ""}, which contributes nothing. */
  private GrammarExpr literal() {
    int at = pos++;
    StringBuilder text = new StringBuilder();
    while (true) {
      if (pos >= n) {
        throw syntax(
            n, "unexpected end of grammar: the string literal at " + where(at) + " is not closed");
      }
      if (src.charAt(pos) == '"') {
        break;
      }
      int charAt = pos;
      int cp = character();
      requireCharacter(charAt, cp);
      if (cp == 0) {
        throw syntax(
            charAt,
            "U+0000 in a string literal can never match: llama.cpp ends every string at U+0000");
      }
      text.appendCodePoint(cp);
    }
    pos++;
    if (text.isEmpty()) {
      return null;
    }
    return new GrammarExpr.Lang(
        CharLang.literal(text.toString()), src.substring(at, pos), line(at), column(at));
  }

  /** A character class {@code [...]} or {@code [^...]} at {@code pos}. */
  private GrammarExpr charClass() {
    int at = pos++;
    boolean negated = pos < n && src.charAt(pos) == '^';
    if (negated) {
      pos++;
    }
    int[] pairs = new int[8];
    int m = 0;
    boolean members = false;
    while (true) {
      if (pos >= n) {
        throw syntax(
            n, "unexpected end of grammar: the character class at " + where(at) + " is not closed");
      }
      if (src.charAt(pos) == ']') {
        break;
      }
      int loAt = pos;
      int lo = character();
      int hi = lo;
      if (pos + 1 < n && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
        pos++;
        hi = character();
        if (hi < lo) {
          throw syntax(
              loAt,
              "the range "
                  + src.substring(loAt, pos)
                  + " is reversed (its start is after its end), so it would match nothing");
        }
      } else {
        requireCharacter(loAt, lo);
      }
      members = true;
      lo = Math.max(lo, 1);
      hi = Math.min(hi, MAX_CP);
      if (lo <= hi) {
        if (m + 4 > pairs.length) {
          pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[m++] = lo;
        pairs[m++] = hi;
      }
    }
    pos++;
    String label = src.substring(at, pos);
    if (!members) {
      throw unsupported(
          at,
          "the empty character class "
              + label
              + ": llama.cpp reads it as the empty string, not as a character; write \"\" for the"
              + " empty string");
    }
    int[] set;
    if (negated) {
      pairs[m++] = 0; // U+0000 is never a character (see the class comment)
      pairs[m++] = 0;
      set = Regex.negate(Regex.normalize(pairs, m));
    } else {
      set = Regex.normalize(pairs, m);
    }
    return new GrammarExpr.Lang(CharLang.codePointSet(set), label, line(at), column(at));
  }

  /**
   * One literal or class character at {@code pos}, raw or escaped; advances past it. An escape
   * above U+10FFFF gives {@code MAX_CP + 1}.
   */
  private int character() {
    char c = src.charAt(pos);
    if (c != '\\') {
      int cp = src.codePointAt(pos);
      pos += Character.charCount(cp);
      return cp;
    }
    if (pos + 1 >= n) {
      throw syntax(n, "unexpected end of grammar after '\\'");
    }
    char e = src.charAt(pos + 1);
    switch (e) {
      case 'x':
        return hexEscape(2);
      case 'u':
        return hexEscape(4);
      case 'U':
        return hexEscape(8);
      case 't':
        pos += 2;
        return '\t';
      case 'r':
        pos += 2;
        return '\r';
      case 'n':
        pos += 2;
        return '\n';
      case '\\', '"', '[', ']', '-':
        pos += 2;
        return e;
      default:
        throw syntax(
            pos,
            "unknown escape '\\' followed by "
                + describe(pos + 1)
                + " (the escapes are \\xHH, \\uHHHH, \\UHHHHHHHH, \\t, \\r, \\n, \\\\, \\\", \\[,"
                + " \\] and \\-)");
    }
  }

  /**
   * {@code \x}, {@code \}{@code u} or {@code \U} at {@code pos} with exactly {@code size} digits.
   */
  private int hexEscape(int size) {
    long v = 0;
    for (int k = pos + 2; k < pos + 2 + size; k++) {
      int d = k < n ? hexDigit(src.charAt(k)) : -1;
      if (d < 0) {
        throw syntax(
            pos, "the escape \\" + src.charAt(pos + 1) + " needs exactly " + size + " hex digits");
      }
      v = v * 16 + d;
    }
    pos += 2 + size;
    return (int) Math.min(v, MAX_CP + 1);
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** A single character (not a range end) must be a Unicode scalar value. */
  private void requireCharacter(int at, int cp) {
    if (cp > MAX_CP) {
      throw syntax(
          at, "the escape " + src.substring(at, pos) + " is above U+10FFFF, the last code point");
    }
    if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
      throw syntax(
          at,
          "the escape "
              + src.substring(at, pos)
              + " is a lone surrogate, not a character (write the character itself or its \\U"
              + " escape)");
    }
  }

  /** A group {@code ( alternatives )} at {@code pos}; line breaks are allowed inside. */
  private GrammarExpr group() {
    int at = pos;
    openGroups = checkDepth(at, openGroups + 1);
    pos = skipSpace(pos + 1, true);
    GrammarExpr body = alternatives(true, at);
    if (pos >= n) {
      throw syntax(
          n, "unexpected end of grammar: the group '(' at " + where(at) + " is not closed");
    }
    if (src.charAt(pos) != ')') {
      throw unexpected(pos, "a rule element, '|' or ')'");
    }
    pos++;
    openGroups--;
    return body;
  }

  private int checkDepth(int at, int d) {
    if (d > MAX_DEPTH) {
      throw unsupported(
          at, "groups and repetitions nest more than " + MAX_DEPTH + " levels deep here");
    }
    return d;
  }

  private GrammarExpr reference() {
    int at = pos;
    String name = name();
    uses.add(new Use(name, at));
    return new GrammarExpr.Ref(name, line(at), column(at));
  }

  private GrammarSyntaxException token() {
    if (src.charAt(pos) == '!' && (pos + 1 >= n || src.charAt(pos + 1) != '<')) {
      return unexpected(pos + 1, "'<' after '!' (a negated token is written !<...>)");
    }
    return unsupported(
        pos,
        "token references (<...>, <[id]>, !<...>) match tokens of a model's vocabulary, not"
            + " characters");
  }

  private String name() {
    int at = pos;
    while (pos < n && isNameChar(src.charAt(pos))) {
      pos++;
    }
    return src.substring(at, pos);
  }

  private CharLang anyChar() {
    if (anyChar == null) {
      anyChar = CharLang.codePointRange(1, MAX_CP);
    }
    return anyChar;
  }

  /** Past spaces, tabs and comments from {@code p}, and line breaks when {@code newlineOk}. */
  private int skipSpace(int p, boolean newlineOk) {
    while (p < n) {
      char c = src.charAt(p);
      if (c == ' ' || c == '\t' || (newlineOk && isLineBreak(c))) {
        p++;
      } else if (c == '#') {
        while (p < n && !isLineBreak(src.charAt(p))) {
          p++;
        }
      } else {
        break;
      }
    }
    return p;
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-';
  }

  // ---------------------------------------------------------------- positions and messages

  private int line(int at) {
    return text.line(at);
  }

  private int column(int at) {
    return text.column(at);
  }

  private String where(int at) {
    return text.where(at);
  }

  private String describe(int at) {
    return text.describe(at);
  }

  private static String hex(int cp) {
    return GrammarText.hex(cp);
  }

  private static final String UNDERSCORE =
      "'_' is not allowed in a rule name: names use only letters, digits and '-'";

  /** "unexpected X: expected Y", or the explanation for a {@code _} (never valid there). */
  private GrammarSyntaxException unexpected(int at, String expected) {
    if (at < n && src.charAt(at) == '_') {
      return syntax(at, UNDERSCORE);
    }
    if (at >= n) {
      return syntax(at, "unexpected end of grammar: expected " + expected);
    }
    return syntax(at, "unexpected " + describe(at) + ": expected " + expected);
  }

  private GrammarSyntaxException syntax(int at, String reason) {
    return GrammarSyntaxException.syntax(SYNTAX, src, at, reason);
  }

  private GrammarSyntaxException unsupported(int at, String reason) {
    return GrammarSyntaxException.unsupported(SYNTAX, src, at, reason);
  }
}
