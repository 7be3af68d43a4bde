package io.guidepost.grammar;

import static io.guidepost.grammar.SchemaConstants.KINDS;
import static io.guidepost.grammar.SchemaKeywords.ARRAY_KEYWORDS;
import static io.guidepost.grammar.SchemaKeywords.NUMBER_KEYWORDS;
import static io.guidepost.grammar.SchemaKeywords.OBJECT_KEYWORDS;
import static io.guidepost.grammar.SchemaKeywords.OTHER_KEYWORDS;
import static io.guidepost.grammar.SchemaKeywords.STRING_KEYWORDS;
import static io.guidepost.grammar.SchemaKeywords.TYPE_NAMES;

import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.util.ArrayList;
import java.util.HashMap;
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
 * code points) over the decoded value, whose characters that need escapes are then written as
 * canonical escapes ({@link JsonLangs#escaped}). Recursion through {@code $ref} is unrolled {@link
 * GrammarLimits#recursionUnrollDepth()} times; deeper recursion is cut (no output there).
 *
 * <p>Duplicate object keys: the automaton never repeats a declared name; additional members have
 * names distinct from declared ones but may repeat each other, which is harmless for positive
 * keywords (every repetition is valid); complements are taken inside a universe that allows at most
 * one additional member per object wherever the complemented subschema looks at additional members
 * ({@link SchemaUniverses#complementUniverse}), so that they never admit such a document.
 *
 * <p>Parts (package-private, one concern each, sharing one {@link SchemaCompileState}): {@link
 * SchemaKeywords} (keyword sets and the keyword policy), {@link SchemaRefs} ({@code $id}, anchors,
 * {@code $ref} resolution), {@link SchemaKeyOrder} (the key-order tree), {@link SchemaScalars}
 * ({@code enum}, {@code const}, numbers, strings), {@link SchemaArrays}, {@link SchemaObjects},
 * {@link SchemaCombinators} ({@code not}, {@code if}, {@code oneOf}), {@link SchemaUniverses}
 * (free-form values and complement universes), {@link JsonStructures} (object and array languages)
 * and {@link SchemaConstants}. This class is the entry point: it keeps the dispatch over a
 * subschema's keywords, {@code $ref}, {@code allOf}/{@code anyOf} and {@code type}.
 *
 * <p>Thread-safety: one instance per compilation. Cost: dominated by the automaton operations,
 * roughly linear in schema size times the size of the automata combined at each node.
 */
final class JsonSchemaCompiler {

  /**
   * A compiled language and two claims about it.
   *
   * <p>{@code exact}: within the complement universe (see {@link SchemaUniverses#universe}:
   * canonical texts, member names in key order, free-form nesting bounded below the schema's known
   * structure, at most one additional member per object, strings without characters that need
   * escaping) the language is exactly the valid documents. False when a restriction of the output
   * format also removed valid documents of that universe; {@code not}, {@code if} and overlapping
   * {@code oneOf} branches are then refused.
   *
   * <p>{@code complete}: the language contains the canonical text (members in key order) of
   * <em>every</em> valid document, without any bound. False wherever the output is deliberately a
   * subset: free-form values (nesting bounded by {@link JsonSchemaOptions#anyValueDepth()}), the
   * string length cap, the asserted {@code format} subsets, strings or names needing escapes left
   * out next to patterns, results confined to the complement universe ({@code not}, {@code if},
   * overlapping {@code oneOf}), cut recursion, and distinct-key-length forcing for {@code
   * minProperties}. A complete language never rejects a valid document.
   *
   * <p>{@code within}: null, or a universe W such that the language is exactly W's texts of valid
   * documents (W ∩ the canonical texts of the valid documents), the confinement to W being all that
   * makes it incomplete (a complement taken within the complement universe W). Intersected with
   * complete languages that lie inside W, it is complete (see {@link #intersect}).
   */
  record Lang(CharLang lang, boolean exact, String subset, CharLang within) {
    Lang(CharLang lang, boolean exact, String subset) {
      this(lang, exact, subset, null);
    }

    static Lang of(CharLang l) {
      return new Lang(l, true, null);
    }

    /**
     * A free-form (depth-bounded) language at {@code where}: exact within the universe, never
     * complete.
     */
    static Lang bounded(CharLang l, String where) {
      return new Lang(l, true, freeForm(where), l); // every value is valid: l is its own universe
    }

    /** The subset reason of a free-form value at {@code where}. */
    static String freeForm(String where) {
      return where + ": a free-form value, its nesting bounded";
    }

    /** Whether the language holds the canonical text of every valid document. */
    boolean complete() {
      return subset == null;
    }

    /** The first subset reason of the two, or null when both are complete. */
    static String or(String a, String b) {
      return a != null ? a : b;
    }
  }

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

  private final SchemaCompileState st;
  private final GrammarLimits limits;
  private final SchemaKeyOrder keyOrderTree;
  private final SchemaUniverses universes;
  private final SchemaScalars scalars;
  private final SchemaArrays arrays;
  private final SchemaObjects objects;
  private final SchemaCombinators combinators;

  JsonSchemaCompiler(JsonValue root, JsonSchemaOptions options) {
    // The shared constant languages are built (or waited for) outside this compilation's limits
    // and clock; see SchemaConstants.
    CharLang.outsideLimits(SchemaConstants::ready);
    this.st = new SchemaCompileState(root, options);
    this.limits = st.limits;
    this.keyOrderTree = new SchemaKeyOrder(st.limits, st.resolver);
    JsonStructures json = new JsonStructures(st.ws, st.sep);
    this.universes = new SchemaUniverses(st, json);
    this.scalars = new SchemaScalars(st, json);
    this.arrays = new SchemaArrays(this, st, json, universes, scalars);
    this.objects = new SchemaObjects(this, st, json, universes, scalars);
    this.combinators = new SchemaCombinators(this, universes);
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

  /** JSON pointer escaping of one reference token ({@code ~0}, {@code ~1}). */
  static String escape(String key) {
    return SchemaRefs.escape(key);
  }

  /** The keywords that constrained nothing, in the order compilation met them. */
  List<IgnoredKeyword> ignoredKeywords() {
    return st.ignoredKeywords();
  }

  /** Whether compilation so far used a bound the schema does not state (see {@link Lang}). */
  boolean boundedAnything() {
    return st.boundedUses > 0;
  }

  SchemaCompileState state() {
    return st;
  }

  SchemaScalars scalars() {
    return scalars;
  }

  /**
   * A key-order tree of its own for the subschemas {@code schemas} applying at one location, for
   * {@link SchemaGrammar}: each {@code $ref} is entered at most once per path, so a cycle is cut
   * (only cycles: a non-recursive subschema finds every name below it).
   */
  Ctx ownCtx(List<JsonValue> schemas) {
    Ctx node = new Ctx();
    for (JsonValue s : schemas) {
      keyOrderTree.visitCtx(s, "", node, new HashMap<>(), new int[1], 0);
    }
    return node;
  }

  SchemaUniverses universes() {
    return universes;
  }

  /** The key-order tree of the root (valid after {@link #compileRoot}). */
  Ctx keyOrder() {
    return st.rootCtx;
  }

  /**
   * Compiles the whole schema. The first attempt follows {@link SchemaUniverses#KNOWN_DEPTH} levels
   * of known structure in universes and counts string lengths up to {@link #MAX_COUNTED_LENGTH};
   * when that is too complex, the schema is compiled again with universes whose depth counts every
   * level and lengths counted up to {@link #FALLBACK_COUNTED_LENGTH} (smaller automata, fewer valid
   * documents accepted). The compile-time limit is not retried.
   */
  Lang compileRoot() {
    st.rootCtx = null;
    prepareRoot(false);
    st.knownDepth = SchemaUniverses.KNOWN_DEPTH;
    st.countedLength = MAX_COUNTED_LENGTH;
    return compileFromRoot();
  }

  /**
   * {@link #compileRoot} again after an attempt abandoned for its time budget ({@link
   * CharLang#withBudget}): when that attempt was still in its first phase, with the same key-order
   * tree and settings, so that the subschemas it finished (memoised) are not compiled twice.
   */
  Lang resumeRoot() {
    if (st.rootCtx == null || st.knownDepth != SchemaUniverses.KNOWN_DEPTH) {
      return compileRoot();
    }
    return compileFromRoot();
  }

  private Lang compileFromRoot() {
    try {
      Lang first = compile(st.root, "", st.rootCtx, new HashMap<>(), 0);
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
      st.knownDepth = 0;
      st.countedLength = FALLBACK_COUNTED_LENGTH;
      st.memo.clear();
      st.boundedKeys.clear();
      st.universes.clear();
      st.nodes = 0;
      return compile(st.root, "", st.rootCtx, new HashMap<>(), 0);
    }
  }

  /**
   * Builds the key-order tree of the root unless it is built ({@link #compileRoot} rebuilds it),
   * for a compilation that starts with subschemas ({@link SchemaGrammar}). With {@code
   * shallowWhenLarge}, a tree that exceeds the node limit is built again entering every {@code
   * $ref} at most once per path (only {@link SchemaGrammar} copes with locations whose names it
   * lacks).
   */
  void prepareRoot(boolean forGrammar) {
    if (st.rootCtx == null) {
      st.rootCtx = new Ctx();
      try {
        keyOrderTree.visitCtx(st.root, "", st.rootCtx, new HashMap<>(), new int[1]);
      } catch (ConstraintTooComplexException e) {
        if (!forGrammar || !"maxSchemaNodes".equals(e.limitName())) {
          throw e;
        }
        // Unrolled, the tree of a recursive schema with many references is too large: cut each
        // cycle instead (SchemaGrammar gives the locations below a cut trees of their own).
        st.rootCtx = new Ctx();
        keyOrderTree.visitCtx(st.root, "", st.rootCtx, new HashMap<>(), new int[1], 0);
      }
    }
  }

  private record MemoKey(String pointer, Ctx ctx, String refs) {}

  /**
   * Compiles the subschema {@code s} at {@code ptr} for the instance location {@code ctx}, with
   * {@code refs} the {@code $ref} targets being expanded (and how often) and {@code depth} the
   * nesting so far; memoized. The parts call it for their subschemas.
   */
  Lang compile(JsonValue s, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
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
    if (++st.nodes > limits.maxSchemaNodes()) {
      throw new ConstraintTooComplexException(
          "maxSchemaNodes",
          limits.maxSchemaNodes(),
          st.nodes,
          "subschemas",
          "compiling the JSON Schema after $ref expansion");
    }
    MemoKey key = new MemoKey(ptr, ctx, refs.isEmpty() ? "" : refs.toString());
    Lang done = st.memo.get(key);
    if (done != null) {
      if (st.boundedKeys.contains(key)) {
        st.boundedUses++;
      }
      return done;
    }
    int bounded = st.boundedUses;
    Lang result = compileUncached(s, ptr, ctx, refs, depth);
    checkSize(result.lang(), ptr);
    st.memo.put(key, result);
    if (st.boundedUses != bounded) {
      st.boundedKeys.add(key);
    }
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

  static String display(String ptr) {
    return ptr.isEmpty() ? "the root" : ptr;
  }

  private Lang compileUncached(
      JsonValue s, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    if (s instanceof JsonValue.Bool b) {
      return b.value()
          ? Lang.bounded(universes.universe(ctx), display(ptr))
          : Lang.of(CharLang.empty());
    }
    if (!(s instanceof JsonValue.Obj o)) {
      throw SchemaException.invalid(ptr, null, "a schema must be an object or a boolean");
    }
    if (st.refIgnoresSiblings && o.get("$ref") instanceof JsonValue.Str ref) {
      return compileRef(ref.value(), o, ptr, ctx, refs, depth);
    }
    boolean typeSpecific = checkKeywords(o, ptr);
    List<Lang> parts = new ArrayList<>();
    JsonValue type = o.get("type");
    if (type != null || typeSpecific) {
      parts.add(typeLang(o, ptr, ctx, refs, depth, type));
    }
    if (o.members().containsKey("const")) {
      parts.add(scalars.valuesLang(List.of(o.get("const")), ctx));
    }
    if (o.members().containsKey("enum")) {
      if (!(o.get("enum") instanceof JsonValue.Arr arr)) {
        throw SchemaException.invalid(ptr + "/enum", "enum", "must be an array");
      }
      parts.add(scalars.valuesLang(arr.elements(), ctx));
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
      parts.add(combinators.oneOf(one, ptr + "/oneOf", ctx, o.get("oneOf")));
    }
    if (o.members().containsKey("not")) {
      parts.add(combinators.not(o, ptr, ctx, refs, depth));
    }
    if (o.members().containsKey("if")
        && (o.members().containsKey("then") || o.members().containsKey("else"))) {
      parts.add(combinators.ifThenElse(o, ptr, ctx, refs, depth));
    }
    if (parts.isEmpty()) {
      return Lang.bounded(universes.universe(ctx), display(ptr));
    }
    return o.members().containsKey("const") || o.members().containsKey("enum")
        ? intersectListed(parts)
        : intersect(parts);
  }

  /**
   * Applies the keyword policy to {@code o}'s own keywords (near misses of assertion keywords are
   * errors, unknown keywords and formats are reported annotations, see {@link SchemaKeywords});
   * returns whether it has type-specific keywords.
   */
  boolean checkKeywords(JsonValue.Obj o, String ptr) {
    boolean typeSpecific = false;
    for (String k : o.members().keySet()) {
      if (OTHER_KEYWORDS.contains(k)) {
        continue;
      }
      if (k.equals("format")
          && o.get(k) instanceof JsonValue.Str f
          && !JsonFormats.isSupported(f.value())) {
        SchemaKeywords.unknownFormat(st, f.value(), ptr + "/format");
        continue; // on any type: it constrains nothing
      }
      if (OBJECT_KEYWORDS.contains(k)
          || ARRAY_KEYWORDS.contains(k)
          || STRING_KEYWORDS.contains(k)
          || NUMBER_KEYWORDS.contains(k)) {
        typeSpecific = true;
        continue;
      }
      SchemaKeywords.keyword(st, k, ptr + "/" + escape(k));
    }
    return typeSpecific;
  }

  /** The referenced schema, unrolled {@link GrammarLimits#recursionUnrollDepth()} times. */
  private Lang compileRef(
      String ref, JsonValue from, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    SchemaRefs.Target t = st.resolver.resolve(ref, ptr + "/$ref", from);
    int c = refs.getOrDefault(t.pointer(), 0);
    if (c > limits.recursionUnrollDepth()) {
      st.boundedUses++; // cut recursion: exact on the context-free layer
      return new Lang(CharLang.empty(), false, display(ptr) + ": recursion cut");
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

  /**
   * The intersection of {@code parts}: exact when all are, complete when all are, and also when
   * every incomplete part is confined to a universe ({@link Lang#within}) that holds the
   * intersection of the complete parts. Then the confinements remove nothing: with C that
   * intersection (exactly the valid texts of the complete parts, as a language never holds an
   * invalid text) and W<sub>i</sub> ∩ T<sub>i</sub> the confined parts, C ∩ ⋂(W<sub>i</sub> ∩
   * T<sub>i</sub>) = C ∩ ⋂T<sub>i</sub>, the valid texts of all. The check costs one difference per
   * confined part, only where some part is confined.
   */
  static Lang intersect(List<Lang> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    CharLang l = parts.get(0).lang();
    boolean exact = parts.get(0).exact();
    String subset = parts.get(0).subset();
    for (int i = 1; i < parts.size(); i++) {
      l = l.intersect(parts.get(i).lang());
      exact &= parts.get(i).exact();
      subset = Lang.or(subset, parts.get(i).subset());
    }
    if (subset != null && confinementsRemoveNothing(parts)) {
      subset = null;
    }
    return new Lang(l, exact, subset);
  }

  /**
   * Whether each incomplete part is confined to a universe holding all the complete parts allow.
   */
  private static boolean confinementsRemoveNothing(List<Lang> parts) {
    CharLang complete = null;
    for (Lang p : parts) {
      if (p.complete()) {
        complete = complete == null ? p.lang() : complete.intersect(p.lang());
      } else if (p.within() == null) {
        return false;
      }
    }
    if (complete == null) {
      return false;
    }
    for (Lang p : parts) {
      if (!p.complete() && !complete.minus(p.within()).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link #intersect} of parts among which an {@code enum} or {@code const} lists values: also
   * complete when the bounded parts removed none of the texts the complete parts allow (the
   * complete parts' intersection holds the canonical text of every valid document, and the result
   * holds all of it). Cheap because the listed values are few.
   */
  static Lang intersectListed(List<Lang> parts) {
    Lang r = intersect(parts);
    if (r.complete()) {
      return r;
    }
    CharLang complete = null;
    for (Lang p : parts) {
      if (p.complete()) {
        complete = complete == null ? p.lang() : complete.intersect(p.lang());
      }
    }
    return complete != null && complete.minus(r.lang()).isEmpty()
        ? new Lang(r.lang(), r.exact(), null)
        : r;
  }

  static Lang union(List<Lang> parts) {
    List<CharLang> ls = new ArrayList<>();
    boolean exact = true;
    String subset = null;
    for (Lang p : parts) {
      ls.add(p.lang());
      exact &= p.exact();
      subset = Lang.or(subset, p.subset());
    }
    return new Lang(CharLang.union(ls), exact, subset);
  }

  // ---------------------------------------------------------------------------------------------
  // type and type-specific keywords

  /**
   * The type names {@code type} (the {@code type} keyword's value at {@code ptr}, or null: every
   * type) admits, checked.
   */
  static Set<String> typeNames(JsonValue type, String ptr) {
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
    return types;
  }

  private Lang typeLang(
      JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth, JsonValue type) {
    Set<String> types = typeNames(type, ptr);
    List<Lang> parts = new ArrayList<>();
    if (types.contains("null")) {
      parts.add(Lang.of(KINDS[0]));
    }
    if (types.contains("boolean")) {
      parts.add(Lang.of(KINDS[1]));
    }
    if (types.contains("number")) {
      parts.add(scalars.numberLang(o, ptr, false));
    } else if (types.contains("integer")) {
      parts.add(scalars.numberLang(o, ptr, true));
    }
    if (types.contains("string")) {
      parts.add(scalars.stringLang(o, ptr));
    }
    if (types.contains("array")) {
      parts.add(arrays.arrayLang(o, ptr, ctx, refs, depth));
    }
    if (types.contains("object")) {
      parts.add(objects.objectLang(o, ptr, ctx, refs, depth));
    }
    return union(parts);
  }
}
