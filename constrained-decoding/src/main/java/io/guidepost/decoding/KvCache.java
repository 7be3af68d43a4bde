package io.guidepost.decoding;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The decoding state of one generation on an {@link OnnxModel}: the KV cache and the reused
 * input/output buffers, and the operation "append these tokens, give me the logits of the last
 * one".
 *
 * <p>Memory: all buffers are allocated once, off-heap, in one {@link Arena} that {@link #close()}
 * frees at once (not at the next GC): per layer a key and a value buffer of {@code capacity}
 * positions ({@code [1, kv_heads, capacity, head_size]}, two of each in separate mode), the {@code
 * input_ids}/{@code position_ids} buffers of {@code prefillChunkTokens}, an {@code attention_mask}
 * of {@code capacity} ones and a logits buffer of as many rows as the largest call so far needed
 * (at most {@code prefillChunkTokens x vocab_size}; grown in the same arena, so a short prompt
 * never pays for zeroing the full chunk — 16 MB for Phi-3 — and decoding needs a row or a few).
 *
 * <p>Shared mode (PHI3-CONTRACT.md): each KV buffer is one tensor passed as {@code
 * past_key_values.*} and pinned as {@code present.*}; GroupQueryAttention writes the new positions
 * in place. Separate mode: past is a view of the first {@code length} positions of one buffer set,
 * present is pinned to a view of {@code length + n} positions of the other, and the sets swap after
 * each call. Logits are always pinned; only the last row is read (float16 converted to float32).
 * Tokens beyond {@code prefillChunkTokens} are appended in several calls (chunked prefill), which
 * needs ONNX Runtime 1.20 or later.
 *
 * <p>Not thread-safe: one thread appends; {@link #terminate()} may be called from another to abort
 * a running model call. Cost per append: one model call per chunk plus {@code vocab_size} values
 * copied out; small tensor handles are created per call, values never copied in.
 */
public final class KvCache implements AutoCloseable {

  private final OnnxModel model;
  private final GenaiConfig config;
  private final int capacity;
  private final int chunk;
  private final int vocab;
  private final int layers;
  private final long kvPositionBytes;
  private final int kvElementBytes;
  private final int logitsElementBytes;
  private final OnnxJavaType kvType;
  private final OnnxJavaType logitsType;
  private final Arena arena = Arena.ofShared();
  // Index 2*layer is the key buffer, 2*layer+1 the value buffer.
  private final MemorySegment[] kvA;
  private final MemorySegment[] kvB;
  private final OnnxTensor[] sharedKvTensors;
  private final MemorySegment ids;
  private final MemorySegment positions;
  private final MemorySegment mask;
  private MemorySegment logits; // logitsRows rows; grown on demand in the arena
  private int logitsRows;
  private final short[] halfRow;
  private final OrtSession.RunOptions runOptions;
  // Tensor names per KV buffer index (2*layer key, 2*layer+1 value), formatted once.
  private final String[] pastNames;
  private final String[] presentNames;
  // The same keys every call, so puts replace values and allocate nothing.
  private final Map<String, OnnxTensor> inputs = new HashMap<>();
  private final Map<String, OnnxTensor> pinned = new HashMap<>();
  private final List<OnnxTensor> perCall = new ArrayList<>();
  private boolean pastInA = true;
  private int length;
  private int modelCalls;
  private volatile boolean terminated;
  private volatile boolean closed;

  KvCache(OnnxModel model, int capacity) {
    this.model = model;
    this.config = model.config();
    this.capacity = capacity;
    this.chunk = Math.min(model.options().prefillChunkTokens(), capacity);
    this.vocab = config.vocabSize();
    this.layers = config.numHiddenLayers();
    this.kvElementBytes = model.fp16Kv() ? 2 : 4;
    this.logitsElementBytes = model.fp16Logits() ? 2 : 4;
    this.kvType = model.fp16Kv() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
    this.logitsType = model.fp16Logits() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
    this.kvPositionBytes = (long) config.headSize() * kvElementBytes;
    this.pastNames = new String[2 * layers];
    this.presentNames = new String[2 * layers];
    for (int l = 0; l < layers; l++) {
      pastNames[2 * l] = config.pastKeyName(l);
      pastNames[2 * l + 1] = config.pastValueName(l);
      presentNames[2 * l] = config.presentKeyName(l);
      presentNames[2 * l + 1] = config.presentValueName(l);
    }
    long kvBytes = (long) config.numKeyValueHeads() * capacity * kvPositionBytes;
    try {
      kvA = new MemorySegment[2 * layers];
      kvB = model.sharedKv() ? null : new MemorySegment[2 * layers];
      for (int i = 0; i < 2 * layers; i++) {
        kvA[i] = arena.allocate(kvBytes, 64);
        if (kvB != null) {
          kvB[i] = arena.allocate(kvBytes, 64);
        }
      }
      ids = arena.allocate(8L * chunk, 64);
      positions = arena.allocate(8L * chunk, 64);
      mask = arena.allocate(8L * capacity, 64);
      for (int i = 0; i < capacity; i++) {
        mask.setAtIndex(ValueLayout.JAVA_LONG, i, 1L);
      }
      logitsRows = 1;
      logits = arena.allocate((long) vocab * logitsElementBytes, 64);
      halfRow = model.fp16Logits() ? new short[vocab] : null;
      runOptions = new OrtSession.RunOptions();
      if (model.sharedKv()) {
        sharedKvTensors = new OnnxTensor[2 * layers];
        long[] shape = {1, config.numKeyValueHeads(), capacity, config.headSize()};
        for (int i = 0; i < 2 * layers; i++) {
          sharedKvTensors[i] = tensor(kvA[i], kvBytes, shape, kvType);
        }
      } else {
        sharedKvTensors = null;
      }
    } catch (OrtException | RuntimeException e) {
      arena.close();
      throw new IllegalStateException("cannot allocate the KV cache: " + e.getMessage(), e);
    }
  }

  /** Positions held so far (prompt and generated tokens appended). */
  public int length() {
    return length;
  }

  /** Maximum positions ({@code prompt + max_new_tokens} as requested). */
  public int capacity() {
    return capacity;
  }

  /** Model calls made so far (one per chunk). */
  public int modelCalls() {
    return modelCalls;
  }

  /**
   * Appends {@code count} tokens and writes the logits that follow the last one into {@code
   * lastLogits} (length at least {@code vocab_size}).
   *
   * @throws IllegalStateException when the capacity would be exceeded or the cache is closed
   * @throws CancellationException when {@link #terminate()} was called
   */
  public void append(int[] tokens, int offset, int count, float[] lastLogits) {
    int done = 0;
    int last = 0;
    checkAppend(count);
    while (done < count) {
      last = Math.min(chunk, count - done);
      run(tokens, offset + done, last);
      done += last;
    }
    readRow(last - 1, lastLogits);
  }

  /**
   * Appends {@code count >= 2} tokens and writes the logits following the second-to-last one into
   * {@code secondLast} and those following the last one into {@code last} (for a token appended
   * speculatively: {@code secondLast} is what sampling needs, {@code last} saves the next call when
   * the speculation holds).
   */
  public void appendLastTwo(int[] tokens, int offset, int count, float[] secondLast, float[] last) {
    if (count < 2) {
      throw new IllegalArgumentException("need at least two tokens, got " + count);
    }
    checkAppend(count);
    int done = 0;
    while (done < count) {
      int n = Math.min(chunk, count - done);
      if (count - done - n == 1 && n > 1) {
        n--; // keep the last two tokens' logits reachable: never leave one token for a chunk alone
      }
      run(tokens, offset + done, n);
      done += n;
      if (done == count - 1) {
        readRow(n - 1, secondLast);
      } else if (done == count) {
        if (n >= 2) {
          readRow(n - 2, secondLast);
        }
        readRow(n - 1, last);
      }
    }
  }

  /**
   * Forgets the last {@code length() - newLength} positions, as if they had never been appended (a
   * speculative token that was not chosen). In separate-buffer mode the positions are stored per
   * head with a stride of the current length, so each head's block is moved down.
   */
  public void truncate(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IllegalArgumentException(
          "cannot truncate " + length + " positions to " + newLength);
    }
    if (newLength == length) {
      return;
    }
    if (sharedKvTensors == null) {
      long heads = config.numKeyValueHeads();
      MemorySegment[] current = pastInA ? kvA : kvB;
      for (MemorySegment seg : current) {
        for (long h = 1; h < heads; h++) {
          MemorySegment.copy(
              seg,
              h * length * kvPositionBytes,
              seg,
              h * newLength * kvPositionBytes,
              newLength * kvPositionBytes);
        }
      }
    }
    length = newLength;
  }

  /**
   * Appends tokens and writes the logits following each of them into {@code rows[i]}; used by tests
   * to compare with step-by-step decoding.
   */
  void appendAllRows(int[] tokens, int offset, int count, float[][] rows) {
    checkAppend(count);
    int done = 0;
    while (done < count) {
      int n = Math.min(chunk, count - done);
      run(tokens, offset + done, n);
      for (int r = 0; r < n; r++) {
        readRow(r, rows[done + r]);
      }
      done += n;
    }
  }

  private void checkAppend(int count) {
    if (closed) {
      throw new IllegalStateException("KV cache is closed");
    }
    if (count < 1) {
      throw new IllegalArgumentException("nothing to append");
    }
    if ((long) length + count > capacity) {
      throw new IllegalStateException(
          "KV cache capacity "
              + capacity
              + " exceeded: "
              + length
              + " positions held, "
              + count
              + " more requested");
    }
  }

  /**
   * Aborts the model call running now (if any) and every later one; safe from any thread. Appending
   * afterwards throws {@link CancellationException}.
   */
  public synchronized void terminate() {
    terminated = true;
    if (closed) {
      return;
    }
    try {
      runOptions.setTerminate(true);
    } catch (OrtException e) {
      // The flag above still stops the next call.
    }
  }

  private void run(int[] tokens, int offset, int n) {
    if (terminated) {
      throw new CancellationException("generation terminated");
    }
    int total = length + n;
    for (int i = 0; i < n; i++) {
      ids.setAtIndex(ValueLayout.JAVA_LONG, i, tokens[offset + i]);
      positions.setAtIndex(ValueLayout.JAVA_LONG, i, length + i);
    }
    try {
      inputs.put(
          config.inputIdsName(), perCall(ids, 8L * n, new long[] {1, n}, OnnxJavaType.INT64));
      inputs.put(
          config.attentionMaskName(),
          perCall(mask, 8L * total, new long[] {1, total}, OnnxJavaType.INT64));
      if (model.hasPositionIds()) {
        inputs.put(
            model.positionIdsName(),
            perCall(positions, 8L * n, new long[] {1, n}, OnnxJavaType.INT64));
      }
      long heads = config.numKeyValueHeads();
      long head = config.headSize();
      for (int l = 0; l < layers; l++) {
        for (int kv = 0; kv < 2; kv++) {
          int i = 2 * l + kv;
          String pastName = pastNames[i];
          String presentName = presentNames[i];
          if (sharedKvTensors != null) {
            inputs.put(pastName, sharedKvTensors[i]);
            pinned.put(presentName, sharedKvTensors[i]);
          } else {
            MemorySegment past = pastInA ? kvA[i] : kvB[i];
            MemorySegment present = pastInA ? kvB[i] : kvA[i];
            inputs.put(
                pastName,
                perCall(
                    past,
                    heads * length * kvPositionBytes,
                    new long[] {1, heads, length, head},
                    kvType));
            pinned.put(
                presentName,
                perCall(
                    present,
                    heads * total * kvPositionBytes,
                    new long[] {1, heads, total, head},
                    kvType));
          }
        }
      }
      if (n > logitsRows) {
        logitsRows = Math.min(chunk, Math.max(n, 2 * logitsRows));
        logits = arena.allocate((long) logitsRows * vocab * logitsElementBytes, 64);
      }
      pinned.put(
          config.logitsName(),
          perCall(
              logits, (long) n * vocab * logitsElementBytes, new long[] {1, n, vocab}, logitsType));
      try (OrtSession.Result ignored = model.session().run(inputs, Set.of(), pinned, runOptions)) {
        modelCalls++;
      }
    } catch (OrtException e) {
      if (terminated) {
        throw new CancellationException("generation terminated during a model call");
      }
      throw new IllegalStateException("model call failed: " + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : perCall) {
        t.close();
      }
      perCall.clear();
    }
    if (sharedKvTensors == null) {
      pastInA = !pastInA;
    }
    length = total;
  }

  private void readRow(int row, float[] dst) {
    long offset = (long) row * vocab * logitsElementBytes;
    if (halfRow == null) {
      MemorySegment.copy(logits, ValueLayout.JAVA_FLOAT, offset, dst, 0, vocab);
    } else {
      MemorySegment.copy(logits, ValueLayout.JAVA_SHORT, offset, halfRow, 0, vocab);
      for (int i = 0; i < vocab; i++) {
        dst[i] = Float.float16ToFloat(halfRow[i]);
      }
    }
  }

  private OnnxTensor perCall(MemorySegment seg, long bytes, long[] shape, OnnxJavaType type)
      throws OrtException {
    OnnxTensor t = tensor(seg, bytes, shape, type);
    perCall.add(t);
    return t;
  }

  private OnnxTensor tensor(MemorySegment seg, long bytes, long[] shape, OnnxJavaType type)
      throws OrtException {
    ByteBuffer view = seg.asSlice(0, bytes).asByteBuffer().order(ByteOrder.nativeOrder());
    return OnnxTensor.createTensor(model.env(), view, shape, type);
  }

  /** Frees every native buffer now; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sharedKvTensors != null) {
      for (OnnxTensor t : sharedKvTensors) {
        t.close();
      }
    }
    runOptions.close();
    arena.close();
  }
}
