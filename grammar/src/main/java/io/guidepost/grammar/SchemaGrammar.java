package io.guidepost.grammar;

import static io.guidepost.grammar.SchemaConstants.KINDS;
import static io.guidepost.grammar.SchemaKeyOrder.orEmpty;
import static io.guidepost.grammar.SchemaRefs.escape;
import static io.guidepost.grammar.SchemaScalars.count;

import io.guidepost.grammar.GrammarExpr.Alt;
import io.guidepost.grammar.GrammarExpr.Ref;
import io.guidepost.grammar.GrammarExpr.Repeat;
import io.guidepost.grammar.GrammarExpr.Seq;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema on the context-free layer: the schema as a {@link GrammarDef} whose recursion is
 * exact. Used by {@link JsonSchema#compile} when the DFA compilation had to bound something that is
 * not regular: a free-form value (nesting of arrays and objects without limit) or a recursive
 * {@code $ref} (which the DFA path unrolls a fixed number of times).
 *
 * <p>Algorithm. Every subschema is first compiled by {@link JsonSchemaCompiler} as on the DFA path;
 * when that compilation bounded nothing (no free-form universe, no cut recursion under it) and the
 * subschema reaches no {@code $ref} cycle, its language is exact and becomes one leaf ({@link
 * GrammarExpr.Lang}), so regular parts stay DFAs with every keyword the DFA compiler implements.
 * Otherwise the subschemas applying at a location are taken apart as a conjunction ({@code Part}s):
 * {@code allOf} and a {@code $ref} beside other keywords are flattened into it, a lone {@code $ref}
 * is a rule reference (one rule per target and key order, so recursion is a cycle of rules and
 * nothing is unrolled), {@code anyOf} and {@code oneOf} with branches admitting pairwise disjoint
 * kinds of values are distributed over it, {@code type}s intersect, objects are merged member by
 * member into a chain of member slots in key order (the canonical form of {@link
 * JsonStructures#objectOf}: declared names never repeat, additional members have other names, one
 * region of names per set of {@code patternProperties} patterns they match, at most six patterns),
 * arrays into the form of {@link JsonStructures#arrayOf}, scalars intersect their DFA-path
 * languages, a conjunction with {@code enum}/{@code const} values is one leaf (finitely many
 * documents), and a location nothing constrains is a reference to the recursive rule of all JSON
 * values. What would need an intersection or a complement of non-regular languages ({@code not},
 * {@code if}, overlapping {@code oneOf}, {@code propertyNames}, member counts, dependencies, {@code
 * contains}, {@code uniqueItems}, around a free-form value or recursion) cannot be taken apart:
 * {@link NotStructural} is thrown and the caller keeps the DFA path's bounded language, as before
 * this layer existed ({@link #notStructural()} says why).
 *
 * <p>Free-form objects may repeat a name the schema does not know (a context-free grammar cannot
 * keep a set of names); names the schema declares at a location never repeat there.
 *
 * <p>Not thread-safe; one instance per compilation, after {@link JsonSchemaCompiler#compileRoot}.
 */
final class SchemaGrammar {

  /** The schema needs something the structural translation cannot express exactly. */
  static final class NotStructural extends RuntimeException {
    NotStructural(String pointer, String reason) {
      super(JsonSchemaCompiler.display(pointer) + ": " + reason, null, false, false);
    }
  }

  /** Name of the rule of every JSON value (free-form). */
  static final String VALUE = "json_value";

  private final JsonSchemaCompiler compiler;
  private final SchemaCompileState st;
  private final boolean leaves;
  private final Map<String, GrammarDef.Rule> rules = new LinkedHashMap<>();
  private final Map<Ctx, Map<String, String>> refRules = new java.util.IdentityHashMap<>();
  private final GrammarExpr ws;
  private final GrammarExpr sep;
  private int fresh;
  private final Set<String> inlining = new java.util.HashSet<>(); // $ref targets being inlined
  private final Set<JsonValue> checked =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private String subset; // the first subset reason of a leaf or scalar, null while complete
  private String notStructural; // why build() failed, for reports

  /**
   * @param leaves whether subschemas whose DFA compilation bounded nothing become one leaf; false
   *     takes every object and array apart (tests compare that form with the DFA path)
   */
  SchemaGrammar(JsonSchemaCompiler compiler, SchemaCompileState st, boolean leaves) {
    this.compiler = compiler;
    this.st = st;
    this.leaves = leaves;
    this.ws = lang(st.ws, "ws");
    this.sep = lang(st.sep, "\",\" ws");
  }

  /** Why {@link #build} threw {@link NotStructural} (pointer and reason), or null. */
  String notStructural() {
    return notStructural;
  }

  /**
   * Whether the grammar built accepts the canonical text of every valid document: true unless a
   * leaf or scalar language is a subset (see {@link JsonSchemaCompiler.Lang#complete()}).
   */
  boolean complete() {
    return subset == null;
  }

  /** Why the grammar is a subset (pointer and reason), or null when it is complete. */
  String subsetReason() {
    return subset;
  }

  /** The grammar of the whole schema (rule {@code root}). */
  GrammarDef build() {
    rules.put("root", null); // keeps the start rule first
    GrammarExpr body;
    try {
      body = node(st.root, "", st.rootCtx);
    } catch (NotStructural e) {
      notStructural = e.getMessage();
      throw e;
    }
    rules.put("root", new GrammarDef.Rule("root", body, 1, 1));
    return new GrammarDef("json-schema", "", rules, "root", List.of());
  }

  // ------------------------------------------------------------------------------- one subschema

  /**
   * One subschema applying at an instance location, less the keywords in {@code skip} (already
   * accounted for by the conjunction it is part of).
   */
  private record Part(JsonValue.Obj schema, String ptr, Set<String> skip) {
    Part(JsonValue.Obj schema, String ptr) {
      this(schema, ptr, Set.of());
    }

    boolean has(String k) {
      return schema.members().containsKey(k) && !skip.contains(k);
    }

    JsonValue get(String k) {
      return skip.contains(k) ? null : schema.get(k);
    }

    Part without(String k) {
      Set<String> s = new java.util.HashSet<>(skip);
      s.add(k);
      return new Part(schema, ptr, Set.copyOf(s));
    }
  }

  /** Most conjunctions an {@code anyOf}/{@code oneOf} inside a conjunction distributes into. */
  private static final int MAX_DISTRIBUTED = 64;

  /** How long one leaf's DFA compilation may take before the subschema is taken apart instead. */
  private static final long LEAF_BUDGET_MILLIS = 200;

  /** Most {@code $ref}s followed inside one conjunction (beyond, recursion there is refused). */
  private static final int MAX_INLINED_REFS = 8;

  private GrammarExpr node(JsonValue s, String ptr, Ctx ctx) {
    List<Part> parts = new ArrayList<>();
    if (!addPart(parts, s, ptr)) {
      return lang(CharLang.empty(), "false");
    }
    return conj(parts, ctx, 0);
  }

  /** Adds {@code s} to a conjunction; false when it is {@code false} (nothing satisfies it). */
  private static boolean addPart(List<Part> parts, JsonValue s, String ptr) {
    if (s instanceof JsonValue.Bool b) {
      return b.value();
    }
    if (!(s instanceof JsonValue.Obj o)) {
      throw SchemaException.invalid(ptr, null, "a schema must be an object or a boolean");
    }
    parts.add(new Part(o, ptr));
    return true;
  }

  /** The documents valid against every part (all applying at {@code ctx}). */
  private GrammarExpr conj(List<Part> parts, Ctx ctx, int inlined) {
    CharLang.checkDeadline(
        "compiling the JSON Schema at "
            + JsonSchemaCompiler.display(parts.isEmpty() ? "" : parts.get(0).ptr()));
    if (parts.isEmpty()) {
      return value();
    }
    // Below the root's key-order tree (its $refs are unrolled a fixed number of times) a location
    // may not know the names its subschemas declare: it gets a tree of its own, which both the
    // DFA leaves (objectLang places only the names its tree knows) and the object slots here need.
    ctx = covering(parts, ctx);
    if (leaves) {
      GrammarExpr leaf = leaf(parts, ctx);
      if (leaf != null) {
        return leaf;
      }
    }
    // The DFA compilation may not have met every subschema (a limit stopped it, or its key order
    // ran out below recursion): the keyword policy applies here too.
    for (Part p : parts) {
      if (checked.add(p.schema())) {
        compiler.checkKeywords(p.schema(), p.ptr());
      }
    }
    // Parts without assertions (annotations only, or keywords already accounted for) constrain
    // nothing.
    List<Part> asserting = new ArrayList<>();
    for (Part p : parts) {
      if (!assertions(p).isEmpty()) {
        asserting.add(p);
      }
    }
    if (asserting.size() < parts.size()) {
      return conj(asserting, ctx, inlined);
    }
    // A lone reference is a rule: recursion becomes a cycle of rules.
    if (parts.size() == 1) {
      Part p = parts.get(0);
      Set<String> asserted = assertions(p);
      if (p.get("$ref") instanceof JsonValue.Str ref
          && (asserted.size() == 1 || st.refIgnoresSiblings)) {
        return refRule(ref.value(), p.schema(), p.ptr(), ctx);
      }
    }
    // Flatten: references beside other keywords and allOf become parts of the conjunction.
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      if (p.get("$ref") instanceof JsonValue.Str ref) {
        if (inlined >= MAX_INLINED_REFS) {
          throw new NotStructural(p.ptr(), "recursion through $ref beside other keywords");
        }
        SchemaRefs.Target t = st.resolver.resolve(ref.value(), p.ptr() + "/$ref", p.schema());
        List<Part> next = new ArrayList<>(parts);
        if (st.refIgnoresSiblings) {
          next.remove(i);
        } else {
          next.set(i, p.without("$ref"));
        }
        if (!addPart(next, t.schema(), t.pointer())) {
          return lang(CharLang.empty(), "false");
        }
        if (!inlining.add(t.pointer())) {
          // the same target inlined again below itself: a recursion no rule can stand for
          throw new NotStructural(p.ptr(), "recursion through $ref beside other keywords");
        }
        try {
          return conj(next, ctx, inlined + 1);
        } finally {
          inlining.remove(t.pointer());
        }
      }
      if (p.get("allOf") != null) {
        List<Part> next = new ArrayList<>(parts);
        next.set(i, p.without("allOf"));
        List<JsonValue> bs = branches(p.schema(), "allOf", p.ptr());
        for (int j = 0; j < bs.size(); j++) {
          if (!addPart(next, bs.get(j), p.ptr() + "/allOf/" + j)) {
            return lang(CharLang.empty(), "false");
          }
        }
        return conj(next, ctx, inlined);
      }
    }
    // A negation with a known positive form (not: false, not: true, not: {not: X}) is that form.
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      JsonValue negated = p.get("not");
      JsonValue positive = negated == null ? null : SchemaCombinators.positive(negated);
      if (positive == null) {
        continue;
      }
      if (negated instanceof JsonValue.Obj n && checked.add(n)) {
        compiler.checkKeywords(n, p.ptr() + "/not");
      }
      List<Part> next = new ArrayList<>(parts);
      next.set(i, p.without("not"));
      if (!addPart(next, positive, p.ptr() + "/not/not")) {
        return lang(CharLang.empty(), "false");
      }
      return conj(next, ctx, inlined);
    }
    // Distribute the first anyOf (or oneOf with disjoint branches) over the conjunction.
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      for (String kw : List.of("anyOf", "oneOf")) {
        if (p.get(kw) == null) {
          continue;
        }
        List<JsonValue> bs = branches(p.schema(), kw, p.ptr());
        if (kw.equals("oneOf") && !disjointBranches(bs, p.ptr() + "/oneOf", parts)) {
          throw new NotStructural(
              p.ptr(), "oneOf branches that may overlap around a free-form value or recursion");
        }
        if (bs.size() > MAX_DISTRIBUTED) {
          throw new NotStructural(p.ptr(), kw + " with more than " + MAX_DISTRIBUTED + " branches");
        }
        List<GrammarExpr> alts = new ArrayList<>();
        for (int j = 0; j < bs.size(); j++) {
          List<Part> next = new ArrayList<>(parts);
          next.set(i, p.without(kw));
          if (addPart(next, bs.get(j), p.ptr() + "/" + kw + "/" + j)) {
            alts.add(conj(next, ctx, inlined));
          }
        }
        if (alts.isEmpty()) {
          return lang(CharLang.empty(), "false");
        }
        return alts.size() == 1 ? alts.get(0) : new Alt(alts, 1, 1);
      }
    }
    boolean anyAssertion = false;
    for (Part p : parts) {
      for (String k : List.of("enum", "const")) {
        if (p.has(k) && listed(p, k).stream().anyMatch(SchemaGrammar::structured)) {
          return listedValues(parts, ctx);
        }
      }
    }
    CharLang values = null; // the enum/const values allowed, when some part lists them
    boolean listsValues = parts.stream().anyMatch(x -> x.has("enum") || x.has("const"));
    for (Part p : parts) {
      for (String k : assertions(p)) {
        anyAssertion = true;
        if (k.equals("enum") || k.equals("const")) {
          CharLang l = scalarValues(p, k, ctx);
          values = values == null ? l : values.intersect(l);
        } else if (!TYPED.contains(k) && !k.equals("type")) {
          if (listsValues) {
            return listedValues(parts, ctx); // finitely many documents: no need to take k apart
          }
          throw new NotStructural(p.ptr(), k + " around a free-form value or recursion");
        }
      }
    }
    if (!anyAssertion) {
      return value();
    }
    Set<Kind> kinds = EnumSet.allOf(Kind.class);
    kinds.remove(Kind.INTEGER);
    for (Part p : parts) {
      if (p.get("type") != null) {
        kinds = meet(kinds, typeKinds(p.schema(), p.ptr()));
      }
    }
    if (values != null) {
      kinds.remove(Kind.ARRAY); // the listed values are scalars (scalarValues)
      kinds.remove(Kind.OBJECT);
    }
    List<GrammarExpr> alts = new ArrayList<>();
    for (Kind k : kinds) {
      switch (k) {
        case NULL -> alts.add(lang(KINDS[0], "null"));
        case BOOLEAN -> alts.add(lang(KINDS[1], "boolean"));
        case NUMBER, INTEGER -> {
          List<JsonSchemaCompiler.Lang> ls = new ArrayList<>();
          for (Part p : parts) {
            ls.add(compiler.scalars().numberLang(p.schema(), p.ptr(), k == Kind.INTEGER));
          }
          alts.add(scalar(JsonSchemaCompiler.intersect(ls), k.name().toLowerCase()));
        }
        case STRING -> {
          List<JsonSchemaCompiler.Lang> ls = new ArrayList<>();
          for (Part p : parts) {
            ls.add(compiler.scalars().stringLang(p.schema(), p.ptr()));
          }
          alts.add(scalar(JsonSchemaCompiler.intersect(ls), "string"));
        }
        case ARRAY -> alts.add(array(parts, ctx));
        case OBJECT -> alts.add(object(parts, ctx));
      }
    }
    if (values != null) {
      // Scalars only: every alternative is one leaf, narrowed to the listed values.
      List<CharLang> ls = new ArrayList<>();
      for (GrammarExpr a : alts) {
        ls.add(((GrammarExpr.Lang) a).lang());
      }
      return lang(CharLang.union(ls).intersect(values), "the listed values");
    }
    if (alts.isEmpty()) {
      return lang(CharLang.empty(), "no type");
    }
    return alts.size() == 1 ? alts.get(0) : new Alt(alts, 1, 1);
  }

  /**
   * The language of a part's {@code enum} or {@code const} values (all scalars here, so the other
   * parts' object and array keywords cannot matter).
   */
  private CharLang scalarValues(Part p, String k, Ctx ctx) {
    return compiler.scalars().valuesLang(listed(p, k), ctx).lang();
  }

  /** The values of a part's {@code enum} or {@code const}. */
  private static List<JsonValue> listed(Part p, String k) {
    if (k.equals("const")) {
      return List.of(p.get("const"));
    }
    if (p.get("enum") instanceof JsonValue.Arr arr) {
      return arr.elements();
    }
    throw SchemaException.invalid(p.ptr() + "/enum", "enum", "must be an array");
  }

  private static boolean structured(JsonValue v) {
    return v instanceof JsonValue.Obj || v instanceof JsonValue.Arr;
  }

  /**
   * A conjunction with an {@code enum}/{@code const} listing arrays or objects: finitely many
   * documents, so one leaf, the intersection of every part's DFA-path language (each part compiled
   * whole; a part's keywords that the conjunction already split off are also parts of it, and
   * intersection is idempotent). Sound whatever the bounds of those languages (an intersection only
   * removes documents). Complete when the bounded parts removed none of the listed values that the
   * complete parts allow ({@link JsonSchemaCompiler#intersectListed}). Otherwise (a listed value
   * nested deeper than a free-form bound, or with more additional members than a complement
   * universe allows, was removed, and it may be valid) the first bound is the subset reason.
   */
  private GrammarExpr listedValues(List<Part> parts, Ctx ctx) {
    List<JsonSchemaCompiler.Lang> ls = new ArrayList<>();
    for (Part p : parts) {
      ls.add(compiler.compile(p.schema(), p.ptr(), ctx, Map.of(), 0));
      for (String k : List.of("enum", "const")) {
        if (p.has(k)) { // the listed values alone: complete whatever bounds the rest of p
          ls.add(compiler.scalars().valuesLang(listed(p, k), ctx));
        }
      }
    }
    JsonSchemaCompiler.Lang l = JsonSchemaCompiler.intersectListed(ls);
    subset = JsonSchemaCompiler.Lang.or(subset, l.subset());
    return lang(l.lang(), "the listed values");
  }

  /** {@code a} and {@code b} intersected, integers being numbers too. */
  private static Set<Kind> meet(Set<Kind> a, Set<Kind> b) {
    Set<Kind> out = EnumSet.noneOf(Kind.class);
    for (Kind k : a) {
      if (b.contains(k)) {
        out.add(k);
      } else if (k == Kind.NUMBER && b.contains(Kind.INTEGER)) {
        out.add(Kind.INTEGER);
      } else if (k == Kind.INTEGER && b.contains(Kind.NUMBER)) {
        out.add(Kind.INTEGER);
      }
    }
    return out;
  }

  /**
   * The DFA path's language of the conjunction (the intersection of its parts' languages at one key
   * order), when every part is a whole subschema whose compilation bounded nothing; else null.
   */
  private GrammarExpr leaf(List<Part> parts, Ctx ctx) {
    for (Part p : parts) {
      if (!p.skip().isEmpty() || recursive(p.schema())) {
        return null; // the DFA path unrolls recursion; its bound may not even show
      }
    }
    List<JsonSchemaCompiler.Lang> ls = new ArrayList<>();
    for (Part p : parts) {
      int before = st.boundedUses;
      JsonSchemaCompiler.Lang l;
      try {
        l =
            CharLang.withBudget(
                LEAF_BUDGET_MILLIS, () -> compiler.compile(p.schema(), p.ptr(), ctx, Map.of(), 0));
      } catch (ConstraintTooComplexException e) {
        if ("maxCompileMillis".equals(e.limitName()) || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        return null; // too large as one automaton: take it apart
      } catch (CharLang.BudgetExceeded e) {
        return null; // slow as one automaton: take it apart
      }
      if (st.boundedUses != before) {
        return null;
      }
      ls.add(l);
    }
    JsonSchemaCompiler.Lang l = JsonSchemaCompiler.intersect(ls);
    subset = JsonSchemaCompiler.Lang.or(subset, l.subset());
    return lang(l.lang(), parts.get(0).ptr());
  }

  private GrammarExpr scalar(JsonSchemaCompiler.Lang l, String label) {
    subset = JsonSchemaCompiler.Lang.or(subset, l.subset());
    return lang(l.lang(), label);
  }

  /** The subschemas of a conjunction, compared by identity (schemas can be large trees). */
  private record Schemas(List<JsonValue> list) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Schemas other) || other.list.size() != list.size()) {
        return false;
      }
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) != other.list.get(i)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (JsonValue v : list) {
        h = 31 * h + System.identityHashCode(v);
      }
      return h;
    }
  }

  /** Key-order trees of their own, by the subschemas they were made for. */
  private final Map<Schemas, Ctx> ownCtx = new HashMap<>();

  /** {@code ctx}, or a tree of the parts' own when {@code ctx} lacks names they declare. */
  private Ctx covering(List<Part> parts, Ctx ctx) {
    List<JsonValue> schemas = new ArrayList<>();
    for (Part p : parts) {
      schemas.add(p.schema());
    }
    Ctx own = ownCtx.computeIfAbsent(new Schemas(schemas), k -> compiler.ownCtx(k.list()));
    // The own tree also when ctx names the same keys in the same order: the levels of an unrolled
    // $ref cycle in ctx then share one rule instead of making one per level and path.
    boolean same =
        ctx.keys.size() == own.keys.size() && List.copyOf(ctx.keys).equals(List.copyOf(own.keys));
    return ctx.keys.containsAll(own.keys) && !same ? ctx : own;
  }

  /**
   * The rule of the {@code $ref} target at key order {@code ctx} (made once per target and key
   * order; below the root's key-order tree every location has its own, finite, so recursion closes
   * into a cycle of rules).
   */
  private GrammarExpr refRule(String ref, JsonValue.Obj from, String ptr, Ctx ctx) {
    SchemaRefs.Target t = st.resolver.resolve(ref, ptr + "/$ref", from);
    List<Part> target = new ArrayList<>();
    if (!addPart(target, t.schema(), t.pointer())) {
      return lang(CharLang.empty(), "false");
    }
    ctx = covering(target, ctx);
    Map<String, String> byTarget =
        refRules.computeIfAbsent(ctx, c -> new HashMap<>()); // by key order, then target
    String name = byTarget.get(t.pointer());
    if (name == null) {
      name = "ref" + (fresh++);
      byTarget.put(t.pointer(), name);
      rules.put(name, null); // defined below; a reference inside the body finds the name
      GrammarExpr body = node(t.schema(), t.pointer(), ctx);
      rules.put(name, new GrammarDef.Rule(name, body, 1, 1));
    }
    return new Ref(name, 1, 1);
  }

  // ------------------------------------------------------------------------------------ objects

  private static final Set<String> OBJECT_STRUCTURAL =
      Set.of("properties", "required", "additionalProperties", "patternProperties");

  /** Most {@code patternProperties} patterns in one conjunction (their regions are 2^n). */
  private static final int MAX_PATTERNS = 6;

  /** One {@code patternProperties} entry of a part: its name language and its schema. */
  private record Pattern(Part part, CharLang names, JsonValue schema, String ptr) {}

  /** The {@code patternProperties} entries of the parts, in order. */
  private List<Pattern> patterns(List<Part> parts) {
    List<Pattern> out = new ArrayList<>();
    for (Part p : parts) {
      JsonValue pp = p.get("patternProperties");
      if (pp == null) {
        continue;
      }
      if (!(pp instanceof JsonValue.Obj o)) {
        throw SchemaException.invalid(
            p.ptr() + "/patternProperties", "patternProperties", "must be an object");
      }
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        String ptr = p.ptr() + "/patternProperties/" + escape(e.getKey());
        out.add(
            new Pattern(
                p,
                compiler.scalars().pattern(e.getKey(), ptr, "patternProperties"),
                e.getValue(),
                ptr));
      }
    }
    if (out.size() > MAX_PATTERNS) {
      throw new NotStructural(
          parts.get(0).ptr(),
          "more than " + MAX_PATTERNS + " patternProperties around a free-form value or recursion");
    }
    return out;
  }

  /**
   * The value parts of a member whose name matches exactly the patterns {@code matched} (declared:
   * whether a part's {@code properties} names it): per part, its property schema and its matching
   * pattern schemas, or else its {@code additionalProperties}. False when a part forbids the member
   * ({@code additionalProperties: false}, nothing else applying).
   */
  private boolean memberParts(
      List<Part> parts,
      String declaredName,
      List<Pattern> pats,
      java.util.function.IntPredicate matched,
      List<Part> out) {
    boolean possible = true;
    for (Part p : parts) {
      boolean applied = false;
      if (declaredName != null
          && p.get("properties") instanceof JsonValue.Obj props
          && props.members().containsKey(declaredName)) {
        possible &=
            addPart(out, props.get(declaredName), p.ptr() + "/properties/" + escape(declaredName));
        applied = true;
      }
      for (int i = 0; i < pats.size(); i++) {
        if (pats.get(i).part() == p && matched.test(i)) {
          possible &= addPart(out, pats.get(i).schema(), pats.get(i).ptr());
          applied = true;
        }
      }
      if (!applied && p.get("additionalProperties") != null) {
        possible &= addPart(out, p.get("additionalProperties"), p.ptr() + "/additionalProperties");
      }
    }
    return possible;
  }

  private GrammarExpr object(List<Part> parts, Ctx ctx) {
    Set<String> required = new LinkedHashSet<>();
    for (Part p : parts) {
      for (String k : SchemaKeywords.OBJECT_KEYWORDS) {
        if (p.has(k) && !OBJECT_STRUCTURAL.contains(k)) {
          throw new NotStructural(
              p.ptr(), k + " on an object around a free-form value or recursion");
        }
      }
      if (p.has("properties") && !(p.get("properties") instanceof JsonValue.Obj)) {
        throw SchemaException.invalid(p.ptr() + "/properties", "properties", "must be an object");
      }
      if (p.get("required") != null) {
        if (!(p.get("required") instanceof JsonValue.Arr req)) {
          throw SchemaException.invalid(
              p.ptr() + "/required", "required", "must be an array of strings");
        }
        for (JsonValue v : req.elements()) {
          if (!(v instanceof JsonValue.Str str)) {
            throw SchemaException.invalid(
                p.ptr() + "/required", "required", "must be an array of strings");
          }
          required.add(str.value());
        }
      }
    }
    List<Pattern> pats = patterns(parts);
    // Member slots for every name known at this location, in key order (as objectLang has them);
    // each member's value satisfies, for every part, its property schema or else its
    // additionalProperties.
    List<GrammarExpr> members = new ArrayList<>();
    List<Boolean> mandatory = new ArrayList<>();
    for (String k : ctx.keys) {
      List<Part> valueParts = new ArrayList<>();
      boolean possible =
          memberParts(parts, k, pats, i -> pats.get(i).names().accepts(k), valueParts);
      GrammarExpr value =
          possible ? conj(valueParts, st.childCtx(ctx, k), 0) : lang(CharLang.empty(), "false");
      members.add(member(lang(JsonLangs.stringLiteral(k), JsonText.string(k)), value));
      mandatory.add(required.contains(k));
    }
    // Additional members: one region of names per set of patterns they match (all names when no
    // part has patterns), each with the value parts that apply there.
    CharLang names = compiler.universes().additionalKeys(ctx);
    List<GrammarExpr> regions = new ArrayList<>();
    CharLang quote = CharLang.codePoint('"');
    for (int mask = 0; mask < (1 << pats.size()); mask++) {
      CharLang regionNames = names;
      if (!pats.isEmpty()) {
        CharLang content = JsonLangs.SCALAR.star();
        for (int i = 0; i < pats.size(); i++) {
          CharLang l = pats.get(i).names();
          content = (mask & (1 << i)) != 0 ? content.intersect(l) : content.minus(l);
        }
        regionNames =
            names.intersect(CharLang.concat(List.of(quote, JsonLangs.escaped(content), quote)));
      }
      if (regionNames.isEmpty()) {
        continue;
      }
      int m = mask;
      List<Part> valueParts = new ArrayList<>();
      if (memberParts(parts, null, pats, i -> (m & (1 << i)) != 0, valueParts)) {
        regions.add(
            member(
                lang(regionNames, "an additional name"), conj(valueParts, orEmpty(ctx.extra), 0)));
      }
    }
    GrammarExpr extra =
        regions.isEmpty()
            ? null
            : regions.size() == 1 ? regions.get(0) : new GrammarExpr.Alt(regions, 1, 1);
    // after[j]: the slots from j on once a member was written (each comma-prefixed), then the
    // additional members; first[j]: the same while nothing was written yet. Named rules, so the
    // grammar stays linear in the number of slots.
    int n = members.size();
    String[] after = new String[n + 1];
    String[] first = new String[n + 1];
    String base = "obj" + (fresh++) + "_";
    after[n] = define(base + "a" + n, extra == null ? empty() : star(seq(sep, extra)));
    first[n] =
        define(
            base + "f" + n, extra == null ? empty() : optional(seq(extra, star(seq(sep, extra)))));
    for (int j = n - 1; j >= 0; j--) {
      GrammarExpr written = seq(sep, members.get(j), ref(after[j + 1]));
      after[j] =
          define(base + "a" + j, mandatory.get(j) ? written : alt(written, ref(after[j + 1])));
      GrammarExpr startsHere = seq(members.get(j), ref(after[j + 1]));
      first[j] =
          define(
              base + "f" + j, mandatory.get(j) ? startsHere : alt(startsHere, ref(first[j + 1])));
    }
    return seq(lang(CharLang.codePoint('{'), "\"{\""), ws, ref(first[0]), closer('}'));
  }

  // ------------------------------------------------------------------------------------- arrays

  private static final Set<String> ARRAY_STRUCTURAL =
      Set.of("items", "prefixItems", "additionalItems", "minItems", "maxItems");

  private GrammarExpr array(List<Part> parts, Ctx ctx) {
    int min = 0;
    int max = -1;
    int prefixLength = 0;
    for (Part p : parts) {
      for (String k : SchemaKeywords.ARRAY_KEYWORDS) {
        if (p.has(k) && !ARRAY_STRUCTURAL.contains(k)) {
          if (k.equals("uniqueItems") && p.get(k) instanceof JsonValue.Bool u && !u.value()) {
            continue;
          }
          throw new NotStructural(
              p.ptr(), k + " on an array around a free-form value or recursion");
        }
      }
      min = Math.max(min, Math.max(0, count(p.schema(), "minItems", p.ptr())));
      int m = count(p.schema(), "maxItems", p.ptr());
      if (m >= 0) {
        max = max < 0 ? m : Math.min(max, m);
      }
      prefixLength = Math.max(prefixLength, prefix(p).size());
    }
    if (max >= 0 && min > max) {
      return lang(CharLang.empty(), "no array");
    }
    Ctx itemCtx = orEmpty(ctx.items);
    // Element j (j < prefixLength) and the elements after: each satisfies every part's schema for
    // its position.
    List<GrammarExpr> prefix = new ArrayList<>();
    int positions = max < 0 ? prefixLength : Math.min(prefixLength, max);
    for (int j = 0; j < positions; j++) {
      List<Part> elementParts = new ArrayList<>();
      boolean possible = true;
      for (Part p : parts) {
        List<JsonValue> pre = prefix(p);
        if (j < pre.size()) {
          possible &= addPart(elementParts, pre.get(j), prefixPointer(p) + "/" + j);
        } else if (rest(p) != null) {
          possible &= addPart(elementParts, rest(p), restPointer(p));
        }
      }
      prefix.add(possible ? conj(elementParts, itemCtx, 0) : lang(CharLang.empty(), "false"));
    }
    List<Part> restParts = new ArrayList<>();
    boolean restPossible = true;
    for (Part p : parts) {
      if (rest(p) != null) {
        restPossible &= addPart(restParts, rest(p), restPointer(p));
      }
    }
    GrammarExpr rest = restPossible ? conj(restParts, itemCtx, 0) : null;
    int fixed = Math.max(prefix.size(), min);
    if (max >= 0) {
      fixed = Math.min(fixed, max);
    }
    GrammarExpr tail;
    if (rest == null || (max >= 0 && fixed >= max)) {
      tail = empty();
    } else {
      int room = max < 0 ? Repeat.UNBOUNDED : max - fixed;
      GrammarExpr more = seq(sep, rest, ws);
      if (fixed > 0) {
        tail = new Repeat(more, 0, room, 1, 1);
      } else {
        int after = room == Repeat.UNBOUNDED ? Repeat.UNBOUNDED : room - 1;
        tail = optional(seq(rest, ws, new Repeat(more, 0, after, 1, 1)));
      }
    }
    GrammarExpr acc = tail;
    for (int j = fixed - 1; j >= 0; j--) {
      GrammarExpr e = j < prefix.size() ? prefix.get(j) : rest;
      if (e == null) {
        return lang(CharLang.empty(), "no array");
      }
      GrammarExpr cont = j > 0 ? seq(sep, e, ws, acc) : seq(e, ws, acc);
      acc = j + 1 > min ? optional(cont) : cont;
    }
    return seq(lang(CharLang.codePoint('['), "\"[\""), ws, acc, closer(']'));
  }

  /** The part's positional item schemas ({@code prefixItems}, or draft-04 {@code items} array). */
  private static List<JsonValue> prefix(Part p) {
    if (p.get("prefixItems") instanceof JsonValue.Arr pa) {
      return pa.elements();
    }
    if (p.get("prefixItems") != null) {
      throw SchemaException.invalid(p.ptr() + "/prefixItems", "prefixItems", "must be an array");
    }
    if (p.get("prefixItems") == null && p.get("items") instanceof JsonValue.Arr ia) {
      return ia.elements();
    }
    return List.of();
  }

  private static String prefixPointer(Part p) {
    return p.ptr() + (p.get("prefixItems") != null ? "/prefixItems" : "/items");
  }

  /** The part's schema for elements after its prefix, or null: no constraint. */
  private static JsonValue rest(Part p) {
    if (p.get("prefixItems") != null) {
      return p.get("items");
    }
    if (p.get("items") instanceof JsonValue.Arr) {
      return p.get("additionalItems");
    }
    return p.get("items");
  }

  private static String restPointer(Part p) {
    if (p.get("prefixItems") == null && p.get("items") instanceof JsonValue.Arr) {
      return p.ptr() + "/additionalItems";
    }
    return p.ptr() + "/items";
  }

  // ---------------------------------------------------------------------------- free-form values

  /** A reference to the rule of all JSON values, defined on first use. */
  private GrammarExpr value() {
    if (!rules.containsKey(VALUE)) {
      rules.put(VALUE, null);
      GrammarExpr v = ref(VALUE);
      GrammarExpr member = member(lang(JsonLangs.STRING, "string"), v);
      GrammarExpr array =
          seq(
              lang(CharLang.codePoint('['), "\"[\""),
              ws,
              optional(seq(v, ws, star(seq(sep, v, ws)))),
              closer(']'));
      GrammarExpr object =
          seq(
              lang(CharLang.codePoint('{'), "\"{\""),
              ws,
              optional(seq(member, star(seq(sep, member)))),
              closer('}'));
      GrammarExpr body =
          new Alt(
              List.of(
                  lang(KINDS[0], "null"),
                  lang(KINDS[1], "boolean"),
                  lang(JsonLangs.ANY_NUMBER, "number"),
                  lang(JsonLangs.STRING, "string"),
                  array,
                  object),
              1,
              1);
      rules.put(VALUE, new GrammarDef.Rule(VALUE, body, 1, 1));
    }
    return ref(VALUE);
  }

  // -------------------------------------------------------------------------------- kinds, types

  private enum Kind {
    NULL,
    BOOLEAN,
    NUMBER,
    INTEGER,
    STRING,
    ARRAY,
    OBJECT
  }

  /** Keywords that apply to one kind of value only (the rest of the value passes them). */
  private static final Set<String> TYPED = typed();

  private static Set<String> typed() {
    Set<String> s = new java.util.HashSet<>();
    s.addAll(SchemaKeywords.OBJECT_KEYWORDS);
    s.addAll(SchemaKeywords.ARRAY_KEYWORDS);
    s.addAll(SchemaKeywords.STRING_KEYWORDS);
    s.addAll(SchemaKeywords.NUMBER_KEYWORDS);
    return Set.copyOf(s);
  }

  /** The kinds {@code o}'s {@code type} admits (every kind when it has none). */
  private Set<Kind> typeKinds(JsonValue.Obj o, String ptr) {
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (String n : JsonSchemaCompiler.typeNames(o.get("type"), ptr)) {
      kinds.add(Kind.valueOf(n.toUpperCase(java.util.Locale.ROOT)));
    }
    if (kinds.contains(Kind.NUMBER)) {
      kinds.remove(Kind.INTEGER); // numbers include the integers
    }
    if (kinds.isEmpty()) {
      throw SchemaException.invalid(ptr + "/type", "type", "must name at least one type");
    }
    return kinds;
  }

  /**
   * Whether no value passes two of {@code branches} inside the conjunction {@code parts}. Each pair
   * either admits no kind of value in common (within the kinds the conjunction's {@code type}s
   * leave), or shares objects only and is told apart by a discriminating property: one that both
   * branches list scalar values for ({@code const}/{@code enum}), with no value in common, and that
   * one of them (or the conjunction) requires. Anything else counts as a possible overlap.
   */
  private boolean disjointBranches(List<JsonValue> branches, String ptr, List<Part> parts) {
    EnumSet<Kind> ambient = EnumSet.complementOf(EnumSet.of(Kind.INTEGER));
    Set<String> ambientRequired = new java.util.HashSet<>();
    for (Part q : parts) {
      if (q.get("type") != null) {
        ambient.retainAll(kindsOf(q.schema(), q.ptr()));
      }
      ambientRequired.addAll(requiredNames(q.get("required")));
    }
    List<JsonValue.Obj> bs = new ArrayList<>();
    List<EnumSet<Kind>> kinds = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      SchemaRefs.Target t = throughRefs(branches.get(i), ptr + "/" + i);
      if (t == null) {
        return false;
      }
      JsonValue.Obj o = (JsonValue.Obj) t.schema();
      EnumSet<Kind> k = o.members().containsKey("type") ? kindsOf(o, t.pointer()) : ambient.clone();
      k.retainAll(ambient);
      bs.add(o);
      kinds.add(k);
    }
    for (int i = 0; i < bs.size(); i++) {
      for (int j = i + 1; j < bs.size(); j++) {
        EnumSet<Kind> shared = kinds.get(i).clone();
        shared.retainAll(kinds.get(j));
        if (shared.isEmpty()) {
          continue;
        }
        if (!shared.equals(EnumSet.of(Kind.OBJECT))
            || !discriminated(bs.get(i), bs.get(j), ambientRequired, ptr)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether a property that {@code a}, {@code b} or the conjunction requires tells them apart. */
  private boolean discriminated(
      JsonValue.Obj a, JsonValue.Obj b, Set<String> ambientRequired, String ptr) {
    Set<String> keys = new java.util.LinkedHashSet<>(ambientRequired);
    keys.addAll(requiredNames(a.get("required")));
    keys.addAll(requiredNames(b.get("required")));
    for (String k : keys) {
      Set<JsonValue> va = listedScalars(a, k, ptr);
      Set<JsonValue> vb = va == null ? null : listedScalars(b, k, ptr);
      if (vb != null && java.util.Collections.disjoint(va, vb)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The scalar values {@code o}'s {@code properties/k} lists ({@code const}, {@code enum}, or both
   * met), or null when it lists none or a structured one. Scalars compare as JSON values do
   * (numbers by value).
   */
  private Set<JsonValue> listedScalars(JsonValue.Obj o, String k, String ptr) {
    if (!(o.get("properties") instanceof JsonValue.Obj props) || props.get(k) == null) {
      return null;
    }
    SchemaRefs.Target t = throughRefs(props.get(k), ptr + "/properties/" + k);
    if (t == null) {
      return null;
    }
    JsonValue.Obj s = (JsonValue.Obj) t.schema();
    Set<JsonValue> out = null;
    if (s.members().containsKey("const")) {
      out = new java.util.HashSet<>(List.of(s.get("const")));
    }
    if (s.get("enum") instanceof JsonValue.Arr e) {
      Set<JsonValue> listed = new java.util.HashSet<>(e.elements());
      if (out == null) {
        out = listed;
      } else {
        out.retainAll(listed);
      }
    }
    if (out == null || out.stream().anyMatch(SchemaGrammar::structured)) {
      return null;
    }
    return out;
  }

  /**
   * {@code s} with lone {@code $ref}s followed (at most 16), when it ends at a schema object; else
   * null.
   */
  private SchemaRefs.Target throughRefs(JsonValue s, String ptr) {
    for (int hops = 0; hops <= 16; hops++) {
      if (!(s instanceof JsonValue.Obj o)) {
        return null;
      }
      if (!(o.get("$ref") instanceof JsonValue.Str ref)
          || SchemaKeywords.assertions(o).size() != 1) {
        return new SchemaRefs.Target(o, ptr);
      }
      SchemaRefs.Target t = st.resolver.resolve(ref.value(), ptr + "/$ref", o);
      s = t.schema();
      ptr = t.pointer();
    }
    return null;
  }

  /** The kinds {@code o}'s {@code type} admits, integers counted as numbers. */
  private EnumSet<Kind> kindsOf(JsonValue.Obj o, String ptr) {
    EnumSet<Kind> out = EnumSet.noneOf(Kind.class);
    for (Kind k : typeKinds(o, ptr)) {
      out.add(k == Kind.INTEGER ? Kind.NUMBER : k);
    }
    return out;
  }

  /** The names a {@code required} value lists (none when it is absent or malformed). */
  private static Set<String> requiredNames(JsonValue required) {
    Set<String> out = new java.util.HashSet<>();
    if (required instanceof JsonValue.Arr a) {
      for (JsonValue v : a.elements()) {
        if (v instanceof JsonValue.Str n) {
          out.add(n.value());
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------- helpers

  /** Subschemas known to reach (true) or not to reach (false) a cycle of {@code $ref}s. */
  private final Map<JsonValue, Boolean> recursion = new java.util.IdentityHashMap<>();

  private final Set<JsonValue> onPath =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /**
   * Keywords whose values are data, not subschemas, or definitions (reached through the {@code
   * $ref}s that use them).
   */
  private static final Set<String> DATA =
      Set.of("enum", "const", "default", "examples", "$defs", "definitions");

  /**
   * Whether {@code s} reaches a cycle of {@code $ref}s (through any of its subschemas): a
   * depth-first walk over the schema's JSON with references followed; a node met again while it is
   * being walked closes a cycle. Results are path-independent (a node that reaches a cycle is on
   * one or reaches one), so both answers are kept.
   */
  boolean recursive(JsonValue s) {
    Boolean known = recursion.get(s);
    if (known != null) {
      return known;
    }
    if (onPath.contains(s)) {
      return true;
    }
    onPath.add(s);
    boolean found = false;
    if (s instanceof JsonValue.Obj o) {
      for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
        if (DATA.contains(e.getKey())) {
          continue;
        }
        if (e.getKey().equals("$ref") && e.getValue() instanceof JsonValue.Str ref) {
          try {
            found |= recursive(st.resolver.resolve(ref.value(), "", o).schema());
          } catch (ConstraintException unresolvable) {
            // reported where the DFA compilation meets it
          }
        } else {
          found |= recursive(e.getValue());
        }
      }
    } else if (s instanceof JsonValue.Arr a) {
      for (JsonValue v : a.elements()) {
        found |= recursive(v);
      }
    }
    onPath.remove(s);
    recursion.put(s, found);
    return found;
  }

  private static Set<String> assertions(Part p) {
    Set<String> out = SchemaKeywords.assertions(p.schema());
    out.removeAll(p.skip());
    return out;
  }

  private static List<JsonValue> branches(JsonValue.Obj o, String kw, String ptr) {
    if (!(o.get(kw) instanceof JsonValue.Arr arr) || arr.elements().isEmpty()) {
      throw SchemaException.invalid(ptr + "/" + kw, kw, "must be a non-empty array of schemas");
    }
    return arr.elements();
  }

  private String define(String name, GrammarExpr body) {
    rules.put(name, new GrammarDef.Rule(name, body, 1, 1));
    return name;
  }

  /** An object member as {@link JsonStructures#member} writes it: key, colon, value, spacing. */
  private GrammarExpr member(GrammarExpr key, GrammarExpr value) {
    return seq(key, ws, lang(CharLang.codePoint(':'), "\":\""), ws, value, ws);
  }

  private GrammarExpr closer(char c) {
    return lang(CharLang.codePoint(c), "\"" + c + "\"");
  }

  private static GrammarExpr lang(CharLang l, String label) {
    return new GrammarExpr.Lang(l, label, 1, 1);
  }

  private static GrammarExpr ref(String name) {
    return new Ref(name, 1, 1);
  }

  private static GrammarExpr empty() {
    return new Seq(List.of(), 1, 1);
  }

  private static GrammarExpr seq(GrammarExpr... items) {
    return new Seq(List.of(items), 1, 1);
  }

  private static GrammarExpr alt(GrammarExpr a, GrammarExpr b) {
    return new Alt(List.of(a, b), 1, 1);
  }

  private static GrammarExpr optional(GrammarExpr e) {
    return new Repeat(e, 0, 1, 1, 1);
  }

  private static GrammarExpr star(GrammarExpr e) {
    return new Repeat(e, 0, Repeat.UNBOUNDED, 1, 1);
  }
}
