package io.guidepost.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Literal text interleaved with named holes (regex, choice, quote, free text, JSON Schema,
 * grammar), compiled to one DFA, the concatenation of the parts' languages, unless a hole needs the
 * context-free layer: a recursive grammar, or a JSON Schema that {@link JsonSchema} compiles there
 * (recursive {@code $ref}s, free-form values at any depth). Then the template is one grammar whose
 * start rule is the sequence of its parts; its parser's limits ({@link ParserLimits}) bound the
 * work per step, and with it how deep a hole's JSON can nest (no separate nesting limit).
 *
 * <p><b>Free text</b> hole {@code freeText(name, stop, maxChars)}: up to {@code maxChars} code
 * points of any text followed by the stop string, where the stop string occurs only at the end; the
 * capture excludes the stop string (the output contains it).
 *
 * <p><b>Captures.</b> The output is split into the parts by dynamic programming over the parts'
 * automata ({@code feasible[j][i]}: the output from index {@code i} parses as parts {@code j..});
 * where several splits exist, each hole in order takes the shortest text that still lets the rest
 * parse (leftmost-shortest). Cost O(parts x n^2) for an output of n chars. Offsets are UTF-16
 * indices into the output.
 *
 * <p><b>Errors.</b> Hole errors propagate with their own type ({@link RegexSyntaxException} for a
 * bad hole regex, etc.); duplicate or empty names, an empty stop string, or no parts raise {@link
 * InvalidConstraintException}; a template accepting nothing raises {@link
 * EmptyConstraintException}; more than {@link GrammarLimits#maxTemplateParts()} parts raise {@link
 * ConstraintTooComplexException}.
 *
 * <p>Thread-safety: a builder is single-threaded; compiled results are immutable.
 */
public final class Template {
  private Template() {}

  /** A new, empty template builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * One part: a literal (name null) or a hole; {@code strip} trailing chars not captured. A grammar
   * hole has {@code grammar} (its parsed grammar) and no {@code lang}.
   */
  private record Part(
      String name,
      String describe,
      Supplier<CharLang> lang,
      String strip,
      Supplier<GrammarDef> grammar,
      ParserLimits parserLimits,
      Supplier<JsonSchema.Hole> json) {
    Part(String name, String describe, Supplier<CharLang> lang, String strip) {
      this(name, describe, lang, strip, null, null, null);
    }

    /**
     * A JSON Schema hole resolved (under the compile's limits): a language part, or a grammar part
     * when the schema compiles on the context-free layer.
     */
    Part resolved() {
      if (json == null) {
        return this;
      }
      JsonSchema.Hole h = json.get();
      return h.grammar() != null
          ? new Part(name, describe, null, strip, h::grammar, ParserLimits.DEFAULTS, null)
          : new Part(name, describe, h::lang, strip);
    }
  }

  /** Where a part can end when it starts at {@code from} of {@code output}, ascending. */
  private interface Ends {
    int[] acceptingEnds(String output, int from);
  }

  /** Collects the parts in order. */
  public static final class Builder {
    private final List<Part> parts = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final List<IgnoredKeyword> ignored = new ArrayList<>();

    private Builder() {}

    /** Literal text, emitted verbatim. */
    public Builder literal(String text) {
      parts.add(new Part(null, "literal", () -> CharLang.literal(text), ""));
      return this;
    }

    /** A hole matching {@code pattern} (full match, {@link Regex} syntax). */
    public Builder regex(String name, String pattern) {
      return hole(name, () -> Regex.toLang(pattern, true), "");
    }

    /** A hole taking one of {@code options}. */
    public Builder choice(String name, Collection<String> options) {
      List<String> copy = List.copyOf(options);
      if (copy.isEmpty()) {
        throw new InvalidConstraintException("choice hole \"" + name + "\" has no options");
      }
      return hole(name, () -> CharLang.stringUnion(copy), "");
    }

    /** A hole quoting the passages (see {@link Quote}). */
    public Builder quote(String name, List<String> passages, Quote.Options options) {
      List<String> copy = List.copyOf(passages);
      return hole(name, () -> Quote.toLang(copy, options), "");
    }

    /** A hole holding a JSON document valid under {@code schemaJson} (see {@link JsonSchema}). */
    public Builder jsonSchema(String name, String schemaJson) {
      return jsonSchema(name, schemaJson, JsonSchemaOptions.DEFAULTS);
    }

    /**
     * A JSON Schema hole with explicit options; their limits are replaced by the template's (those
     * given to {@link #compile(GrammarLimits)}).
     */
    public Builder jsonSchema(String name, String schemaJson, JsonSchemaOptions options) {
      checkName(name);
      Supplier<JsonSchema.Hole> json =
          () -> {
            List<IgnoredKeyword> found = new ArrayList<>();
            JsonSchema.Hole h =
                JsonSchema.hole(schemaJson, options.withLimits(CharLang.limits()), found);
            for (IgnoredKeyword k : found) {
              ignored.add(
                  new IgnoredKeyword(
                      k.pointer(), k.keyword(), "template hole \"" + name + "\": " + k.reason()));
            }
            return h;
          };
      parts.add(new Part(name, "hole \"" + name + "\"", null, "", null, null, json));
      return this;
    }

    /**
     * A free-text hole: at most {@code maxChars} code points ({@code Integer.MAX_VALUE} for no
     * bound) not containing {@code stop}, then {@code stop} (emitted, not captured).
     */
    public Builder freeText(String name, String stop, int maxChars) {
      if (stop.isEmpty()) {
        throw new InvalidConstraintException(
            "free-text hole \"" + name + "\" needs a non-empty stop string");
      }
      if (maxChars < 0) {
        throw new InvalidConstraintException(
            "free-text hole \"" + name + "\" has negative maxChars " + maxChars);
      }
      return hole(
          name,
          () -> {
            CharLang any = CharLang.anyCodePoint().star();
            CharLang stopLang = CharLang.literal(stop);
            CharLang endsWithStop = any.concat(stopLang);
            CharLang stopInside =
                CharLang.concat(List.of(any, stopLang, CharLang.anyCodePoint().plus()));
            CharLang text =
                maxChars == Integer.MAX_VALUE ? any : CharLang.anyCodePoint().repeat(0, maxChars);
            return endsWithStop.minus(stopInside).intersect(text.concat(stopLang));
          },
          stop);
    }

    /**
     * A hole holding one sentence of a grammar ({@link Grammar}); a recursive grammar makes the
     * whole template context-free ({@link CompiledConstraint#isContextFree()}), parsed exactly.
     */
    public Builder grammar(
        String name, String source, Grammar.Syntax syntax, ParserLimits parserLimits) {
      checkName(name);
      parts.add(
          new Part(
              name,
              "hole \"" + name + "\"",
              null,
              "",
              () -> Grammar.parse(source, syntax, CharLang.limits(), parserLimits),
              parserLimits,
              null));
      return this;
    }

    /** A hole with any language (e.g. a JSON Schema's, from the JSON Schema compiler). */
    Builder hole(String name, Supplier<CharLang> lang, String strip) {
      checkName(name);
      parts.add(new Part(name, "hole \"" + name + "\"", lang, strip));
      return this;
    }

    private void checkName(String name) {
      if (name == null || name.isEmpty()) {
        throw new InvalidConstraintException("template holes need a non-empty name");
      }
      if (!names.add(name)) {
        throw new InvalidConstraintException("duplicate template hole name \"" + name + "\"");
      }
    }

    /** Compiles with the default limits. */
    public CompiledConstraint compile() {
      return compile(GrammarLimits.DEFAULTS);
    }

    /** Compiles under {@code limits}. */
    public CompiledConstraint compile(GrammarLimits limits) {
      long t0 = System.nanoTime();
      if (parts.isEmpty()) {
        throw new InvalidConstraintException("a template needs at least one part");
      }
      if (parts.size() > limits.maxTemplateParts()) {
        throw new ConstraintTooComplexException(
            "maxTemplateParts", limits.maxTemplateParts(), parts.size(), "parts", "the template");
      }
      ignored.clear();
      // JSON Schema holes first: each becomes a language part or, on the context-free layer, a
      // grammar part.
      List<Part> ps =
          CharLang.withLimits(limits, () -> parts.stream().map(Part::resolved).toList());
      String what = "template of " + ps.size() + " parts";
      if (ps.stream().anyMatch(p -> p.grammar() != null)) {
        return withGrammars(ps, what, limits, t0).withIgnoredKeywords(ignored);
      }
      List<CharLang> langs = new ArrayList<>();
      ByteDfa dfa =
          CharLang.withLimits(
              limits,
              () -> {
                for (Part p : ps) {
                  CharLang l = p.lang().get();
                  if (l.isEmpty()) {
                    throw new EmptyConstraintException(
                        "template " + p.describe() + " accepts nothing");
                  }
                  langs.add(l);
                }
                return CharLang.concat(langs).toByteDfa(limits);
              });
      List<Ends> ends = langs.stream().<Ends>map(l -> l::acceptingEnds).toList();
      return CompiledConstraint.of(
              ConstraintKind.TEMPLATE,
              what,
              dfa,
              0,
              Integer.MAX_VALUE,
              new Splitter(ps, ends),
              t0,
              limits)
          .withIgnoredKeywords(ignored);
    }
  }

  /**
   * A template with grammar holes, compiled as one grammar: its start rule is the sequence of the
   * parts, each grammar hole's rules joining it under a prefix of their own. Regular as a whole, it
   * is one DFA like any template; otherwise it takes the context-free path.
   */
  private static CompiledConstraint withGrammars(
      List<Part> ps, String what, GrammarLimits limits, long t0) {
    return CharLang.withLimits(
        limits,
        () -> {
          Map<String, GrammarDef.Rule> rules = new LinkedHashMap<>();
          List<GrammarExpr> items = new ArrayList<>();
          List<Ends> ends = new ArrayList<>();
          List<GrammarNote> notes = new ArrayList<>();
          ParserLimits parserLimits = ParserLimits.DEFAULTS;
          for (int j = 0; j < ps.size(); j++) {
            Part p = ps.get(j);
            if (p.grammar() == null) {
              CharLang l = p.lang().get();
              if (l.isEmpty()) {
                throw new EmptyConstraintException("template " + p.describe() + " accepts nothing");
              }
              items.add(new GrammarExpr.Lang(l, p.describe(), 1, 1));
              ends.add(l::acceptingEnds);
              continue;
            }
            parserLimits = p.parserLimits();
            GrammarDef def = p.grammar().get();
            String prefix = "hole" + j + "__";
            rules.putAll(def.prefixedRules(prefix));
            items.add(new GrammarExpr.Ref(prefix + def.start(), 1, 1));
            ends.add(grammarEnds(def, p, limits));
            for (GrammarNote n : Grammar.notes(def)) {
              notes.add(new GrammarNote(n.line(), n.column(), p.describe() + ": " + n.note()));
            }
          }
          rules.put(START, new GrammarDef.Rule(START, new GrammarExpr.Seq(items, 1, 1), 1, 1));
          GrammarDef all = new GrammarDef("template", "", rules, START, List.of());
          return Grammar.compile(all, what, limits, parserLimits)
              .as(ConstraintKind.TEMPLATE, what, new Splitter(ps, ends))
              .withGrammarNotes(notes);
        });
  }

  /** The start rule of a template with grammar holes (no grammar can name a rule so). */
  private static final String START = " template";

  /**
   * Where a grammar hole's sentences end: by its language when it is regular (and fits the limits,
   * as {@link Grammar#compile} decides), else by its own parser.
   */
  private static Ends grammarEnds(GrammarDef def, Part p, GrammarLimits limits) {
    GrammarLowering lowering = new GrammarLowering(def, limits, p.parserLimits());
    CharLang lang =
        lowering.isRegular() ? GrammarLowering.unlessTooComplex(lowering::regularLanguage) : null;
    if (lang != null) {
      if (lang.isEmpty()) {
        throw new EmptyConstraintException("template " + p.describe() + " derives no string");
      }
      return lang::acceptingEnds;
    }
    ContextFreeGrammar cfg = lowering.lower("template " + p.describe());
    return (output, from) -> {
      EarleyParser parser = cfg.newParser();
      int[] out = new int[8];
      int n = 0;
      if (parser.isAccepting()) {
        out[n++] = from;
      }
      for (int i = from; i < output.length(); ) {
        int cp = output.codePointAt(i);
        byte[] utf8 = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
        if (!parser.pushAll(utf8, 0, utf8.length)) {
          break;
        }
        i += Character.charCount(cp);
        if (parser.isAccepting()) {
          if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = i;
        }
      }
      return Arrays.copyOf(out, n);
    };
  }

  /** Recovers the hole boundaries of an accepted output (leftmost-shortest). */
  private static final class Splitter implements CompiledConstraint.Interpretation {
    private final List<Part> parts;
    private final List<Ends> langs;

    Splitter(List<Part> parts, List<Ends> langs) {
      this.parts = parts;
      this.langs = langs;
    }

    @Override
    public QuoteMatch locate(String output) {
      return null;
    }

    @Override
    public Map<String, Capture> captures(String output) {
      int k = langs.size();
      int n = output.length();
      int[][][] ends = new int[k][n + 1][];
      boolean[][] feasible = new boolean[k + 1][n + 1];
      feasible[k][n] = true;
      for (int j = k - 1; j >= 0; j--) {
        for (int i = 0; i <= n; i++) {
          if (i > 0 && i < n && Character.isLowSurrogate(output.charAt(i))) {
            continue;
          }
          int[] e = langs.get(j).acceptingEnds(output, i);
          ends[j][i] = e;
          for (int m : e) {
            if (feasible[j + 1][m]) {
              feasible[j][i] = true;
              break;
            }
          }
        }
      }
      if (!feasible[0][0]) {
        return Map.of();
      }
      Map<String, Capture> out = new LinkedHashMap<>();
      int i = 0;
      for (int j = 0; j < k; j++) {
        int chosen = -1;
        for (int m : ends[j][i]) { // ascending: the shortest feasible end
          if (feasible[j + 1][m]) {
            chosen = m;
            break;
          }
        }
        Part p = parts.get(j);
        if (p.name() != null) {
          int end = chosen - p.strip().length();
          out.put(p.name(), new Capture(p.name(), output.substring(i, end), i, end));
        }
        i = chosen;
      }
      return out;
    }
  }
}
