package io.guidepost.grammar;

import static io.guidepost.grammar.JsonSchemaCompiler.display;
import static io.guidepost.grammar.SchemaConstants.CANONICAL_NUMBERS_ONLY;
import static io.guidepost.grammar.SchemaKeyOrder.orEmpty;
import static io.guidepost.grammar.SchemaScalars.count;

import io.guidepost.grammar.JsonSchemaCompiler.Lang;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arrays for {@link JsonSchemaCompiler}: {@code items} (schema and tuple forms), {@code
 * prefixItems}, {@code additionalItems}, {@code minItems}, {@code maxItems}, {@code contains} with
 * {@code minContains} and {@code maxContains}, and {@code uniqueItems} over finite item sets.
 */
final class SchemaArrays {
  private final JsonSchemaCompiler compiler;
  private final JsonStructures json;
  private final SchemaUniverses universes;
  private final SchemaScalars scalars;
  private final GrammarLimits limits;

  SchemaArrays(
      JsonSchemaCompiler compiler,
      SchemaCompileState st,
      JsonStructures json,
      SchemaUniverses universes,
      SchemaScalars scalars) {
    this.compiler = compiler;
    this.json = json;
    this.universes = universes;
    this.scalars = scalars;
    this.limits = st.limits;
  }

  Lang arrayLang(JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
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
    String subset = null;
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
        Lang l =
            compiler.compile(
                pa.elements().get(i), ptr + "/prefixItems/" + i, itemCtx, refs, depth + 1);
        prefix.add(l.lang());
        exact &= l.exact();
        subset = Lang.or(subset, l.subset());
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
        Lang l =
            compiler.compile(ia.elements().get(i), ptr + "/items/" + i, itemCtx, refs, depth + 1);
        prefix.add(l.lang());
        exact &= l.exact();
        subset = Lang.or(subset, l.subset());
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
    String restSubset;
    if (restGiven) {
      Lang l = compiler.compile(restSchema, restPtr, itemCtx, refs, depth + 1);
      rest = l.lang();
      exact &= l.exact();
      restSubset = l.subset();
    } else {
      rest = universes.universe(itemCtx);
      restSubset = Lang.freeForm(display(ptr) + " (items)");
    }
    // The rest schema only matters when elements beyond the prefix are possible.
    boolean restUsed = max < 0 || max > prefix.size();
    if (restUsed) {
      subset = Lang.or(subset, restSubset);
    }
    CharLang lang = json.arrayOf(prefix, rest, min, max);
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
      subset = Lang.or(subset, c.subset());
    }
    return new Lang(lang, exact, subset);
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
    Lang s = compiler.compile(o.get("contains"), ptr + "/contains", itemCtx, refs, depth + 1);
    CharLang yes = s.lang().intersect(elements);
    CharLang no = elements;
    String subset = s.subset();
    if (maxC >= 0) {
      if (!s.exact()) {
        throw SchemaException.unsupported(
            ptr + "/maxContains",
            "maxContains",
            "the contains schema cannot be compiled exactly, so the elements it rejects cannot be"
                + " counted");
      }
      CharLang confined =
          elements.intersect(
              universes.complementUniverse(itemCtx, universes.look(o.get("contains"))));
      if (!elements.minus(confined).isEmpty()) {
        subset =
            Lang.or(
                subset,
                display(ptr) + ": maxContains counts elements within the complement universe only");
      }
      no = confined.minus(s.lang());
    }
    return new Lang(json.countingArrays(yes, no, minC, maxC), s.exact(), subset);
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
      return json.bracket('[', CharLang.emptyString(), ']');
    }
    List<CharLang> classes = new ArrayList<>(); // the spellings of each value among the elements
    for (JsonValue v : values) {
      classes.add(elements.intersect(scalars.valueLang(v, itemCtx)));
    }
    if (!elements.minus(CharLang.union(classes)).isEmpty()) {
      throw uniqueItemsUnsupported(
          ptr, "some item values have no canonical spelling among the items");
    }
    CharLang unique = null;
    for (int i = 0; i < classes.size(); i++) {
      List<CharLang> others = new ArrayList<>(classes);
      others.remove(i);
      CharLang a = json.countingArrays(classes.get(i), CharLang.union(others), 0, 1);
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
}
