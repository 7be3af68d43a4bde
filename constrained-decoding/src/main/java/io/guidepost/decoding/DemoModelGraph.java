package io.guidepost.decoding;

import static io.guidepost.decoding.OnnxGraphBuilder.FLOAT;
import static io.guidepost.decoding.OnnxGraphBuilder.FLOAT16;
import static io.guidepost.decoding.OnnxGraphBuilder.INT32;
import static io.guidepost.decoding.OnnxGraphBuilder.INT64;
import static io.guidepost.decoding.OnnxGraphBuilder.UINT8;
import static io.guidepost.decoding.OnnxGraphBuilder.attrFloat;
import static io.guidepost.decoding.OnnxGraphBuilder.attrInt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Emits the decoder graph of a demo model with the operator contract of the official Phi-3 ONNX
 * releases (PHI3-CONTRACT.md) and seeded random weights.
 *
 * <p>Graph: {@code Gather} embedding (plus a learned position table gathered by {@code
 * position_ids} in the variant that has that input); per layer {@code SimplifiedLayerNormalization}
 * (layer 0) or {@code com.microsoft.SkipSimplifiedLayerNormalization}, packed QKV projection,
 * {@code com.microsoft.GroupQueryAttention} ({@code do_rotary=1}, inputs {@code qkv, "", "",
 * past_k, past_v, seqlens_k, total_seq_len, cos_cache, sin_cache}), output projection, SiLU MLP
 * ({@code Sigmoid} then {@code Mul}); final norm; {@code lm_head}. {@code seqlens_k} =
 * ReduceSum(attention_mask) - 1 and {@code total_seq_len} = width of attention_mask are computed in
 * the graph. Linear layers are {@code com.microsoft.MatMulNBits} (4 bits, block 32, symmetric
 * around the default zero point 8) or plain {@code MatMul}. In the fp16-I/O variant the graph
 * computes in float32 and casts the KV cache and logits at the boundary.
 *
 * <p>Deterministic from the spec's seed. Not thread-safe. Cost: linear in the number of weights.
 */
final class DemoModelGraph {

  private static final String MS = "com.microsoft";
  private static final int BLOCK = 32;

  private final DemoModelSpec spec;
  private final int logitsSize;
  private final OnnxGraphBuilder g;
  private final Random random;

  DemoModelGraph(DemoModelSpec spec, int logitsSize, String externalFileName) {
    this.spec = spec;
    this.logitsSize = logitsSize;
    this.g = new OnnxGraphBuilder("guidepost_demo_phi3", externalFileName);
    this.random = new Random(spec.seed());
  }

  /** Builds the graph; returns the serialized model (weights go to {@link #externalData()}). */
  byte[] build() {
    int hidden = spec.hiddenSize();
    int heads = spec.numHeads();
    int kvHeads = spec.numKvHeads();
    int headSize = spec.headSize();
    int kvType = spec.fp16Io() ? FLOAT16 : FLOAT;

    g.input("input_ids", INT64, "batch_size", "sequence_length");
    g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
    if (spec.positionIds()) {
      g.input("position_ids", INT64, "batch_size", "sequence_length");
    }
    for (int i = 0; i < spec.numLayers(); i++) {
      g.input(
          "past_key_values." + i + ".key",
          kvType,
          "batch_size",
          kvHeads,
          "past_sequence_length",
          headSize);
      g.input(
          "past_key_values." + i + ".value",
          kvType,
          "batch_size",
          kvHeads,
          "past_sequence_length",
          headSize);
    }
    g.output("logits", kvType, "batch_size", "sequence_length", logitsSize);
    for (int i = 0; i < spec.numLayers(); i++) {
      g.output(
          "present." + i + ".key",
          kvType,
          "batch_size",
          kvHeads,
          "total_sequence_length",
          headSize);
      g.output(
          "present." + i + ".value",
          kvType,
          "batch_size",
          kvHeads,
          "total_sequence_length",
          headSize);
    }

    // seqlens_k and total_sequence_length from the attention mask, as the model builder does.
    g.initializer("const_axes_1", INT64, new long[] {1}, longs(1));
    g.initializer("const_one_i64", INT64, new long[] {}, longs(1));
    g.node(
        "ReduceSum",
        "",
        new String[] {"attention_mask", "const_axes_1"},
        new String[] {"mask_sum"},
        attrInt("keepdims", 0));
    g.node("Sub", "", new String[] {"mask_sum", "const_one_i64"}, new String[] {"seqlens_i64"});
    g.node(
        "Cast", "", new String[] {"seqlens_i64"}, new String[] {"seqlens_k"}, attrInt("to", INT32));
    g.node("Shape", "", new String[] {"attention_mask"}, new String[] {"mask_shape"});
    g.node(
        "Gather",
        "",
        new String[] {"mask_shape", "const_one_i64"},
        new String[] {"total_seq_i64"},
        attrInt("axis", 0));
    g.node(
        "Cast",
        "",
        new String[] {"total_seq_i64"},
        new String[] {"total_seq_len"},
        attrInt("to", INT32));

    // Rotary caches [context, headSize / 2].
    int half = headSize / 2;
    float[] cos = new float[spec.contextLength() * half];
    float[] sin = new float[cos.length];
    for (int p = 0; p < spec.contextLength(); p++) {
      for (int j = 0; j < half; j++) {
        double invFreq = Math.pow(10000.0, -2.0 * j / headSize);
        cos[p * half + j] = (float) Math.cos(p * invFreq);
        sin[p * half + j] = (float) Math.sin(p * invFreq);
      }
    }
    if (!spec.fp16Io()) {
      g.initializer("cos_cache", FLOAT, new long[] {spec.contextLength(), half}, floats(cos));
      g.initializer("sin_cache", FLOAT, new long[] {spec.contextLength(), half}, floats(sin));
    } else {
      g.initializer("cos_cache_f16", FLOAT16, new long[] {spec.contextLength(), half}, halves(cos));
      g.initializer("sin_cache_f16", FLOAT16, new long[] {spec.contextLength(), half}, halves(sin));
    }

    float[] embed = gaussian(logitsSize * hidden, 1.0f);
    g.initializer(
        "model.embed_tokens.weight", FLOAT, new long[] {logitsSize, hidden}, floats(embed));
    g.node(
        "Gather",
        "",
        new String[] {"model.embed_tokens.weight", "input_ids"},
        new String[] {"embeddings"},
        attrInt("axis", 0));
    String residual = "embeddings";
    if (spec.positionIds()) {
      float[] pos = gaussian(spec.contextLength() * hidden, 0.5f);
      g.initializer(
          "model.embed_positions.weight",
          FLOAT,
          new long[] {spec.contextLength(), hidden},
          floats(pos));
      g.node(
          "Gather",
          "",
          new String[] {"model.embed_positions.weight", "position_ids"},
          new String[] {"position_embeddings"},
          attrInt("axis", 0));
      g.node(
          "Add",
          "",
          new String[] {"embeddings", "position_embeddings"},
          new String[] {"embeddings_with_positions"});
      residual = "embeddings_with_positions";
    }
    String normed = "layers.0.input_norm";
    g.node(
        "SimplifiedLayerNormalization",
        "",
        new String[] {residual, norm("model.layers.0.input_layernorm.weight", hidden)},
        new String[] {normed},
        attrInt("axis", -1),
        attrFloat("epsilon", 1e-5f),
        attrInt("stash_type", 1));

    int qkvWidth = (heads + 2 * kvHeads) * headSize;
    for (int i = 0; i < spec.numLayers(); i++) {
      String p = "model.layers." + i;
      String qkv = linear(p + ".attn.qkv_proj", normed, hidden, qkvWidth);
      String pastK = "past_key_values." + i + ".key";
      String pastV = "past_key_values." + i + ".value";
      String attnIn = qkv;
      String attnOutRaw = p + ".attn.out";
      if (spec.fp16Io()) {
        // Attention runs in float16 on the float16 cache, as in the CUDA releases.
        attnIn = p + ".attn.qkv_f16";
        g.node("Cast", "", new String[] {qkv}, new String[] {attnIn}, attrInt("to", FLOAT16));
        attnOutRaw = p + ".attn.out_f16";
      }
      g.node(
          "GroupQueryAttention",
          MS,
          new String[] {
            attnIn,
            "",
            "",
            pastK,
            pastV,
            "seqlens_k",
            "total_seq_len",
            spec.fp16Io() ? "cos_cache_f16" : "cos_cache",
            spec.fp16Io() ? "sin_cache_f16" : "sin_cache"
          },
          new String[] {attnOutRaw, "present." + i + ".key", "present." + i + ".value"},
          attrInt("num_heads", heads),
          attrInt("kv_num_heads", kvHeads),
          attrInt("do_rotary", 1),
          attrInt("rotary_interleaved", 0),
          attrFloat("scale", (float) (1.0 / Math.sqrt(headSize))));
      if (spec.fp16Io()) {
        g.node(
            "Cast",
            "",
            new String[] {attnOutRaw},
            new String[] {p + ".attn.out"},
            attrInt("to", FLOAT));
      }
      String attnOut = linear(p + ".attn.o_proj", p + ".attn.out", hidden, hidden);
      String postNorm = p + ".post_norm";
      String postSum = p + ".post_sum";
      g.node(
          "SkipSimplifiedLayerNormalization",
          MS,
          new String[] {attnOut, residual, norm(p + ".post_attention_layernorm.weight", hidden)},
          new String[] {postNorm, "", "", postSum},
          attrFloat("epsilon", 1e-5f));
      int inter = spec.intermediateSize();
      String gate = linear(p + ".mlp.gate_proj", postNorm, hidden, inter);
      String up = linear(p + ".mlp.up_proj", postNorm, hidden, inter);
      g.node("Sigmoid", "", new String[] {gate}, new String[] {p + ".mlp.sigmoid"});
      g.node("Mul", "", new String[] {gate, p + ".mlp.sigmoid"}, new String[] {p + ".mlp.silu"});
      g.node("Mul", "", new String[] {p + ".mlp.silu", up}, new String[] {p + ".mlp.act"});
      String down = linear(p + ".mlp.down_proj", p + ".mlp.act", inter, hidden);
      boolean last = i == spec.numLayers() - 1;
      String gamma =
          last
              ? norm("model.norm.weight", hidden)
              : norm("model.layers." + (i + 1) + ".input_layernorm.weight", hidden);
      normed = last ? "final_norm" : "layers." + (i + 1) + ".input_norm";
      residual = last ? "" : "layers." + (i + 1) + ".residual";
      g.node(
          "SkipSimplifiedLayerNormalization",
          MS,
          new String[] {down, postSum, gamma},
          last ? new String[] {normed} : new String[] {normed, "", "", residual},
          attrFloat("epsilon", 1e-5f));
    }
    String logits = linear("lm_head", normed, hidden, logitsSize);
    if (spec.fp16Io()) {
      g.node("Cast", "", new String[] {logits}, new String[] {"logits"}, attrInt("to", FLOAT16));
    } else {
      g.node("Identity", "", new String[] {logits}, new String[] {"logits"});
    }
    return g.modelBytes(10, "guidepost-demo", "", 21, MS, 1);
  }

  byte[] externalData() {
    return g.externalData();
  }

  private String norm(String name, int width) {
    float[] w = new float[width];
    for (int i = 0; i < width; i++) {
      w[i] = 1.0f + 0.1f * (float) random.nextGaussian();
    }
    return g.initializer(name, FLOAT, new long[] {width}, floats(w));
  }

  /** A linear layer {@code out[n] = sum_k in[k] * W[n][k]} with W ~ N(0, 1/k). */
  private String linear(String name, String input, int k, int n) {
    float[] w = gaussian(n * k, (float) (1.0 / Math.sqrt(k)));
    String out = name + ".out";
    if (spec.weights() == DemoModelSpec.WeightKind.FP32) {
      float[] t = new float[k * n];
      for (int row = 0; row < n; row++) {
        for (int col = 0; col < k; col++) {
          t[col * n + row] = w[row * k + col];
        }
      }
      g.initializer(name + ".weight", FLOAT, new long[] {k, n}, floats(t));
      g.node("MatMul", "", new String[] {input, name + ".weight"}, new String[] {out});
      return out;
    }
    int blocks = k / BLOCK;
    byte[] packed = new byte[n * blocks * BLOCK / 2];
    float[] scales = new float[n * blocks];
    for (int row = 0; row < n; row++) {
      for (int b = 0; b < blocks; b++) {
        float max = 0;
        for (int j = 0; j < BLOCK; j++) {
          max = Math.max(max, Math.abs(w[row * k + b * BLOCK + j]));
        }
        float scale = max == 0 ? 1.0f : max / 7.0f;
        scales[row * blocks + b] = scale;
        for (int j = 0; j < BLOCK; j += 2) {
          int q0 = quantize(w[row * k + b * BLOCK + j], scale);
          int q1 = quantize(w[row * k + b * BLOCK + j + 1], scale);
          packed[(row * blocks + b) * (BLOCK / 2) + j / 2] = (byte) (q0 | (q1 << 4));
        }
      }
    }
    g.initializer(name + ".weight_Q4", UINT8, new long[] {n, blocks, BLOCK / 2}, packed);
    g.initializer(name + ".weight_scales", FLOAT, new long[] {(long) n * blocks}, floats(scales));
    g.node(
        "MatMulNBits",
        MS,
        new String[] {input, name + ".weight_Q4", name + ".weight_scales"},
        new String[] {out},
        attrInt("K", k),
        attrInt("N", n),
        attrInt("bits", 4),
        attrInt("block_size", BLOCK),
        attrInt("accuracy_level", 4));
    return out;
  }

  private static int quantize(float v, float scale) {
    return Math.max(0, Math.min(15, Math.round(v / scale) + 8));
  }

  private float[] gaussian(int count, float std) {
    float[] a = new float[count];
    for (int i = 0; i < count; i++) {
      a[i] = (float) random.nextGaussian() * std;
    }
    return a;
  }

  private static byte[] floats(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  private static byte[] halves(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(Float.floatToFloat16(v));
    }
    return b.array();
  }

  private static byte[] longs(long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return b.array();
  }
}
