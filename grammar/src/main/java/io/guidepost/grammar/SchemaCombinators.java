package io.guidepost.grammar;

import static io.guidepost.grammar.JsonSchemaCompiler.display;
import static io.guidepost.grammar.SchemaConstants.KINDS;

import io.guidepost.grammar.JsonSchemaCompiler.Lang;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The combinators of {@link JsonSchemaCompiler} that need complements: {@code not}, {@code
 * if}/{@code then}/{@code else} and {@code oneOf} ({@code allOf} and {@code anyOf} are plain
 * intersections and unions, see {@link JsonSchemaCompiler}). Complements are taken within the
 * complement universe ({@link SchemaUniverses#complementUniverse}) and need exact operands.
 */
final class SchemaCombinators {
  private final JsonSchemaCompiler compiler;
  private final SchemaUniverses universes;

  SchemaCombinators(JsonSchemaCompiler compiler, SchemaUniverses universes) {
    this.compiler = compiler;
    this.universes = universes;
  }

  /**
   * {@code not}: the complement of the negated schema's language within the complement universe
   * ({@link SchemaUniverses#complementUniverse}); the negated schema must be exact.
   */
  Lang not(JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    JsonValue negated = o.get("not");
    JsonValue positive = positive(negated);
    if (positive != null) {
      if (negated instanceof JsonValue.Obj n) {
        compiler.checkKeywords(n, ptr + "/not"); // its typos are errors even when it folds away
      }
      if (positive instanceof JsonValue.Bool b) {
        return b.value()
            ? Lang.bounded(universes.universe(ctx), display(ptr))
            : Lang.of(CharLang.empty());
      }
      return compiler.compile(positive, ptr + "/not/not", ctx, refs, depth + 2);
    }
    Lang inner = compiler.compile(negated, ptr + "/not", ctx, refs, depth + 1);
    if (!inner.exact()) {
      throw SchemaException.unsupported(
          ptr + "/not",
          "not",
          "the negated schema cannot be compiled exactly, so its complement cannot be either");
    }
    // Exact within the universe u, the negated language leaves exactly u's valid texts.
    CharLang u = universes.complementUniverse(ctx, universes.look(o.get("not")));
    return new Lang(
        u.minus(inner.lang()),
        true,
        display(ptr) + ": not, taken within the complement universe",
        u);
  }

  /**
   * A schema equivalent to {@code {"not": negated}} without the negation, when one is known without
   * compiling anything: {@code not: false} is {@code true}, {@code not: true} and a {@code not} of
   * a schema without assertions (annotations only) are {@code false}, and a double negation {@code
   * not: {not: X}} (nothing but annotations beside the inner {@code not}, and no {@code $id} that
   * would move X's base) is X. Null otherwise. Exact, so the complement universe is not needed.
   */
  static JsonValue positive(JsonValue negated) {
    // Callers apply the keyword policy to the negated schema too: its unimplemented assertions and
    // near misses are refused, not folded away.
    if (negated instanceof JsonValue.Bool b) {
      return new JsonValue.Bool(!b.value());
    }
    if (!(negated instanceof JsonValue.Obj o)
        || o.members().containsKey("$id")
        || o.members().containsKey("id")) {
      return null;
    }
    Set<String> asserted = SchemaKeywords.assertions(o);
    if (asserted.isEmpty()) {
      return new JsonValue.Bool(false);
    }
    return asserted.equals(Set.of("not")) ? o.get("not") : null;
  }

  /**
   * {@code if} with {@code then} and/or {@code else}: the condition's language (intersected with
   * {@code then}) united with its complement within the complement universe (intersected with
   * {@code else}); the condition must be exact.
   */
  Lang ifThenElse(JsonValue.Obj o, String ptr, Ctx ctx, Map<String, Integer> refs, int depth) {
    Lang cond = compiler.compile(o.get("if"), ptr + "/if", ctx, refs, depth + 1);
    if (!cond.exact()) {
      throw SchemaException.unsupported(
          ptr + "/if", "if", "the condition cannot be compiled exactly");
    }
    boolean exact = true;
    CharLang yes = cond.lang();
    if (o.members().containsKey("then")) {
      Lang then = compiler.compile(o.get("then"), ptr + "/then", ctx, refs, depth + 1);
      yes = yes.intersect(then.lang());
      exact &= then.exact();
    }
    // The 'else' side is confined to the complement universe: never complete.
    CharLang no = universes.complementUniverse(ctx, universes.look(o.get("if"))).minus(cond.lang());
    if (o.members().containsKey("else")) {
      Lang otherwise = compiler.compile(o.get("else"), ptr + "/else", ctx, refs, depth + 1);
      no = no.intersect(otherwise.lang());
      exact &= otherwise.exact();
    }
    return new Lang(
        yes.union(no), exact, display(ptr) + ": if/else, taken within the complement universe");
  }

  /** The kinds of value ({@link SchemaConstants#KINDS}) {@code l} has texts of, as a bit set. */
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
   * {@code oneOf}: branches that cannot share a value (disjoint value kinds, or complete languages
   * without a text in common: each holds every valid text of its branch) are unioned as they are;
   * other branches sharing a kind must be exact, each keeps only what the others reject, and the
   * result is confined to the complement universe, where the exactness of the other branches holds.
   */
  Lang oneOf(List<Lang> branches, String ptr, Ctx ctx, JsonValue branchSchemas) {
    int n = branches.size();
    int[] k = new int[n];
    for (int i = 0; i < n; i++) {
      k[i] = kinds(branches.get(i).lang());
    }
    boolean overlapping = false;
    List<CharLang> out = new ArrayList<>();
    boolean exact = true;
    String subset = null;
    for (int i = 0; i < n; i++) {
      Lang bi = branches.get(i);
      exact &= bi.exact();
      subset = Lang.or(subset, bi.subset());
      List<CharLang> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        Lang bj = branches.get(j);
        if (j == i || (k[i] & k[j]) == 0) {
          continue;
        }
        if (bi.complete() && bj.complete() && !bi.lang().overlaps(bj.lang())) {
          continue; // no valid text of one is a text of the other
        }
        if (!(bi.exact() && bj.exact())) {
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
        others.add(bj.lang());
      }
      out.add(others.isEmpty() ? bi.lang() : bi.lang().minus(CharLang.union(others)));
    }
    CharLang u = CharLang.union(out);
    if (!overlapping) {
      return new Lang(u, exact, subset);
    }
    // The other branches are exact within the complement universe only. The confinement loses
    // nothing (completeness kept) when the differences already lie inside that universe.
    CharLang universe = universes.complementUniverse(ctx, universes.look(branchSchemas));
    CharLang confined = u.intersect(universe);
    if (u.minus(confined).isEmpty()) {
      return new Lang(confined, exact, subset);
    }
    String reason = display(ptr) + ": overlapping oneOf, taken within the complement universe";
    // Complete branches: exactly the universe's valid texts, so it may be met with others (within).
    return subset == null
        ? new Lang(confined, exact, reason, universe)
        : new Lang(confined, exact, subset);
  }
}
