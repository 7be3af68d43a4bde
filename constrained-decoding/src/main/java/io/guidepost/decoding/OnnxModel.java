package io.guidepost.decoding;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A Phi-3 decoder loaded from a model folder (PHI3-CONTRACT.md): one {@link OrtSession} shared by
 * every generation, each of which holds its own {@link KvCache}.
 *
 * <p>Loading reads {@code genai_config.json}, checks that the decoder file, {@code tokenizer.json}
 * and {@code tokenizer_config.json} exist, creates the session from the file path (so ONNX Runtime
 * finds {@code *.onnx.data}), and checks the graph against the config: every configured input and
 * output exists and nothing else is required; per layer the KV tensors have {@code
 * num_key_value_heads} heads and {@code head_size}; KV and logits are float32 or float16 alike;
 * logits are {@code vocab_size} wide. A {@code position_ids} input is used when the graph has one.
 *
 * <p>Thread-safe: {@code OrtSession.run} may be called concurrently; {@link #acquire} bounds how
 * many generations run at once. One process-wide {@link OrtEnvironment}; the {@link
 * OrtSession.SessionOptions} live as long as the session. Close once, after all generations ended.
 */
public final class OnnxModel implements AutoCloseable {

  private final Path folder;
  private final GenaiConfig config;
  private final ModelOptions options;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions sessionOptions;
  private final OrtSession session;
  private final boolean fp16Kv;
  private final boolean fp16Logits;
  private final boolean hasPositionIds;
  private final String positionIdsName;
  private final boolean sharedKv;
  private final Semaphore permits;

  private OnnxModel(
      Path folder,
      GenaiConfig config,
      ModelOptions options,
      OrtEnvironment env,
      OrtSession.SessionOptions sessionOptions,
      OrtSession session) {
    this.folder = folder;
    this.config = config;
    this.options = options;
    this.env = env;
    this.sessionOptions = sessionOptions;
    this.session = session;
    Map<String, NodeInfo> inputs;
    Map<String, NodeInfo> outputs;
    try {
      inputs = session.getInputInfo();
      outputs = session.getOutputInfo();
    } catch (OrtException e) {
      throw new ModelFolderException(
          ModelFolderException.Kind.LOAD_FAILED, folder, "cannot read graph signature: " + e, e);
    }
    String pos = config.positionIdsName() != null ? config.positionIdsName() : "position_ids";
    this.hasPositionIds = inputs.containsKey(pos);
    this.positionIdsName = pos;
    TensorInfo firstPast = validate(inputs, outputs);
    this.fp16Kv = firstPast.type == OnnxJavaType.FLOAT16;
    this.fp16Logits =
        ((TensorInfo) outputs.get(config.logitsName()).getInfo()).type == OnnxJavaType.FLOAT16;
    this.sharedKv =
        switch (options.kvBufferMode()) {
          case FROM_CONFIG -> config.pastPresentShareBuffer();
          case SHARED -> true;
          case SEPARATE -> false;
        };
    this.permits = new Semaphore(options.maxConcurrentGenerations(), true);
  }

  /**
   * Loads and validates a model folder.
   *
   * @throws ModelFolderException when the folder does not fit (see {@link ModelFolderException})
   */
  public static OnnxModel load(Path folder, ModelOptions options) {
    if (!Files.isDirectory(folder)) {
      throw new ModelFolderException(
          ModelFolderException.Kind.MISSING_FILE, folder, "model folder " + folder + " not found");
    }
    GenaiConfig config = GenaiConfig.read(folder);
    for (String name :
        new String[] {config.decoderFilename(), "tokenizer.json", "tokenizer_config.json"}) {
      if (!Files.isRegularFile(folder.resolve(name))) {
        throw new ModelFolderException(
            ModelFolderException.Kind.MISSING_FILE, folder, "missing " + name + " in " + folder);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (options.provider() == ModelOptions.ProviderKind.CUDA) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
          throw new ModelFolderException(
              ModelFolderException.Kind.PROVIDER_UNAVAILABLE,
              folder,
              "CUDA execution provider requested but this ONNX Runtime offers only "
                  + OrtEnvironment.getAvailableProviders()
                  + "; build with the Maven profile 'cuda' (artifact onnxruntime_gpu) and install"
                  + " CUDA 12 and cuDNN 9");
        }
        try {
          so.addCUDA(options.cudaDeviceId());
        } catch (OrtException e) {
          throw new ModelFolderException(
              ModelFolderException.Kind.PROVIDER_UNAVAILABLE,
              folder,
              "CUDA execution provider for device "
                  + options.cudaDeviceId()
                  + " could not be added: "
                  + e.getMessage(),
              e);
        }
      }
      Path onnx = folder.resolve(config.decoderFilename());
      try {
        session = env.createSession(onnx.toString(), so);
      } catch (OrtException e) {
        throw new ModelFolderException(
            ModelFolderException.Kind.LOAD_FAILED,
            folder,
            "ONNX Runtime cannot load " + config.decoderFilename() + ": " + e.getMessage(),
            e);
      }
      return new OnnxModel(folder, config, options, env, so, session);
    } catch (OrtException e) {
      closeQuietly(session, so);
      throw new ModelFolderException(
          ModelFolderException.Kind.LOAD_FAILED, folder, "session options: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session, so);
      throw e;
    }
  }

  private static void closeQuietly(OrtSession session, OrtSession.SessionOptions so) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException ignored) {
        // Already failing; the original error is the one to report.
      }
    }
    so.close();
  }

  private TensorInfo validate(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
    String file = config.decoderFilename();
    List<String> expectedIn = new ArrayList<>();
    expectedIn.add(config.inputIdsName());
    expectedIn.add(config.attentionMaskName());
    if (config.positionIdsName() != null) {
      expectedIn.add(config.positionIdsName());
    }
    List<String> expectedOut = new ArrayList<>();
    expectedOut.add(config.logitsName());
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      expectedIn.add(config.pastKeyName(i));
      expectedIn.add(config.pastValueName(i));
      expectedOut.add(config.presentKeyName(i));
      expectedOut.add(config.presentValueName(i));
    }
    requireNames("input", file, expectedIn, inputs.keySet());
    requireNames("output", file, expectedOut, outputs.keySet());
    Set<String> unknown = new TreeSet<>(inputs.keySet());
    expectedIn.forEach(unknown::remove);
    unknown.remove(positionIdsName);
    if (!unknown.isEmpty()) {
      throw new ModelFolderException(
          ModelFolderException.Kind.NAME_MISMATCH,
          folder,
          file
              + " requires inputs "
              + unknown
              + " that "
              + GenaiConfig.FILE_NAME
              + " does not describe (num_hidden_layers="
              + config.numHiddenLayers()
              + ")");
    }
    requireType(inputs, config.inputIdsName(), OnnxJavaType.INT64);
    requireType(inputs, config.attentionMaskName(), OnnxJavaType.INT64);
    if (hasPositionIds) {
      requireType(inputs, positionIdsName, OnnxJavaType.INT64);
    }
    TensorInfo first = tensor(inputs, config.pastKeyName(0));
    if (first.type != OnnxJavaType.FLOAT && first.type != OnnxJavaType.FLOAT16) {
      throw new ModelFolderException(
          ModelFolderException.Kind.DTYPE_MISMATCH,
          folder,
          config.pastKeyName(0)
              + " has element type "
              + first.type
              + "; expected FLOAT or FLOAT16");
    }
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      for (String name : new String[] {config.pastKeyName(i), config.pastValueName(i)}) {
        checkKv(name, tensor(inputs, name), first.type);
      }
      for (String name : new String[] {config.presentKeyName(i), config.presentValueName(i)}) {
        checkKv(name, tensor(outputs, name), first.type);
      }
    }
    TensorInfo logits = tensor(outputs, config.logitsName());
    if (logits.type != OnnxJavaType.FLOAT && logits.type != OnnxJavaType.FLOAT16) {
      throw new ModelFolderException(
          ModelFolderException.Kind.DTYPE_MISMATCH,
          folder,
          config.logitsName() + " has element type " + logits.type + "; expected FLOAT or FLOAT16");
    }
    long[] ls = logits.getShape();
    if (ls.length != 3) {
      throw new ModelFolderException(
          ModelFolderException.Kind.SHAPE_MISMATCH,
          folder,
          config.logitsName() + " has rank " + ls.length + "; expected [batch, seq, vocab]");
    }
    if (ls[2] >= 0 && ls[2] != config.vocabSize()) {
      throw new ModelFolderException(
          ModelFolderException.Kind.SHAPE_MISMATCH,
          folder,
          config.logitsName()
              + " is "
              + ls[2]
              + " wide (dimension 2) but "
              + GenaiConfig.FILE_NAME
              + " says vocab_size="
              + config.vocabSize());
    }
    return first;
  }

  private void requireNames(String what, String file, List<String> expected, Set<String> actual) {
    for (String name : expected) {
      if (!actual.contains(name)) {
        throw new ModelFolderException(
            ModelFolderException.Kind.NAME_MISMATCH,
            folder,
            GenaiConfig.FILE_NAME
                + " names "
                + what
                + " '"
                + name
                + "' but "
                + file
                + " has no such "
                + what
                + " (it has "
                + new TreeSet<>(actual)
                + ")");
      }
    }
  }

  private TensorInfo tensor(Map<String, NodeInfo> infos, String name) {
    if (!(infos.get(name).getInfo() instanceof TensorInfo t)) {
      throw new ModelFolderException(
          ModelFolderException.Kind.DTYPE_MISMATCH, folder, name + " is not a tensor");
    }
    return t;
  }

  private void requireType(Map<String, NodeInfo> infos, String name, OnnxJavaType type) {
    TensorInfo t = tensor(infos, name);
    if (t.type != type) {
      throw new ModelFolderException(
          ModelFolderException.Kind.DTYPE_MISMATCH,
          folder,
          name + " has element type " + t.type + "; expected " + type);
    }
  }

  private void checkKv(String name, TensorInfo t, OnnxJavaType type) {
    if (t.type != type) {
      throw new ModelFolderException(
          ModelFolderException.Kind.DTYPE_MISMATCH,
          folder,
          name + " has element type " + t.type + " but " + config.pastKeyName(0) + " has " + type);
    }
    long[] s = t.getShape();
    if (s.length != 4) {
      throw new ModelFolderException(
          ModelFolderException.Kind.SHAPE_MISMATCH,
          folder,
          name
              + " has rank "
              + s.length
              + " "
              + Arrays.toString(s)
              + "; expected [batch, kv_heads, seq, head_size]");
    }
    if (s[1] >= 0 && s[1] != config.numKeyValueHeads()) {
      throw new ModelFolderException(
          ModelFolderException.Kind.SHAPE_MISMATCH,
          folder,
          name
              + " has "
              + s[1]
              + " KV heads (dimension 1) but "
              + GenaiConfig.FILE_NAME
              + " says num_key_value_heads="
              + config.numKeyValueHeads());
    }
    if (s[3] >= 0 && s[3] != config.headSize()) {
      throw new ModelFolderException(
          ModelFolderException.Kind.SHAPE_MISMATCH,
          folder,
          name
              + " has head size "
              + s[3]
              + " (dimension 3) but "
              + GenaiConfig.FILE_NAME
              + " says head_size="
              + config.headSize());
    }
  }

  /**
   * A fresh KV cache for one generation, with room for {@code capacityTokens} positions (prompt +
   * max new tokens). Its native buffers are freed when it is closed.
   *
   * @throws IllegalArgumentException when the capacity exceeds the context length
   */
  public KvCache newKvCache(int capacityTokens) {
    if (capacityTokens < 1 || capacityTokens > config.contextLength()) {
      throw new IllegalArgumentException(
          "KV capacity "
              + capacityTokens
              + " outside 1.."
              + config.contextLength()
              + " (context_length)");
    }
    return new KvCache(this, capacityTokens);
  }

  /**
   * Takes one of the {@code maxConcurrentGenerations} permits.
   *
   * @return false when none became free within the timeout
   */
  public boolean acquire(long timeoutMillis) throws InterruptedException {
    return permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Returns a permit taken by {@link #acquire}. */
  public void release() {
    permits.release();
  }

  public GenaiConfig config() {
    return config;
  }

  public Path folder() {
    return folder;
  }

  public ModelOptions options() {
    return options;
  }

  /** Width of the logits rows ({@code vocab_size}), e.g. 32064 for Phi-3. */
  public int logitsSize() {
    return config.vocabSize();
  }

  /** Whether the graph takes {@code position_ids}. */
  public boolean hasPositionIds() {
    return hasPositionIds;
  }

  /** Whether the KV cache inputs/outputs are float16. */
  public boolean fp16Kv() {
    return fp16Kv;
  }

  /** Whether logits are float16 (converted to float32 for sampling). */
  public boolean fp16Logits() {
    return fp16Logits;
  }

  /** Whether generations use one shared past/present buffer per layer. */
  public boolean sharedKv() {
    return sharedKv;
  }

  OrtEnvironment env() {
    return env;
  }

  OrtSession session() {
    return session;
  }

  String positionIdsName() {
    return positionIdsName;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session failed", e);
    } finally {
      sessionOptions.close();
    }
  }
}
