package io.guidepost.grammar;

import java.util.List;
import java.util.Set;

/**
 * The keywords {@link JsonSchemaCompiler} knows and its keyword policy: which names are assertions
 * (by vocabulary), which are annotations, and what an unimplemented or unknown keyword (or {@code
 * format}) does: reported as an annotation, or rejected (unimplemented assertions, near misses of
 * assertion keywords, anything unknown under {@link JsonSchemaOptions#strictKeywords()}).
 */
final class SchemaKeywords {
  private SchemaKeywords() {}

  static final Set<String> ANNOTATIONS =
      Set.of(
          "$schema",
          "$id",
          "id",
          "$anchor",
          "$dynamicAnchor",
          "$recursiveAnchor",
          "$comment",
          "$vocabulary",
          "title",
          "description",
          "default",
          "examples",
          "deprecated",
          "readOnly",
          "writeOnly",
          "contentMediaType",
          "contentEncoding",
          "contentSchema",
          "$defs",
          "definitions");

  /**
   * Keywords that other published vocabularies define as annotations (never assertions on the
   * instance): JSON Hyper-Schema ({@code links}, {@code base}, {@code media}, and draft-03's {@code
   * readonly}), OpenAPI ({@code example}, {@code externalDocs}, {@code xml}), jsonschema2pojo
   * ({@code javaType}, {@code javaName}, {@code javaInterfaces}, {@code javaEnumNames}, {@code
   * existingJavaType}), form generators ({@code enumNames}, {@code propertyOrder}), editors ({@code
   * markdownDescription}, {@code enumDescriptions}, {@code markdownEnumDescriptions}, {@code
   * deprecationMessage}, {@code errorMessage}) and test-data generators ({@code faker}, {@code
   * chance}).
   */
  static final Set<String> FOREIGN_ANNOTATIONS =
      Set.of(
          "links",
          "base",
          "media",
          "readonly",
          "example",
          "externalDocs",
          "xml",
          "javaType",
          "javaName",
          "javaInterfaces",
          "javaEnumNames",
          "existingJavaType",
          "enumNames",
          "propertyOrder",
          "markdownDescription",
          "enumDescriptions",
          "markdownEnumDescriptions",
          "deprecationMessage",
          "errorMessage",
          "faker",
          "chance");

  /** Core keywords of any draft (lower case); a {@code $} name matching none is not one. */
  private static final Set<String> CORE_KEYWORDS =
      Set.of(
          "$schema",
          "$id",
          "$ref",
          "$anchor",
          "$dynamicref",
          "$dynamicanchor",
          "$recursiveref",
          "$recursiveanchor",
          "$vocabulary",
          "$comment",
          "$defs");

  /**
   * Whether a keyword this compiler does not implement is known not to be an assertion, whatever
   * the keyword policy: a JSON Schema annotation ({@link #ANNOTATIONS}), an annotation of another
   * vocabulary ({@link #FOREIGN_ANNOTATIONS}), a vendor extension ({@code x-} prefix, OpenAPI's
   * convention), a disabled or private copy ({@code _} prefix), a JSON-LD keyword ({@code @type},
   * {@code @id}, {@code @context}), or a {@code $} name that is none of the core keywords of any
   * draft (the {@code $} prefix is reserved to the core vocabulary, which asserts only through
   * references). Other unknown keywords are annotations too unless {@link
   * JsonSchemaOptions#strictKeywords()} (see {@link #keyword}).
   */
  static boolean ignoredKeyword(String k) {
    if (ANNOTATIONS.contains(k) || FOREIGN_ANNOTATIONS.contains(k)) {
      return true;
    }
    if (k.startsWith("x-") || k.startsWith("_") || k.startsWith("@")) {
      return true;
    }
    return k.startsWith("$") && !CORE_KEYWORDS.contains(k.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Assertion keywords of the drafts this compiler reads that it does not implement: always an
   * error (ignoring them would loosen the schema). Draft-03's {@code extends}, {@code disallow} and
   * {@code divisibleBy} are included: they assert where a draft-03 schema uses them.
   */
  static final Set<String> UNIMPLEMENTED_ASSERTIONS =
      Set.of(
          "unevaluatedProperties",
          "unevaluatedItems",
          "$dynamicRef",
          "$recursiveRef",
          "extends",
          "disallow",
          "divisibleBy");

  /** The assertion keywords a typo is compared with (implemented or not). */
  private static Set<String> assertionKeywords() {
    java.util.SortedSet<String> all = new java.util.TreeSet<>();
    for (Set<String> s :
        List.of(
            OBJECT_KEYWORDS,
            ARRAY_KEYWORDS,
            STRING_KEYWORDS,
            NUMBER_KEYWORDS,
            OTHER_KEYWORDS,
            UNIMPLEMENTED_ASSERTIONS)) {
      all.addAll(s);
    }
    return java.util.Collections.unmodifiableSortedSet(all); // sorted: nearMiss breaks ties by name
  }

  private static String fold(String k) {
    return k.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
  }

  /**
   * The assertion keyword {@code k} is a near miss of, or null: the same name ignoring case, {@code
   * _} and {@code -} ({@code maxlength}, {@code additional_properties}, {@code OneOf}); or, for
   * names of at least 5 characters, an edit distance (insertions, deletions, substitutions and
   * transpositions of adjacent characters, on the folded names) of 1 from a keyword of at least 4
   * characters ({@code minItem}, {@code requried}, {@code types}) or of 2 from one of at least 5
   * ({@code exclusivMinimm}). Shorter names ({@code min}, {@code self}) and names far from every
   * assertion ({@code stability}) are not typos. The closest keyword wins; ties go to the keyword
   * first in alphabetical order.
   */
  static String nearMiss(String k) {
    if (ASSERTIONS.contains(k)) {
      return null;
    }
    String f = fold(k);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String a : ASSERTIONS) {
      String fa = fold(a);
      int d;
      if (fa.equals(f)) {
        d = 0;
      } else if (k.length() < 5) {
        continue;
      } else {
        d = editDistance(f, fa, 2);
        if (d > 2 || (d == 1 && a.length() < 4) || (d == 2 && a.length() < 5)) {
          continue;
        }
      }
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * Optimal string alignment distance between {@code a} and {@code b}, or {@code cap + 1} when it
   * exceeds {@code cap}.
   */
  static int editDistance(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) > cap) {
      return cap + 1;
    }
    int n = a.length();
    int m = b.length();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= m; j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return Math.min(d[n][m], cap + 1);
  }

  /**
   * Applies the keyword policy to a keyword the compiler does not implement, at {@code ptr} (the
   * keyword's pointer): returns normally when it is an annotation (recording it unless it is one of
   * the specification's own annotations), else throws {@link SchemaException} ({@code
   * schema-unsupported}) for an unimplemented assertion, a near miss of an assertion keyword (with
   * the suggestion), or any unknown keyword under {@code strictKeywords}.
   */
  static void keyword(SchemaCompileState st, String k, String ptr) {
    if (ANNOTATIONS.contains(k)) {
      return;
    }
    if (UNIMPLEMENTED_ASSERTIONS.contains(k)) {
      throw SchemaException.unsupported(ptr, k, "keyword \"" + k + "\" is not supported");
    }
    if (ignoredKeyword(k)) {
      st.ignore(ptr, k, annotationKind(k));
      return;
    }
    String near = nearMiss(k);
    if (near != null) {
      throw SchemaException.unsupported(
          ptr,
          k,
          "unknown keyword \""
              + k
              + "\": did you mean \""
              + near
              + "\"? (a near miss of an assertion keyword is not taken for an annotation)");
    }
    if (st.options.strictKeywords()) {
      throw SchemaException.unsupported(
          ptr, k, "unknown keyword \"" + k + "\" (strict_keywords rejects unknown keywords)");
    }
    st.ignore(ptr, k, "unknown keyword: an annotation, not asserted");
  }

  /**
   * The keyword policy for a {@code format} value that is not implemented (see {@link #keyword}).
   */
  static void unknownFormat(SchemaCompileState st, String format, String ptr) {
    String why = "format \"" + format + "\" is not implemented";
    if (st.options.strictKeywords()) {
      throw SchemaException.unsupported(
          ptr, "format", why + " (strict_keywords rejects unknown formats)");
    }
    st.ignore(ptr, "format", why + ": an annotation, not asserted");
  }

  private static String annotationKind(String k) {
    if (FOREIGN_ANNOTATIONS.contains(k)) {
      return "annotation of another vocabulary, not asserted";
    }
    if (k.startsWith("x-")) {
      return "vendor extension: an annotation, not asserted";
    }
    if (k.startsWith("_")) {
      return "private or disabled keyword: an annotation, not asserted";
    }
    if (k.startsWith("@")) {
      return "JSON-LD keyword: an annotation, not asserted";
    }
    return "non-core $ keyword: an annotation, not asserted";
  }

  static final Set<String> OBJECT_KEYWORDS =
      Set.of(
          "properties",
          "required",
          "additionalProperties",
          "patternProperties",
          "propertyNames",
          "minProperties",
          "maxProperties",
          "dependentRequired",
          "dependentSchemas",
          "dependencies");
  static final Set<String> ARRAY_KEYWORDS =
      Set.of(
          "items",
          "prefixItems",
          "additionalItems",
          "minItems",
          "maxItems",
          "uniqueItems",
          "contains",
          "minContains",
          "maxContains");
  static final Set<String> STRING_KEYWORDS = Set.of("minLength", "maxLength", "pattern", "format");
  static final Set<String> NUMBER_KEYWORDS =
      Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf");
  static final Set<String> OTHER_KEYWORDS =
      Set.of(
          "type", "enum", "const", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref");

  /** Every assertion keyword (implemented or not); initialized after the sets it joins. */
  static final Set<String> ASSERTIONS = assertionKeywords();

  /**
   * The implemented assertion keywords of {@code o}, in its member order: an unsupported {@code
   * format} is an annotation (reported by the compilation); unimplemented assertions are left to
   * the keyword policy ({@link #keyword}), which refuses them.
   */
  static Set<String> assertions(JsonValue.Obj o) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (String k : o.members().keySet()) {
      if (!ASSERTIONS.contains(k) || UNIMPLEMENTED_ASSERTIONS.contains(k)) {
        continue;
      }
      if (k.equals("format")
          && o.get(k) instanceof JsonValue.Str f
          && !JsonFormats.isSupported(f.value())) {
        continue;
      }
      out.add(k);
    }
    return out;
  }

  static final Set<String> TYPE_NAMES =
      Set.of("null", "boolean", "object", "array", "string", "number", "integer");
}
