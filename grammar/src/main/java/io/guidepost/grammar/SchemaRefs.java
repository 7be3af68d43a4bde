package io.guidepost.grammar;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code $ref} resolution for {@link JsonSchemaCompiler}: the schema resources ({@code $id}) and
 * anchors of one document, indexed once, and the resolution of a reference to a JSON pointer or
 * anchor inside the document (other documents are never fetched). Immutable after construction.
 */
final class SchemaRefs {
  /** The base URI of a schema without {@code $id} (never fetched: references stay inside). */
  private static final java.net.URI DEFAULT_BASE =
      java.net.URI.create("https://guidepost.invalid/schema.json");

  /** Schema resources by absolute URI without fragment: the root and each embedded {@code $id}. */
  private final Map<String, Target> resources = new HashMap<>();

  /** Anchors ({@code $anchor}, fragment-only ids) by resource URI + {@code #} + name. */
  private final Map<String, Target> anchors = new HashMap<>();

  /** The base URI of every indexed schema object (identity keys). */
  private final Map<JsonValue, java.net.URI> baseOf = new IdentityHashMap<>();

  private final java.net.URI rootBase;

  private final GrammarLimits limits;
  private final boolean draft04; // drafts 03 and 04: identifiers are spelled id

  SchemaRefs(JsonValue root, GrammarLimits limits, boolean draft04) {
    this.limits = limits;
    this.draft04 = draft04;
    index(root, "", DEFAULT_BASE, 0);
    this.rootBase = baseOf.getOrDefault(root, DEFAULT_BASE);
  }

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

  /** A schema and its JSON pointer (its location in the document, for messages and memo keys). */
  record Target(JsonValue schema, String pointer) {}

  /**
   * The schema {@code ref} (the {@code $ref} of {@code from}, at {@code at}) points to: a JSON
   * pointer or anchor in the document's root resource or in an embedded resource ({@code $id}), the
   * reference resolved against {@code from}'s base URI. Anything else (another document) answers
   * {@code schema-unsupported}.
   */
  Target resolve(String ref, String at, JsonValue from) {
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
}
