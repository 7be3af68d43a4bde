package io.guidepost.service;

import io.guidepost.decoding.GenerationControl;
import io.guidepost.decoding.GenerationListener;
import io.guidepost.decoding.GenerationRequest;
import io.guidepost.decoding.GenerationResult;
import io.guidepost.decoding.Generator;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs generations on the loaded model: validates limits, admits the request through {@link
 * GenerationGate} (bounded concurrency and queue), applies the timeout, and honours cancellation.
 * Usable by other enterprise components through its no-interface local view.
 *
 * <p>Limits (MicroProfile Config): {@code guidepost.generation.max-tokens} (largest {@code
 * max_tokens} accepted, default 2048), {@code guidepost.generation.timeout-ms} (default per
 * generation, 120000; 0 = none).
 */
@Stateless
public class GenerationService {
  private static final AtomicLong GENERATED = new AtomicLong();
  private static final AtomicLong FORCED = new AtomicLong();
  private static final AtomicLong MASK_NANOS = new AtomicLong();
  private static final AtomicLong REQUESTS = new AtomicLong();

  @EJB ModelLifecycle model;

  @EJB GenerationGate gate;

  @Inject
  @ConfigProperty(name = "guidepost.generation.max-tokens", defaultValue = "2048")
  int maxTokensLimit;

  @Inject
  @ConfigProperty(name = "guidepost.generation.timeout-ms", defaultValue = "120000")
  long defaultTimeoutMillis;

  /** The largest {@code max_tokens} accepted. */
  public int maxTokensLimit() {
    return maxTokensLimit;
  }

  /**
   * Generates and waits for the result: {@link #start} then {@link Generation#run}.
   *
   * @param listener streaming callback per token, or null
   * @param control lets another thread (e.g. a disconnected client) cancel; may be null
   */
  public GenerationResult generate(
      GenerationCommand command, GenerationListener listener, GenerationControl control) {
    try (Generation g = start(command)) {
      return g.run(listener, control);
    }
  }

  /**
   * Validates the command and admits it: on return a generation slot is held, so a caller can
   * answer errors (4xx, 429, 503) before committing to a streamed response. Run it with {@link
   * Generation#run} and close it (closing an un-run generation frees its slot).
   *
   * @throws ModelNotReadyException no model loaded (503)
   * @throws SaturatedException queue full (429) or queue wait timed out (503)
   * @throws PromptTooLongException prompt + max tokens exceed the context (400)
   * @throws InvalidGenerationException other bad requests (400)
   */
  public Generation start(GenerationCommand command) {
    if (command.maxTokens() < 1 || command.maxTokens() > maxTokensLimit) {
      throw new InvalidGenerationException(
          "max_tokens",
          "max_tokens must be between 1 and " + maxTokensLimit + ", not " + command.maxTokens());
    }
    Generator generator = model.generator();
    String prompt = command.promptText();
    int promptTokens = generator.tokenizer().encode(prompt).length;
    if (promptTokens == 0) {
      throw new InvalidGenerationException("prompt", "The prompt is empty.");
    }
    int context = generator.model().config().contextLength();
    if (promptTokens + command.maxTokens() > context) {
      throw new PromptTooLongException(promptTokens, command.maxTokens(), context);
    }
    long timeout = command.timeoutMillis() > 0 ? command.timeoutMillis() : defaultTimeoutMillis;
    GenerationRequest request =
        GenerationRequest.raw(prompt, command.maxTokens())
            .withSampling(command.sampling())
            .withStopStrings(command.stop())
            .withTimeoutMillis(timeout);
    REQUESTS.incrementAndGet();
    GenerationGate.Slot slot;
    try {
      slot = gate.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SaturatedException(false, 1, "Interrupted while waiting for a generation slot.");
    }
    return new Generation(generator, request, command, slot);
  }

  /** An admitted generation holding a slot; run it once, then close it. Not thread-safe. */
  public static final class Generation implements AutoCloseable {
    private final Generator generator;
    private final GenerationRequest request;
    private final GenerationCommand command;
    private final GenerationGate.Slot slot;
    private boolean ran;

    Generation(
        Generator generator,
        GenerationRequest request,
        GenerationCommand command,
        GenerationGate.Slot slot) {
      this.generator = generator;
      this.request = request;
      this.command = command;
      this.slot = slot;
    }

    /** Runs the generation (once) and releases the slot. */
    public GenerationResult run(GenerationListener listener, GenerationControl control) {
      if (ran) {
        throw new IllegalStateException("a generation runs once");
      }
      ran = true;
      try {
        GenerationResult r =
            generator.generate(
                request,
                command.cursor(),
                listener,
                control == null ? new GenerationControl() : control);
        GENERATED.addAndGet(r.generatedTokens());
        FORCED.addAndGet(r.forcedTokens());
        MASK_NANOS.addAndGet(r.maskNanos());
        return r;
      } finally {
        slot.close();
      }
    }

    @Override
    public void close() {
      slot.close();
    }
  }

  /** Tokens generated since start (all requests). */
  public static long generatedTokens() {
    return GENERATED.get();
  }

  /** Of those, tokens appended by fast-forward. */
  public static long forcedTokens() {
    return FORCED.get();
  }

  /** Time spent filling constraint masks since start, nanoseconds. */
  public static long maskNanos() {
    return MASK_NANOS.get();
  }

  /** Generation requests admitted or attempted since start. */
  public static long requests() {
    return REQUESTS.get();
  }
}
