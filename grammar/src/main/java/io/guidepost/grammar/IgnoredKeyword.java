package io.guidepost.grammar;

/**
 * A schema keyword that constrained nothing: an annotation the compiler recognized as such but that
 * the JSON Schema specification does not define ({@code discriminator}, {@code self}, a vendor
 * {@code x-} extension, ...) or a {@code format} value that is not implemented. Reported with the
 * compiled constraint so that a user sees exactly what did not constrain the output.
 *
 * @param pointer JSON pointer of the keyword in the schema document ({@code /properties/a/self})
 * @param keyword the keyword's name ({@code format} for an unimplemented format)
 * @param reason why it constrained nothing, e.g. {@code unknown keyword (annotation)}
 */
public record IgnoredKeyword(String pointer, String keyword, String reason) {}
