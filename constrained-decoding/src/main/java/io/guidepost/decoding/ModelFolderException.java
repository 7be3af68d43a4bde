package io.guidepost.decoding;

import java.nio.file.Path;

/**
 * A model folder that cannot be used as it is: a file is missing, {@code genai_config.json} is
 * malformed, or the ONNX graph does not match the configuration. The message names the file, the
 * tensor or the setting involved and both values when they differ.
 *
 * <p>Immutable and thread-safe.
 */
public final class ModelFolderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is wrong; stable slugs for problem details. */
  public enum Kind {
    /** A required file or the folder itself is absent. */
    MISSING_FILE("model-missing-file"),
    /** {@code genai_config.json} is not valid JSON or lacks a required setting. */
    INVALID_CONFIG("model-invalid-config"),
    /** An input or output named by the configuration is absent from the graph, or vice versa. */
    NAME_MISMATCH("model-name-mismatch"),
    /** A tensor's shape differs from the configuration (heads, head size, vocabulary width). */
    SHAPE_MISMATCH("model-shape-mismatch"),
    /** A tensor has an element type the loop cannot drive. */
    DTYPE_MISMATCH("model-dtype-mismatch"),
    /** The requested execution provider is not available in the ONNX Runtime on the class path. */
    PROVIDER_UNAVAILABLE("model-provider-unavailable"),
    /** ONNX Runtime refused to load the graph. */
    LOAD_FAILED("model-load-failed");

    private final String slug;

    Kind(String slug) {
      this.slug = slug;
    }

    /** A stable identifier, e.g. {@code model-shape-mismatch}. */
    public String slug() {
      return slug;
    }
  }

  private final Kind kind;
  private final transient Path folder;

  public ModelFolderException(Kind kind, Path folder, String message) {
    super(message);
    this.kind = kind;
    this.folder = folder;
  }

  public ModelFolderException(Kind kind, Path folder, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.folder = folder;
  }

  public Kind kind() {
    return kind;
  }

  /** The model folder concerned. */
  public Path folder() {
    return folder;
  }
}
