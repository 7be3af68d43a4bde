package io.guidepost.decoding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Constrained generation on an {@link OnnxModel}: prompt to text, one token per step, every token
 * chosen among those the {@link ConstraintCursor} allows.
 *
 * <p>Loop (PHI3-CONTRACT.md, batch 1): encode the prompt (raw, or the Phi-3 chat template), take a
 * concurrency permit, open a fresh {@link KvCache} sized prompt + {@code maxNewTokens}, then per
 * step: stop if the cursor is complete; fill the mask (without a cursor: every text token and the
 * end-of-sequence ids); with fast-forward, take the canonical tokens of the bytes the constraint
 * forces ({@link ForcedTokens}, for {@link FastForwardCursor}s) and any token that is the only one
 * allowed, without sampling; otherwise sample ({@link Sampler}); an end-of-sequence id (allowed by
 * a cursor only where it accepts) ends the generation; else advance, stream the text and check stop
 * strings and limits. Tokens are appended to the cache lazily: only a sampling step needs logits,
 * so every token chosen since the last sampling step (the sampled token and the forced run after
 * it) goes into one model call just before the next one, the prompt is prefilled (in chunks of
 * {@link ModelOptions#prefillChunkTokens()}) together with the tokens forced before the first
 * sampling step, and tokens after the last sampling step are never appended. Model calls = prefill
 * chunks + sampling steps after the first; none when no token is sampled (an output the constraint
 * forces entirely). Cancellation ({@link GenerationControl}, thread interrupt) and the timeout are
 * checked before every model call, and abort a model call in flight; the KV cache's native memory
 * is freed when the generation ends, however it ends.
 *
 * <p>Thread-safe: any number of threads may call {@link #generate} at once; they share the session
 * and take permits ({@link ModelOptions#maxConcurrentGenerations()}). Cost per token: one model
 * call (one per sampled token with fast-forward), one mask fill and one sampling pass over the
 * logits; nothing is allocated per token except the streamed text delta.
 */
public final class Generator implements AutoCloseable {

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "guidepost-generation-timeouts");
            t.setDaemon(true);
            return t;
          });

  private final OnnxModel model;
  private final Tokenizer tokenizer;
  private final Vocabulary vocabulary;
  private final ForcedTokens forcedTokens;
  private volatile boolean speculate = true; // tests compare with it off
  private final boolean owns;
  private final long[] freeMask;
  private final int maskWords;

  /**
   * A generator over already loaded parts (not closed by {@link #close()}).
   *
   * @throws IllegalArgumentException when the vocabulary's logits width differs from the model's
   */
  public Generator(OnnxModel model, Tokenizer tokenizer, Vocabulary vocabulary) {
    this(model, tokenizer, vocabulary, false);
  }

  private Generator(OnnxModel model, Tokenizer tokenizer, Vocabulary vocabulary, boolean owns) {
    if (vocabulary.logitsSize() != model.logitsSize()) {
      throw new IllegalArgumentException(
          "vocabulary is "
              + vocabulary.logitsSize()
              + " wide, the model's logits "
              + model.logitsSize());
    }
    this.model = model;
    this.tokenizer = tokenizer;
    this.vocabulary = vocabulary;
    this.owns = owns;
    this.forcedTokens = new ForcedTokens(tokenizer, vocabulary);
    this.maskWords = (model.logitsSize() + 63) >>> 6;
    this.freeMask = new long[maskWords];
    for (int t = 0; t < model.logitsSize(); t++) {
      if (vocabulary.isText(t) || vocabulary.isEos(t)) {
        freeMask[t >>> 6] |= 1L << t;
      }
    }
  }

  /**
   * Loads a model folder: the ONNX model, its {@code tokenizer.json} and the vocabulary (logits
   * width and end-of-sequence ids from {@code genai_config.json}). {@link #close()} closes them.
   *
   * @throws ModelFolderException when the folder does not fit
   */
  public static Generator open(Path folder, ModelOptions options) {
    OnnxModel model = OnnxModel.load(folder, options);
    try {
      GenaiConfig c = model.config();
      Vocabulary vocab =
          Vocabulary.fromTokenizerJson(
              folder.resolve("tokenizer.json"), c.vocabSize(), c.eosTokenIds());
      Tokenizer tokenizer = Tokenizer.load(folder.resolve("tokenizer.json"));
      return new Generator(model, tokenizer, vocab, true);
    } catch (IOException | RuntimeException e) {
      model.close();
      if (e instanceof ModelFolderException mfe) {
        throw mfe;
      }
      throw new ModelFolderException(
          ModelFolderException.Kind.LOAD_FAILED,
          folder,
          "cannot load tokenizer.json: " + e.getMessage(),
          e);
    }
  }

  public OnnxModel model() {
    return model;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Generates without cancellation control; see {@link #generate(GenerationRequest, ...)}. */
  public GenerationResult generate(
      GenerationRequest request, ConstraintCursor cursor, GenerationListener listener) {
    return generate(request, cursor, listener, new GenerationControl());
  }

  /**
   * Runs one generation.
   *
   * @param cursor the constraint's per-request cursor, fresh; null for free text
   * @param listener streaming callback, or null
   * @param control cancellation from another thread
   * @throws IllegalArgumentException when prompt + maxNewTokens exceeds the context length, or stop
   *     strings are combined with a cursor (cutting the text would break the constraint)
   */
  public GenerationResult generate(
      GenerationRequest request,
      ConstraintCursor cursor,
      GenerationListener listener,
      GenerationControl control) {
    return generate(request, cursor, listener, control, null);
  }

  /**
   * Chooses a token in place of the {@link Sampler} (tests and benchmarks replay known outputs
   * through the real loop with it).
   */
  @FunctionalInterface
  interface TokenChooser {
    /** An id allowed by {@code mask}. */
    int choose(float[] logits, long[] mask);
  }

  GenerationResult generate(
      GenerationRequest request,
      ConstraintCursor cursor,
      GenerationListener listener,
      GenerationControl control,
      TokenChooser chooser) {
    long start = System.nanoTime();
    if (cursor != null && !request.stopStrings().isEmpty()) {
      throw new IllegalArgumentException(
          "stop strings cannot be combined with a constraint: cutting the output would break it");
    }
    long deadline =
        request.timeoutMillis() == 0
            ? Long.MAX_VALUE
            : start + request.timeoutMillis() * 1_000_000L;
    int[] prompt =
        request.isChat()
            ? tokenizer.encodePhi3Chat(request.system(), request.user())
            : tokenizer.encode(request.rawPrompt());
    if (prompt.length == 0) {
      throw new IllegalArgumentException("the prompt encodes to no tokens");
    }
    int capacity = prompt.length + request.maxNewTokens();
    if (capacity > model.config().contextLength()) {
      throw new IllegalArgumentException(
          "prompt of "
              + prompt.length
              + " tokens + maxNewTokens "
              + request.maxNewTokens()
              + " exceeds the context length "
              + model.config().contextLength());
    }
    boolean permit;
    try {
      permit =
          model.acquire(
              deadline == Long.MAX_VALUE
                  ? Long.MAX_VALUE
                  : Math.max(0, (deadline - System.nanoTime()) / 1_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return empty(prompt.length, GenerationResult.FinishReason.CANCELLED, start, listener);
    }
    if (!permit) {
      return empty(prompt.length, GenerationResult.FinishReason.TIMEOUT, start, listener);
    }
    try {
      return run(request, cursor, listener, control, chooser, prompt, capacity, start, deadline);
    } finally {
      model.release();
    }
  }

  private GenerationResult empty(
      int promptTokens,
      GenerationResult.FinishReason why,
      long start,
      GenerationListener listener) {
    if (listener != null) {
      listener.onEnd("", why);
    }
    return new GenerationResult(
        "", new int[0], promptTokens, 0, 0, 0, why, System.nanoTime() - start, 0, 0, 0);
  }

  private GenerationResult run(
      GenerationRequest request,
      ConstraintCursor cursor,
      GenerationListener listener,
      GenerationControl control,
      TokenChooser chooser,
      int[] prompt,
      int capacity,
      long start,
      long deadline) {
    long queued = System.nanoTime();
    int maxNew = request.maxNewTokens();
    // The prompt, then the output: appended to the cache from here, pending tokens at a time.
    int[] seq = Arrays.copyOf(prompt, prompt.length + maxNew);
    int base = prompt.length;
    int count = 0;
    int forced = 0;
    long[] mask = new long[maskWords];
    float[] logits = new float[model.logitsSize()];
    float[] spare = null; // logits after a speculatively appended token
    int[] heldBack = {-1}; // the boundary token fast-forward held back at the current state
    Sampler sampler = new Sampler(model.logitsSize());
    RandomGenerator rng = request.sampling().newRandom();
    TextAccumulator text = new TextAccumulator(request.stopStrings(), listener != null);
    byte[] packed = vocabulary.packedBytes();
    int[] offsets = vocabulary.packedOffsets();
    GenerationResult.FinishReason reason = null;
    long prefillNanos = 0;
    boolean prefilled = false;
    long maskNanos = 0;
    KvCache cache = model.newKvCache(capacity);
    ScheduledFuture<?> timer =
        deadline == Long.MAX_VALUE
            ? null
            : WATCHDOG.schedule(cache::terminate, deadline - queued, TimeUnit.NANOSECONDS);
    control.attach(cache);
    try {
      reason = interruption(control, deadline);
      // Tokens not yet appended to the cache: the prompt is prefilled lazily too, together with
      // any tokens forced before the first sampling step.
      int pending = prompt.length;
      while (reason == null) {
        if (cursor != null && cursor.isComplete()) {
          reason = GenerationResult.FinishReason.STOP;
          break;
        }
        if (request.fastForward() && cursor instanceof FastForwardCursor tc) {
          // The constraint forces the next bytes: take their canonical tokens without sampling.
          int[] run = forcedTokens.next(tc, maxNew - count, heldBack);
          if (run.length > 0) {
            for (int id : run) {
              seq[base + count++] = id;
              forced++;
              String delta = text.add(packed, offsets[id], offsets[id + 1] - offsets[id]);
              if (listener != null) {
                listener.onToken(id, delta, true);
              }
            }
            pending += run.length;
            if (count == maxNew) {
              reason =
                  cursor.isComplete()
                      ? GenerationResult.FinishReason.STOP
                      : GenerationResult.FinishReason.LENGTH;
              break;
            }
            continue;
          }
        }
        if (cursor != null) {
          long maskStart = System.nanoTime();
          cursor.fillMask(mask);
          maskNanos += System.nanoTime() - maskStart;
        } else {
          System.arraycopy(freeMask, 0, mask, 0, maskWords);
        }
        int only = request.fastForward() ? singleNonEos(mask) : -1;
        int token;
        boolean isForced;
        boolean speculationHeld = false;
        if (only >= 0) {
          token = only;
          isForced = true;
        } else {
          int speculative = -1;
          if (pending > 0) {
            // Sampling needs the logits after every chosen token: append them in one call. The
            // mask already reflects them (the cursor advanced when they were chosen). A boundary
            // token held back by fast-forward rides along speculatively: sampling reads the row
            // before it; if it is chosen, the row after it saves the next call, else it is dropped.
            reason = interruption(control, deadline);
            if (reason != null) {
              break;
            }
            speculative = request.fastForward() && speculate ? heldBack[0] : -1;
            if (speculative >= 0) {
              if (spare == null) {
                spare = new float[logits.length];
              }
              seq[base + count] = speculative; // scratch slot: the next output position
              cache.appendLastTwo(seq, base + count - pending, pending + 1, logits, spare);
            } else {
              cache.append(seq, base + count - pending, pending, logits);
            }
            if (!prefilled) {
              prefilled = true;
              prefillNanos = System.nanoTime() - queued;
            }
            pending = 0;
          }
          token =
              chooser == null
                  ? sampler.sample(logits, mask, request.sampling(), rng)
                  : chooser.choose(logits, mask);
          isForced = false;
          if (speculative >= 0) {
            if (token == speculative) {
              speculationHeld = true;
              float[] t = logits;
              logits = spare;
              spare = t;
            } else {
              cache.truncate(cache.length() - 1);
            }
          }
        }
        heldBack[0] = -1;
        if (vocabulary.isEos(token)) {
          if (cursor != null) {
            cursor.advance(token);
          }
          reason = GenerationResult.FinishReason.STOP;
          break;
        }
        if (cursor != null) {
          cursor.advance(token);
        }
        seq[base + count] = token;
        count++;
        if (isForced) {
          forced++;
        }
        String delta = text.add(packed, offsets[token], offsets[token + 1] - offsets[token]);
        if (listener != null) {
          listener.onToken(token, delta, isForced);
        }
        if (text.stopped()) {
          reason = GenerationResult.FinishReason.STOP;
          break;
        }
        if (count == maxNew) {
          reason =
              cursor != null && cursor.isComplete()
                  ? GenerationResult.FinishReason.STOP
                  : GenerationResult.FinishReason.LENGTH;
          break;
        }
        // Appended lazily, together with any forced run that follows it, when logits are needed
        // (a speculative token that was chosen is in the cache already, its logits at hand).
        if (!speculationHeld) {
          pending++;
        }
      }
    } catch (CancellationException e) {
      reason =
          control.isCancelled() || Thread.currentThread().isInterrupted()
              ? GenerationResult.FinishReason.CANCELLED
              : GenerationResult.FinishReason.TIMEOUT;
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      control.detach();
      cache.close();
    }
    String rest = text.flush();
    if (listener != null) {
      listener.onEnd(rest, reason);
    }
    long end = System.nanoTime();
    int calls = cache.modelCalls();
    return new GenerationResult(
        text.text(),
        Arrays.copyOfRange(seq, base, base + count),
        prompt.length,
        count,
        forced,
        calls,
        reason,
        queued - start,
        prefillNanos,
        end - queued - prefillNanos,
        maskNanos);
  }

  private static GenerationResult.FinishReason interruption(
      GenerationControl control, long deadline) {
    if (control.isCancelled() || Thread.currentThread().isInterrupted()) {
      return GenerationResult.FinishReason.CANCELLED;
    }
    if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
      return GenerationResult.FinishReason.TIMEOUT;
    }
    return null;
  }

  /** The one allowed id when exactly one non-EOS token is allowed, else -1. */
  private int singleNonEos(long[] mask) {
    int found = -1;
    for (int w = 0; w < maskWords; w++) {
      long bits = mask[w];
      if (bits == 0) {
        continue;
      }
      if (found >= 0 || Long.bitCount(bits) > 1) {
        return -1;
      }
      found = (w << 6) + Long.numberOfTrailingZeros(bits);
    }
    return found >= 0 && !vocabulary.isEos(found) ? found : -1;
  }

  @Override
  public void close() {
    if (owns) {
      tokenizer.close();
      model.close();
    }
  }

  /**
   * The output bytes, the streamed deltas (complete UTF-8 characters only) and stop-string
   * detection. Not thread-safe. Without a listener no delta strings are built.
   */
  private static final class TextAccumulator {
    private final List<String> stops;
    private final boolean streaming;
    private final int holdBack; // bytes kept unstreamed: a stop string may still start in them
    private byte[] bytes = new byte[256];
    private int size;
    private int emitted; // bytes already streamed
    private int cut = -1; // byte offset where a stop string starts, or -1

    TextAccumulator(List<String> stops, boolean streaming) {
      this.stops = stops;
      this.streaming = streaming;
      int longest = 0;
      for (String stop : stops) {
        longest = Math.max(longest, stop.getBytes(StandardCharsets.UTF_8).length);
      }
      this.holdBack = Math.max(0, longest - 1);
    }

    /** Appends {@code length} bytes of {@code data} from {@code offset}; returns the delta. */
    String add(byte[] data, int offset, int length) {
      if (size + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
      }
      System.arraycopy(data, offset, bytes, size, length);
      size += length;
      if (!stops.isEmpty()) {
        findStop(size - length);
      }
      if (!streaming && cut < 0) {
        return ""; // the deltas are not wanted; flush() and text() still see every byte
      }
      int end = completeBoundary();
      if (cut >= 0) {
        end = Math.min(end, cut);
      } else if (holdBack > 0) {
        end = Math.max(emitted, charStart(end - holdBack));
      }
      if (end <= emitted) {
        return "";
      }
      String delta = new String(bytes, emitted, end - emitted, StandardCharsets.UTF_8);
      emitted = end;
      return delta;
    }

    /** Streams what was held back, up to the final end of the text. */
    String flush() {
      int end = cut >= 0 ? cut : completeBoundary();
      if (end <= emitted) {
        return "";
      }
      String rest = new String(bytes, emitted, end - emitted, StandardCharsets.UTF_8);
      emitted = end;
      return rest;
    }

    /** The nearest character start at or before {@code i} (0 when none). */
    private int charStart(int i) {
      int j = Math.max(0, i);
      while (j > 0 && j < size && (bytes[j] & 0xC0) == 0x80) {
        j--;
      }
      return j;
    }

    /** End of the longest prefix that does not end inside a multi-byte character. */
    private int completeBoundary() {
      int i = size - 1;
      int back = 0;
      while (i >= emitted && back < 4 && (bytes[i] & 0xC0) == 0x80) {
        i--;
        back++;
      }
      if (i < emitted) {
        return size;
      }
      int lead = bytes[i] & 0xFF;
      int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      return size - i >= need ? size : i;
    }

    /** Looks for stop strings that end in the bytes added from {@code previousSize} on. */
    private void findStop(int previousSize) {
      for (String s : stops) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int from = Math.max(0, previousSize - b.length + 1); from + b.length <= size; from++) {
          for (int j = 0; j < b.length; j++) {
            if (bytes[from + j] != b[j]) {
              continue outer;
            }
          }
          if (cut < 0 || from < cut) {
            cut = from;
          }
          break;
        }
      }
    }

    boolean stopped() {
      return cut >= 0;
    }

    /** The output, without a trailing incomplete UTF-8 sequence (call after {@link #flush}). */
    String text() {
      return new String(bytes, 0, emitted, StandardCharsets.UTF_8);
    }
  }

  /** Test hook: with {@code false}, held-back boundary tokens are not appended speculatively. */
  void speculateHeldBackTokens(boolean on) {
    speculate = on;
  }
}
