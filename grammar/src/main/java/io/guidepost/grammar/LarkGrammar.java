package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a Lark grammar (the subset people write for llguidance and onnxruntime-genai) into a
 * {@link GrammarDef} whose language is exactly the set of strings Lark's Earley parser accepts with
 * {@code lexer='dynamic_complete'}: terminals are regular languages, rules a context-free grammar
 * over them, and the {@code %ignore}d terminals may appear before, between and after any terminals.
 * What cannot be given that exact meaning is rejected with its line and column.
 *
 * <h2>Syntax accepted</h2>
 *
 * <ul>
 *   <li>Definitions {@code name: expansions}, one per line. Rule names are lower case ({@code
 *       [_a-z][_a-z0-9]*}, optionally prefixed by {@code ?} or {@code !}, which shape Lark's tree
 *       only); terminal names upper case ({@code [_A-Z][_A-Z0-9]*}). A priority {@code name.N:} is
 *       accepted and reported as a note: it steers Lark's choice between parses and lexer matches,
 *       not the language. The start rule is {@code start}.
 *   <li>Expansions are alternatives separated by {@code |}; a line that starts with {@code |}
 *       continues the definition above it, and inside parentheses and brackets line breaks are
 *       free. An alternative may end with an alias {@code -> name} (tree shaping only). Items:
 *       strings {@code "..."} (flag {@code i} for case-insensitive), ranges {@code "a".."z"},
 *       regexes {@code /.../flags} ({@link LarkRegex}), names, groups {@code ( ... )}, optional
 *       groups {@code [ ... ]}; each item may take one operator: {@code ?}, {@code *}, {@code +},
 *       {@code ~ n}, {@code ~ n..m}, or llguidance's {@code {n}}, {@code {n,}}, {@code {,m}},
 *       {@code {n,m}}.
 *   <li>String escapes are Lark's: {@code \n \t \r \f}, {@code \xHH}, {@code \}{@code uHHHH},
 *       {@code \UHHHHHHHH}, {@code \\} and {@code \"}; a backslash before any other character
 *       stands for itself (so {@code "\d"} is the two characters {@code \d}, as in Lark).
 *   <li>{@code %ignore} with a terminal expression (names of terminals, strings, regexes); {@code
 *       %import common.NAME}, {@code %import common.NAME -> ALIAS} and {@code %import common (A,
 *       B)} from a built-in library with Lark's {@code common} terminal names ({@link #COMMON}).
 *   <li>Comments from {@code //} or {@code #} to the end of the line.
 * </ul>
 *
 * <h2>Rejected</h2>
 *
 * <p>{@code grammar-syntax}: malformed definitions, an undefined name (at its first use), a second
 * definition of a name, a rule used inside a terminal or in {@code %ignore}, a recursive terminal,
 * a missing {@code start} rule, a second operator on one item, bounds out of order, and malformed
 * regexes. {@code grammar-unsupported}: templates ({@code name{...}}), {@code %declare}, {@code
 * %override}, {@code %extend}, imports of anything but {@code common}, llguidance's extensions
 * ({@code %json}, special tokens {@code <...>}, {@code %llguidance}), and what {@link LarkRegex}
 * rejects. Nesting deeper than {@value #MAX_NESTING} parentheses is unsupported. A bound above
 * {@link GrammarLimits#maxRepeatCount()} raises {@link ConstraintTooComplexException}.
 *
 * <h2>Differences from Lark</h2>
 *
 * <p>Lark's default lexers (standard and contextual, and the {@code dynamic} Earley lexer) pick one
 * tokenization greedily, so Lark may reject a string of this language when a terminal's longest
 * match swallows what the next terminal needed; every string Lark accepts is in this language. The
 * same holds for llguidance, whose lexemes are greedy too. Line breaks inside parentheses are
 * accepted, which Lark's own grammar parser refuses unless a {@code |} follows.
 */
final class LarkGrammar {
  private static final String SYNTAX = "lark";

  /** The rule for any run of ignored terminals (not a name a grammar can write). */
  static final String IGNORED = "__ignored";

  /** The start rule when there is an {@code %ignore}: the user's start, then ignored text. */
  static final String START = "__start";

  /** Deepest nesting of parentheses and brackets (bounds recursion here and downstream). */
  static final int MAX_NESTING = 300;

  /** Prefix of the internal names of a built-in terminal's dependencies. */
  private static final String LIBRARY_PREFIX = "common__";

  /**
   * The built-in {@code common} library: Lark's {@code common} terminal names, each defined here as
   * a regular language equal to the set of tokens Lark's definition can produce (for {@code
   * ESCAPED_STRING} and {@code C_COMMENT}, whose Lark definitions use lazy quantifiers and a
   * lookbehind, that set is written out without them).
   */
  static final String COMMON =
      """
      DIGIT: "0".."9"
      HEXDIGIT: "a".."f" | "A".."F" | DIGIT
      INT: DIGIT+
      SIGNED_INT: ["+" | "-"] INT
      DECIMAL: INT "." INT? | "." INT
      _EXP: ("e" | "E") SIGNED_INT
      FLOAT: INT _EXP | DECIMAL _EXP?
      SIGNED_FLOAT: ["+" | "-"] FLOAT
      NUMBER: FLOAT | INT
      SIGNED_NUMBER: ["+" | "-"] NUMBER
      ESCAPED_STRING: "\\"" (/[^"\\\\\\n]/ | "\\\\" /./)* "\\""
      LCASE_LETTER: "a".."z"
      UCASE_LETTER: "A".."Z"
      LETTER: UCASE_LETTER | LCASE_LETTER
      WORD: LETTER+
      CNAME: ("_" | LETTER) ("_" | LETTER | DIGIT)*
      WS_INLINE: (" " | /\\t/)+
      WS: /[ \\t\\f\\r\\n]/+
      CR: /\\r/
      LF: /\\n/
      NEWLINE: (CR? LF)+
      SH_COMMENT: /#[^\\n]*/
      CPP_COMMENT: /\\/\\/[^\\n]*/
      C_COMMENT: "/*" /([^*]|\\*+[^*\\/])*/ /\\*+/ "/"
      SQL_COMMENT: /--[^\\n]*/
      """;

  private record Def(String name, GrammarExpr body, int at, boolean terminal) {}

  /** A name's use, for the undefined-name check after all definitions are read. */
  private record Use(String name, int at) {}

  private final String src;
  private final int n;
  private final GrammarText text;
  private final int maxRepeat;
  private final Map<String, Def> defs = new LinkedHashMap<>();
  private final List<Use> uses = new ArrayList<>();
  private final List<GrammarExpr> ignored = new ArrayList<>();
  private final List<GrammarSyntaxException> notes = new ArrayList<>();
  private final Map<String, Def> library; // the parsed COMMON, when something is imported
  private int pos;
  private boolean inTerminal; // parsing a terminal's body or an %ignore
  private String current; // the definition being parsed, for messages

  private LarkGrammar(String src, int maxRepeat) {
    this.src = src;
    this.n = src.length();
    this.text = new GrammarText(src);
    this.maxRepeat = maxRepeat;
    this.library = new HashMap<>();
  }

  /**
   * Parses {@code source}, a Lark grammar.
   *
   * @throws GrammarSyntaxException for a malformed grammar or an unsupported feature (see the class
   *     comment)
   * @throws ConstraintTooComplexException for a repetition bound above {@code
   *     limits.maxRepeatCount()}, or when building a terminal exceeds a limit
   */
  static GrammarDef parse(String source, GrammarLimits limits) {
    return CharLang.withLimits(
        limits,
        () -> {
          LarkGrammar g = new LarkGrammar(source, limits.maxRepeatCount());
          g.definitions();
          return g.grammar();
        });
  }

  // ---------------------------------------------------------------- statements

  private void definitions() {
    int lone = text.unpairedSurrogate();
    if (lone >= 0) {
      throw syntax(
          lone, "unpaired surrogate " + GrammarText.hex(src.charAt(lone)) + " in the grammar text");
    }
    pos = skip(0, true);
    while (pos < n) {
      if (src.charAt(pos) == '%') {
        directive();
      } else {
        definition();
      }
      pos = skip(pos, false);
      if (pos < n && !isLineBreak(src.charAt(pos))) {
        throw unexpected(pos, "the end of the line (one definition or directive per line)");
      }
      pos = skip(pos, true);
    }
  }

  private void definition() {
    int at = pos;
    boolean modifier = src.charAt(pos) == '?' || src.charAt(pos) == '!';
    if (modifier) {
      pos++;
    }
    int nameAt = pos;
    if (pos >= n || !isNameStart(src.charAt(pos))) {
      throw unexpected(pos, "a rule or terminal name, or a directive such as %ignore");
    }
    String name = name();
    boolean terminal = isTerminalName(name);
    if (modifier && terminal) {
      throw syntax(at, "'" + src.charAt(at) + "' applies to rules only, not to terminals");
    }
    if (pos < n && src.charAt(pos) == '{') {
      throw unsupported(pos, "templates (rules with parameters) are not supported");
    }
    if (pos < n && src.charAt(pos) == '.') {
      int prAt = pos;
      pos++;
      int digitsAt = pos;
      if (pos < n && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
        pos++;
      }
      if (pos >= n || !isDigit(src.charAt(pos))) {
        throw unexpected(pos, "a number after '.' (a priority such as " + name + ".2)");
      }
      while (pos < n && isDigit(src.charAt(pos))) {
        pos++;
      }
      notes.add(
          GrammarSyntaxException.unsupported(
              SYNTAX,
              src,
              prAt,
              "the priority "
                  + src.substring(digitsAt, pos)
                  + " of "
                  + name
                  + " is ignored: priorities choose between Lark's parses and lexer matches, they"
                  + " do not change the set of strings the grammar accepts"));
    }
    pos = skip(pos, false);
    if (pos >= n || src.charAt(pos) != ':') {
      throw unexpected(pos, "':' after the name '" + name + "'");
    }
    pos = skip(pos + 1, false);
    inTerminal = terminal;
    current = name;
    GrammarExpr body = expansions(0, at);
    inTerminal = false;
    define(new Def(name, body, nameAt, terminal));
  }

  private void define(Def d) {
    Def first = defs.get(d.name());
    if (first != null) {
      throw syntax(
          d.at(),
          (d.terminal() ? "terminal '" : "rule '")
              + d.name()
              + "' is already defined"
              + (first.at() >= 0 ? " at " + text.where(first.at()) : " (imported)"));
    }
    defs.put(d.name(), d);
  }

  private void directive() {
    int at = pos;
    pos++;
    String word = pos < n && isNameStart(src.charAt(pos)) ? name() : "";
    switch (word) {
      case "ignore" -> {
        pos = skip(pos, false);
        inTerminal = true;
        current = "%ignore";
        ignored.add(expansions(0, at));
        inTerminal = false;
      }
      case "import" -> importDirective(at);
      case "declare" ->
          throw unsupported(
              at,
              "%declare: declared terminals come from a custom lexer or postlexer, so they have no"
                  + " language here");
      case "override", "extend" ->
          throw unsupported(at, "%" + word + " is not supported: edit the definition itself");
      case "json", "llguidance", "regex", "lark" ->
          throw unsupported(at, "llguidance's %" + word + " extension is not supported");
      default ->
          throw syntax(
              at, "unknown directive '%" + word + "' (the directives are %ignore and %import)");
    }
  }

  /** {@code %import common.NAME [-> ALIAS]} or {@code %import common (A, B, ...)}. */
  private void importDirective(int at) {
    pos = skip(pos, false);
    int moduleAt = pos;
    if (pos < n && src.charAt(pos) == '.') {
      throw unsupported(pos, "relative imports are not supported: only 'common' is built in");
    }
    if (pos >= n || !isNameStart(src.charAt(pos))) {
      throw unexpected(pos, "a module name after %import (e.g. %import common.WS)");
    }
    List<String> path = new ArrayList<>();
    path.add(name());
    while (pos < n && src.charAt(pos) == '.') {
      pos++;
      if (pos >= n || !isNameStart(src.charAt(pos))) {
        throw unexpected(pos, "a name after '.'");
      }
      path.add(name());
    }
    pos = skip(pos, false);
    boolean list = pos < n && src.charAt(pos) == '(';
    List<String> module = list ? path : path.subList(0, path.size() - 1);
    if (module.size() != 1 || !module.get(0).equals("common")) {
      throw unsupported(
          moduleAt,
          "only the built-in 'common' library can be imported, not '"
              + (module.isEmpty() ? path.get(0) : String.join(".", module))
              + "'");
    }
    if (list) {
      pos = skip(pos + 1, true);
      while (true) {
        int nameAt = pos;
        if (pos >= n || !isNameStart(src.charAt(pos))) {
          throw unexpected(pos, "a terminal name in the import list");
        }
        String name = name();
        importTerminal(name, name, nameAt);
        pos = skip(pos, true);
        if (pos < n && src.charAt(pos) == ',') {
          pos = skip(pos + 1, true);
          continue;
        }
        if (pos < n && src.charAt(pos) == ')') {
          pos++;
          return;
        }
        throw unexpected(pos, "',' or ')' in the import list");
      }
    }
    String name = path.get(path.size() - 1);
    int nameAt = src.lastIndexOf(name, pos);
    String alias = name;
    if (src.startsWith("->", pos)) {
      pos = skip(pos + 2, false);
      if (pos >= n || !isNameStart(src.charAt(pos))) {
        throw unexpected(pos, "a name after '->'");
      }
      nameAt = pos;
      alias = name();
      if (!isTerminalName(alias)) {
        throw syntax(nameAt, "the alias '" + alias + "' of a terminal must be a terminal name");
      }
    }
    importTerminal(name, alias, nameAt);
  }

  /**
   * Defines {@code alias} as the library's {@code name}, with its dependencies under internal
   * names.
   */
  private void importTerminal(String name, String alias, int at) {
    Map<String, Def> lib = library();
    Def d = lib.get(name);
    if (d == null) {
      throw syntax(
          at,
          "'"
              + name
              + "' is not in the built-in common library (it has "
              + String.join(", ", lib.keySet().stream().filter(k -> !k.startsWith("_")).toList())
              + ")");
    }
    define(new Def(alias, relocate(d.body(), at), at, true));
    List<String> todo = new ArrayList<>(referenced(d.body()));
    for (int k = 0; k < todo.size(); k++) {
      String dep = todo.get(k);
      if (!defs.containsKey(LIBRARY_PREFIX + dep)) {
        Def dd = lib.get(dep);
        defs.put(
            LIBRARY_PREFIX + dep, new Def(LIBRARY_PREFIX + dep, relocate(dd.body(), at), -1, true));
        todo.addAll(referenced(dd.body()));
      }
    }
  }

  private Map<String, Def> library() {
    if (library.isEmpty()) {
      LarkGrammar lib = new LarkGrammar(COMMON, maxRepeat);
      lib.definitions();
      library.putAll(lib.defs);
    }
    return library;
  }

  /** The names referenced in {@code e}. */
  private static List<String> referenced(GrammarExpr e) {
    List<String> out = new ArrayList<>();
    collect(e, out);
    return out;
  }

  private static void collect(GrammarExpr e, List<String> out) {
    switch (e) {
      case GrammarExpr.Ref r -> out.add(r.name());
      case GrammarExpr.Seq s -> s.items().forEach(x -> collect(x, out));
      case GrammarExpr.Alt a -> a.alternatives().forEach(x -> collect(x, out));
      case GrammarExpr.Repeat r -> collect(r.body(), out);
      case GrammarExpr.Lang l -> {}
    }
  }

  /**
   * A library expression placed at {@code at} of the user's text, its references renamed to the
   * internal names of the library's terminals.
   */
  private GrammarExpr relocate(GrammarExpr e, int at) {
    int line = text.line(at);
    int col = text.column(at);
    return GrammarExpr.map(
        e,
        x ->
            (x instanceof GrammarExpr.Ref r
                    ? new GrammarExpr.Ref(LIBRARY_PREFIX + r.name(), 1, 1)
                    : x)
                .at(line, col));
  }

  // ---------------------------------------------------------------- expressions

  /**
   * Alternatives separated by {@code |}; outside brackets ({@code nesting == 0}) a definition
   * continues on a later line only when that line starts with {@code |}.
   */
  private GrammarExpr expansions(int nesting, int at) {
    List<GrammarExpr> alts = new ArrayList<>();
    alts.add(alias(nesting));
    while (true) {
      int p = skip(pos, nesting > 0);
      if (p < n && src.charAt(p) == '|') {
        pos = skip(p + 1, nesting > 0);
        alts.add(alias(nesting));
        continue;
      }
      if (nesting == 0 && p < n && isLineBreak(src.charAt(p))) {
        int q = skip(p, true);
        if (q < n && src.charAt(q) == '|') {
          pos = skip(q + 1, false);
          alts.add(alias(nesting));
          continue;
        }
      }
      pos = p;
      break;
    }
    return alts.size() == 1 ? alts.get(0) : new GrammarExpr.Alt(alts, line(at), column(at));
  }

  /** A sequence and an optional alias {@code -> name} (tree shaping; no effect here). */
  private GrammarExpr alias(int nesting) {
    GrammarExpr seq = sequence(nesting);
    int p = skip(pos, nesting > 0);
    if (src.startsWith("->", p)) {
      pos = skip(p + 2, nesting > 0);
      if (pos >= n || !isNameStart(src.charAt(pos))) {
        throw unexpected(pos, "a rule name after '->'");
      }
      name();
    }
    return seq;
  }

  private GrammarExpr sequence(int nesting) {
    int at = pos;
    List<GrammarExpr> items = new ArrayList<>();
    while (true) {
      int p = skip(pos, nesting > 0);
      if (p >= n || !startsItem(p)) {
        break;
      }
      pos = p;
      items.add(item(nesting));
    }
    return items.size() == 1 ? items.get(0) : new GrammarExpr.Seq(items, line(at), column(at));
  }

  private boolean startsItem(int p) {
    char c = src.charAt(p);
    return c == '"'
        || c == '('
        || c == '['
        || (c == '/' && !src.startsWith("//", p))
        || isNameStart(c)
        || c == '<'
        || c == '%';
  }

  /** An atom and at most one operator. */
  private GrammarExpr item(int nesting) {
    int at = pos;
    GrammarExpr atom = atom(nesting);
    int p = skip(pos, nesting > 0);
    if (p >= n) {
      return atom;
    }
    char c = src.charAt(p);
    int min;
    int max;
    if (c == '?' || c == '*' || c == '+') {
      pos = p + 1;
      min = c == '+' ? 1 : 0;
      max = c == '?' ? 1 : GrammarExpr.Repeat.UNBOUNDED;
    } else if (c == '~') {
      pos = skip(p + 1, nesting > 0);
      int minAt = pos;
      min = count("a number after '~' (x ~ n or x ~ n..m)");
      max = min;
      if (src.startsWith("..", pos)) {
        pos += 2;
        max = count("a number after '..'");
      }
      bounds(minAt, min, max);
    } else if (c == '{' && p + 1 < n && (isDigit(src.charAt(p + 1)) || src.charAt(p + 1) == ',')) {
      pos = p + 1;
      int minAt = pos;
      min = src.charAt(pos) == ',' ? 0 : count("a number");
      max = min;
      if (pos < n && src.charAt(pos) == ',') {
        pos++;
        max =
            pos < n && isDigit(src.charAt(pos)) ? count("a number") : GrammarExpr.Repeat.UNBOUNDED;
      }
      if (pos >= n || src.charAt(pos) != '}') {
        throw unexpected(pos, "'}' to close the repetition {n,m}");
      }
      pos++;
      bounds(minAt, min, max);
    } else {
      return atom;
    }
    int q = skip(pos, nesting > 0);
    if (q < n && "?*+~".indexOf(src.charAt(q)) >= 0) {
      throw syntax(q, "a second operator on one item: put the item and its first operator in ( )");
    }
    return new GrammarExpr.Repeat(atom, min, max, line(at), column(at));
  }

  private void bounds(int at, int min, int max) {
    if (max != GrammarExpr.Repeat.UNBOUNDED && max < min) {
      throw syntax(at, "the repetition upper bound " + max + " is below its lower bound " + min);
    }
    int bound = Math.max(min, max);
    if (bound > maxRepeat) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount", maxRepeat, bound, "repetitions", "the grammar");
    }
  }

  private int count(String expected) {
    if (pos >= n || !isDigit(src.charAt(pos))) {
      throw unexpected(pos, expected);
    }
    int end = text.digitsEnd(pos);
    int v = text.saturatedValue(pos, end);
    pos = end;
    return v;
  }

  private GrammarExpr atom(int nesting) {
    int at = pos;
    char c = src.charAt(pos);
    if (c == '(' || c == '[') {
      if (nesting + 1 > MAX_NESTING) {
        throw unsupported(at, "parentheses and brackets nest more than " + MAX_NESTING + " deep");
      }
      pos = skip(pos + 1, true);
      GrammarExpr body = expansions(nesting + 1, at);
      pos = skip(pos, true);
      char close = c == '(' ? ')' : ']';
      if (pos >= n || src.charAt(pos) != close) {
        throw unexpected(pos, "'" + close + "' to close the '" + c + "' at " + text.where(at));
      }
      pos++;
      return c == '(' ? body : new GrammarExpr.Repeat(body, 0, 1, line(at), column(at));
    }
    if (c == '"') {
      return string();
    }
    if (c == '/') {
      return regex();
    }
    if (c == '<') {
      throw unsupported(at, "special tokens <...> match tokens of a model, not text");
    }
    if (c == '%') {
      throw unsupported(
          at, "directives inside an expression (llguidance's %json {...}) are not supported");
    }
    String name = name();
    if (pos < n && src.charAt(pos) == '{' && !(pos + 1 < n && isRepeatStart(src.charAt(pos + 1)))) {
      throw unsupported(pos, "templates (name{...}) are not supported");
    }
    if (inTerminal && !isTerminalName(name)) {
      throw syntax(
          at,
          "the rule '"
              + name
              + "' cannot be used in "
              + ("%ignore".equals(current) ? "%ignore" : "the terminal " + current)
              + ": terminals are built from strings, regexes and other terminals");
    }
    uses.add(new Use(name, at));
    return new GrammarExpr.Ref(name, line(at), column(at));
  }

  private static boolean isRepeatStart(char c) {
    return isDigit(c) || c == ',';
  }

  /** A string {@code "..."} (flag {@code i}), or a range {@code "a".."z"}. */
  private GrammarExpr string() {
    int at = pos;
    String s = stringBody();
    boolean ignoreCase = pos < n && src.charAt(pos) == 'i' && !isNameChar(pos + 1);
    if (ignoreCase) {
      pos++;
    }
    if (src.startsWith("..", pos)) {
      if (ignoreCase) {
        throw unsupported(at, "a range between case-insensitive strings");
      }
      pos += 2;
      int hiAt = pos;
      if (pos >= n || src.charAt(pos) != '"') {
        throw unexpected(pos, "a string after '..' (a range is \"a\"..\"z\")");
      }
      String hi = stringBody();
      if (s.codePointCount(0, s.length()) != 1) {
        throw syntax(at, "a range bound must be one character, not \"" + s + "\"");
      }
      if (hi.codePointCount(0, hi.length()) != 1) {
        throw syntax(hiAt, "a range bound must be one character, not \"" + hi + "\"");
      }
      int lo = s.codePointAt(0);
      int up = hi.codePointAt(0);
      if (up < lo) {
        throw syntax(at, "the range " + src.substring(at, pos) + " is reversed");
      }
      return new GrammarExpr.Lang(
          CharLang.codePointRange(lo, up), src.substring(at, pos), line(at), column(at));
    }
    if (s.isEmpty()) {
      return new GrammarExpr.Seq(List.of(), line(at), column(at));
    }
    CharLang lang = ignoreCase ? LarkRegex.ignoringCase(s) : CharLang.literal(s);
    return new GrammarExpr.Lang(lang, src.substring(at, pos), line(at), column(at));
  }

  /** The value of the string literal at {@code pos}, with Lark's escapes; advances past it. */
  private String stringBody() {
    int at = pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= n || isLineBreak(src.charAt(pos))) {
        throw syntax(at, "the string starting here is not closed on its line");
      }
      char c = src.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        pos++;
        continue;
      }
      if (pos + 1 >= n || isLineBreak(src.charAt(pos + 1))) {
        throw syntax(pos, "the string ends with a lone '\\'");
      }
      char e = src.charAt(pos + 1);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'f' -> out.append('\f');
        case '\\' -> out.append('\\');
        case '"' -> out.append('"');
        case 'x', 'u', 'U' -> {
          int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          out.appendCodePoint(hexEscape(digits));
          continue;
        }
        default -> out.append('\\').append(e);
      }
      pos += 2;
    }
  }

  private int hexEscape(int digits) {
    int at = pos;
    long v = 0;
    for (int k = pos + 2; k < pos + 2 + digits; k++) {
      int d = k < n ? Character.digit(src.charAt(k), 16) : -1;
      if (d < 0 || src.charAt(k) > 'f') {
        throw syntax(at, "the escape \\" + src.charAt(at + 1) + " needs " + digits + " hex digits");
      }
      v = v * 16 + d;
    }
    pos += 2 + digits;
    if (v > 0x10FFFF || (v >= Character.MIN_SURROGATE && v <= Character.MAX_SURROGATE)) {
      throw syntax(at, "the escape " + src.substring(at, pos) + " is not a character");
    }
    return (int) v;
  }

  /** A regex {@code /.../flags}. */
  private GrammarExpr regex() {
    int at = pos;
    int k = pos + 1;
    while (true) {
      if (k >= n || isLineBreak(src.charAt(k))) {
        throw syntax(at, "the regex starting here is not closed on its line");
      }
      char c = src.charAt(k);
      if (c == '/') {
        break;
      }
      k += c == '\\' && k + 1 < n && !isLineBreak(src.charAt(k + 1)) ? 2 : 1;
    }
    int close = k;
    k++;
    int flagsAt = k;
    while (k < n && "imslux".indexOf(src.charAt(k)) >= 0) {
      k++;
    }
    String flags = src.substring(flagsAt, k);
    if (k < n && isNameChar(k)) {
      throw syntax(k, "unknown regex flag " + text.describe(k) + " (the flags are i, m, s, u)");
    }
    for (int f = 0; f < flags.length(); f++) {
      char flag = flags.charAt(f);
      if (flag == 'x' || flag == 'l') {
        throw unsupported(
            flagsAt + f, "the regex flag '" + flag + "' is not supported (i, m, s and u are)");
      }
    }
    CharLang lang = LarkRegex.parse(src, at + 1, close, flags);
    pos = k;
    return new GrammarExpr.Lang(lang, src.substring(at, k), line(at), column(at));
  }

  // ---------------------------------------------------------------- the grammar

  private GrammarDef grammar() {
    for (Use u : uses) {
      if (!defs.containsKey(u.name())) {
        throw syntax(
            u.at(),
            (isTerminalName(u.name()) ? "undefined terminal '" : "undefined rule '")
                + u.name()
                + "'"
                + (isTerminalName(u.name()) && library().containsKey(u.name())
                    ? " (the common library has it: %import common." + u.name() + ")"
                    : ""));
      }
    }
    checkTerminalsRegular();
    if (!defs.containsKey("start")) {
      throw syntax(0, "no start rule: a Lark grammar starts at the rule named 'start'");
    }
    Map<String, GrammarDef.Rule> rules = new LinkedHashMap<>();
    boolean ignoring = !ignored.isEmpty();
    for (Def d : defs.values()) {
      GrammarExpr body = ignoring && !d.terminal() ? withIgnored(d.body()) : d.body();
      int line = d.at() >= 0 ? line(d.at()) : 1;
      int col = d.at() >= 0 ? column(d.at()) : 1;
      rules.put(d.name(), new GrammarDef.Rule(d.name(), body, line, col));
    }
    String startName = "start";
    if (ignoring) {
      GrammarExpr any =
          ignored.size() == 1
              ? ignored.get(0)
              : new GrammarExpr.Alt(ignored, ignored.get(0).line(), ignored.get(0).column());
      rules.put(
          IGNORED,
          new GrammarDef.Rule(
              IGNORED,
              new GrammarExpr.Repeat(
                  any, 0, GrammarExpr.Repeat.UNBOUNDED, any.line(), any.column()),
              any.line(),
              any.column()));
      GrammarExpr body =
          new GrammarExpr.Seq(
              List.of(new GrammarExpr.Ref("start", 1, 1), new GrammarExpr.Ref(IGNORED, 1, 1)),
              1,
              1);
      rules.put(START, new GrammarDef.Rule(START, body, 1, 1));
      startName = START;
    }
    return new GrammarDef(SYNTAX, src, rules, startName, notes);
  }

  /** Each terminal occurrence in a rule body, preceded by any ignored text. */
  private GrammarExpr withIgnored(GrammarExpr e) {
    return GrammarExpr.map(
        e,
        x ->
            x instanceof GrammarExpr.Lang
                    || (x instanceof GrammarExpr.Ref r && defs.get(r.name()).terminal())
                ? ignoredThen(x)
                : x);
  }

  private static GrammarExpr ignoredThen(GrammarExpr terminal) {
    return new GrammarExpr.Seq(
        List.of(new GrammarExpr.Ref(IGNORED, terminal.line(), terminal.column()), terminal),
        terminal.line(),
        terminal.column());
  }

  /** Terminals must be regular: no terminal may reach itself through references. */
  private void checkTerminalsRegular() {
    Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
    for (Def d : defs.values()) {
      if (d.terminal()) {
        visitTerminal(d.name(), state, new HashSet<>());
      }
    }
  }

  private void visitTerminal(String name, Map<String, Integer> state, Set<String> path) {
    Integer s = state.get(name);
    if (s != null && s == 2) {
      return;
    }
    Def d = defs.get(name);
    if (!path.add(name)) {
      throw syntax(
          d.at() >= 0 ? d.at() : 0,
          "the terminal '"
              + name
              + "' refers to itself: terminals must be regular; make it a rule (lower case) to"
              + " allow recursion");
    }
    if (path.size() > MAX_NESTING * 4) {
      throw unsupported(d.at() >= 0 ? d.at() : 0, "terminals refer to each other too deeply");
    }
    for (String r : referenced(d.body())) {
      visitTerminal(r, state, path);
    }
    path.remove(name);
    state.put(name, 2);
  }

  // ---------------------------------------------------------------- lexical helpers

  /** Past spaces, tabs and comments from {@code p}, and line breaks when {@code newlines}. */
  private int skip(int p, boolean newlines) {
    while (p < n) {
      char c = src.charAt(p);
      if (c == ' ' || c == '\t' || c == '\f' || (newlines && isLineBreak(c))) {
        p++;
      } else if (c == '#' || src.startsWith("//", p)) {
        while (p < n && !isLineBreak(src.charAt(p))) {
          p++;
        }
      } else {
        break;
      }
    }
    return p;
  }

  private String name() {
    int at = pos;
    while (pos < n && isNameChar(pos)) {
      pos++;
    }
    String name = src.substring(at, pos);
    boolean upper = isTerminalName(name);
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (upper ? Character.isLowerCase(c) : Character.isUpperCase(c)) {
        throw syntax(
            at,
            "the name '"
                + name
                + "' mixes cases: rule names are lower case, terminal names upper case");
      }
    }
    return name;
  }

  private static boolean isTerminalName(String name) {
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c != '_') {
        return c >= 'A' && c <= 'Z';
      }
    }
    return false;
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private boolean isNameChar(int p) {
    if (p >= n) {
      return false;
    }
    char c = src.charAt(p);
    return isNameStart(c) || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r';
  }

  private int line(int at) {
    return text.line(at);
  }

  private int column(int at) {
    return text.column(at);
  }

  private GrammarSyntaxException unexpected(int at, String expected) {
    if (at >= n) {
      return syntax(at, "unexpected end of grammar: expected " + expected);
    }
    return syntax(at, "unexpected " + text.describe(at) + ": expected " + expected);
  }

  private GrammarSyntaxException syntax(int at, String reason) {
    return GrammarSyntaxException.syntax(SYNTAX, src, at, reason);
  }

  private GrammarSyntaxException unsupported(int at, String reason) {
    return GrammarSyntaxException.unsupported(SYNTAX, src, at, reason);
  }
}
