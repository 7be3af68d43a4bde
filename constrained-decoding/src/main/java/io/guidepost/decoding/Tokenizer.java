package io.guidepost.decoding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Text to token ids and back, exactly as Hugging Face {@code tokenizers} does for a {@code
 * tokenizer.json}, plus the Phi-3 chat template.
 *
 * <p>Implementation: DJL's binding of the Hugging Face Rust library ({@code
 * ai.djl.huggingface:tokenizers}), which bundles the linux-x86_64 native library. Loading never
 * downloads anything: DJL's offline mode is switched on and the CPU flavour of the native library
 * is pinned (system properties {@code ai.djl.offline=true} and {@code RUST_FLAVOR=cpu}, unless
 * already set), so the library comes from the jar or from {@code RUST_LIBRARY_PATH}.
 *
 * <p>Encoding splits on added tokens (special tokens written in the text become their ids, with
 * their {@code lstrip}/{@code rstrip} rules: Phi-3's specials swallow the whitespace after them)
 * and adds no BOS or other template tokens ({@code addSpecialTokens=false}), no truncation, no
 * padding.
 *
 * <p>Thread-safety: encode/decode are safe from several threads (the native tokenizer is
 * immutable). {@link #close()} frees the native handle; call it once, after all use.
 */
public final class Tokenizer implements AutoCloseable {
  private static final Map<String, String> OPTIONS =
      Map.of(
          "addSpecialTokens", "false",
          "truncation", "false",
          "padding", "false",
          "maxLength", "-1");

  private final HuggingFaceTokenizer tokenizer;

  private Tokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /**
   * Loads a {@code tokenizer.json} (or the one inside a model folder).
   *
   * @throws IOException when the file cannot be read or parsed
   */
  public static Tokenizer load(Path tokenizerJson) throws IOException {
    Path file =
        Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve("tokenizer.json") : tokenizerJson;
    if (!Files.isRegularFile(file)) {
      throw new IOException("no tokenizer.json at " + file);
    }
    preventDownloads();
    try {
      return new Tokenizer(HuggingFaceTokenizer.newInstance(file, OPTIONS));
    } catch (RuntimeException e) {
      throw new IOException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  private static void preventDownloads() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("RUST_FLAVOR") == null && System.getenv("RUST_FLAVOR") == null) {
      System.setProperty("RUST_FLAVOR", "cpu");
    }
  }

  /** Token ids of {@code text}; special tokens written in the text are recognised. No BOS. */
  public int[] encode(String text) {
    Encoding e = tokenizer.encode(text, false, false);
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  /** The text of {@code ids}, special tokens included as written. */
  public String decode(int[] ids) {
    return decode(ids, false);
  }

  /** The text of {@code ids}; with {@code skipSpecialTokens} the special tokens are left out. */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, skipSpecialTokens);
  }

  /**
   * The Phi-3 chat prompt: {@code <|system|>\n{system}<|end|>\n<|user|>\n{user}<|end|>\n
   * <|assistant|>\n}; the system turn is left out when {@code system} is null or empty. No BOS.
   */
  public static String phi3ChatPrompt(String system, String user) {
    StringBuilder sb = new StringBuilder();
    if (system != null && !system.isEmpty()) {
      sb.append("<|system|>\n").append(system).append("<|end|>\n");
    }
    sb.append("<|user|>\n").append(user).append("<|end|>\n");
    sb.append("<|assistant|>\n");
    return sb.toString();
  }

  /** Token ids of {@link #phi3ChatPrompt}. */
  public int[] encodePhi3Chat(String system, String user) {
    return encode(phi3ChatPrompt(system, user));
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
