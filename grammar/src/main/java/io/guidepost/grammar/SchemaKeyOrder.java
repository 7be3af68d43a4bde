package io.guidepost.grammar;

import static io.guidepost.grammar.SchemaRefs.escape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key-order tree of {@link JsonSchemaCompiler} (step 1 of its algorithm): for every instance
 * location the ordered union of the member names that any subschema applying there declares,
 * following in-place applicators and {@code $ref}s ({@link #visitCtx}); {@link Ctx} is also the
 * {@link JsonText.KeyOrder} documents are written in.
 */
final class SchemaKeyOrder {
  private final GrammarLimits limits;
  private final SchemaRefs resolver;

  SchemaKeyOrder(GrammarLimits limits, SchemaRefs resolver) {
    this.limits = limits;
    this.resolver = resolver;
  }

  /** Key-order tree node: member names at one instance location and the locations below it. */
  static final class Ctx implements JsonText.KeyOrder {
    final LinkedHashSet<String> keys = new LinkedHashSet<>();
    final Map<String, Ctx> props = new HashMap<>();
    Ctx extra;
    Ctx items;
    private final Map<String, Ctx> writtenChildren =
        new java.util.concurrent.ConcurrentHashMap<>(); // child(key), for writing documents

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
      // Cached on this node, so the cache lives as long as the tree (no process-wide memo).
      return keys.contains(key)
          ? writtenChildren.computeIfAbsent(key, k -> new Merger().child(this, k))
          : orEmpty(extra);
    }

    @Override
    public JsonText.KeyOrder items() {
      return orEmpty(items);
    }
  }

  static final Ctx EMPTY_CTX = new Ctx();

  static Ctx orEmpty(Ctx c) {
    return c == null ? EMPTY_CTX : c;
  }

  /** Merges key-order trees (the value of a declared member also follows the extra schemas). */
  static final class Merger {
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

  void visitCtx(JsonValue s, String ptr, Ctx node, Map<String, Integer> refs, int[] count) {
    visitCtx(s, ptr, node, refs, count, limits.recursionUnrollDepth());
  }

  /**
   * As {@link #visitCtx(JsonValue, String, Ctx, Map, int[])}, entering a {@code $ref} target at
   * most {@code unroll + 1} times on one path.
   */
  void visitCtx(
      JsonValue s, String ptr, Ctx node, Map<String, Integer> refs, int[] count, int unroll) {
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
            count,
            unroll);
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
            visitCtx(
                e.getValue(), ptr + "/" + dk + "/" + escape(e.getKey()), node, refs, count, unroll);
          } else if (e.getValue() instanceof JsonValue.Bool) {
            node.keys.add(e.getKey());
          }
        }
      }
    }
    if (o.get("patternProperties") instanceof JsonValue.Obj pp) {
      for (Map.Entry<String, JsonValue> e : pp.members().entrySet()) {
        visitCtx(e.getValue(), ptr, node.extraNode(), refs, count, unroll);
      }
    }
    if (o.get("additionalProperties") instanceof JsonValue.Obj ap) {
      visitCtx(ap, ptr, node.extraNode(), refs, count, unroll);
    }
    for (String ik : List.of("items", "prefixItems", "additionalItems", "contains")) {
      JsonValue iv = o.get(ik);
      if (iv instanceof JsonValue.Obj) {
        visitCtx(iv, ptr, node.itemsNode(), refs, count, unroll);
      } else if (iv instanceof JsonValue.Arr arr) {
        for (JsonValue x : arr.elements()) {
          visitCtx(x, ptr, node.itemsNode(), refs, count, unroll);
        }
      }
    }
    for (String ck : List.of("allOf", "anyOf", "oneOf")) {
      if (o.get(ck) instanceof JsonValue.Arr arr) {
        for (JsonValue x : arr.elements()) {
          visitCtx(x, ptr, node, refs, count, unroll);
        }
      }
    }
    for (String ck : List.of("not", "if", "then", "else")) {
      visitCtx(o.get(ck), ptr, node, refs, count, unroll);
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
      SchemaRefs.Target t;
      try {
        t = resolver.resolve(ref.value(), ptr + "/$ref", o);
      } catch (SchemaException e) {
        return; // reported when compiling
      }
      int c = refs.getOrDefault(t.pointer(), 0);
      if (c <= unroll) {
        refs.put(t.pointer(), c + 1);
        visitCtx(t.schema(), t.pointer(), node, refs, count, unroll);
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
}
