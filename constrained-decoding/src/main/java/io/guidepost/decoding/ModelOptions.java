package io.guidepost.decoding;

/**
 * How a model folder is loaded and run: execution provider, CPU threads, KV buffer mode, prefill
 * chunk size and the bound on concurrent generations.
 *
 * <p>CUDA: build with {@code ./mvnw -Pcuda ...} (the parent's {@code cuda} profile swaps the {@code
 * onnxruntime} artifact for {@code onnxruntime_gpu}, which needs CUDA 12 and cuDNN 9 on the host)
 * and pass {@code withProvider(ProviderKind.CUDA, deviceId)}; {@link OnnxModel#load} fails with
 * {@link ModelFolderException.Kind#PROVIDER_UNAVAILABLE} when the provider is missing. Only the CPU
 * path has been run so far. The CUDA releases keep KV and logits in float16; the loop converts
 * logits to float32 for sampling. The {@code provider_options} of {@code genai_config.json} are not
 * read: these options decide.
 *
 * <p>Immutable and thread-safe.
 *
 * @param provider execution provider; {@link ProviderKind#CUDA} needs the {@code onnxruntime_gpu}
 *     artifact (Maven profile {@code cuda})
 * @param cudaDeviceId CUDA device ordinal, used with {@link ProviderKind#CUDA}
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose
 * @param kvBufferMode whether past and present KV share one buffer, or what the config says
 * @param prefillChunkTokens most tokens per model call when prefilling or appending (bounds the
 *     pinned logits buffer to {@code prefillChunkTokens x vocab_size} values)
 * @param maxConcurrentGenerations bound on generations running at once on the shared session
 */
public record ModelOptions(
    ProviderKind provider,
    int cudaDeviceId,
    int intraOpThreads,
    KvBufferMode kvBufferMode,
    int prefillChunkTokens,
    int maxConcurrentGenerations) {

  /** Execution providers Guidepost can select. */
  public enum ProviderKind {
    CPU,
    CUDA
  }

  /** KV cache buffer handling. */
  public enum KvBufferMode {
    /** Follow {@code search.past_present_share_buffer} of {@code genai_config.json}. */
    FROM_CONFIG,
    /** One buffer per layer of prompt + max_new_tokens positions, pinned as {@code present.*}. */
    SHARED,
    /** Past and present are separate buffers of the current length (ping-pong, reused). */
    SEPARATE
  }

  public ModelOptions {
    if (provider == null || kvBufferMode == null) {
      throw new IllegalArgumentException("provider and kvBufferMode must be given");
    }
    if (cudaDeviceId < 0 || intraOpThreads < 0) {
      throw new IllegalArgumentException("cudaDeviceId and intraOpThreads must be >= 0");
    }
    if (prefillChunkTokens < 1 || maxConcurrentGenerations < 1) {
      throw new IllegalArgumentException(
          "prefillChunkTokens and maxConcurrentGenerations must be >= 1");
    }
  }

  /** CPU, ONNX Runtime's thread default, KV mode from the config, chunks of 128, 4 at a time. */
  public static ModelOptions defaults() {
    return new ModelOptions(ProviderKind.CPU, 0, 0, KvBufferMode.FROM_CONFIG, 128, 4);
  }

  public ModelOptions withProvider(ProviderKind p, int deviceId) {
    return new ModelOptions(
        p, deviceId, intraOpThreads, kvBufferMode, prefillChunkTokens, maxConcurrentGenerations);
  }

  public ModelOptions withIntraOpThreads(int n) {
    return new ModelOptions(
        provider, cudaDeviceId, n, kvBufferMode, prefillChunkTokens, maxConcurrentGenerations);
  }

  public ModelOptions withKvBufferMode(KvBufferMode m) {
    return new ModelOptions(
        provider, cudaDeviceId, intraOpThreads, m, prefillChunkTokens, maxConcurrentGenerations);
  }

  public ModelOptions withPrefillChunkTokens(int n) {
    return new ModelOptions(
        provider, cudaDeviceId, intraOpThreads, kvBufferMode, n, maxConcurrentGenerations);
  }

  public ModelOptions withMaxConcurrentGenerations(int n) {
    return new ModelOptions(
        provider, cudaDeviceId, intraOpThreads, kvBufferMode, prefillChunkTokens, n);
  }
}
