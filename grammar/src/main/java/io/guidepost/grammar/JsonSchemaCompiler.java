package io.guidepost.grammar;

import static io.guidepost.grammar.SchemaConstants.CANONICAL_NUMBERS_ONLY;
import static io.guidepost.grammar.SchemaConstants.CLOSE_OBJECT;
import static io.guidepost.grammar.SchemaConstants.KINDS;
import static io.guidepost.grammar.SchemaConstants.OPEN_OBJECT;
import static io.guidepost.grammar.SchemaConstants.PLAIN_STRING;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a JSON Schema (draft 2020-12, with draft-07 and draft-04 spellings) into the {@link
 * CharLang} of the canonical JSON texts (see {@link JsonText}) that are valid against it.
 *
 * <p>Invariant (soundness): every text of the result is valid against the schema. Where the schema
 * allows more than the output format can express (other member orders, other escapes, keys
 * containing characters a pattern cannot be mapped onto), the language is a subset and is marked
 * not {@code exact}; {@code not}, {@code if} and overlapping {@code oneOf} branches need exact
 * operands and are rejected otherwise. Nothing is ever loosened: assertions that cannot be compiled
 * exactly, near misses of assertion keywords and references outside the document raise {@link
 * SchemaException} with the keyword's JSON pointer; unknown keywords are annotations, reported with
 * their pointers ({@link #ignoredKeywords()}; the policy is described on {@link JsonSchema}).
 *
 * <p>Algorithm. (1) A <em>key-order tree</em> is built first: for every instance location (object
 * member, additional member, array element) the ordered union of the member names any subschema
 * that can apply there declares ({@code properties}, {@code required}, {@code dependentRequired},
 * {@code enum} objects), following in-place applicators and {@code $ref}s. All subschemas at one
 * location then compile objects to the same member order, which makes {@code allOf} an intersection
 * and {@code oneOf}/{@code not} a difference of languages. (2) Each subschema compiles to the
 * intersection of its keywords' languages; objects are a concatenation of optional/required member
 * slots (comma placement tracked by whether a member was written, plus the member count when {@code
 * min/maxProperties} apply), then additional members whose keys are any canonical string except the
 * known names. Numbers use digit-wise range constructions and a remainder automaton for {@code
 * multipleOf} on canonical spellings, then take every exponent-free spelling of their values
 * ({@link JsonLangs#spellings}); strings intersect content languages (pattern, format, length in
 * code points) that never contain characters needing escapes, so the encoding is the identity on
 * them. Recursion through {@code $ref} is unrolled {@link GrammarLimits#recursionUnrollDepth()}
 * times; deeper recursion is cut (no output there).
 *
 * <p>Duplicate object keys: the automaton never repeats a declared name; additional members have
 * names distinct from declared ones but may repeat each other, which is harmless for positive
 * keywords (every repetition is valid); complements are taken inside a universe that allows at most
 * one additional member per object wherever the complemented subschema looks at additional members
 * ({@link #complementUniverse}), so that they never admit such a document.
 *
 * <p>Thread-safety: one instance per compilation. Cost: dominated by the automaton operations,
 * roughly linear in schema size times the size of the automata combined at each node.
 */
final class JsonSchemaCompiler {

  /**
   * A compiled language and two claims about it.
   *
   * <p>{@code exact}: within the complement universe (see {@link #universe}: canonical texts,
   * member names in key order, free-form nesting bounded below the schema's known structure, at
   * most one additional member per object, strings without characters that need escaping) the
   * language is exactly the valid documents. False when a restriction of the output format also
   * removed valid documents of that universe; {@code not}, {@code if} and overlapping {@code oneOf}
   * branches are then refused.
   *
   * <p>{@code complete}: the language contains the canonical text (members in key order) of
   * <em>every</em> valid document, without any bound. False wherever the output is deliberately a
   * subset: free-form values (nesting bounded by {@link JsonSchemaOptions#anyValueDepth()}), the
   * string length cap, the asserted {@code format} subsets, strings or names needing escapes left
   * out next to patterns, results confined to the complement universe ({@code not}, {@code if},
   * overlapping {@code oneOf}), cut recursion, and distinct-key-length forcing for {@code
   * minProperties}. A complete language never rejects a valid document.
   */
  record Lang(CharLang lang, boolean exact, boolean complete) {
    static Lang of(CharLang l) {
      return new Lang(l, true, true);
    }

    /** A free-form (depth-bounded) language: exact within the universe, never complete. */
    static Lang bounded(CharLang l) {
      return new Lang(l, true, false);
    }
  }

  private enum Presence {
    REQUIRED,
    OPTIONAL,
    FORBIDDEN
  }

  static final Set<String> ANNOTATIONS =
      Set.of(
          "$schema",
          "$id",
          "id",
          "$anchor",
          "$dynamicAnchor",
          "$recursiveAnchor",
          "$comment",
          "$vocabulary",
          "title",
          "description",
          "default",
          "examples",
          "deprecated",
          "readOnly",
          "writeOnly",
          "contentMediaType",
          "contentEncoding",
          "contentSchema",
          "$defs",
          "definitions");

  /**
   * Keywords that other published vocabularies define as annotations (never assertions on the
   * instance): JSON Hyper-Schema ({@code links}, {@code base}, {@code media}, and draft-03's {@code
   * readonly}), OpenAPI ({@code example}, {@code externalDocs}, {@code xml}), jsonschema2pojo
   * ({@code javaType}, {@code javaName}, {@code javaInterfaces}, {@code javaEnumNames}, {@code
   * existingJavaType}), form generators ({@code enumNames}, {@code propertyOrder}), editors ({@code
   * markdownDescription}, {@code enumDescriptions}, {@code markdownEnumDescriptions}, {@code
   * deprecationMessage}, {@code errorMessage}) and test-data generators ({@code faker}, {@code
   * chance}).
   */
  static final Set<String> FOREIGN_ANNOTATIONS =
      Set.of(
          "links",
          "base",
          "media",
          "readonly",
          "example",
          "externalDocs",
          "xml",
          "javaType",
          "javaName",
          "javaInterfaces",
          "javaEnumNames",
          "existingJavaType",
          "enumNames",
          "propertyOrder",
          "markdownDescription",
          "enumDescriptions",
          "markdownEnumDescriptions",
          "deprecationMessage",
          "errorMessage",
          "faker",
          "chance");

  /** Core keywords of any draft (lower case); a {@code $} name matching none is not one. */
  private static final Set<String> CORE_KEYWORDS =
      Set.of(
          "$schema",
          "$id",
          "$ref",
          "$anchor",
          "$dynamicref",
          "$dynamicanchor",
          "$recursiveref",
          "$recursiveanchor",
          "$vocabulary",
          "$comment",
          "$defs");

  /**
   * Whether a keyword this compiler does not implement is known not to be an assertion, whatever
   * the keyword policy: a JSON Schema annotation ({@link #ANNOTATIONS}), an annotation of another
   * vocabulary ({@link #FOREIGN_ANNOTATIONS}), a vendor extension ({@code x-} prefix, OpenAPI's
   * convention), a disabled or private copy ({@code _} prefix), a JSON-LD keyword ({@code @type},
   * {@code @id}, {@code @context}), or a {@code $} name that is none of the core keywords of any
   * draft (the {@code $} prefix is reserved to the core vocabulary, which asserts only through
   * references). Other unknown keywords are annotations too unless {@link
   * JsonSchemaOptions#strictKeywords()} (see {@link #keyword}).
   */
  static boolean ignoredKeyword(String k) {
    if (ANNOTATIONS.contains(k) || FOREIGN_ANNOTATIONS.contains(k)) {
      return true;
    }
    if (k.startsWith("x-") || k.startsWith("_") || k.startsWith("@")) {
      return true;
    }
    return k.startsWith("$") && !CORE_KEYWORDS.contains(k.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Assertion keywords of the drafts this compiler reads that it does not implement: always an
   * error (ignoring them would loosen the schema). Draft-03's {@code extends}, {@code disallow} and
   * {@code divisibleBy} are included: they assert where a draft-03 schema uses them.
   */
  static final Set<String> UNIMPLEMENTED_ASSERTIONS =
      Set.of(
          "unevaluatedProperties",
          "unevaluatedItems",
          "$dynamicRef",
          "$recursiveRef",
          "extends",
          "disallow",
          "divisibleBy");

  /** The assertion keywords a typo is compared with (implemented or not). */
  private static Set<String> assertionKeywords() {
    java.util.SortedSet<String> all = new java.util.TreeSet<>();
    for (Set<String> s :
        List.of(
            OBJECT_KEYWORDS,
            ARRAY_KEYWORDS,
            STRING_KEYWORDS,
            NUMBER_KEYWORDS,
            OTHER_KEYWORDS,
            UNIMPLEMENTED_ASSERTIONS)) {
      all.addAll(s);
    }
    return java.util.Collections.unmodifiableSortedSet(all); // sorted: nearMiss breaks ties by name
  }

  private static String fold(String k) {
    return k.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
  }

  /**
   * The assertion keyword {@code k} is a near miss of, or null: the same name ignoring case, {@code
   * _} and {@code -} ({@code maxlength}, {@code additional_properties}, {@code OneOf}); or, for
   * names of at least 5 characters, an edit distance (insertions, deletions, substitutions and
   * transpositions of adjacent characters, on the folded names) of 1 from a keyword of at least 4
   * characters ({@code minItem}, {@code requried}, {@code types}) or of 2 from one of at least 5
   * ({@code exclusivMinimm}). Shorter names ({@code min}, {@code self}) and names far from every
   * assertion ({@code stability}) are not typos. The closest keyword wins; ties go to the keyword
   * first in alphabetical order.
   */
  static String nearMiss(String k) {
    if (ASSERTIONS.contains(k)) {
      return null;
    }
    String f = fold(k);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String a : ASSERTIONS) {
      String fa = fold(a);
      int d;
      if (fa.equals(f)) {
        d = 0;
      } else if (k.length() < 5) {
        continue;
      } else {
        d = editDistance(f, fa, 2);
        if (d > 2 || (d == 1 && a.length() < 4) || (d == 2 && a.length() < 5)) {
          continue;
        }
      }
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * Optimal string alignment distance between {@code a} and {@code b}, or {@code cap + 1} when it
   * exceeds {@code cap}.
   */
  static int editDistance(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) > cap) {
      return cap + 1;
    }
    int n = a.length();
    int m = b.length();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return Math.min(d[n][m], cap + 1);
  }

  /**
   * Applies the keyword policy to a keyword the compiler does not implement, at {@code ptr} (the
   * keyword's pointer): returns normally when it is an annotation (recording it unless it is one of
   * the specification's own annotations), else throws {@link SchemaException} ({@code
   * schema-unsupported}) for an unimplemented assertion, a near miss of an assertion keyword (with
   * the suggestion), or any unknown keyword under {@code strictKeywords}.
   */
  private void keyword(String k, String ptr) {
    if (ANNOTATIONS.contains(k)) {
      return;
    }
    if (UNIMPLEMENTED_ASSERTIONS.contains(k)) {
      throw SchemaException.unsupported(ptr, k, "keyword \"" + k + "\" is not supported");
    }
    if (ignoredKeyword(k)) {
      ignore(ptr, k, annotationKind(k));
      return;
    }
    String near = nearMiss(k);
    if (near != null) {
      throw SchemaException.unsupported(
          ptr,
          k,
          "unknown keyword \""
              + k
              + "\": did you mean \""
              + near
              + "\"? (a near miss of an assertion keyword is not taken for an annotation)");
    }
    if (options.strictKeywords()) {
      throw SchemaException.unsupported(
          ptr, k, "unknown keyword \"" + k + "\" (strict_keywords rejects unknown keywords)");
    }
    ignore(ptr, k, "unknown keyword: an annotation, not asserted");
  }

  /**
   * The keyword policy for a {@code format} value that is not implemented (see {@link #keyword}).
   */
  private void unknownFormat(String format, String ptr) {
    String why = "format \"" + format + "\" is not implemented";
    if (options.strictKeywords()) {
      throw SchemaException.unsupported(
          ptr, "format", why + " (strict_keywords rejects unknown formats)");
    }
    ignore(ptr, "format", why + ": an annotation, not asserted");
  }

  private static String annotationKind(String k) {
    if (FOREIGN_ANNOTATIONS.contains(k)) {
      return "annotation of another vocabulary, not asserted";
    }
    if (k.startsWith("x-")) {
      return "vendor extension: an annotation, not asserted";
    }
    if (k.startsWith("_")) {
      return "private or disabled keyword: an annotation, not asserted";
    }
    if (k.startsWith("@")) {
      return "JSON-LD keyword: an annotation, not asserted";
    }
    return "non-core $ keyword: an annotation, not asserted";
  }

  private final Map<String, IgnoredKeyword> ignored = new java.util.LinkedHashMap<>();

  private void ignore(String ptr, String k, String reason) {
    ignored.putIfAbsent(ptr, new IgnoredKeyword(ptr, k, reason));
  }

  /** The keywords that constrained nothing, in the order compilation met them. */
  List<IgnoredKeyword> ignoredKeywords() {
    return List.copyOf(ignored.values());
  }

  private static final Set<String> OBJECT_KEYWORDS =
      Set.of(
          "properties",
          "required",
          "additionalProperties",
          "patternProperties",
          "propertyNames",
          "minProperties",
          "maxProperties",
          "dependentRequired",
          "dependentSchemas",
          "dependencies");
  private static final Set<String> ARRAY_KEYWORDS =
      Set.of(
          "items",
          "prefixItems",
          "additionalItems",
          "minItems",
          "maxItems",
          "uniqueItems",
          "contains",
          "minContains",
          "maxContains");
  private static final Set<String> STRING_KEYWORDS =
      Set.of("minLength", "maxLength", "pattern", "format");
  private static final Set<String> NUMBER_KEYWORDS =
      Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf");
  private static final Set<String> OTHER_KEYWORDS =
      Set.of(
          "type", "enum", "const", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref");

  /** Every assertion keyword (implemented or not); initialized after the sets it joins. */
  private static final Set<String> ASSERTIONS = assertionKeywords();

  private static final Set<String> TYPE_NAMES =
      Set.of("null", "boolean", "object", "array", "string", "number", "integer");
  private static final int MAX_PATTERN_PROPERTIES = 6;
  private static final int MAX_MULTIPLE_OF_STATES = 24;

  /**
   * Largest string {@code maxLength} counted exactly on the first attempt; a larger bound is
   * lowered to this one (a sound restriction, marked not complete). Each unit costs a copy of the
   * escaped- character automaton (about 16 byte-level states), so a string bounded at 1,024 costs
   * some 16,000 states; a schema with many such strings may then exceed a limit, and is compiled
   * again with {@link #FALLBACK_COUNTED_LENGTH}.
   */
  static final int MAX_COUNTED_LENGTH = 1024;

  /** The counted-length cap of the second, smaller attempt (see {@link #compileRoot}). */
  static final int FALLBACK_COUNTED_LENGTH = 200;

  /** Key-order tree node: member names at one instance location and the locations below it. */
  static final class Ctx implements JsonText.KeyOrder {
    final LinkedHashSet<String> keys = new LinkedHashSet<>();
    final Map<String, Ctx> props = new HashMap<>();
    Ctx extra;
    Ctx items;

    Ctx prop(String k) {
      return props.computeIfAbsent(k, x -> new Ctx());
    }

    Ctx extraNode() {
      if (extra == null) {
        extra = new Ctx();
      }
      return extra;
    }

    Ctx itemsNode() {
      if (items == null) {
        items = new Ctx();
      }
      return items;
    }

    @Override
    public List<String> order(JsonValue.Obj o) {
      List<String> out = new ArrayList<>();
      for (String k : keys) {
        if (o.members().containsKey(k)) {
          out.add(k);
        }
      }
      for (String k : o.members().keySet()) {
        if (!keys.contains(k)) {
          out.add(k);
        }
      }
      return out;
    }

    @Override
    public JsonText.KeyOrder child(String key) {
      return keys.contains(key) ? Merger.INSTANCE.child(this, key) : orEmpty(extra);
    }

    @Override
    public JsonText.KeyOrder items() {
      return orEmpty(items);
    }
  }

  private static final Ctx EMPTY_CTX = new Ctx();

  private static Ctx orEmpty(Ctx c) {
    return c == null ? EMPTY_CTX : c;
  }

  /** Merges key-order trees (the value of a declared member also follows the extra schemas). */
  static final class Merger {
    static final Merger INSTANCE = new Merger();
    private final Map<Ctx, Map<Ctx, Ctx>> memo = new IdentityHashMap<>();

    synchronized Ctx child(Ctx ctx, String key) {
      return merge(ctx.props.get(key), ctx.extra);
    }

    private Ctx merge(Ctx a, Ctx b) {
      if (a == null) {
        return orEmpty(b);
      }
      if (b == null || b == a) {
        return a;
      }
      Map<Ctx, Ctx> m = memo.computeIfAbsent(a, x -> new IdentityHashMap<>());
      Ctx done = m.get(b);
      if (done != null) {
        return done;
      }
      Ctx c = new Ctx();
      m.put(b, c);
      c.keys.addAll(a.keys);
      c.keys.addAll(b.keys);
      Set<String> names = new LinkedHashSet<>(a.props.keySet());
      names.addAll(b.props.keySet());
      for (String k : names) {
        c.props.put(k, merge(a.props.get(k), b.props.get(k)));
      }
      c.extra = a.extra == null && b.extra == null ? null : merge(a.extra, b.extra);
      c.items = a.items == null && b.items == null ? null : merge(a.items, b.items);
      return c;
    }
  }

  private final JsonValue root;
  private final JsonSchemaOptions options;
  private final GrammarLimits limits;
  private final CharLang ws;
  private final CharLang sep;

  /** Schema resources by absolute URI without fragment: the root and each embedded {@code $id}. */
  private final Map<String, Target> resources = new HashMap<>();

  /** Anchors ({@code $anchor}, fragment-only ids) by resource URI + {@code #} + name. */
  private final Map<String, Target> anchors = new HashMap<>();

  /** The base URI of every indexed schema object (identity keys). */
  private final Map<JsonValue, java.net.URI> baseOf = new IdentityHashMap<>();

  private final java.net.URI rootBase;
  private final boolean draft04; // drafts 03 and 04, see draft04(JsonValue)
  private final boolean refIgnoresSiblings; // drafts 04 to 07: keywords beside $ref are ignored
  private final Map<Object, Lang> memo = new HashMap<>();
  private final Map<UniKey, CharLang> universes = new HashMap<>();
  private final Merger merger = new Merger();
  private final Map<String, CharLang> patterns = new HashMap<>();
  private int nodes;
  private Ctx rootCtx;
  private int knownDepth = KNOWN_DEPTH;
  private int countedLength = MAX_COUNTED_LENGTH;

  JsonSchemaCompiler(JsonValue root, JsonSchemaOptions options) {
    // The shared constant languages are built (or waited for) outside this compilation's limits
    // and clock; see SchemaConstants.
    CharLang.outsideLimits(SchemaConstants::ready);
    this.root = root;
    this.options = options;
    this.limits = options.limits();
    this.ws =
        options.maxWhitespaceRun() == 0
            ? CharLang.emptyString()
            : CharLang.codePointSet(new int[] {9, 10, 13, 13, 32, 32})
                .repeat(0, options.maxWhitespaceRun());
    this.sep = CharLang.codePoint(',').concat(ws);
    String dialect =
        root instanceof JsonValue.Obj ro && ro.get("$schema") instanceof JsonValue.Str sv
            ? sv.value()
            : "";
    this.refIgnoresSiblings = dialect.matches(".*draft-0[3-7]/schema.*");
    this.draft04 = draft04(root);
    index(root, "", DEFAULT_BASE, 0);
    this.rootBase = baseOf.getOrDefault(root, DEFAULT_BASE);
  }

  /**
   * Whether the schema's dialect is draft-03 or draft-04: identifiers are spelled {@code id}, and
   * only JSON integer tokens are {@code integer}s ({@code 1.0} and {@code 1e2} are numbers but not
   * integers, {@code -0} is an integer), as networknt's validator has it for draft-04; later drafts
   * count every integral value.
   */
  static boolean draft04(JsonValue root) {
    return root instanceof JsonValue.Obj ro
        && ro.get("$schema") instanceof JsonValue.Str sv
        && sv.value().matches(".*draft-0[34]/schema.*");
  }

  /** The base URI of a schema without {@code $id} (never fetched: references stay inside). */
  private static final java.net.URI DEFAULT_BASE =
      java.net.URI.create("https://guidepost.invalid/schema.json");

  /** The key-order tree of the root (valid after {@link #compileRoot}). */
  Ctx keyOrder() {
    return rootCtx;
  }

  /**
   * Compiles the whole schema. The first attempt follows {@link #KNOWN_DEPTH} levels of known
   * structure in universes and counts string lengths up to {@link #MAX_COUNTED_LENGTH}; when that
   * is too complex, the schema is compiled again with universes whose depth counts every level and
   * lengths counted up to {@link #FALLBACK_COUNTED_LENGTH} (smaller automata, fewer valid documents
   * accepted). The compile-time limit is not retried.
   */
  Lang compileRoot() {
    rootCtx = new Ctx();
    visitCtx(root, "", rootCtx, new HashMap<>(), new int[1]);
    knownDepth = KNOWN_DEPTH;
    countedLength = MAX_COUNTED_LENGTH;
    try {
      Lang first = compile(root, "", rootCtx, new HashMap<>(), 0);
      if (first.lang().stateCount() > limits.maxDfaStates() / 4) {
        // The UTF-8 automaton is larger than this one; build it now (it is kept) so that a
        // schema too large at byte level also gets the smaller second attempt.
        first.lang().toByteDfa(limits);
      }
      return first;
    } catch (ConstraintTooComplexException e) {
      if (Thread.currentThread().isInterrupted() || "maxCompileMillis".equals(e.limitName())) {
        throw e;
      }
      knownDepth = 0;
      countedLength = FALLBACK_COUNTED_LENGTH;
      memo.clear();
      universes.clear();
      nodes = 0;
      return compile(root, "", rootCtx, new HashMap<>(), 0);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Indexing, references

  /** Keywords whose value is a schema. */
  private static final Set<String> SCHEMA_VALUED =
      Set.of(
          "additionalProperties",
          "additionalItems",
          "items",
          "contains",
          "propertyNames",
          "not",
          "if",
          "then",
          "else",
          "unevaluatedItems",
          "unevaluatedProperties",
          "contentSchema");

  /** Keywords whose value is an array of schemas ({@code items} too, in its tuple form). */
  private static final Set<String> SCHEMA_ARRAYS =
      Set.of("allOf", "anyOf", "oneOf", "prefixItems", "items");

  /** Keywords whose value maps names to schemas. */
  private static final Set<String> SCHEMA_MAPS =
      Set.of(
          "properties",
          "patternProperties",
          "$defs",
          "definitions",
          "dependentSchemas",
          "dependencies");

  /**
   * Indexes the schema resources ({@code $id}; {@code id} in drafts 03 and 04) and anchors ({@code
   * $anchor}, fragment-only ids) of the schema at {@code ptr}, whose parent's base URI is {@code
   * base}, following the keywords whose values are schemas (not the values of {@code enum}, {@code
   * const}, {@code default}, {@code examples} or unknown keywords, which are not schemas).
   */
  private void index(JsonValue v, String ptr, java.net.URI base, int depth) {
    if (depth > 2 * limits.maxSchemaDepth() + 8) {
      throw SchemaException.unsupported(
          ptr, null, "schema nested deeper than " + limits.maxSchemaDepth() + " levels");
    }
    if (!(v instanceof JsonValue.Obj o)) {
      return;
    }
    java.net.URI here = base;
    String idKey = draft04 ? "id" : "$id";
    String anchor = null;
    if (o.get(idKey) instanceof JsonValue.Str id) {
      String value = id.value();
      if (value.startsWith("#")) {
        anchor = value.substring(1); // a fragment-only id names a location, as an anchor does
      } else {
        java.net.URI u = resolveUri(base, value, ptr + "/" + idKey, idKey);
        here = withoutFragment(u);
        resources.putIfAbsent(here.toString(), new Target(o, ptr));
        if (u.getRawFragment() != null && !u.getRawFragment().isEmpty()) {
          anchor = decodeFragment(u.getRawFragment());
        }
      }
    } else if (!draft04 && o.get("id") instanceof JsonValue.Str id && id.value().startsWith("#")) {
      anchor = id.value().substring(1);
    }
    if (ptr.isEmpty()) {
      resources.putIfAbsent(here.toString(), new Target(o, ptr));
      resources.putIfAbsent(base.toString(), new Target(o, ptr));
    }
    baseOf.put(o, here);
    if (anchor != null && !anchor.isEmpty() && !anchor.startsWith("/")) {
      anchors.putIfAbsent(here + "#" + anchor, new Target(o, ptr));
    }
    if (o.get("$anchor") instanceof JsonValue.Str a) {
      anchors.putIfAbsent(here + "#" + a.value(), new Target(o, ptr));
    }
    for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
      String k = e.getKey();
      JsonValue x = e.getValue();
      String at = ptr + "/" + escape(k);
      if (SCHEMA_ARRAYS.contains(k) && x instanceof JsonValue.Arr arr) {
        for (int i = 0; i < arr.elements().size(); i++) {
          index(arr.elements().get(i), at + "/" + i, here, depth + 1);
        }
      } else if (SCHEMA_VALUED.contains(k)) {
        index(x, at, here, depth + 1);
      } else if (SCHEMA_MAPS.contains(k) && x instanceof JsonValue.Obj m) {
        for (Map.Entry<String, JsonValue> me : m.members().entrySet()) {
          index(me.getValue(), at + "/" + escape(me.getKey()), here, depth + 1);
        }
      }
    }
  }

  /** {@code ref} resolved against {@code base} (RFC 3986); opaque bases take fragments only. */
  private static java.net.URI resolveUri(
      java.net.URI base, String ref, String ptr, String keyword) {
    try {
      if (ref.startsWith("#")) {
        return new java.net.URI(withoutFragment(base) + ref);
      }
      java.net.URI r = new java.net.URI(ref);
      if (r.isAbsolute()) {
        return r.normalize();
      }
      if (base.isOpaque()) {
        throw SchemaException.unsupported(
            ptr,
            keyword,
            "\"" + ref + "\" is relative to \"" + base + "\", which cannot have relative URIs");
      }
      return base.resolve(r).normalize();
    } catch (java.net.URISyntaxException e) {
      throw SchemaException.invalid(ptr, keyword, "\"" + ref + "\" is not a URI reference");
    }
  }

  private static java.net.URI withoutFragment(java.net.URI u) {
    String s = u.toString();
    int h = s.indexOf('#');
    return h < 0 ? u : java.net.URI.create(s.substring(0, h));
  }

  private static String decodeFragment(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private record Target(JsonValue schema, String pointer) {}

  /**
   * The schema {@code ref} (the {@code $ref} of {@code from}, at {@code at}) points to: a JSON
   * pointer or anchor in the document's root resource or in an embedded resource ({@code $id}), the
   * reference resolved against {@code from}'s base URI. Anything else (another document) answers
   * {@code schema-unsupported}.
   */
  private Target resolve(String ref, String at, JsonValue from) {
    java.net.URI base = baseOf.getOrDefault(from, rootBase);
    java.net.URI u = resolveUri(base, ref, at, "$ref");
    String resourceKey = withoutFragment(u).toString();
    Target res = resources.get(resourceKey);
    if (res == null) {
      throw SchemaException.unsupported(
          at,
          "$ref",
          "only references inside the schema document are supported, not \"" + ref + "\"");
    }
    String frag = u.getRawFragment() == null ? "" : decodeFragment(u.getRawFragment());
    if (frag.isEmpty()) {
      return res;
    }
    if (!frag.startsWith("/")) {
      Target a = anchors.get(resourceKey + "#" + frag);
      if (a == null) {
        throw SchemaException.invalid(at, "$ref", "no anchor \"" + frag + "\" in the schema");
      }
      return a;
    }
    JsonValue cur = res.schema();
    for (String raw : frag.substring(1).split("/", -1)) {
      String seg = raw.replace("~1", "/").replace("~0", "~");
      if (cur instanceof JsonValue.Obj o && o.members().containsKey(seg)) {
        cur = o.get(seg);
      } else if (cur instanceof JsonValue.Arr a && seg.matches("0|[1-9][0-9]{0,8}")) {
        int i = Integer.parseInt(seg);
        if (i >= a.elements().size()) {
          throw SchemaException.invalid(at, "$ref", "unresolvable reference \"" + ref + "\"");
        }
        cur = a.elements().get(i);
      } else {
        throw SchemaException.invalid(at, "$ref", "unresolvable reference \"" + ref + "\"");
      }
    }
    return new Target(cur, res.pointer() + frag);
  }

  // ---------------------------------------------------------------------------------------------
  // Key-order tree

  private void visitCtx(JsonValue s, String ptr, Ctx node, Map<String, Integer> refs, int[] count) {
    if (!(s instanceof JsonValue.Obj o)) {
      return;
    }
    if (++count[0] > limits.maxSchemaNodes() * 4) {
      throw new ConstraintTooComplexException(
          "maxSchemaNodes",
          limits.maxSchemaNodes(),
          count[0],
          "subschemas",
          "expanding the JSON Schema's references");
    }
    if (o.get("properties") instanceof JsonValue.Obj props) {
      for (Map.Entry<String, JsonValue> e : props.members().entrySet()) {
        node.keys.add(e.getKey());
        visitCtx(
            e.getValue(),
            ptr + "/properties/" + escape(e.getKey()),
            node.prop(e.getKey()),
            refs,
            count);
      }
    }
    if (o.get("required") instanceof JsonValue.Arr req) {
      for (JsonValue v : req.elements()) {
        if (v instanceof JsonValue.Str str) {
          node.keys.add(str.value());
        }
      }
    }
    for (String dk : List.of("dependentRequired", "dependentSchemas", "dependencies")) {
      if (o.get(dk) instanceof JsonValue.Obj deps) {
        for (Map.Entry<String, JsonValue> e : deps.members().entrySet()) {
          if (e.getValue() instanceof JsonValue.Arr arr) {
            node.keys.add(e.getKey());
            for (JsonValue v : arr.elements()) {
              if (v instanceof JsonValue.Str str) {
                node.keys.add(str.value());
              }
            }
          } else if (e.getValue() instanceof JsonValue.Obj) {
            node.keys.add(e.getKey());
            visitCtx(e.getValue(), ptr + "/" + dk + "/" + escape(e.getKey()), node, refs, count);
          } else if (e.getValue() instanceof JsonValue.Bool) {
            node.keys.add(e.getKey());
          }
        }
      }
    }
    if (o.get("patternProperties") instanceof JsonValue.Obj pp) {
      for (Map.Entry<String, JsonValue> e : pp.members().entrySet()) {
        visitCtx(e.getValue(), ptr, node.extraNode(), refs, count);
      }
    }
    if (o.get("additionalProperties") instanceof JsonValue.Obj ap) {
      visitCtx(ap, ptr, node.extraNode(), refs, count);
    }
    for (String ik : List.of("items", "prefixItems", "additionalItems", "contains")) {
      JsonValue iv = o.get(ik);
      if (iv instanceof JsonValue.Obj) {
        visitCtx(iv, ptr, node.itemsNode(), refs, count);
      } else if (iv instanceof JsonValue.Arr arr) {
        for (JsonValue x : arr.elements()) {
          visitCtx(x, ptr, node.itemsNode(), refs, count);
        }
      }
    }
    for (String ck : List.of("allOf", "anyOf", "oneOf")) {
      if (o.get(ck) instanceof JsonValue.Arr arr) {
        for (JsonValue x : arr.elements()) {
          visitCtx(x, ptr, node, refs, count);
        }
      }
    }
    for (String ck : List.of("not", "if", "then", "else")) {
      visitCtx(o.get(ck), ptr, node, refs, count);
    }
    for (String ek : List.of("enum", "const")) {
      JsonValue ev = o.get(ek);
      if (ek.equals("const") && ev != null) {
        addValueKeys(ev, node);
      } else if (ev instanceof JsonValue.Arr arr) {
        for (JsonValue x : arr.elements()) {
          addValueKeys(x, node);
        }
      }
    }
    if (o.get("$ref") instanceof JsonValue.Str ref) {
      Target t;
      try {
        t = resolve(ref.value(), ptr + "/$ref", o);
      } catch (SchemaException e) {
        return; // reported when compiling
      }
      int c = refs.getOrDefault(t.pointer(), 0);
      if (c <= limits.recursionUnrollDepth()) {
        refs.put(t.pointer(), c + 1);
        visitCtx(t.schema(), t.pointer(), node, refs, count);
        refs.put(t.pointer(), c);
      }
    }
  }

  private static void addValueKeys(JsonValue v, Ctx node) {
    if (v instanceof JsonValue.Obj o) {
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        node.keys.add(e.getKey());
        addValueKeys(e.getValue(), node.prop(e.getKey()));
      }
    } else if (v instanceof JsonValue.Arr a) {
      for (JsonValue x : a.elements()) {
        addValueKeys(x, node.itemsNode());
      }
    }
  }

  private Ctx childCtx(Ctx ctx, String key) {
    return merger.child(ctx, key);
  }

  // ---------------------------------------------------------------------------------------------
  // Compilation

  private record MemoKey(String pointer, Ctx ctx, String refs) {}

  private Lang compile(JsonValue s, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    if (depth > limits.maxSchemaDepth()) {
      throw new ConstraintTooComplexException(
          "maxSchemaDepth",
          limits.maxSchemaDepth(),
          depth,
          "levels",
          "compiling the JSON Schema at " + display(ptr));
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new ConstraintTooComplexException(
          "maxDeterminizationWork",
          limits.maxDeterminizationWork(),
          limits.maxDeterminizationWork() + 1,
          "steps",
          "compiling the JSON Schema (interrupted) at " + display(ptr));
    }
    CharLang.checkDeadline("compiling the JSON Schema at " + display(ptr));
    if (++nodes > limits.maxSchemaNodes()) {
      throw new ConstraintTooComplexException(
          "maxSchemaNodes",
          limits.maxSchemaNodes(),
          nodes,
          "subschemas",
          "compiling the JSON Schema after $ref expansion");
    }
    MemoKey key = new MemoKey(ptr, ctx, refs.isEmpty() ? "" : refs.toString());
    Lang done = memo.get(key);
    if (done != null) {
      return done;
    }
    Lang result = compileUncached(s, ptr, ctx, refs, depth);
    checkSize(result.lang(), ptr);
    memo.put(key, result);
    return result;
  }

  private void checkSize(CharLang l, String ptr) {
    int n = l.stateCount();
    if (n > limits.maxDfaStates()) {
      throw new ConstraintTooComplexException(
          "maxDfaStates",
          limits.maxDfaStates(),
          n,
          "states",
          "compiling the JSON Schema at " + display(ptr));
    }
  }

  private static String display(String ptr) {
    return ptr.isEmpty() ? "the root" : ptr;
  }

  private Lang compileUncached(
      JsonValue s, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    if (s instanceof JsonValue.Bool b) {
      return b.value() ? Lang.bounded(universe(ctx)) : Lang.of(CharLang.empty());
    }
    if (!(s instanceof JsonValue.Obj o)) {
      throw SchemaException.invalid(ptr, null, "a schema must be an object or a boolean");
    }
    if (refIgnoresSiblings && o.get("$ref") instanceof JsonValue.Str ref) {
      return compileRef(ref.value(), o, ptr, ctx, refs, depth);
    }
    boolean typeSpecific = false;
    for (String k : o.members().keySet()) {
      if (OTHER_KEYWORDS.contains(k)) {
        continue;
      }
      if (k.equals("format")
          && o.get(k) instanceof JsonValue.Str f
          && !JsonFormats.isSupported(f.value())) {
        unknownFormat(f.value(), ptr + "/format");
        continue; // on any type: it constrains nothing
      }
      if (OBJECT_KEYWORDS.contains(k)
          || ARRAY_KEYWORDS.contains(k)
          || STRING_KEYWORDS.contains(k)
          || NUMBER_KEYWORDS.contains(k)) {
        typeSpecific = true;
        continue;
      }
      keyword(k, ptr + "/" + escape(k));
    }
    List<Lang> parts = new ArrayList<>();
    JsonValue type = o.get("type");
    if (type != null || typeSpecific) {
      parts.add(typeLang(o, ptr, ctx, refs, depth, type));
    }
    if (o.members().containsKey("const")) {
      parts.add(valuesLang(List.of(o.get("const")), ctx));
    }
    if (o.members().containsKey("enum")) {
      if (!(o.get("enum") instanceof JsonValue.Arr arr)) {
        throw SchemaException.invalid(ptr + "/enum", "enum", "must be an array");
      }
      parts.add(valuesLang(arr.elements(), ctx));
    }
    if (o.get("$ref") != null) {
      if (!(o.get("$ref") instanceof JsonValue.Str ref)) {
        throw SchemaException.invalid(ptr + "/$ref", "$ref", "must be a string");
      }
      parts.add(compileRef(ref.value(), o, ptr, ctx, refs, depth));
    }
    List<Lang> all = subschemas(o, "allOf", ptr, ctx, refs, depth);
    if (all != null) {
      parts.addAll(all);
    }
    List<Lang> any = subschemas(o, "anyOf", ptr, ctx, refs, depth);
    if (any != null) {
      parts.add(union(any));
    }
    List<Lang> one = subschemas(o, "oneOf", ptr, ctx, refs, depth);
    if (one != null) {
      parts.add(oneOf(one, ptr + "/oneOf", ctx, o.get("oneOf")));
    }
    if (o.members().containsKey("not")) {
      Lang inner = compile(o.get("not"), ptr + "/not", ctx, refs, depth + 1);
      if (!inner.exact()) {
        throw SchemaException.unsupported(
            ptr + "/not",
            "not",
            "the negated schema cannot be compiled exactly, so its complement cannot be either");
      }
      parts.add(Lang.bounded(complementUniverse(ctx, look(o.get("not"))).minus(inner.lang())));
    }
    if (o.members().containsKey("if")
        && (o.members().containsKey("then") || o.members().containsKey("else"))) {
      Lang cond = compile(o.get("if"), ptr + "/if", ctx, refs, depth + 1);
      if (!cond.exact()) {
        throw SchemaException.unsupported(
            ptr + "/if", "if", "the condition cannot be compiled exactly");
      }
      boolean exact = true;
      CharLang yes = cond.lang();
      if (o.members().containsKey("then")) {
        Lang then = compile(o.get("then"), ptr + "/then", ctx, refs, depth + 1);
        yes = yes.intersect(then.lang());
        exact &= then.exact();
      }
      // The 'else' side is confined to the complement universe: never complete.
      CharLang no = complementUniverse(ctx, look(o.get("if"))).minus(cond.lang());
      if (o.members().containsKey("else")) {
        Lang otherwise = compile(o.get("else"), ptr + "/else", ctx, refs, depth + 1);
        no = no.intersect(otherwise.lang());
        exact &= otherwise.exact();
      }
      parts.add(new Lang(yes.union(no), exact, false));
    }
    if (parts.isEmpty()) {
      return Lang.bounded(universe(ctx));
    }
    return intersect(parts);
  }

  /** The referenced schema, unrolled {@link GrammarLimits#recursionUnrollDepth()} times. */
  private Lang compileRef(
      String ref, JsonValue from, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    Target t = resolve(ref, ptr + "/$ref", from);
    int c = refs.getOrDefault(t.pointer(), 0);
    if (c > limits.recursionUnrollDepth()) {
      return new Lang(CharLang.empty(), false, false);
    }
    Map<String, Integer> inner = new HashMap<>(refs);
    inner.put(t.pointer(), c + 1);
    return compile(t.schema(), t.pointer(), ctx, inner, depth + 1);
  }

  private List<Lang> subschemas(
      JsonValue.Obj o, String kw, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    JsonValue v = o.get(kw);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonValue.Arr arr) || arr.elements().isEmpty()) {
      throw SchemaException.invalid(ptr + "/" + kw, kw, "must be a non-empty array of schemas");
    }
    List<Lang> out = new ArrayList<>();
    for (int i = 0; i < arr.elements().size(); i++) {
      out.add(compile(arr.elements().get(i), ptr + "/" + kw + "/" + i, ctx, refs, depth + 1));
    }
    return out;
  }

  private static Lang intersect(List<Lang> parts) {
    CharLang l = parts.get(0).lang();
    boolean exact = parts.get(0).exact();
    boolean complete = parts.get(0).complete();
    for (int i = 1; i < parts.size(); i++) {
      l = l.intersect(parts.get(i).lang());
      exact &= parts.get(i).exact();
      complete &= parts.get(i).complete();
    }
    return new Lang(l, exact, complete);
  }

  private static Lang union(List<Lang> parts) {
    List<CharLang> ls = new ArrayList<>();
    boolean exact = true;
    boolean complete = true;
    for (Lang p : parts) {
      ls.add(p.lang());
      exact &= p.exact();
      complete &= p.complete();
    }
    return new Lang(CharLang.union(ls), exact, complete);
  }

  private static int kinds(CharLang l) {
    int m = 0;
    for (int i = 0; i < KINDS.length; i++) {
      if (l.overlaps(KINDS[i])) {
        m |= 1 << i;
      }
    }
    return m;
  }

  /**
   * {@code oneOf}: branches of disjoint value kinds are unioned as they are; branches sharing a
   * kind must be exact, each keeps only what the others reject, and the result is confined to the
   * complement universe, where the exactness of the other branches holds.
   */
  private Lang oneOf(List<Lang> branches, String ptr, Ctx ctx, JsonValue branchSchemas) {
    int n = branches.size();
    int[] k = new int[n];
    for (int i = 0; i < n; i++) {
      k[i] = kinds(branches.get(i).lang());
    }
    boolean overlapping = false;
    List<CharLang> out = new ArrayList<>();
    boolean exact = true;
    boolean complete = true;
    for (int i = 0; i < n; i++) {
      Lang bi = branches.get(i);
      exact &= bi.exact();
      complete &= bi.complete();
      List<CharLang> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j == i || (k[i] & k[j]) == 0) {
          continue;
        }
        if (!(bi.exact() && branches.get(j).exact())) {
          throw SchemaException.unsupported(
              ptr,
              "oneOf",
              "branches "
                  + Math.min(i, j)
                  + " and "
                  + Math.max(i, j)
                  + " may both match a value and cannot be compiled exactly enough to exclude"
                  + " the overlap");
        }
        overlapping = true;
        others.add(branches.get(j).lang());
      }
      out.add(others.isEmpty() ? bi.lang() : bi.lang().minus(CharLang.union(others)));
    }
    CharLang u = CharLang.union(out);
    if (overlapping) {
      // The other branches are exact within the complement universe only. The confinement loses
      // nothing (completeness kept) when the differences already lie inside that universe.
      CharLang confined = u.intersect(complementUniverse(ctx, look(branchSchemas)));
      complete &= u.minus(confined).isEmpty();
      u = confined;
    }
    return new Lang(u, exact, complete);
  }

  // ---------------------------------------------------------------------------------------------
  // Universe: every canonical JSON value, free-form nesting bounded

  /**
   * Where a subschema looks at an instance location, as far as complements need to know: {@code
   * full} when it may depend on anything not tracked here (tuples, unique items, object values of
   * {@code enum}); {@code extras} when it depends on the location's additional members (their names
   * or count: {@code additionalProperties}, {@code patternProperties}, {@code propertyNames},
   * {@code min/maxProperties}), with {@code extraValues} where it looks into their values; {@code
   * props} for the declared members it looks into and {@code items} for array elements. A non-null
   * look also checks the value itself (type, string, number and array-length keywords). Null: it
   * looks at nothing there.
   */
  private record Look(
      boolean full, boolean extras, Map<String, Look> props, Look extraValues, Look items) {
    static final Look FULL = new Look(true, true, Map.of(), null, null);
    static final Look VALUE = new Look(false, false, Map.of(), null, null);

    static Look extras(Look values) {
      return new Look(false, true, Map.of(), values, null);
    }

    static Look merge(Look a, Look b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      if (a.full || b.full) {
        return FULL;
      }
      Map<String, Look> props = new HashMap<>(a.props);
      for (Map.Entry<String, Look> e : b.props.entrySet()) {
        props.merge(e.getKey(), e.getValue(), Look::merge);
      }
      return new Look(
          false,
          a.extras || b.extras,
          Map.copyOf(props),
          merge(a.extraValues, b.extraValues),
          merge(a.items, b.items));
    }
  }

  /** Array keywords that look only at the array's length. */
  private static final Set<String> LENGTH_ARRAY_KEYWORDS = Set.of("minItems", "maxItems");

  /** Object keywords that look at the names or count of additional members only. */
  private static final Set<String> MEMBER_NAME_KEYWORDS =
      Set.of("propertyNames", "minProperties", "maxProperties");

  /** Where {@code s} looks (see {@link Look}); conservative: anything unclear is {@code FULL}. */
  private Look look(JsonValue s) {
    return look(s, new HashSet<>(), 0);
  }

  private Look look(JsonValue s, Set<String> refsSeen, int depth) {
    if (s == null || s instanceof JsonValue.Bool) {
      return null; // true looks at nothing; false rejects everything whatever it sees
    }
    if (s instanceof JsonValue.Arr arr) { // a list of subschemas (oneOf branches)
      Look l = null;
      for (JsonValue x : arr.elements()) {
        l = Look.merge(l, look(x, refsSeen, depth + 1));
      }
      return l;
    }
    if (!(s instanceof JsonValue.Obj o) || depth > limits.maxSchemaDepth()) {
      return Look.FULL;
    }
    Look l = null;
    for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
      String k = e.getKey();
      JsonValue v = e.getValue();
      if (!ASSERTIONS.contains(k)) {
        continue; // an annotation (or an error the compilation reports)
      }
      Look part;
      if (STRING_KEYWORDS.contains(k)
          || NUMBER_KEYWORDS.contains(k)
          || LENGTH_ARRAY_KEYWORDS.contains(k)
          || k.equals("type")
          || k.equals("required")
          || k.equals("dependentRequired")) {
        part = Look.VALUE;
      } else if (k.equals("enum") || k.equals("const")) {
        part = scalarValues(k, v) ? Look.VALUE : Look.FULL;
      } else if (k.equals("properties") && v instanceof JsonValue.Obj props) {
        Map<String, Look> m = new HashMap<>();
        for (Map.Entry<String, JsonValue> pe : props.members().entrySet()) {
          Look pl = look(pe.getValue(), refsSeen, depth + 1);
          if (pl != null) {
            m.put(pe.getKey(), pl);
          }
        }
        part = new Look(false, false, Map.copyOf(m), null, null);
      } else if (k.equals("additionalProperties")) {
        Look values = look(v, refsSeen, depth + 1);
        boolean allowsAll = v instanceof JsonValue.Bool b ? b.value() : values == null;
        part = allowsAll ? null : Look.extras(values);
      } else if (k.equals("patternProperties") && v instanceof JsonValue.Obj pp) {
        Look values = null;
        boolean any = false;
        for (JsonValue ps : pp.members().values()) {
          Look pl = look(ps, refsSeen, depth + 1);
          values = Look.merge(values, pl);
          any |= pl != null || (ps instanceof JsonValue.Bool b && !b.value());
        }
        part = any ? Look.extras(values) : null;
      } else if (MEMBER_NAME_KEYWORDS.contains(k)) {
        part = Look.extras(null);
      } else if ((k.equals("dependencies") || k.equals("dependentSchemas"))
          && v instanceof JsonValue.Obj deps) {
        part = Look.VALUE;
        for (JsonValue d : deps.members().values()) {
          part = Look.merge(part, d instanceof JsonValue.Arr ? null : look(d, refsSeen, depth + 1));
        }
      } else if (k.equals("items") && v instanceof JsonValue.Obj) {
        part = new Look(false, false, Map.of(), null, look(v, refsSeen, depth + 1));
      } else if (k.equals("items") && v instanceof JsonValue.Bool b) {
        part = b.value() ? null : Look.VALUE;
      } else if (k.equals("allOf") || k.equals("anyOf") || k.equals("oneOf")) {
        part = look(v, refsSeen, depth + 1);
      } else if (k.equals("not") || k.equals("if") || k.equals("then") || k.equals("else")) {
        part = look(v, refsSeen, depth + 1);
      } else if (k.equals("$ref") && v instanceof JsonValue.Str ref) {
        Target t;
        try {
          t = resolve(ref.value(), "", o);
        } catch (SchemaException ex) {
          return Look.FULL;
        }
        if (!refsSeen.add(t.pointer())) {
          return Look.FULL; // recursion: do not follow
        }
        part = look(t.schema(), refsSeen, depth + 1);
        refsSeen.remove(t.pointer());
      } else {
        return Look.FULL; // tuples, unique items, malformed keywords, ...
      }
      l = Look.merge(l, part);
      if (l != null && l.full) {
        return l;
      }
    }
    return l;
  }

  private static boolean scalarValues(String k, JsonValue v) {
    List<JsonValue> values =
        k.equals("const") ? List.of(v) : v instanceof JsonValue.Arr a ? a.elements() : List.of(v);
    for (JsonValue x : values) {
      if (x instanceof JsonValue.Obj || x instanceof JsonValue.Arr) {
        return false;
      }
    }
    return true;
  }

  /**
   * The universe a complement ({@code not}, the {@code else} side of {@code if}, overlapping {@code
   * oneOf} branches) is taken in, given where the complemented subschemas {@code look}. It must not
   * admit a document whose duplicate keys could hide a member the subschema checks (parsers keep
   * the last duplicate), nor strings needing escapes where a pattern may have left them out. So
   * where the subschema looks at the additional members of an object, or at anything not tracked by
   * {@link Look}, the universe is the one-extra universe ({@link Look#FULL}) below that location;
   * where it looks only at the value itself, its declared members or array elements, objects keep
   * any number of additional members (duplicates among them change nothing the subschema sees) and
   * strings there have no characters that need escaping; where it looks at nothing, the location is
   * free-form as in every compiled language. The same depth bounds apply as in {@link
   * #universe(Ctx, int, int, Look)}, so this universe still lies inside the free-form language at
   * each location, and the subschema's language is exact within it whenever it is exact within the
   * one-extra universe.
   */
  CharLang complementUniverse(Ctx ctx, Look look) {
    return universe(ctx, knownDepth, options.anyValueDepth(), look);
  }

  private record UniKey(Ctx ctx, int known, int depth, Look look) {}

  /**
   * Levels of known structure (locations where some subschema names members) that a universe
   * follows before its free-form depth starts counting; see {@link #universe(Ctx, int, int, Look)}.
   */
  static final int KNOWN_DEPTH = 2;

  /**
   * All canonical values at {@code ctx} (free-form): {@link #universe(Ctx, int, int, Look)} with
   * {@link #KNOWN_DEPTH} known levels, the configured free-form depth and no narrowing. Free-form
   * positions of compiled languages and the complement universes start from the same bounds, so
   * every complement universe lies inside the free-form language at each location (both bounds only
   * decrease on the way down).
   */
  CharLang universe(Ctx ctx) {
    return universe(ctx, knownDepth, options.anyValueDepth(), null);
  }

  /**
   * All canonical values at {@code ctx}, arrays and objects nested boundedly: at a location with
   * known structure below it (some subschema names members there or deeper) and {@code known > 0},
   * the level is free and the children start a fresh free-form {@code depth}, with one known level
   * less; elsewhere each level takes one from {@code depth}, and at 0 only empty arrays and objects
   * remain. A schema's own nesting therefore does not use up the free-form depth for its first
   * {@link #KNOWN_DEPTH} levels. Narrowed where {@code look} says (see {@link
   * #complementUniverse}): null gives the free-form universe; {@link Look#FULL} the one-extra
   * universe all the way down, where objects have at most one member beyond the known names (so no
   * duplicate keys) and strings and names contain no character that needs escaping (patterns are
   * compiled on such strings only).
   */
  private CharLang universe(Ctx ctx, int known, int depth, Look look) {
    boolean trivial = isTrivial(ctx);
    boolean free = !trivial && known > 0;
    if (trivial) {
      known = 0;
    }
    if (free) {
      depth = options.anyValueDepth();
    }
    boolean shareable = trivial && (look == null || look.full());
    String globalKey = depth + "|" + (look != null) + "|" + options.maxWhitespaceRun();
    if (trivial) {
      ctx = EMPTY_CTX;
      CharLang shared = shareable ? SHARED_UNIVERSES.get(globalKey) : null;
      if (shared != null) {
        return shared;
      }
    }
    UniKey key = new UniKey(ctx, known, depth, look);
    CharLang done = universes.get(key);
    if (done != null) {
      return done;
    }
    // Below a FULL look everything stays FULL; below none, nothing is narrowed.
    boolean full = look != null && look.full();
    boolean extras = look != null && look.extras();
    // Numbers: every spelling in free-form positions; without exponents in complement universes,
    // since bounded number languages have no exponent spellings (see numberLang).
    List<CharLang> kinds =
        new ArrayList<>(
            List.of(
                KINDS[0],
                KINDS[1],
                look != null ? JsonLangs.PLAIN_NUMBER : JsonLangs.ANY_NUMBER,
                look != null ? PLAIN_STRING : KINDS[3]));
    if (depth == 0) {
      kinds.add(bracket('[', CharLang.emptyString(), ']'));
      kinds.add(bracket('{', CharLang.emptyString(), '}'));
    } else {
      int k1 = free ? known - 1 : known;
      int d1 = free ? options.anyValueDepth() : depth - 1;
      Look itemLook = look == null ? null : full ? Look.FULL : look.items();
      kinds.add(arrayOf(List.of(), universe(orEmpty(ctx.items), k1, d1, itemLook), 0, -1));
      List<CharLang> members = new ArrayList<>();
      List<Presence> modes = new ArrayList<>();
      for (String k : ctx.keys) {
        // A declared name is also seen by additionalProperties/patternProperties when the
        // subschema does not declare it, or matches a pattern: both looks apply (conservative).
        Look kl =
            look == null
                ? null
                : full ? Look.FULL : Look.merge(look.props().get(k), look.extraValues());
        members.add(member(JsonLangs.stringLiteral(k), universe(childCtx(ctx, k), k1, d1, kl)));
        modes.add(Presence.OPTIONAL);
      }
      CharLang names = extras ? additionalKeys(ctx).intersect(PLAIN_STRING) : additionalKeys(ctx);
      // Where the subschema looks at additional members but not into their values (closed
      // objects, counts, names), their values get the one-extra universe, the smallest.
      Look extraLook =
          look == null
              ? null
              : full || (extras && look.extraValues() == null) ? Look.FULL : look.extraValues();
      CharLang extra = member(names, universe(orEmpty(ctx.extra), k1, d1, extraLook));
      kinds.add(objectOf(members, modes, extra, extras ? 1 : -1, 0, -1));
    }
    CharLang u = CharLang.union(kinds);
    universes.put(key, u);
    if (shareable) {
      SHARED_UNIVERSES.putIfAbsent(globalKey, u);
    }
    return u;
  }

  /**
   * Universes of locations that know no member names, shared by all compilations (immutable); keyed
   * by depth, one-extra flag and whitespace run.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, CharLang> SHARED_UNIVERSES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static boolean isTrivial(Ctx c) {
    return c == null || (c.keys.isEmpty() && isTrivial(c.extra) && isTrivial(c.items));
  }

  private CharLang additionalKeys(Ctx ctx) {
    if (ctx.keys.isEmpty()) {
      return JsonLangs.STRING;
    }
    List<String> known = new ArrayList<>();
    for (String k : ctx.keys) {
      known.add(JsonText.string(k));
    }
    return JsonLangs.STRING.minus(CharLang.stringUnion(known));
  }

  private CharLang bracket(char open, CharLang inner, char close) {
    return CharLang.concat(List.of(CharLang.codePoint(open), ws, inner, CharLang.codePoint(close)));
  }

  private CharLang member(CharLang key, CharLang value) {
    if (value.isEmpty() || key.isEmpty()) {
      return CharLang.empty();
    }
    return CharLang.concat(List.of(key, ws, CharLang.codePoint(':'), ws, value, ws));
  }

  /**
   * Objects with the given member slots in order, then additional members (null: none; at most
   * {@code maxExtra}, -1 unbounded); {@code minCount}/{@code maxCount} bound the member count (see
   * {@link #tail} for how duplicate additional names are kept from counting twice).
   */
  private CharLang objectOf(
      List<CharLang> members,
      List<Presence> modes,
      CharLang extra,
      int maxExtra,
      int minCount,
      int maxCount) {
    if (extra != null && extra.isEmpty()) {
      extra = null;
    }
    if (minCount <= 0 && maxCount < 0) {
      return objectBySplit(members, modes, extra, maxExtra);
    }
    int n = members.size();
    int cap = Math.max(1, Math.max(minCount, maxCount));
    Map<Integer, CharLang> g = new HashMap<>();
    // g(i, c): from slot i on, c members (capped) written so far; computed from the end.
    for (int i = n; i >= 0; i--) {
      for (int c = 0; c <= cap; c++) {
        CharLang r;
        if (i == n) {
          r = tail(extra, maxExtra, c, minCount, maxCount);
        } else {
          CharLang with = null;
          if (modes.get(i) != Presence.FORBIDDEN
              && (maxCount < 0 || c < maxCount)
              && !members.get(i).isEmpty()) {
            CharLang next = g.get((i + 1) * (cap + 1) + Math.min(c + 1, cap));
            if (!next.isEmpty()) {
              with =
                  CharLang.concat(
                      List.of(c > 0 ? sep : CharLang.emptyString(), members.get(i), next));
            }
          }
          CharLang without =
              modes.get(i) == Presence.REQUIRED ? null : g.get((i + 1) * (cap + 1) + c);
          if (with == null) {
            r = without == null ? CharLang.empty() : without;
          } else {
            r = without == null ? with : with.union(without);
          }
        }
        g.put(i * (cap + 1) + c, r);
      }
    }
    return bracket('{', g.get(0), '}');
  }

  /**
   * Objects without count bounds, as a union over which member comes first: each alternative is one
   * concatenation (first member, then every later slot in its comma-prefixed form, then the
   * additional members), so the automaton is determinized and minimized once per alternative.
   */
  private CharLang objectBySplit(
      List<CharLang> members, List<Presence> modes, CharLang extra, int maxExtra) {
    int n = members.size();
    CharLang[] slot = new CharLang[n];
    for (int j = 0; j < n; j++) {
      boolean usable = modes.get(j) != Presence.FORBIDDEN && !members.get(j).isEmpty();
      if (modes.get(j) == Presence.REQUIRED && !usable) {
        return CharLang.empty();
      }
      if (!usable) {
        slot[j] = null;
      } else if (modes.get(j) == Presence.REQUIRED) {
        slot[j] = sep; // followed by the member itself in the concatenation below
      } else {
        slot[j] = sep.concat(members.get(j)).optional();
      }
    }
    CharLang tailComma = tail(extra, maxExtra, 1, 0, -1);
    List<CharLang> alternatives = new ArrayList<>();
    boolean requiredSeen = false;
    for (int i = 0; i < n && !requiredSeen; i++) {
      if (slot[i] == null) {
        continue;
      }
      requiredSeen = modes.get(i) == Presence.REQUIRED;
      List<CharLang> parts = new ArrayList<>();
      parts.add(OPEN_OBJECT);
      parts.add(ws);
      parts.add(members.get(i));
      for (int j = i + 1; j < n; j++) {
        if (slot[j] != null) {
          parts.add(slot[j]);
          if (modes.get(j) == Presence.REQUIRED) {
            parts.add(members.get(j));
          }
        }
      }
      parts.add(tailComma);
      parts.add(CLOSE_OBJECT);
      alternatives.add(CharLang.concat(parts));
    }
    if (!requiredSeen) {
      alternatives.add(bracket('{', tail(extra, maxExtra, 0, 0, -1), '}'));
    }
    return CharLang.union(alternatives);
  }

  /**
   * The additional members after {@code c} members were written: at least {@code minCount - c} of
   * them, at most {@code maxExtra} and {@code maxCount - c}. When two or more are required, the
   * required ones get keys of pairwise different lengths modulo their number, which makes them
   * distinct names (a restriction: duplicate names must not count twice).
   */
  private CharLang tail(CharLang extra, int maxExtra, int c, int minCount, int maxCount) {
    int need = Math.max(0, minCount - c);
    int hi = maxExtra;
    if (maxCount >= 0) {
      int room = maxCount - c;
      hi = hi < 0 ? room : Math.min(hi, room);
    }
    if (extra == null || hi == 0) {
      return need == 0 ? CharLang.emptyString() : CharLang.empty();
    }
    if (hi >= 0 && need > hi) {
      return CharLang.empty();
    }
    CharLang more = sep.concat(extra);
    List<CharLang> parts = new ArrayList<>();
    for (int i = 0; i < need; i++) {
      if (c > 0 || i > 0) {
        parts.add(sep);
      }
      parts.add(need >= 2 ? extra.intersect(keyLengthClass(i, need)) : extra);
    }
    int remaining = hi < 0 ? -1 : hi - need;
    if (need > 0 || c > 0) {
      parts.add(more.repeat(0, remaining));
    } else {
      parts.add(extra.concat(more.repeat(0, remaining < 0 ? -1 : remaining - 1)).optional());
    }
    return CharLang.concat(parts);
  }

  /** Texts starting with a string literal whose length is {@code i} modulo {@code m}. */
  private static CharLang keyLengthClass(int i, int m) {
    CharLang quote = CharLang.codePoint('"');
    return CharLang.concat(
        List.of(
            quote,
            JsonLangs.CHAR_ENC.repeat(m, m).star(),
            JsonLangs.CHAR_ENC.repeat(i, i),
            quote,
            CharLang.anyCodePoint().star()));
  }

  /** Arrays: {@code prefix} element languages, then {@code rest} (null: none), count bounds. */
  private CharLang arrayOf(List<CharLang> prefix, CharLang rest, int min, int max) {
    if (max >= 0 && min > max) {
      return CharLang.empty();
    }
    int fixed = Math.max(prefix.size(), min);
    if (max >= 0) {
      fixed = Math.min(fixed, max);
    }
    // Tail from position 'fixed' on.
    CharLang tailLang;
    CharLang restElem = rest == null ? null : rest.concat(ws);
    if (rest == null || rest.isEmpty() || (max >= 0 && fixed >= max)) {
      tailLang = CharLang.emptyString();
    } else {
      int room = max < 0 ? -1 : max - fixed;
      CharLang more = sep.concat(restElem);
      if (fixed > 0) {
        tailLang = more.repeat(0, room);
      } else {
        tailLang = restElem.concat(more.repeat(0, room < 0 ? -1 : room - 1)).optional();
      }
    }
    CharLang acc = tailLang;
    for (int j = fixed - 1; j >= 0; j--) {
      CharLang e = j < prefix.size() ? prefix.get(j) : rest;
      CharLang cont;
      if (e == null || e.isEmpty()) {
        cont = CharLang.empty();
      } else {
        cont = CharLang.concat(List.of(j > 0 ? sep : CharLang.emptyString(), e, ws, acc));
      }
      acc = j + 1 > min ? cont.union(CharLang.emptyString()) : cont;
      if (j + 1 <= min && cont.isEmpty()) {
        acc = CharLang.empty();
      }
    }
    return bracket('[', acc, ']');
  }

  // ---------------------------------------------------------------------------------------------
  // enum / const

  private Lang valuesLang(List<JsonValue> values, Ctx ctx) {
    List<CharLang> ls = new ArrayList<>();
    for (JsonValue v : values) {
      ls.add(valueLang(v, ctx));
    }
    return Lang.of(CharLang.union(ls));
  }

  /**
   * The texts of one value: literal, except that numbers take every exponent-free spelling of their
   * value ({@link JsonLangs#spellings}; {@code enum} and {@code const} compare numbers by value, in
   * draft-04 too), so values containing numbers are built structurally.
   */
  private CharLang valueLang(JsonValue v, Ctx ctx) {
    if (v instanceof JsonValue.Num n) {
      return JsonLangs.spellings(CharLang.literal(JsonText.number(n.value())), true);
    }
    if ((options.maxWhitespaceRun() == 0 && !containsNumber(v))
        || v instanceof JsonValue.Null
        || v instanceof JsonValue.Bool
        || v instanceof JsonValue.Str) {
      return CharLang.literal(JsonText.write(v, ctx));
    }
    if (v instanceof JsonValue.Arr a) {
      List<CharLang> parts = new ArrayList<>();
      for (JsonValue e : a.elements()) {
        parts.add(valueLang(e, orEmpty(ctx.items)));
      }
      return arrayOf(parts, null, parts.size(), parts.size());
    }
    JsonValue.Obj o = (JsonValue.Obj) v;
    List<CharLang> members = new ArrayList<>();
    List<Presence> modes = new ArrayList<>();
    for (String k : ctx.order(o)) {
      members.add(member(JsonLangs.stringLiteral(k), valueLang(o.get(k), childCtx(ctx, k))));
      modes.add(Presence.REQUIRED);
    }
    return objectOf(members, modes, null, 0, 0, -1);
  }

  private static boolean containsNumber(JsonValue v) {
    return switch (v) {
      case JsonValue.Num n -> true;
      case JsonValue.Arr a -> a.elements().stream().anyMatch(JsonSchemaCompiler::containsNumber);
      case JsonValue.Obj o ->
          o.members().values().stream().anyMatch(JsonSchemaCompiler::containsNumber);
      default -> false;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // type and type-specific keywords

  private Lang typeLang(
      JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth, JsonValue type) {
    Set<String> types = new LinkedHashSet<>();
    if (type == null) {
      types.addAll(List.of("null", "boolean", "object", "array", "string", "number"));
    } else if (type instanceof JsonValue.Str t) {
      types.add(t.value());
    } else if (type instanceof JsonValue.Arr arr && !arr.elements().isEmpty()) {
      for (JsonValue t : arr.elements()) {
        if (!(t instanceof JsonValue.Str ts)) {
          throw SchemaException.invalid(ptr + "/type", "type", "type names must be strings");
        }
        types.add(ts.value());
      }
    } else {
      throw SchemaException.invalid(
          ptr + "/type", "type", "must be a type name or a non-empty array of type names");
    }
    for (String t : types) {
      if (!TYPE_NAMES.contains(t)) {
        throw SchemaException.invalid(ptr + "/type", "type", "unknown type \"" + t + "\"");
      }
    }
    List<Lang> parts = new ArrayList<>();
    if (types.contains("null")) {
      parts.add(Lang.of(KINDS[0]));
    }
    if (types.contains("boolean")) {
      parts.add(Lang.of(KINDS[1]));
    }
    if (types.contains("number")) {
      parts.add(numberLang(o, ptr, false));
    } else if (types.contains("integer")) {
      parts.add(numberLang(o, ptr, true));
    }
    if (types.contains("string")) {
      parts.add(stringLang(o, ptr));
    }
    if (types.contains("array")) {
      parts.add(arrayLang(o, ptr, ctx, refs, depth));
    }
    if (types.contains("object")) {
      parts.add(objectLang(o, ptr, ctx, refs, depth));
    }
    return union(parts);
  }

  private static int count(JsonValue.Obj o, String kw, String ptr) {
    JsonValue v = o.get(kw);
    if (v == null) {
      return -1;
    }
    if (v instanceof JsonValue.Num n && n.isInteger() && n.value().signum() >= 0) {
      BigInteger b = n.value().toBigInteger();
      return b.bitLength() > 31 ? Integer.MAX_VALUE : b.intValue();
    }
    throw SchemaException.invalid(ptr + "/" + kw, kw, "must be a non-negative integer");
  }

  private static BigDecimal number(JsonValue.Obj o, String kw, String ptr) {
    JsonValue v = o.get(kw);
    if (v == null || v instanceof JsonValue.Bool) {
      return null;
    }
    if (v instanceof JsonValue.Num n) {
      return n.value();
    }
    throw SchemaException.invalid(ptr + "/" + kw, kw, "must be a number");
  }

  /**
   * Numbers valid against the number keywords: the canonical numbers in range (digit-wise range
   * constructions) that are multiples ({@link JsonLangs#multiplesOf}), closed under the other
   * exponent-free spellings of their values ({@link JsonLangs#spellings}; integers with a zero
   * fraction only where the dialect counts them as integers, see {@link #draft04(JsonValue)}). With
   * no bound and no {@code multipleOf}, {@code number} is every JSON number, exponents included;
   * exponent spellings of bounded values are not generated (a bound on them is not regular) and are
   * accepted by {@link CompiledConstraint#accepts} through their canonical spelling.
   */
  private Lang numberLang(JsonValue.Obj o, String ptr, boolean integerOnly) {
    BigDecimal lo = number(o, "minimum", ptr);
    BigDecimal hi = number(o, "maximum", ptr);
    boolean loEx = false;
    boolean hiEx = false;
    if (o.get("exclusiveMinimum") instanceof JsonValue.Bool b) {
      loEx = b.value() && lo != null;
    } else {
      BigDecimal x = number(o, "exclusiveMinimum", ptr);
      if (x != null && (lo == null || x.compareTo(lo) >= 0)) {
        lo = x;
        loEx = true;
      }
    }
    if (o.get("exclusiveMaximum") instanceof JsonValue.Bool b) {
      hiEx = b.value() && hi != null;
    } else {
      BigDecimal x = number(o, "exclusiveMaximum", ptr);
      if (x != null && (hi == null || x.compareTo(hi) <= 0)) {
        hi = x;
        hiEx = true;
      }
    }
    for (BigDecimal b : new BigDecimal[] {lo, hi}) {
      if (b != null && b.abs().compareTo(BigDecimal.TEN.pow(400)) > 0) {
        throw SchemaException.unsupported(ptr, "minimum", "bounds beyond 1e400 are not supported");
      }
    }
    BigInteger ilo = null;
    BigInteger ihi = null;
    if (lo != null) {
      ilo =
          loEx
              ? lo.setScale(0, RoundingMode.FLOOR).toBigIntegerExact().add(BigInteger.ONE)
              : lo.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }
    if (hi != null) {
      ihi =
          hiEx
              ? hi.setScale(0, RoundingMode.CEILING).toBigIntegerExact().subtract(BigInteger.ONE)
              : hi.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }
    CharLang lang = lo == null && hi == null ? JsonLangs.INT : JsonLangs.intRange(ilo, ihi);
    if (!integerOnly) {
      CharLang frac = JsonLangs.NONINT;
      if (lo != null) {
        frac = frac.intersect(JsonLangs.atLeast(lo));
        if (loEx) {
          frac = frac.minus(CharLang.literal(JsonText.number(lo)));
        }
      }
      if (hi != null) {
        frac = frac.intersect(JsonLangs.atMost(hi));
        if (hiEx) {
          frac = frac.minus(CharLang.literal(JsonText.number(hi)));
        }
      }
      lang = lang.union(frac);
    }
    BigDecimal m = number(o, "multipleOf", ptr);
    if (m != null) {
      if (m.signum() <= 0) {
        throw SchemaException.invalid(ptr + "/multipleOf", "multipleOf", "must be greater than 0");
      }
      CharLang mult = JsonLangs.multiplesOf(m, MAX_MULTIPLE_OF_STATES);
      if (mult == null) {
        throw SchemaException.unsupported(
            ptr + "/multipleOf",
            "multipleOf",
            "multipleOf "
                + JsonText.number(m)
                + " needs a remainder automaton larger than "
                + MAX_MULTIPLE_OF_STATES
                + " states");
      }
      lang = lang.intersect(mult);
    } else if (!integerOnly && lo == null && hi == null) {
      return Lang.of(JsonLangs.ANY_NUMBER);
    }
    return Lang.of(JsonLangs.spellings(lang, !(integerOnly && draft04)));
  }

  private CharLang pattern(String p, String ptr, String kw) {
    CharLang cached = patterns.get(p);
    if (cached != null) {
      return cached;
    }
    CharLang l;
    try {
      l = Regex.toLang(p, false);
    } catch (ConstraintException e) {
      if (e instanceof ConstraintTooComplexException tc) {
        throw tc;
      }
      String why = "pattern " + JsonText.string(p) + ": " + e.getMessage();
      throw "regex-syntax".equals(e.type())
          ? SchemaException.invalid(ptr, kw, why)
          : SchemaException.unsupported(ptr, kw, why);
    }
    patterns.put(p, l);
    return l;
  }

  /**
   * The content language of {@code o}'s {@code format}, or null when it has none or names a format
   * that is not implemented: then it is an annotation (reported; an error with {@code
   * strictKeywords}).
   */
  private CharLang format(JsonValue.Obj o, String ptr) {
    JsonValue fmt = o.get("format");
    if (fmt == null) {
      return null;
    }
    if (!(fmt instanceof JsonValue.Str fs)) {
      throw SchemaException.invalid(ptr + "/format", "format", "must be a string");
    }
    CharLang f = JsonFormats.content(fs.value());
    return f; // null: an annotation, reported by compileUncached
  }

  private Lang stringLang(JsonValue.Obj o, String ptr) {
    int min = count(o, "minLength", ptr);
    int max = count(o, "maxLength", ptr);
    JsonValue pat = o.get("pattern");
    CharLang fmt = format(o, ptr);
    int lo = Math.max(min, 0);
    if (max >= 0 && lo > max) {
      return Lang.of(CharLang.empty());
    }
    CharLang quote = CharLang.codePoint('"');
    if (pat == null && fmt == null) {
      boolean capped = max > countedLength && lo <= countedLength;
      int hi = capped ? countedLength : max;
      if (Math.max(lo, hi) > limits.maxRepeatCount()) {
        throw new ConstraintTooComplexException(
            "maxRepeatCount",
            limits.maxRepeatCount(),
            Math.max(lo, hi),
            "characters",
            "string length bounds at " + display(ptr));
      }
      CharLang body =
          min <= 0 && max < 0 ? JsonLangs.CHAR_ENC.star() : JsonLangs.CHAR_ENC.repeat(lo, hi);
      return new Lang(CharLang.concat(List.of(quote, body, quote)), !capped, !capped);
    }
    CharLang content = JsonLangs.SCALAR.star();
    boolean lengthBounded = min > 0 || max >= 0;
    if (pat != null) {
      if (!(pat instanceof JsonValue.Str ps)) {
        throw SchemaException.invalid(ptr + "/pattern", "pattern", "must be a string");
      }
      content = content.intersect(pattern(ps.value(), ptr + "/pattern", "pattern"));
    }
    if (fmt != null) {
      content = content.intersect(fmt);
    }
    if (lengthBounded) {
      content = withLength(content, lo, max, ptr);
    }
    CharLang plain = JsonLangs.PLAIN_CP.star();
    // Strings needing escapes are left out; the complement universe has none, so this stays exact.
    CharLang special =
        CharLang.concat(
            List.of(JsonLangs.SCALAR.star(), JsonLangs.SPECIAL_CP, JsonLangs.SCALAR.star()));
    boolean complete = fmt == null; // the asserted formats are subsets of their RFC grammars
    if (content.overlaps(special)) {
      content = content.intersect(plain);
      complete = false;
    }
    // A format is a subset of its RFC grammar: not exact, so never complemented (not, if, oneOf).
    return new Lang(CharLang.concat(List.of(quote, content, quote)), fmt == null, complete);
  }

  /**
   * {@code content} restricted to {@code lo..max} code points ({@code max} -1: unbounded). The
   * product with a length counter is skipped for a bound the language already satisfies (its
   * shortest word is long enough; its longest UTF-8 encoding, found on the acyclic byte DFA, is
   * short enough), which keeps e.g. {@code format: email, maxLength: 1024} small.
   */
  private CharLang withLength(CharLang content, int lo, int max, String ptr) {
    if (content.isEmpty()) {
      return content;
    }
    String shortest = content.example();
    if (lo > 0 && shortest.codePointCount(0, shortest.length()) >= lo) {
      lo = 0;
    }
    if (max >= 0) {
      long longest = longestBytes(content.toByteDfa(limits));
      if (longest >= 0 && longest <= max) {
        max = -1;
      }
    }
    if (lo == 0 && max < 0) {
      return content;
    }
    if (Math.max(lo, max) > limits.maxRepeatCount()) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount",
          limits.maxRepeatCount(),
          Math.max(lo, max),
          "characters",
          "string length bounds at " + display(ptr));
    }
    return content.intersect(JsonLangs.SCALAR.repeat(lo, max));
  }

  /** Length of the longest accepted input, or -1 when unbounded (a cycle; every state is live). */
  private static long longestBytes(ByteDfa dfa) {
    int n = dfa.stateCount();
    long[] longest = new long[n];
    byte[] color = new byte[n]; // 0 new, 1 on stack, 2 done
    int[] stack = new int[n];
    int[] nextClass = new int[n];
    int sp = 0;
    stack[sp++] = dfa.initialState();
    color[dfa.initialState()] = 1;
    while (sp > 0) {
      int s = stack[sp - 1];
      if (nextClass[s] < dfa.classCount()) {
        int t = dfa.stepClass(s, nextClass[s]++);
        if (t < 0) {
          continue;
        }
        if (color[t] == 1) {
          return -1;
        }
        if (color[t] == 0) {
          color[t] = 1;
          stack[sp++] = t;
        }
        continue;
      }
      long best = dfa.isAccepting(s) ? 0 : Long.MIN_VALUE;
      for (int c = 0; c < dfa.classCount(); c++) {
        int t = dfa.stepClass(s, c);
        if (t >= 0 && longest[t] != Long.MIN_VALUE) {
          best = Math.max(best, longest[t] + 1);
        }
      }
      longest[s] = best;
      color[s] = 2;
      sp--;
    }
    return longest[dfa.initialState()];
  }

  private Lang arrayLang(
      JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    int min = Math.max(0, count(o, "minItems", ptr));
    int max = count(o, "maxItems", ptr);
    if (Math.max(min, max) > limits.maxRepeatCount()) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount",
          limits.maxRepeatCount(),
          Math.max(min, max),
          "items",
          "array length bounds at " + display(ptr));
    }
    boolean unique = false;
    if (o.get("uniqueItems") instanceof JsonValue.Bool u) {
      unique = u.value() && (max < 0 || max > 1);
    } else if (o.members().containsKey("uniqueItems")) {
      throw SchemaException.invalid(ptr + "/uniqueItems", "uniqueItems", "must be a boolean");
    }
    Ctx itemCtx = orEmpty(ctx.items);
    List<CharLang> prefix = new ArrayList<>();
    boolean exact = true;
    boolean complete = true;
    JsonValue items = o.get("items");
    JsonValue prefixItems = o.get("prefixItems");
    JsonValue restSchema = null;
    String restPtr = null;
    boolean restGiven = false;
    if (prefixItems != null) {
      if (!(prefixItems instanceof JsonValue.Arr pa)) {
        throw SchemaException.invalid(ptr + "/prefixItems", "prefixItems", "must be an array");
      }
      for (int i = 0; i < pa.elements().size(); i++) {
        Lang l = compile(pa.elements().get(i), ptr + "/prefixItems/" + i, itemCtx, refs, depth + 1);
        prefix.add(l.lang());
        exact &= l.exact();
        complete &= l.complete();
      }
      if (items instanceof JsonValue.Arr) {
        throw SchemaException.invalid(
            ptr + "/items", "items", "must be a schema next to prefixItems");
      }
      if (items != null) {
        restSchema = items;
        restPtr = ptr + "/items";
        restGiven = true;
      }
    } else if (items instanceof JsonValue.Arr ia) {
      for (int i = 0; i < ia.elements().size(); i++) {
        Lang l = compile(ia.elements().get(i), ptr + "/items/" + i, itemCtx, refs, depth + 1);
        prefix.add(l.lang());
        exact &= l.exact();
        complete &= l.complete();
      }
      if (o.members().containsKey("additionalItems")) {
        restSchema = o.get("additionalItems");
        restPtr = ptr + "/additionalItems";
        restGiven = true;
      }
    } else if (items != null) {
      restSchema = items;
      restPtr = ptr + "/items";
      restGiven = true;
    }
    CharLang rest;
    boolean restComplete;
    if (restGiven) {
      Lang l = compile(restSchema, restPtr, itemCtx, refs, depth + 1);
      rest = l.lang();
      exact &= l.exact();
      restComplete = l.complete();
    } else {
      rest = universe(itemCtx);
      restComplete = false;
    }
    // The rest schema only matters when elements beyond the prefix are possible.
    boolean restUsed = max < 0 || max > prefix.size();
    complete &= restComplete || !restUsed;
    CharLang lang = arrayOf(prefix, rest, min, max);
    boolean contains = o.members().containsKey("contains");
    CharLang elements = null; // every element any position of these arrays can hold
    if (unique || contains) {
      List<CharLang> each = new ArrayList<>(prefix);
      if (restUsed) {
        each.add(rest);
      }
      elements = CharLang.union(each);
    }
    if (unique) {
      lang = lang.intersect(distinctElements(elements, max, itemCtx, ptr));
    }
    if (contains) {
      Lang c = containing(o, ptr, elements, itemCtx, refs, depth);
      lang = lang.intersect(c.lang());
      exact &= c.exact();
      complete &= c.complete();
    }
    return new Lang(lang, exact, complete);
  }

  /**
   * {@code contains} with {@code minContains} (default 1) and {@code maxContains}: the arrays whose
   * elements (from {@code elements}, the array's own element languages) include between min and max
   * values valid against the {@code contains} schema S. Sequences of elements are built from runs
   * of "other" elements and the counted ones: {@code P R^(min-1) R^(0..max-min)} with {@code P =
   * (others sep)? S (sep others)?} and {@code R = sep S (sep others)?}; values split uniquely at
   * top-level commas, so the count is exact. Without {@code maxContains} the "others" may be any
   * element (at least min are valid, more do no harm); with it they must be the elements S rejects,
   * a complement, so S must be exact and the others are confined to the complement universe.
   */
  private Lang containing(
      JsonValue.Obj o,
      String ptr,
      CharLang elements,
      Ctx itemCtx,
      Map<String, Integer> refs,
      int depth) {
    int minC = o.members().containsKey("minContains") ? count(o, "minContains", ptr) : 1;
    int maxC = count(o, "maxContains", ptr);
    if (Math.max(minC, maxC) > limits.maxRepeatCount()) {
      throw new ConstraintTooComplexException(
          "maxRepeatCount",
          limits.maxRepeatCount(),
          Math.max(minC, maxC),
          "items",
          "contains bounds at " + display(ptr));
    }
    if (maxC >= 0 && maxC < minC) {
      return Lang.of(CharLang.empty());
    }
    Lang s = compile(o.get("contains"), ptr + "/contains", itemCtx, refs, depth + 1);
    CharLang yes = s.lang().intersect(elements);
    CharLang no = elements;
    boolean complete = s.complete();
    if (maxC >= 0) {
      if (!s.exact()) {
        throw SchemaException.unsupported(
            ptr + "/maxContains",
            "maxContains",
            "the contains schema cannot be compiled exactly, so the elements it rejects cannot be"
                + " counted");
      }
      CharLang confined = elements.intersect(complementUniverse(itemCtx, look(o.get("contains"))));
      complete &= elements.minus(confined).isEmpty();
      no = confined.minus(s.lang());
    }
    return new Lang(countingArrays(yes, no, minC, maxC), s.exact(), complete);
  }

  /**
   * The arrays whose elements are each {@code counted} or {@code other} (element texts) with
   * between {@code min} and {@code max} ({@code -1}: unbounded) of them {@code counted}: {@code P
   * R^(min-1) R^(0..max-min)} with {@code P = (others sep)? counted (sep others)?} and {@code R =
   * sep counted (sep others)?}, {@code others} a non-empty run of {@code other} elements (and, for
   * {@code min} 0, also the empty array and a run of others alone). Values split uniquely at
   * top-level commas, so the count is exact when the two element languages are disjoint; when
   * {@code other} includes {@code counted}, at least {@code min} of the elements are counted ones.
   */
  private CharLang countingArrays(CharLang counted, CharLang other, int min, int max) {
    CharLang y = counted.concat(ws);
    CharLang n = other.concat(ws);
    CharLang others = n.concat(sep.concat(n).star());
    CharLang p =
        CharLang.concat(List.of(others.concat(sep).optional(), y, sep.concat(others).optional()));
    CharLang r = CharLang.concat(List.of(sep, y, sep.concat(others).optional()));
    CharLang seq;
    if (min == 0) {
      CharLang some = p.concat(r.repeat(0, max < 0 ? -1 : Math.max(0, max - 1)));
      seq =
          CharLang.union(
              List.of(CharLang.emptyString(), others, max == 0 ? CharLang.empty() : some));
    } else {
      seq = p.concat(r.repeat(min - 1, max < 0 ? -1 : max - 1));
    }
    return bracket('[', seq, ']');
  }

  /** Most distinct item values {@code uniqueItems} is compiled for (subsets are tracked). */
  static final int MAX_UNIQUE_VALUES = 16;

  /** Most subsets of used values {@code uniqueItems} may need to track. */
  static final int MAX_UNIQUE_SUBSETS = 1 << 13;

  /**
   * {@code uniqueItems} where every element comes from a finite set of values ({@code elements},
   * the element texts): the arrays in which no value occurs twice. Texts are grouped by JSON value
   * equality (numbers by value, objects regardless of member order), and for each value the arrays
   * that hold it at most once are intersected; the automaton then tracks the set of values used,
   * which {@link #MAX_UNIQUE_SUBSETS} bounds (with {@code maxItems}, only subsets up to that size
   * count). Items from an infinite set (distinct unbounded strings are not a regular language)
   * answer {@code schema-unsupported}.
   */
  private CharLang distinctElements(CharLang elements, int maxItems, Ctx itemCtx, String ptr) {
    // Numbers have infinitely many spellings (1, 1.0, -0, ...): enumerate the values through the
    // texts whose numbers are canonical, then take each value's spellings within the elements.
    Set<String> texts =
        elements.intersect(CANONICAL_NUMBERS_ONLY).finiteStrings(64 * MAX_UNIQUE_VALUES);
    if (texts == null) {
      throw uniqueItemsUnsupported(
          ptr,
          "the items can take infinitely many (or over " + 64 * MAX_UNIQUE_VALUES + ") values");
    }
    Set<JsonValue> values = new LinkedHashSet<>();
    for (String t : new java.util.TreeSet<>(texts)) {
      values.add(JsonReader.parse(t));
    }
    int n = values.size();
    if (n > MAX_UNIQUE_VALUES) {
      throw uniqueItemsUnsupported(ptr, "the items can take " + n + " values");
    }
    long subsets = 0;
    long choose = 1;
    for (int k = 0; k <= (maxItems < 0 ? n : Math.min(n, maxItems)); k++) {
      subsets += choose;
      choose = choose * (n - k) / (k + 1);
    }
    if (subsets > MAX_UNIQUE_SUBSETS) {
      throw uniqueItemsUnsupported(
          ptr, "the items can take " + n + " values (" + subsets + " subsets to track)");
    }
    if (values.isEmpty()) {
      return bracket('[', CharLang.emptyString(), ']');
    }
    List<CharLang> classes = new ArrayList<>(); // the spellings of each value among the elements
    for (JsonValue v : values) {
      classes.add(elements.intersect(valueLang(v, itemCtx)));
    }
    if (!elements.minus(CharLang.union(classes)).isEmpty()) {
      throw uniqueItemsUnsupported(
          ptr, "some item values have no canonical spelling among the items");
    }
    CharLang unique = null;
    for (int i = 0; i < classes.size(); i++) {
      List<CharLang> others = new ArrayList<>(classes);
      others.remove(i);
      CharLang a = countingArrays(classes.get(i), CharLang.union(others), 0, 1);
      unique = unique == null ? a : unique.intersect(a);
    }
    return unique;
  }

  private static SchemaException uniqueItemsUnsupported(String ptr, String why) {
    return SchemaException.unsupported(
        ptr + "/uniqueItems",
        "uniqueItems",
        "uniqueItems is supported where the items come from a finite set of at most "
            + MAX_UNIQUE_VALUES
            + " values (an enum, booleans, const unions) or maxItems <= 1, but "
            + why);
  }

  private Lang objectLang(
      JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    JsonValue.Obj props = null;
    if (o.members().containsKey("properties")) {
      if (!(o.get("properties") instanceof JsonValue.Obj p)) {
        throw SchemaException.invalid(ptr + "/properties", "properties", "must be an object");
      }
      props = p;
    }
    Set<String> required = new LinkedHashSet<>();
    if (o.members().containsKey("required")) {
      if (!(o.get("required") instanceof JsonValue.Arr req)) {
        throw SchemaException.invalid(ptr + "/required", "required", "must be an array of strings");
      }
      for (JsonValue v : req.elements()) {
        if (!(v instanceof JsonValue.Str s)) {
          throw SchemaException.invalid(
              ptr + "/required", "required", "must be an array of strings");
        }
        required.add(s.value());
      }
    }
    Map<String, List<String>> dependent = new HashMap<>();
    Map<String, List<Lang>> dependentSchemas = new java.util.LinkedHashMap<>();
    for (String dk : List.of("dependentRequired", "dependentSchemas", "dependencies")) {
      JsonValue dv = o.get(dk);
      if (dv == null) {
        continue;
      }
      if (!(dv instanceof JsonValue.Obj deps)) {
        throw SchemaException.invalid(ptr + "/" + dk, dk, "must be an object");
      }
      for (Map.Entry<String, JsonValue> e : deps.members().entrySet()) {
        String at = ptr + "/" + dk + "/" + escape(e.getKey());
        if (!(e.getValue() instanceof JsonValue.Arr arr)) {
          if (dk.equals("dependentRequired")
              || !(e.getValue() instanceof JsonValue.Obj
                  || e.getValue() instanceof JsonValue.Bool)) {
            throw SchemaException.invalid(
                at,
                dk,
                dk.equals("dependentRequired")
                    ? "must be an array of property names"
                    : "must be a schema"
                        + (dk.equals("dependencies") ? " or an array of names" : ""));
          }
          dependentSchemas
              .computeIfAbsent(e.getKey(), x -> new ArrayList<>())
              .add(compile(e.getValue(), at, ctx, refs, depth + 1));
          continue;
        }
        if (dk.equals("dependentSchemas")) {
          throw SchemaException.invalid(at, dk, "must be a schema");
        }
        List<String> names = new ArrayList<>();
        for (JsonValue v : arr.elements()) {
          if (!(v instanceof JsonValue.Str s)) {
            throw SchemaException.invalid(ptr + "/" + dk, dk, "dependencies must list strings");
          }
          names.add(s.value());
        }
        dependent.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).addAll(names);
      }
    }
    List<String> ppKeys = new ArrayList<>();
    List<JsonValue> ppSchemas = new ArrayList<>();
    if (o.members().containsKey("patternProperties")) {
      if (!(o.get("patternProperties") instanceof JsonValue.Obj pp)) {
        throw SchemaException.invalid(
            ptr + "/patternProperties", "patternProperties", "must be an object");
      }
      ppKeys.addAll(pp.members().keySet());
      ppSchemas.addAll(pp.members().values());
      if (ppKeys.size() > MAX_PATTERN_PROPERTIES) {
        throw SchemaException.unsupported(
            ptr + "/patternProperties",
            "patternProperties",
            "more than " + MAX_PATTERN_PROPERTIES + " patterns are not supported");
      }
    }
    List<CharLang> ppLangs = new ArrayList<>();
    for (String p : ppKeys) {
      ppLangs.add(pattern(p, ptr + "/patternProperties/" + escape(p), "patternProperties"));
    }
    JsonValue ap = o.get("additionalProperties");
    CharLang names = null;
    boolean exact = true;
    boolean complete = true;
    if (o.members().containsKey("propertyNames")) {
      Lang pn = compile(o.get("propertyNames"), ptr + "/propertyNames", EMPTY_CTX, refs, depth + 1);
      names = pn.lang().intersect(JsonLangs.STRING);
      exact &= pn.exact();
      complete &= pn.complete();
    }
    int minP = count(o, "minProperties", ptr);
    int maxP = count(o, "maxProperties", ptr);
    if (Math.max(minP, maxP) > 1000) {
      throw SchemaException.unsupported(
          ptr, "maxProperties", "property counts above 1000 are not supported");
    }
    // Member slots for every known name at this location.
    List<CharLang> members = new ArrayList<>();
    List<String> order = new ArrayList<>(ctx.keys);
    for (String k : order) {
      Ctx child = childCtx(ctx, k);
      List<Lang> parts = new ArrayList<>();
      if (props != null && props.members().containsKey(k)) {
        parts.add(compile(props.get(k), ptr + "/properties/" + escape(k), child, refs, depth + 1));
      }
      for (int i = 0; i < ppKeys.size(); i++) {
        if (ppLangs.get(i).accepts(k)) {
          parts.add(
              compile(
                  ppSchemas.get(i),
                  ptr + "/patternProperties/" + escape(ppKeys.get(i)),
                  child,
                  refs,
                  depth + 1));
        }
      }
      if (parts.isEmpty()) {
        if (ap == null) {
          parts.add(Lang.bounded(universe(child)));
        } else {
          parts.add(compile(ap, ptr + "/additionalProperties", child, refs, depth + 1));
        }
      }
      Lang value = intersect(parts);
      exact &= value.exact();
      boolean nameAllowed = names == null || names.accepts(JsonText.string(k));
      complete &= value.complete() || !nameAllowed;
      CharLang key = nameAllowed ? JsonLangs.stringLiteral(k) : CharLang.empty();
      members.add(member(key, value.lang()));
    }
    // Additional members.
    CharLang extra = null;
    Ctx extraCtx = orEmpty(ctx.extra);
    CharLang keys = additionalKeys(ctx);
    if (names != null) {
      keys = keys.intersect(names);
    }
    CharLang apLang;
    boolean apComplete;
    if (ap == null) {
      apLang = universe(extraCtx);
      apComplete = false;
    } else {
      Lang l = compile(ap, ptr + "/additionalProperties", extraCtx, refs, depth + 1);
      apLang = l.lang();
      exact &= l.exact();
      apComplete = l.complete();
    }
    boolean extraKeysPossible = !keys.isEmpty();
    if (ppKeys.isEmpty()) {
      extra = member(keys, apLang);
      complete &= apComplete || !extraKeysPossible || apLang.isEmpty();
    } else {
      // Names needing escapes are left out next to patterns.
      complete &= keys.minus(PLAIN_STRING).isEmpty();
      List<Lang> ppValues = new ArrayList<>();
      for (int i = 0; i < ppKeys.size(); i++) {
        Lang l =
            compile(
                ppSchemas.get(i),
                ptr + "/patternProperties/" + escape(ppKeys.get(i)),
                extraCtx,
                refs,
                depth + 1);
        ppValues.add(l);
        exact &= l.exact();
        complete &= l.complete();
      }
      List<CharLang> regions = new ArrayList<>();
      CharLang plain = JsonLangs.PLAIN_CP.star();
      CharLang quote = CharLang.codePoint('"');
      for (int mask = 0; mask < (1 << ppKeys.size()); mask++) {
        CharLang content = plain;
        List<Lang> vals = new ArrayList<>();
        for (int i = 0; i < ppKeys.size(); i++) {
          if ((mask & (1 << i)) != 0) {
            content = content.intersect(ppLangs.get(i));
            vals.add(ppValues.get(i));
          } else {
            content = content.minus(ppLangs.get(i));
          }
        }
        if (content.isEmpty()) {
          continue;
        }
        CharLang value = mask == 0 ? apLang : intersect(vals).lang();
        complete &= mask != 0 || apComplete || value.isEmpty();
        CharLang k = CharLang.concat(List.of(quote, content, quote)).intersect(keys);
        regions.add(member(k, value));
      }
      extra = CharLang.union(regions); // names needing escapes are left out, as in the universe
    }
    if (extra != null && extra.isEmpty()) {
      extra = null;
    }
    List<Presence> modes = new ArrayList<>();
    for (String k : order) {
      modes.add(required.contains(k) ? Presence.REQUIRED : Presence.OPTIONAL);
    }
    // Two or more required additional members get distinct key lengths (see tail).
    complete &= extra == null || minP < 2;
    CharLang extraMembers = extra;
    int minCount = Math.max(minP, 0);
    java.util.function.Function<List<Presence>, CharLang> objects =
        m -> objectOf(members, m, extraMembers, -1, minCount, maxP);
    CharLang lang = objects.apply(modes);
    // Dependencies: an object without the name, or one with it that satisfies the dependency.
    for (Map.Entry<String, List<String>> e : dependent.entrySet()) {
      int at = order.indexOf(e.getKey());
      List<Presence> present = with(modes, at, Presence.REQUIRED);
      for (String d : e.getValue()) {
        present.set(order.indexOf(d), Presence.REQUIRED);
      }
      lang =
          lang.intersect(
              objects.apply(with(modes, at, Presence.FORBIDDEN)).union(objects.apply(present)));
    }
    for (Map.Entry<String, List<Lang>> e : dependentSchemas.entrySet()) {
      int at = order.indexOf(e.getKey());
      if (at < 0) {
        throw SchemaException.unsupported(
            ptr,
            "dependentSchemas",
            "a schema dependency on \""
                + e.getKey()
                + "\" where member names are not tracked (e.g. inside propertyNames)");
      }
      CharLang when = objects.apply(with(modes, at, Presence.REQUIRED));
      for (Lang d : e.getValue()) {
        when = when.intersect(d.lang());
        exact &= d.exact();
        complete &= d.complete();
      }
      lang = lang.intersect(objects.apply(with(modes, at, Presence.FORBIDDEN)).union(when));
    }
    return new Lang(lang, exact, complete);
  }

  /** A copy of {@code modes} with member {@code at} set to {@code p}. */
  private static List<Presence> with(List<Presence> modes, int at, Presence p) {
    List<Presence> m = new ArrayList<>(modes);
    m.set(at, p);
    return m;
  }
}
