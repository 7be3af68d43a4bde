package io.guidepost.grammar;

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
 * min/maxProperties}, {@code dependentRequired} (and array-valued {@code dependencies}), {@code
 * items}, {@code prefixItems}, {@code additionalItems}, {@code min/maxItems}, {@code uniqueItems}
 * (with {@code maxItems <= 1}), {@code min/maxLength}, {@code pattern}, {@code format} (date, time,
 * date-time, duration, email, hostname, ipv4, ipv6, uri, uuid), {@code minimum}, {@code maximum},
 * {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code multipleOf}, {@code allOf}, {@code
 * anyOf}, {@code oneOf}, {@code not}, {@code if}/{@code then}/{@code else}, local {@code $ref} with
 * {@code $defs}/{@code definitions}/anchors.
 *
 * <p>Keywords that are not implemented. Ignoring a keyword is allowed only when it cannot be an
 * assertion on the instance, so that nothing is ever loosened. Ignored: (1) the annotations of JSON
 * Schema ({@code title}, {@code description}, {@code default}, {@code examples}, {@code
 * deprecated}, {@code readOnly}, {@code writeOnly}, {@code $comment}, {@code contentMediaType},
 * {@code contentEncoding}, {@code contentSchema}) and its identifiers and definition containers;
 * (2) annotations of other published vocabularies: JSON Hyper-Schema {@code links}, {@code base},
 * {@code media} and draft-03's {@code readonly}; OpenAPI {@code example}, {@code externalDocs},
 * {@code xml}; jsonschema2pojo {@code javaType}, {@code javaName}, {@code javaInterfaces}, {@code
 * javaEnumNames}, {@code existingJavaType}; form and editor hints {@code enumNames}, {@code
 * propertyOrder}, {@code markdownDescription}, {@code enumDescriptions}, {@code
 * markdownEnumDescriptions}, {@code deprecationMessage}, {@code errorMessage}; test-data hints
 * {@code faker}, {@code chance}; (3) vendor extensions, names starting with {@code x-} (the OpenAPI
 * convention); (4) names starting with {@code _} (disabled or private copies such as {@code
 * _format}); (5) names starting with {@code $} that are no core keyword of any draft (the prefix is
 * reserved to the core vocabulary, which asserts only through references), e.g. {@code $license};
 * {@code $dynamicRef} and {@code $recursiveRef} are core and still rejected. Every other keyword is
 * rejected with {@link SchemaException}, including typos of assertions ({@code maxlength}, {@code
 * additionalproperties}), keywords that assert in another dialect ({@code nullable}, {@code
 * extends}, {@code requires}, {@code optional}) and assertions not implemented ({@code contains},
 * schema-valued {@code dependencies}, {@code uniqueItems} above one item, unknown {@code format}s,
 * {@code multipleOf} needing a large remainder automaton). A {@code format} is asserted (with a
 * subset of its RFC grammar, see {@link JsonFormats}) on strings only; on other types it is
 * ignored, as the specification says.
 *
 * <p>Completeness. The automaton accepts only valid documents; it may accept fewer than all of them
 * where the output format is deliberately bounded: free-form values (under {@code {}}, {@code
 * true}, absent {@code additionalProperties} or {@code items}) nest at most {@link
 * JsonSchemaOptions#anyValueDepth()} deep below the schema's known structure; strings that {@code
 * maxLength} allows to be longer than 1,024 code points are cut there (at 200 where the first
 * attempt exceeded a limit and a smaller automaton was compiled); asserted formats are subsets;
 * strings needing escapes are left out next to {@code pattern}; {@code not}, {@code if}/{@code
 * else} and overlapping {@code oneOf} branches are confined to a universe with at most one
 * additional member per object where the complemented subschema looks at additional members, and
 * without strings needing escapes where it checks strings; recursion is unrolled a bounded number
 * of times. The compiler tracks whether any of these bounds applies (the MaskBench ratchet checks
 * that a schema compiled without one never rejects a valid instance).
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
    boolean[] integerTokens = new boolean[1];
    ByteDfa dfa =
        CharLang.withLimits(
            options.limits(),
            () -> {
              JsonValue schema = parse(schemaJson, options);
              integerTokens[0] = JsonSchemaCompiler.integerTokens(schema);
              return compileLang(schema, options).lang().toByteDfa(options.limits());
            });
    boolean tokens = integerTokens[0];
    return CompiledConstraint.of(
        ConstraintKind.JSON_SCHEMA,
        "JSON Schema",
        dfa,
        t0,
        text -> JsonText.normalizeNumbers(text, tokens));
  }

  private static JsonValue parse(String schemaJson, JsonSchemaOptions options) {
    return JsonReader.parse(schemaJson, options.limits().maxSchemaDepth() * 2 + 8);
  }

  /**
   * The code-point language of the valid canonical documents (for the template compiler's JSON
   * holes); never empty.
   */
  static CharLang toLang(String schemaJson, JsonSchemaOptions options) {
    return compileLang(parse(schemaJson, options), options).lang();
  }

  /** Compiles a parsed schema; the result also tells whether the language is exact. */
  static JsonSchemaCompiler.Lang compileLang(JsonValue schema, JsonSchemaOptions options) {
    return compileWith(new JsonSchemaCompiler(schema, options), options);
  }

  /** Runs {@code c} under the options' limits; non-empty result. */
  static JsonSchemaCompiler.Lang compileWith(JsonSchemaCompiler c, JsonSchemaOptions options) {
    JsonSchemaCompiler.Lang lang = CharLang.withLimits(options.limits(), c::compileRoot);
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
                + " satisfiable");
      }
      throw new EmptyConstraintException("JSON Schema that no document satisfies");
    }
    return lang;
  }
}
