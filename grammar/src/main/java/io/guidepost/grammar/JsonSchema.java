package io.guidepost.grammar;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a JSON Schema (draft 2020-12; draft-07 and draft-04 spellings accepted) into a byte
 * automaton that accepts exactly the canonical JSON texts valid against it.
 *
 * <p>Output format: compact (or whitespace-flexible, see {@link JsonSchemaOptions}); object members
 * in schema order ({@code properties} order, then other names in the order subschemas mention
 * them), additional members after them; canonical string escapes (see {@link JsonText}). Numbers
 * take every spelling of a valid value without exponent ({@code 1.50}, {@code -0}, {@code 1.0}
 * where the dialect counts it as an integer: not draft-04), and exponents too where nothing bounds
 * them (plain {@code number}, free-form values); {@link CompiledConstraint#accepts} also accepts a
 * valid value's other spellings ({@code 2.5e-3} under a {@code minimum}) through their canonical
 * spelling. Every accepted text is valid against the schema; schemas or keywords that cannot be
 * honoured exactly raise {@link SchemaException} naming the keyword and its JSON pointer.
 *
 * <p>Supported: {@code type}, {@code enum}, {@code const}, {@code properties}, {@code required},
 * {@code additionalProperties}, {@code patternProperties}, {@code propertyNames}, {@code
 * min/maxProperties}, {@code dependentRequired}, {@code dependentSchemas} and both forms of
 * draft-04 to 07 {@code dependencies}, {@code items}, {@code prefixItems}, {@code additionalItems},
 * {@code min/maxItems}, {@code uniqueItems} (with {@code maxItems <= 1}, or where the items come
 * from a finite set of at most 16 values: enums, booleans, {@code const} unions), {@code
 * min/maxLength}, {@code pattern}, {@code format} (see {@link JsonFormats}), {@code minimum},
 * {@code maximum}, {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code multipleOf}, {@code
 * allOf}, {@code anyOf}, {@code oneOf}, {@code not}, {@code if}/{@code then}/{@code else}, {@code
 * $ref} inside the document: JSON pointers, {@code $anchor}s and fragment ids, and embedded
 * resources ({@code $id} below the root; {@code id} in drafts 03 and 04), resolved against the base
 * URI of the referring schema (RFC 3986).
 *
 * <p>Keyword policy (2020-12 Core §6.5: unknown keywords are annotations). A keyword that is none
 * of the above constrains nothing and is reported in {@link CompiledConstraint#ignoredKeywords()}
 * with its JSON pointer, except the specification's own annotations, identifiers and definition
 * containers ({@code title}, {@code description}, {@code default}, {@code examples}, {@code
 * deprecated}, {@code readOnly}, {@code writeOnly}, {@code $comment}, {@code contentMediaType},
 * {@code contentEncoding}, {@code contentSchema}, {@code $schema}, {@code $id}, {@code $anchor},
 * {@code $defs}, {@code definitions}, ...), which are ignored without a report. So are a {@code
 * format} this compiler does not implement (on any type) and the value of an unknown keyword, which
 * is not a schema. Errors ({@link SchemaException}, {@code schema-unsupported}) instead: (1)
 * assertions of the drafts read here that are not implemented ({@code contains}, {@code
 * min/maxContains}, {@code unevaluatedProperties}, {@code unevaluatedItems}, {@code $dynamicRef},
 * {@code $recursiveRef}, draft-03's {@code extends}, {@code disallow}, {@code divisibleBy}) and
 * uses of implemented ones that cannot be compiled exactly ({@code uniqueItems} over an infinite
 * item set, {@code multipleOf} needing a large remainder automaton, ...); (2) near misses of an
 * assertion keyword ({@link SchemaKeywords#nearMiss}: the same name ignoring case, {@code _} and
 * {@code -}, or for names of at least 5 characters an edit distance of 1 from a keyword of at least
 * 4 characters or of 2 from one of at least 5), answered with the suggestion ({@code maxlength}:
 * did you mean {@code maxLength}?); (3) with {@link JsonSchemaOptions#strictKeywords()}, every
 * unknown keyword and unimplemented format. Ignored keywords are sound to ignore in every reading:
 * an annotation asserts nothing; an OpenAPI {@code nullable: true} only widens, so leaving it out
 * keeps every output valid. A {@code format} is asserted (with a subset of its RFC grammar, see
 * {@link JsonFormats}) on strings only; on other types it is ignored, as the specification says.
 *
 * <p>Completeness. The automaton accepts only valid documents; it may accept fewer than all of them
 * where the output format is deliberately bounded: free-form values (under {@code {}}, {@code
 * true}, absent {@code additionalProperties} or {@code items}) nest at most {@link
 * JsonSchemaOptions#anyValueDepth()} deep below the schema's known structure; strings that {@code
 * maxLength} allows to be longer than 1,024 code points are cut there (at 200 where the first
 * attempt exceeded a limit and a smaller automaton was compiled); asserted formats other than
 * {@code date} and {@code ipv4} are subsets; {@code not}, {@code if}/{@code else} and overlapping
 * {@code oneOf} branches are confined to a universe with at most one additional member per object
 * where the complemented subschema looks at additional members, and without strings needing escapes
 * where it checks strings; recursion is unrolled a bounded number of times. The compiler tracks
 * whether any of these bounds applies (the MaskBench ratchet checks that a schema compiled without
 * one never rejects a valid instance).
 *
 * <p>Thread-safety: stateless; each call compiles independently. Cost: see {@link
 * JsonSchemaCompiler}; bounded by the {@link GrammarLimits} in the options.
 */
public final class JsonSchema {
  private JsonSchema() {}

  /** Compiles with {@link JsonSchemaOptions#DEFAULTS}. */
  public static CompiledConstraint compile(String schemaJson) {
    return compile(schemaJson, JsonSchemaOptions.DEFAULTS);
  }

  /**
   * Compiles {@code schemaJson} into a constraint of kind {@link ConstraintKind#JSON_SCHEMA} whose
   * byte DFA accepts its valid canonical documents.
   *
   * @throws InvalidConstraintException when the text is not JSON
   * @throws SchemaException when the schema is invalid or not supported exactly
   * @throws ConstraintTooComplexException when a limit is exceeded
   * @throws EmptyConstraintException when no document satisfies the schema
   */
  public static CompiledConstraint compile(String schemaJson, JsonSchemaOptions options) {
    long t0 = System.nanoTime();
    return CharLang.withLimits(
        options.limits(),
        () -> compileParsed(parse(schemaJson, options), options, t0).constraint());
  }

  /**
   * A compiled schema with what tests and benchmarks ask of it.
   *
   * @param constraint the constraint {@link #compile} returns
   * @param compiler the compilation (its key order is the order documents are written in)
   * @param subsetReason why the constraint may reject the canonical text of a valid document (the
   *     first bound of the output format it applies, with its pointer; see {@link
   *     JsonSchemaCompiler.Lang}), or null when it accepts every valid document
   * @param fallbackReason why the schema's free-form values or recursion stayed bounded on the DFA
   *     path (what the context-free layer could not take apart, with its pointer), or null
   */
  record Compiled(
      CompiledConstraint constraint,
      JsonSchemaCompiler compiler,
      String subsetReason,
      String fallbackReason) {
    /** Whether the constraint accepts the canonical text of every valid document. */
    public boolean complete() {
      return subsetReason == null;
    }
  }

  /** {@link #compile}, on a parsed schema, inside the caller's limits scope. */
  static Compiled compileParsed(JsonValue schema, JsonSchemaOptions options, long t0) {
    boolean integerTokens = JsonSchemaCompiler.draft04(schema);
    java.util.function.UnaryOperator<String> normalizer =
        text -> JsonText.normalizeNumbers(text, integerTokens);
    JsonSchemaCompiler c = new JsonSchemaCompiler(schema, options);
    SchemaGrammar g = new SchemaGrammar(c, c.state(), true);
    Route r = route(schema, c, g, options);
    if (r.grammar() != null) {
      CompiledConstraint cf = contextFree(r.grammar(), options, t0, false, normalizer);
      return new Compiled(
          cf.withIgnoredKeywords(c.ignoredKeywords()).withSubsetReason(g.subsetReason()),
          c,
          g.subsetReason(),
          null);
    }
    JsonSchemaCompiler.Lang lang = r.lang();
    ByteDfa dfa = lang.lang().toByteDfa(options.limits());
    CompiledConstraint dfaConstraint =
        CompiledConstraint.of(ConstraintKind.JSON_SCHEMA, "JSON Schema", dfa, t0, normalizer)
            .withIgnoredKeywords(c.ignoredKeywords());
    return new Compiled(
        dfaConstraint.withSubsetReason(lang.subset()), c, lang.subset(), g.notStructural());
  }

  /**
   * Where a schema compiles: {@code grammar} (the context-free layer's, rule {@code root}) or
   * {@code lang} (the DFA path's language, not empty).
   */
  private record Route(JsonSchemaCompiler.Lang lang, GrammarDef grammar) {}

  /**
   * One grammar attempt at most: first for a {@code $ref} cycle (without the DFA path's unrolling:
   * the grammar compiles its leaves and checks the keywords of what it takes apart itself), else
   * when the DFA path bounded something, exceeded a limit or its time budget ({@link
   * #dfaBudgetMillis}); the DFA path's language otherwise, or when the grammar cannot take the
   * schema apart ({@code g.notStructural()} says why).
   */
  private static Route route(
      JsonValue schema, JsonSchemaCompiler c, SchemaGrammar g, JsonSchemaOptions options) {
    boolean recursive = options.exactNesting() && g.recursive(schema);
    if (recursive) {
      c.prepareRoot(true);
      GrammarDef def = buildOrNull(g);
      if (def != null) {
        return new Route(null, def);
      }
    }
    JsonSchemaCompiler.Lang lang = null;
    ConstraintTooComplexException tooLarge = null;
    boolean slow = false;
    try {
      lang =
          options.exactNesting() && !recursive
              ? CharLang.withBudget(dfaBudgetMillis(options), c::compileRoot)
              : c.compileRoot();
    } catch (ConstraintTooComplexException e) {
      if (!options.exactNesting()
          || recursive
          || "maxCompileMillis".equals(e.limitName())
          || Thread.currentThread().isInterrupted()) {
        throw e;
      }
      tooLarge = e; // as one automaton; the context-free layer may take it apart
    } catch (CharLang.BudgetExceeded e) {
      slow = true; // as one automaton it takes long (concatenations of large objects): ditto
    }
    if (options.exactNesting() && !recursive && (tooLarge != null || slow || c.boundedAnything())) {
      GrammarDef def = buildOrNull(g);
      if (def != null) {
        return new Route(null, def);
      }
      if (tooLarge != null) {
        throw tooLarge;
      }
      if (slow) {
        lang = c.resumeRoot(); // the grammar cannot take it apart: one automaton after all
      }
    }
    return new Route(nonEmpty(lang), null);
  }

  /**
   * How long a schema's single automaton may take before the context-free layer, which takes
   * objects and arrays apart instead of concatenating them, is tried: a quarter of the compile-time
   * limit, at most {@link #DFA_BUDGET_MILLIS}.
   */
  private static long dfaBudgetMillis(JsonSchemaOptions options) {
    return Math.min(DFA_BUDGET_MILLIS, options.limits().maxCompileMillis() / 4);
  }

  /** The most a schema's single automaton may take before the context-free layer is tried. */
  static final long DFA_BUDGET_MILLIS = 400;

  private static GrammarDef buildOrNull(SchemaGrammar g) {
    try {
      return g.build();
    } catch (SchemaGrammar.NotStructural e) {
      return null; // g.notStructural() says why
    }
  }

  /**
   * A schema as a template hole: {@code grammar} when it compiles on the context-free layer (its
   * rules join the template's grammar), else {@code lang}, the code-point language of its valid
   * canonical documents (never empty).
   */
  record Hole(CharLang lang, GrammarDef grammar) {}

  /**
   * {@code schemaJson} as a template hole ({@link Hole}), under the caller's limits scope; adds the
   * keywords that constrained nothing to {@code ignored}.
   */
  static Hole hole(String schemaJson, JsonSchemaOptions options, List<IgnoredKeyword> ignored) {
    JsonValue schema = parse(schemaJson, options);
    JsonSchemaCompiler c = new JsonSchemaCompiler(schema, options);
    Route r = route(schema, c, new SchemaGrammar(c, c.state(), true), options);
    ignored.addAll(c.ignoredKeywords());
    return new Hole(r.lang() == null ? null : r.lang().lang(), r.grammar());
  }

  /**
   * The schema on the context-free layer ({@link SchemaGrammar}), or null when it cannot be taken
   * apart exactly. {@code structural}: {@code g} takes every object and array apart even where the
   * DFA path's language is exact (tests compare the two forms), and the result is context-free.
   */
  static CompiledConstraint contextFree(
      SchemaGrammar g,
      JsonSchemaOptions options,
      long t0,
      boolean structural,
      java.util.function.UnaryOperator<String> normalizer) {
    GrammarDef def = buildOrNull(g);
    return def == null ? null : contextFree(def, options, t0, structural, normalizer);
  }

  private static CompiledConstraint contextFree(
      GrammarDef def,
      JsonSchemaOptions options,
      long t0,
      boolean structural,
      java.util.function.UnaryOperator<String> normalizer) {
    GrammarLowering lowering = new GrammarLowering(def, options.limits(), ParserLimits.DEFAULTS);
    if (!structural && lowering.isRegular()) {
      ByteDfa dfa = Grammar.regularDfa(lowering, options.limits());
      if (dfa != null) {
        if (dfa.isEmpty()) {
          throw new EmptyConstraintException("JSON Schema that no document satisfies");
        }
        return CompiledConstraint.of(
            ConstraintKind.JSON_SCHEMA, "JSON Schema", dfa, t0, normalizer);
      }
    }
    ContextFreeGrammar cfg = lowering.lower("JSON Schema", options.maxNesting());
    return CompiledConstraint.ofGrammar(
        ConstraintKind.JSON_SCHEMA, "JSON Schema", cfg, t0, normalizer);
  }

  private static JsonValue parse(String schemaJson, JsonSchemaOptions options) {
    return JsonReader.parse(schemaJson, options.limits().maxSchemaDepth() * 2 + 8);
  }

  /**
   * The code-point language of the valid canonical documents (for the template compiler's JSON
   * holes); never empty.
   */
  static CharLang toLang(String schemaJson, JsonSchemaOptions options) {
    return toLang(schemaJson, options, new ArrayList<>());
  }

  /** {@link #toLang(String, JsonSchemaOptions)}, adding the ignored keywords to {@code ignored}. */
  static CharLang toLang(
      String schemaJson, JsonSchemaOptions options, List<IgnoredKeyword> ignored) {
    return toLang(parse(schemaJson, options), options, ignored);
  }

  private static CharLang toLang(
      JsonValue schema, JsonSchemaOptions options, List<IgnoredKeyword> ignored) {
    JsonSchemaCompiler c = new JsonSchemaCompiler(schema, options);
    CharLang l = compileWith(c, options).lang();
    ignored.addAll(c.ignoredKeywords());
    return l;
  }

  /** Compiles a parsed schema; the result also tells whether the language is exact. */
  static JsonSchemaCompiler.Lang compileLang(JsonValue schema, JsonSchemaOptions options) {
    return compileWith(new JsonSchemaCompiler(schema, options), options);
  }

  /** Runs {@code c} under the options' limits; non-empty result. */
  static JsonSchemaCompiler.Lang compileWith(JsonSchemaCompiler c, JsonSchemaOptions options) {
    return nonEmpty(CharLang.withLimits(options.limits(), c::compileRoot));
  }

  private static JsonSchemaCompiler.Lang nonEmpty(JsonSchemaCompiler.Lang lang) {
    if (lang.lang().isEmpty()) {
      if (!lang.complete()) {
        // Empty within the bounds (free-form depth, the complement universe, cut recursion, ...):
        // the schema itself may well be satisfiable, so do not claim that it is not.
        throw SchemaException.unsupported(
            "",
            null,
            "no document within the bounds this compiler uses (free-form nesting depth, at most"
                + " one additional member per object under not/if/overlapping oneOf, cut"
                + " recursion, format subsets) satisfies the schema, though the schema may be"
                + " satisfiable; the first bound applied: "
                + lang.subset());
      }
      throw new EmptyConstraintException("JSON Schema that no document satisfies");
    }
    return lang;
  }
}
