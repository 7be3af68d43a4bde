package io.guidepost.grammar;

import io.guidepost.grammar.JsonSchemaCompiler.Lang;
import io.guidepost.grammar.SchemaKeyOrder.Ctx;
import io.guidepost.grammar.SchemaKeyOrder.Merger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one {@link JsonSchemaCompiler} compilation, shared by its parts: the schema and
 * options with what is derived from them once (whitespace, dialect flags, the {@code $ref} index),
 * and the mutable part: caches of compiled subschemas, universes and patterns, the subschema count
 * against {@link GrammarLimits#maxSchemaNodes()}, the parameters of the current attempt (see {@link
 * JsonSchemaCompiler#compileRoot}) and the ignored keywords met so far. One instance per
 * compilation; not thread-safe.
 */
final class SchemaCompileState {
  final JsonValue root;
  final JsonSchemaOptions options;
  final GrammarLimits limits;
  final CharLang ws;
  final CharLang sep;
  final boolean draft04; // drafts 03 and 04, see draft04(JsonValue)
  final boolean refIgnoresSiblings; // drafts 04 to 07: keywords beside $ref are ignored
  final SchemaRefs resolver;
  final Map<Object, Lang> memo = new HashMap<>();
  final Map<SchemaUniverses.UniKey, CharLang> universes = new HashMap<>();
  private final Merger merger = new Merger();
  final Map<String, CharLang> patterns = new HashMap<>();
  private final Map<String, IgnoredKeyword> ignored = new java.util.LinkedHashMap<>();
  int nodes;

  /**
   * How often compilation used a bound that is not in the schema (a free-form universe, a cut
   * recursion), counting memoized results that did again; {@link SchemaGrammar} compares it before
   * and after a subschema's compilation to know whether that language is exact.
   */
  int boundedUses;

  /** The memo keys whose languages used such a bound. */
  final java.util.Set<Object> boundedKeys = new java.util.HashSet<>();

  Ctx rootCtx;
  int knownDepth = SchemaUniverses.KNOWN_DEPTH;
  int countedLength = JsonSchemaCompiler.MAX_COUNTED_LENGTH;

  SchemaCompileState(JsonValue root, JsonSchemaOptions options) {
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
    this.draft04 = JsonSchemaCompiler.draft04(root);
    this.resolver = new SchemaRefs(root, limits, draft04);
  }

  Ctx childCtx(Ctx ctx, String key) {
    return merger.child(ctx, key);
  }

  void ignore(String ptr, String k, String reason) {
    ignored.putIfAbsent(ptr, new IgnoredKeyword(ptr, k, reason));
  }

  /** The keywords that constrained nothing, in the order compilation met them. */
  List<IgnoredKeyword> ignoredKeywords() {
    return List.copyOf(ignored.values());
  }
}
