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
 * <p>Algorithm. Every subschema is first compiled by {@link JsonSchemaCompiler} as today; when that
 * compilation bounded nothing (no free-form universe, no cut recursion under it) its language is
 * exact and becomes one leaf ({@link GrammarExpr.Lang}), so regular parts stay DFAs with all the
 * keywords the DFA compiler implements. Otherwise the subschema is taken apart structurally: {@code
 * $ref} becomes a rule reference (one rule per target, so recursion is a cycle of rules and nothing
 * is unrolled), {@code anyOf} an alternation, {@code oneOf} one too when its branches admit
 * pairwise disjoint kinds of values, {@code type} an alternation over kinds, objects a chain of
 * member slots in key order (the same canonical form as {@link JsonStructures#objectOf}: declared
 * names never repeat, additional members have names distinct from them), arrays the form of {@link
 * JsonStructures#arrayOf}, and a free-form value a reference to the recursive rule of all JSON
 * values. What would need an intersection or a complement of non-regular languages ({@code allOf}
 * of several, {@code not}, {@code if}, keywords beside {@code $ref} or {@code anyOf}, {@code
 * patternProperties}, {@code propertyNames}, property counts, dependencies, {@code contains},
 * {@code uniqueItems}) cannot be taken apart: {@link NotStructural} is thrown and the caller keeps
 * the DFA path's bounded language, as before this layer existed.
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
  private final Map<String, String> refRules = new HashMap<>();
  private final GrammarExpr ws;
  private final GrammarExpr sep;
  private int fresh;
  private boolean complete = true;
  String notStructural; // why build() failed, for reports

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
    return complete;
  }

  /** The grammar of the whole schema (rule {@code root}). */
  GrammarDef build() {
    rules.put("root", null); // keeps the start rule first
    GrammarExpr body = node(st.root, "", st.rootCtx);
    rules.put("root", new GrammarDef.Rule("root", body, 1, 1));
    return new GrammarDef("json-schema", "", rules, "root", List.of());
  }

  // ------------------------------------------------------------------------------- one subschema

  private GrammarExpr node(JsonValue s, String ptr, Ctx ctx) {
    CharLang.checkDeadline("compiling the JSON Schema at " + JsonSchemaCompiler.display(ptr));
    if (s instanceof JsonValue.Bool b) {
      return b.value() ? value() : lang(CharLang.empty(), "false");
    }
    if (!(s instanceof JsonValue.Obj o)) {
      throw SchemaException.invalid(ptr, null, "a schema must be an object or a boolean");
    }
    if (leaves) {
      GrammarExpr leaf = leaf(o, ptr, ctx);
      if (leaf != null) {
        return leaf;
      }
    }
    Set<String> asserted = assertions(o);
    if (o.get("$ref") instanceof JsonValue.Str ref) {
      if (!st.refIgnoresSiblings && asserted.size() > 1) {
        throw new NotStructural(ptr, "keywords beside a recursive $ref");
      }
      return refRule(ref.value(), o, ptr, ctx);
    }
    for (String only : List.of("anyOf", "oneOf", "allOf")) {
      if (!asserted.contains(only)) {
        continue;
      }
      if (asserted.size() > 1) {
        throw new NotStructural(ptr, only + " beside other keywords around a free-form value or recursion");
      }
      List<JsonValue> branches = branches(o, only, ptr);
      if (only.equals("allOf") && branches.size() > 1) {
        throw new NotStructural(ptr, "allOf of several schemas around a free-form value or recursion");
      }
      if (only.equals("oneOf") && !disjointKinds(branches, ptr + "/oneOf")) {
        throw new NotStructural(ptr, "oneOf branches that may overlap around a free-form value or recursion");
      }
      List<GrammarExpr> alts = new ArrayList<>();
      for (int i = 0; i < branches.size(); i++) {
        alts.add(node(branches.get(i), ptr + "/" + only + "/" + i, ctx));
      }
      return alts.size() == 1 ? alts.get(0) : new Alt(alts, 1, 1);
    }
    for (String k : asserted) {
      if (!TYPED.contains(k) && !k.equals("type")) {
        throw new NotStructural(ptr, k + " around a free-form value or recursion");
      }
    }
    if (asserted.isEmpty()) {
      return value();
    }
    Set<Kind> kinds = typeKinds(o, ptr);
    List<GrammarExpr> alts = new ArrayList<>();
    for (Kind k : kinds) {
      alts.add(
          switch (k) {
            case NULL -> lang(KINDS[0], "null");
            case BOOLEAN -> lang(KINDS[1], "boolean");
            case NUMBER -> scalar(compiler.scalars().numberLang(o, ptr, false), "number");
            case INTEGER -> scalar(compiler.scalars().numberLang(o, ptr, true), "integer");
            case STRING -> scalar(compiler.scalars().stringLang(o, ptr), "string");
            case ARRAY -> array(o, ptr, ctx);
            case OBJECT -> object(o, ptr, ctx);
          });
    }
    return alts.size() == 1 ? alts.get(0) : new Alt(alts, 1, 1);
  }

  private GrammarExpr scalar(JsonSchemaCompiler.Lang l, String label) {
    complete &= l.complete();
    return lang(l.lang(), label);
  }

  /** The DFA path's language of {@code o}, when it bounded nothing; else null. */
  private GrammarExpr leaf(JsonValue.Obj o, String ptr, Ctx ctx) {
    int before = st.boundedUses;
    JsonSchemaCompiler.Lang l;
    try {
      l = compiler.compile(o, ptr, ctx, Map.of(), 0);
    } catch (ConstraintTooComplexException e) {
      if ("maxCompileMillis".equals(e.limitName()) || Thread.currentThread().isInterrupted()) {
        throw e;
      }
      return null; // too large as one automaton: take it apart
    }
    if (st.boundedUses != before) {
      return null;
    }
    complete &= l.complete();
    return lang(l.lang(), ptr);
  }

  /** The rule of the {@code $ref} target (made once per target, so recursion is a rule cycle). */
  private GrammarExpr refRule(String ref, JsonValue.Obj from, String ptr, Ctx ctx) {
    SchemaRefs.Target t = st.resolver.resolve(ref, ptr + "/$ref", from);
    String name = refRules.get(t.pointer());
    if (name == null) {
      name = "ref" + (fresh++);
      refRules.put(t.pointer(), name);
      rules.put(name, null); // defined below; a reference inside the body finds the name
      GrammarExpr body = node(t.schema(), t.pointer(), ctx);
      rules.put(name, new GrammarDef.Rule(name, body, 1, 1));
    }
    return new Ref(name, 1, 1);
  }

  // ------------------------------------------------------------------------------------ objects

  private static final Set<String> OBJECT_STRUCTURAL =
      Set.of("properties", "required", "additionalProperties");

  private GrammarExpr object(JsonValue.Obj o, String ptr, Ctx ctx) {
    for (String k : SchemaKeywords.OBJECT_KEYWORDS) {
      if (o.members().containsKey(k) && !OBJECT_STRUCTURAL.contains(k)) {
        throw new NotStructural(ptr, k + " on an object around a free-form value or recursion");
      }
    }
    JsonValue.Obj props = null;
    if (o.members().containsKey("properties")) {
      if (!(o.get("properties") instanceof JsonValue.Obj p)) {
        throw SchemaException.invalid(ptr + "/properties", "properties", "must be an object");
      }
      props = p;
    }
    Set<String> required = new LinkedHashSet<>();
    if (o.get("required") instanceof JsonValue.Arr req) {
      for (JsonValue v : req.elements()) {
        if (v instanceof JsonValue.Str s) {
          required.add(s.value());
        }
      }
    }
    JsonValue ap = o.get("additionalProperties");
    boolean noExtras = ap instanceof JsonValue.Bool b && !b.value();
    // Member slots for every name known at this location, in key order (as objectLang has them).
    List<GrammarExpr> members = new ArrayList<>();
    List<Boolean> mandatory = new ArrayList<>();
    for (String k : ctx.keys) {
      Ctx child = st.childCtx(ctx, k);
      GrammarExpr value;
      if (props != null && props.members().containsKey(k)) {
        value = node(props.get(k), ptr + "/properties/" + escape(k), child);
      } else if (ap == null) {
        value = value();
      } else {
        value = node(ap, ptr + "/additionalProperties", child);
      }
      members.add(
          new Seq(
              List.of(
                  lang(JsonLangs.stringLiteral(k), JsonText.string(k)),
                  ws,
                  lang(CharLang.codePoint(':'), "\":\""),
                  ws,
                  value,
                  ws),
              1,
              1));
      mandatory.add(required.contains(k));
    }
    GrammarExpr extra = null;
    if (!noExtras) {
      GrammarExpr extraValue =
          ap == null ? value() : node(ap, ptr + "/additionalProperties", orEmpty(ctx.extra));
      extra =
          new Seq(
              List.of(
                  lang(compiler.universes().additionalKeys(ctx), "an additional name"),
                  ws,
                  lang(CharLang.codePoint(':'), "\":\""),
                  ws,
                  extraValue,
                  ws),
              1,
              1);
    }
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

  private GrammarExpr array(JsonValue.Obj o, String ptr, Ctx ctx) {
    for (String k : SchemaKeywords.ARRAY_KEYWORDS) {
      if (o.members().containsKey(k) && !ARRAY_STRUCTURAL.contains(k)) {
        if (k.equals("uniqueItems") && o.get(k) instanceof JsonValue.Bool u && !u.value()) {
          continue;
        }
        throw new NotStructural(ptr, k + " on an array around a free-form value or recursion");
      }
    }
    int min = Math.max(0, count(o, "minItems", ptr));
    int max = count(o, "maxItems", ptr);
    if (max >= 0 && min > max) {
      return lang(CharLang.empty(), "no array");
    }
    Ctx itemCtx = orEmpty(ctx.items);
    List<GrammarExpr> prefix = new ArrayList<>();
    GrammarExpr rest = value();
    JsonValue items = o.get("items");
    if (o.get("prefixItems") instanceof JsonValue.Arr pa) {
      for (int i = 0; i < pa.elements().size(); i++) {
        prefix.add(node(pa.elements().get(i), ptr + "/prefixItems/" + i, itemCtx));
      }
      if (items != null) {
        rest = node(items, ptr + "/items", itemCtx);
      }
    } else if (items instanceof JsonValue.Arr ia) {
      for (int i = 0; i < ia.elements().size(); i++) {
        prefix.add(node(ia.elements().get(i), ptr + "/items/" + i, itemCtx));
      }
      if (o.members().containsKey("additionalItems")) {
        rest = node(o.get("additionalItems"), ptr + "/additionalItems", itemCtx);
      }
    } else if (items != null) {
      rest = node(items, ptr + "/items", itemCtx);
    }
    boolean restNone = rest instanceof GrammarExpr.Lang l && l.lang().isEmpty();
    int fixed = Math.max(prefix.size(), min);
    if (max >= 0) {
      fixed = Math.min(fixed, max);
    }
    GrammarExpr tail;
    if (restNone || (max >= 0 && fixed >= max)) {
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
      GrammarExpr cont = j > 0 ? seq(sep, e, ws, acc) : seq(e, ws, acc);
      acc = j + 1 > min ? optional(cont) : cont;
    }
    return seq(lang(CharLang.codePoint('['), "\"[\""), ws, acc, closer(']'));
  }

  // ---------------------------------------------------------------------------- free-form values

  /** A reference to the rule of all JSON values, defined on first use. */
  private GrammarExpr value() {
    if (!rules.containsKey(VALUE)) {
      rules.put(VALUE, null);
      GrammarExpr v = ref(VALUE);
      GrammarExpr member =
          seq(
              lang(JsonLangs.STRING, "string"),
              ws,
              lang(CharLang.codePoint(':'), "\":\""),
              ws,
              v,
              ws);
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
    JsonValue type = o.get("type");
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    List<String> names = new ArrayList<>();
    if (type == null) {
      names.addAll(List.of("null", "boolean", "number", "string", "array", "object"));
    } else if (type instanceof JsonValue.Str t) {
      names.add(t.value());
    } else if (type instanceof JsonValue.Arr arr) {
      for (JsonValue t : arr.elements()) {
        if (t instanceof JsonValue.Str ts) {
          names.add(ts.value());
        }
      }
    }
    for (String n : names) {
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

  /** Whether no two branches can both hold one value, judged by the kinds of values they admit. */
  private boolean disjointKinds(List<JsonValue> branches, String ptr) {
    EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
    for (int i = 0; i < branches.size(); i++) {
      EnumSet<Kind> k = admitted(branches.get(i), ptr + "/" + i, 0);
      if (k == null) {
        return false;
      }
      for (Kind x : k) {
        if (seen.contains(x)) {
          return false;
        }
      }
      seen.addAll(k);
    }
    return true;
  }

  /** The kinds of values {@code s} may admit (integers count as numbers), or null: unknown. */
  private EnumSet<Kind> admitted(JsonValue s, String ptr, int hops) {
    if (!(s instanceof JsonValue.Obj o) || hops > 16) {
      return null;
    }
    if (o.get("$ref") instanceof JsonValue.Str ref && assertions(o).size() == 1) {
      SchemaRefs.Target t = st.resolver.resolve(ref.value(), ptr + "/$ref", o);
      return admitted(t.schema(), t.pointer(), hops + 1);
    }
    if (!o.members().containsKey("type")) {
      return null;
    }
    EnumSet<Kind> out = EnumSet.noneOf(Kind.class);
    for (Kind k : typeKinds(o, ptr)) {
      out.add(k == Kind.INTEGER ? Kind.NUMBER : k);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------- helpers

  private static Set<String> assertions(JsonValue.Obj o) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : o.members().keySet()) {
      if (SchemaKeywords.OTHER_KEYWORDS.contains(k) || TYPED.contains(k)) {
        if (k.equals("format")
            && o.get(k) instanceof JsonValue.Str f
            && !JsonFormats.isSupported(f.value())) {
          continue; // an annotation (reported by the DFA compilation)
        }
        out.add(k);
      }
    }
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
