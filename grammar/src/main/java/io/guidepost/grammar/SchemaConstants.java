package io.guidepost.grammar;

import java.util.List;

/**
 * The constant languages of {@link JsonSchemaCompiler}, shared by all compilations (immutable).
 *
 * <p>Each is built with {@link CharLang#outsideLimits}: this class is initialized by whichever
 * compilation first needs it, usually inside that request's {@link CharLang#withLimits} scope, and
 * a limit of the request (a 1 ms {@code maxCompileMillis}, a small {@code maxDfaStates}) tripped
 * inside a static initializer would make the class unusable for the rest of the JVM's life ({@link
 * ExceptionInInitializerError}, then {@link NoClassDefFoundError}); building them is not that
 * request's work either, so its time is not charged to the request's clock. {@link JsonLangs},
 * whose static initializer builds languages too, is first touched here and so is initialized under
 * the same protection (its users are this compiler and {@link JsonFormats}, which only this
 * compiler calls). {@link JsonSchemaCompiler}'s constructor calls {@link #ready} through {@link
 * CharLang#outsideLimits}, so that a thread waiting for another thread's initialization is not
 * charged for the wait either. (CharLang used to run this initialization itself before a thread's
 * first limits scope; the core no longer calls up into its clients.)
 */
final class SchemaConstants {
  private SchemaConstants() {}

  /** The constants, built together by one {@link CharLang#outsideLimits} call. */
  private record Built(
      CharLang plainString,
      CharLang openObject,
      CharLang closeObject,
      CharLang[] kinds,
      CharLang canonicalNumbersOnly) {}

  private static final Built BUILT = CharLang.outsideLimits(SchemaConstants::build);

  /** Canonical strings without characters that need escaping. */
  static final CharLang PLAIN_STRING = BUILT.plainString();

  static final CharLang OPEN_OBJECT = BUILT.openObject();
  static final CharLang CLOSE_OBJECT = BUILT.closeObject();

  /**
   * The texts of each kind of value (null, boolean, number, string, array, object), by their first
   * token; used to tell which {@code oneOf} branches may overlap.
   */
  static final CharLang[] KINDS = BUILT.kinds();

  /**
   * JSON texts whose number tokens are all canonical: tokens other than numbers, each number
   * followed by one of them (so that {@code 1.50} cannot pass as {@code 1.5} then {@code 0}).
   * Strings are whole tokens, so digits inside them are not numbers.
   */
  static final CharLang CANONICAL_NUMBERS_ONLY = BUILT.canonicalNumbersOnly();

  /**
   * Whether the constants are built; calling it initializes this class. {@link JsonSchemaCompiler}
   * calls it through {@link CharLang#outsideLimits} before it compiles anything.
   */
  static boolean ready() {
    return BUILT != null;
  }

  private static Built build() {
    // JsonLangs.PLAIN_CP first: JsonLangs is initialized here, under the same protection.
    CharLang plainString =
        CharLang.concat(
            List.of(CharLang.codePoint('"'), JsonLangs.PLAIN_CP.star(), CharLang.codePoint('"')));
    CharLang openObject = CharLang.codePoint('{');
    CharLang closeObject = CharLang.codePoint('}');
    CharLang[] kinds = {
      CharLang.literal("null"),
      CharLang.literal("true").union(CharLang.literal("false")),
      JsonLangs.ANY_NUMBER,
      JsonLangs.STRING,
      CharLang.codePoint('[').concat(CharLang.anyCodePoint().star()),
      CharLang.codePoint('{').concat(CharLang.anyCodePoint().star())
    };
    return new Built(plainString, openObject, closeObject, kinds, canonicalNumbersOnly());
  }

  private static CharLang canonicalNumbersOnly() {
    CharLang other =
        CharLang.union(
            List.of(
                JsonLangs.STRING,
                CharLang.literal("true"),
                CharLang.literal("false"),
                CharLang.literal("null"),
                CharLang.codePointSet(
                    new int[] {
                      9, 10, 13, 13, 32, 32, ',', ',', ':', ':', '[', '[', ']', ']', '{', '{', '}',
                      '}'
                    })));
    CharLang number = JsonLangs.INT.union(JsonLangs.NONINT);
    return CharLang.concat(
        List.of(other.star(), number.concat(other.plus()).star(), number.optional()));
  }
}
