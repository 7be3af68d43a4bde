package io.guidepost.grammar;

import static io.guidepost.grammar.JsonSchemaCompiler.display;
import static io.guidepost.grammar.JsonSchemaCompiler.intersect;
import static io.guidepost.grammar.SchemaKeyOrder.EMPTY_CTX;
import static io.guidepost.grammar.SchemaKeyOrder.orEmpty;
import static io.guidepost.grammar.SchemaRefs.escape;
import static io.guidepost.grammar.SchemaScalars.count;

import io.guidepost.grammar.JsonSchemaCompiler.Lang;
import io.guidepost.grammar.JsonStructures.Presence;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Objects for {@link JsonSchemaCompiler}: {@code properties}, {@code required}, {@code
 * additionalProperties}, {@code patternProperties}, {@code propertyNames}, {@code minProperties},
 * {@code maxProperties}, {@code dependentRequired}, {@code dependentSchemas} and {@code
 * dependencies}, as member slots in key order (see {@link SchemaKeyOrder}) then additional members.
 */
final class SchemaObjects {
  private static final int MAX_PATTERN_PROPERTIES = 6;

  private final JsonSchemaCompiler compiler;
  private final SchemaCompileState st;
  private final JsonStructures json;
  private final SchemaUniverses universes;
  private final SchemaScalars scalars;

  SchemaObjects(
      JsonSchemaCompiler compiler,
      SchemaCompileState st,
      JsonStructures json,
      SchemaUniverses universes,
      SchemaScalars scalars) {
    this.compiler = compiler;
    this.st = st;
    this.json = json;
    this.universes = universes;
    this.scalars = scalars;
  }

  Lang objectLang(JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
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
              .add(compiler.compile(e.getValue(), at, ctx, refs, depth + 1));
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
      ppLangs.add(scalars.pattern(p, ptr + "/patternProperties/" + escape(p), "patternProperties"));
    }
    JsonValue ap = o.get("additionalProperties");
    CharLang names = null;
    boolean exact = true;
    String subset = null;
    if (o.members().containsKey("propertyNames")) {
      Lang pn =
          compiler.compile(
              o.get("propertyNames"), ptr + "/propertyNames", EMPTY_CTX, refs, depth + 1);
      names = pn.lang().intersect(JsonLangs.STRING);
      exact &= pn.exact();
      subset = Lang.or(subset, pn.subset());
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
      Ctx child = st.childCtx(ctx, k);
      List<Lang> parts = new ArrayList<>();
      if (props != null && props.members().containsKey(k)) {
        parts.add(
            compiler.compile(
                props.get(k), ptr + "/properties/" + escape(k), child, refs, depth + 1));
      }
      for (int i = 0; i < ppKeys.size(); i++) {
        if (ppLangs.get(i).accepts(k)) {
          parts.add(
              compiler.compile(
                  ppSchemas.get(i),
                  ptr + "/patternProperties/" + escape(ppKeys.get(i)),
                  child,
                  refs,
                  depth + 1));
        }
      }
      if (parts.isEmpty()) {
        if (ap == null) {
          parts.add(Lang.bounded(universes.universe(child), display(ptr) + "/" + escape(k)));
        } else {
          parts.add(compiler.compile(ap, ptr + "/additionalProperties", child, refs, depth + 1));
        }
      }
      Lang value = intersect(parts);
      exact &= value.exact();
      boolean nameAllowed = names == null || names.accepts(JsonText.string(k));
      if (nameAllowed) {
        subset = Lang.or(subset, value.subset());
      }
      CharLang key = nameAllowed ? JsonLangs.stringLiteral(k) : CharLang.empty();
      members.add(json.member(key, value.lang()));
    }
    // Additional members.
    CharLang extra = null;
    Ctx extraCtx = orEmpty(ctx.extra);
    CharLang keys = universes.additionalKeys(ctx);
    if (names != null) {
      keys = keys.intersect(names);
    }
    CharLang apLang;
    String apSubset;
    if (ap == null) {
      apLang = universes.universe(extraCtx);
      apSubset = Lang.freeForm(display(ptr) + " (additional members)");
    } else {
      Lang l = compiler.compile(ap, ptr + "/additionalProperties", extraCtx, refs, depth + 1);
      apLang = l.lang();
      exact &= l.exact();
      apSubset = l.subset();
    }
    boolean extraKeysPossible = !keys.isEmpty();
    if (ppKeys.isEmpty()) {
      extra = json.member(keys, apLang);
      if (extraKeysPossible && !apLang.isEmpty()) {
        subset = Lang.or(subset, apSubset);
      }
    } else {
      List<Lang> ppValues = new ArrayList<>();
      for (int i = 0; i < ppKeys.size(); i++) {
        Lang l =
            compiler.compile(
                ppSchemas.get(i),
                ptr + "/patternProperties/" + escape(ppKeys.get(i)),
                extraCtx,
                refs,
                depth + 1);
        ppValues.add(l);
        exact &= l.exact();
        subset = Lang.or(subset, l.subset());
      }
      List<CharLang> regions = new ArrayList<>();
      CharLang anyName = JsonLangs.SCALAR.star();
      CharLang quote = CharLang.codePoint('"');
      for (int mask = 0; mask < (1 << ppKeys.size()); mask++) {
        CharLang content = anyName;
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
        if (mask == 0 && !value.isEmpty()) {
          subset = Lang.or(subset, apSubset);
        }
        CharLang k =
            CharLang.concat(List.of(quote, JsonLangs.escaped(content), quote)).intersect(keys);
        regions.add(json.member(k, value));
      }
      extra = CharLang.union(regions);
    }
    if (extra != null && extra.isEmpty()) {
      extra = null;
    }
    List<Presence> modes = new ArrayList<>();
    for (String k : order) {
      modes.add(required.contains(k) ? Presence.REQUIRED : Presence.OPTIONAL);
    }
    // Two or more required additional members get distinct key lengths (see tail).
    if (extra != null && minP >= 2) {
      subset =
          Lang.or(
              subset,
              display(ptr)
                  + ": minProperties "
                  + minP
                  + " with additional members (their names get distinct lengths)");
    }
    CharLang extraMembers = extra;
    int minCount = Math.max(minP, 0);
    java.util.function.Function<List<Presence>, CharLang> objects =
        m -> json.objectOf(members, m, extraMembers, -1, minCount, maxP);
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
        subset = Lang.or(subset, d.subset());
      }
      lang = lang.intersect(objects.apply(with(modes, at, Presence.FORBIDDEN)).union(when));
    }
    return new Lang(lang, exact, subset);
  }

  /** A copy of {@code modes} with member {@code at} set to {@code p}. */
  private static List<Presence> with(List<Presence> modes, int at, Presence p) {
    List<Presence> m = new ArrayList<>(modes);
    m.set(at, p);
    return m;
  }
}
