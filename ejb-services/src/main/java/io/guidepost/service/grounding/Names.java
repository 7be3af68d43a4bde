package io.guidepost.service.grounding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validation of corpus and code-list names, which become folder names under the data directory.
 *
 * <p>The pattern admits no dot, slash or upper-case letter, so a valid name can never escape its
 * parent folder ({@code ..}), name a hidden folder, or collide with another name on a
 * case-insensitive file system. Stateless; thread-safe.
 */
final class Names {
  static final String PATTERN_TEXT = "[a-z0-9][a-z0-9_-]{0,63}";
  private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

  private Names() {}

  /** Returns {@code name} when valid, else throws {@link GroundingException.InvalidName}. */
  static String require(GroundingException.ResourceKind kind, String name) {
    if (name == null || !PATTERN.matcher(name).matches()) {
      throw new GroundingException.InvalidName(kind, name);
    }
    return name;
  }

  /** Whether {@code name} is valid (used when scanning folders on disk). */
  static boolean isValid(String name) {
    return PATTERN.matcher(name).matches();
  }

  /** The name quoted for an error message, shortened when long, {@code null} spelled out. */
  static String quoteForMessage(String s) {
    if (s == null) {
      return "null";
    }
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "'" + shown + "'";
  }

  /**
   * The valid names of the folders under {@code root} that hold {@code marker} (published), sorted.
   */
  static List<String> published(Path root, String marker) {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (isValid(n) && Files.isRegularFile(p.resolve(marker))) {
          out.add(n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }
}
