package io.guidepost.decoding;

/**
 * The shape of a generated demo model (see {@link DemoModel}): sizes, the weight format, the dtype
 * of the KV cache and logits, and the optional graph features of the Phi-3 variants.
 *
 * <p>Invariants (checked): {@code hiddenSize} divisible by {@code numHeads}, head size even, {@code
 * numHeads} divisible by {@code numKvHeads}, {@code hiddenSize} and {@code intermediateSize}
 * multiples of 32 (the int4 block size). Immutable and thread-safe.
 *
 * @param seed seed of every random choice (weights and the synthetic vocabulary)
 * @param hiddenSize model width
 * @param numLayers decoder layers
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than {@code numHeads})
 * @param intermediateSize MLP width
 * @param contextLength maximum positions (size of the rotary caches)
 * @param pieceCount text pieces of the tokenizer besides the 3 control tokens and 256 byte tokens
 * @param weights packed QKV/MLP/lm_head weight format
 * @param fp16Io whether the KV cache inputs/outputs and logits are float16 (the CUDA layout)
 * @param positionIds whether the graph takes a {@code position_ids} input (older uploads)
 * @param pastPresentShareBuffer the {@code search.past_present_share_buffer} flag in the config
 */
public record DemoModelSpec(
    long seed,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int intermediateSize,
    int contextLength,
    int pieceCount,
    WeightKind weights,
    boolean fp16Io,
    boolean positionIds,
    boolean pastPresentShareBuffer) {

  /** How the linear layers are stored. */
  public enum WeightKind {
    /** {@code com.microsoft.MatMulNBits}, 4 bits, block 32, like the CPU int4 releases. */
    INT4_BLOCK32,
    /** Plain {@code MatMul} with float32 weights. */
    FP32
  }

  public DemoModelSpec {
    if (hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 2 != 0) {
      throw new IllegalArgumentException(
          "hiddenSize " + hiddenSize + " must split into an even head size over " + numHeads);
    }
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "numHeads " + numHeads + " must be a multiple of numKvHeads " + numKvHeads);
    }
    if (hiddenSize % 32 != 0 || intermediateSize <= 0 || intermediateSize % 32 != 0) {
      throw new IllegalArgumentException("hiddenSize and intermediateSize must be multiples of 32");
    }
    if (contextLength < 16) {
      throw new IllegalArgumentException("contextLength must be at least 16");
    }
    if (weights == null) {
      throw new IllegalArgumentException("weights must be given");
    }
  }

  /**
   * The default demo model: width 128, 2 layers, 4 query heads over 2 KV heads (head size 32), MLP
   * 256, context 2048, 4,000 text pieces, int4 weights, fp32 I/O, no position_ids, shared KV
   * buffer.
   */
  public static DemoModelSpec defaults() {
    return new DemoModelSpec(
        20260522L, 128, 2, 4, 2, 256, 2048, 4000, WeightKind.INT4_BLOCK32, false, false, true);
  }

  public int headSize() {
    return hiddenSize / numHeads;
  }

  public DemoModelSpec withSeed(long s) {
    return new DemoModelSpec(
        s,
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        contextLength,
        pieceCount,
        weights,
        fp16Io,
        positionIds,
        pastPresentShareBuffer);
  }

  public DemoModelSpec withWeights(WeightKind w) {
    return new DemoModelSpec(
        seed,
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        contextLength,
        pieceCount,
        w,
        fp16Io,
        positionIds,
        pastPresentShareBuffer);
  }

  public DemoModelSpec withFp16Io(boolean f) {
    return new DemoModelSpec(
        seed,
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        contextLength,
        pieceCount,
        weights,
        f,
        positionIds,
        pastPresentShareBuffer);
  }

  public DemoModelSpec withPositionIds(boolean p) {
    return new DemoModelSpec(
        seed,
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        contextLength,
        pieceCount,
        weights,
        fp16Io,
        p,
        pastPresentShareBuffer);
  }

  public DemoModelSpec withPastPresentShareBuffer(boolean s) {
    return new DemoModelSpec(
        seed,
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        contextLength,
        pieceCount,
        weights,
        fp16Io,
        positionIds,
        s);
  }

  public DemoModelSpec withKvHeads(int heads, int kvHeads) {
    return new DemoModelSpec(
        seed,
        hiddenSize,
        numLayers,
        heads,
        kvHeads,
        intermediateSize,
        contextLength,
        pieceCount,
        weights,
        fp16Io,
        positionIds,
        pastPresentShareBuffer);
  }
}
