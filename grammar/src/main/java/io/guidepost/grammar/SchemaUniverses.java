package io.guidepost.grammar;

import static io.guidepost.grammar.SchemaConstants.KINDS;
import static io.guidepost.grammar.SchemaConstants.PLAIN_STRING;
import static io.guidepost.grammar.SchemaKeyOrder.EMPTY_CTX;
import static io.guidepost.grammar.SchemaKeyOrder.orEmpty;
import static io.guidepost.grammar.SchemaKeywords.ASSERTIONS;
import static io.guidepost.grammar.SchemaKeywords.NUMBER_KEYWORDS;
import static io.guidepost.grammar.SchemaKeywords.STRING_KEYWORDS;

import io.guidepost.grammar.JsonStructures.Presence;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Universes of {@link JsonSchemaCompiler}: every canonical JSON value at an instance location,
 * free-form nesting bounded ({@link #universe(Ctx)}), which is what a location without constraints
 * compiles to, and the narrower universes complements are taken in ({@link #complementUniverse}),
 * given where the complemented subschema looks ({@link Look}, {@link #look}).
 */
final class SchemaUniverses {
  private final SchemaCompileState st;
  private final JsonStructures json;
  private final JsonSchemaOptions options;
  private final GrammarLimits limits;

  SchemaUniverses(SchemaCompileState st, JsonStructures json) {
    this.st = st;
    this.json = json;
    this.options = st.options;
    this.limits = st.limits;
  }

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
  record Look(boolean full, boolean extras, Map<String, Look> props, Look extraValues, Look items) {
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
  Look look(JsonValue s) {
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
        SchemaRefs.Target t;
        try {
          t = st.resolver.resolve(ref.value(), "", o);
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
   * the last duplicate), nor strings needing escapes where it checks strings. So where the
   * subschema looks at the additional members of an object, or at anything not tracked by {@link
   * Look}, the universe is the one-extra universe ({@link Look#FULL}) below that location; where it
   * looks only at the value itself, its declared members or array elements, objects keep any number
   * of additional members (duplicates among them change nothing the subschema sees) and strings
   * there have no characters that need escaping; where it looks at nothing, the location is
   * free-form as in every compiled language. The same depth bounds apply as in {@link
   * #universe(Ctx, int, int, Look)}, so this universe still lies inside the free-form language at
   * each location, and the subschema's language is exact within it whenever it is exact within the
   * one-extra universe.
   */
  CharLang complementUniverse(Ctx ctx, Look look) {
    return universe(ctx, st.knownDepth, options.boundedDepth(), look);
  }

  record UniKey(Ctx ctx, int known, int depth, Look look) {}

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
    st.boundedUses++; // a free-form value: bounded here, exact on the context-free layer
    return universe(ctx, st.knownDepth, options.boundedDepth(), null);
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
      depth = options.boundedDepth();
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
    CharLang done = st.universes.get(key);
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
      kinds.add(json.bracket('[', CharLang.emptyString(), ']'));
      kinds.add(json.bracket('{', CharLang.emptyString(), '}'));
    } else {
      int k1 = free ? known - 1 : known;
      int d1 = free ? options.boundedDepth() : depth - 1;
      Look itemLook = look == null ? null : full ? Look.FULL : look.items();
      kinds.add(json.arrayOf(List.of(), universe(orEmpty(ctx.items), k1, d1, itemLook), 0, -1));
      List<CharLang> members = new ArrayList<>();
      List<Presence> modes = new ArrayList<>();
      for (String k : ctx.keys) {
        // A declared name is also seen by additionalProperties/patternProperties when the
        // subschema does not declare it, or matches a pattern: both looks apply (conservative).
        Look kl =
            look == null
                ? null
                : full ? Look.FULL : Look.merge(look.props().get(k), look.extraValues());
        members.add(
            json.member(JsonLangs.stringLiteral(k), universe(st.childCtx(ctx, k), k1, d1, kl)));
        modes.add(Presence.OPTIONAL);
      }
      CharLang names = extras ? additionalKeys(ctx).intersect(PLAIN_STRING) : additionalKeys(ctx);
      // Where the subschema looks at additional members but not into their values (closed
      // objects, counts, names), their values get the one-extra universe, the smallest.
      Look extraLook =
          look == null
              ? null
              : full || (extras && look.extraValues() == null) ? Look.FULL : look.extraValues();
      CharLang extra = json.member(names, universe(orEmpty(ctx.extra), k1, d1, extraLook));
      kinds.add(json.objectOf(members, modes, extra, extras ? 1 : -1, 0, -1));
    }
    CharLang u = CharLang.union(kinds);
    st.universes.put(key, u);
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

  CharLang additionalKeys(Ctx ctx) {
    if (ctx.keys.isEmpty()) {
      return JsonLangs.STRING;
    }
    List<String> known = new ArrayList<>();
    for (String k : ctx.keys) {
      known.add(JsonText.string(k));
    }
    return JsonLangs.STRING.minus(CharLang.stringUnion(known));
  }
}
