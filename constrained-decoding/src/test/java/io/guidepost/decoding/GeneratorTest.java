package io.guidepost.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorTest {

  private static final DemoModelSpec SPEC = DemoModelSpec.defaults();

  private static Generator generator() {
    return DemoModelFixture.generator(SPEC);
  }

  @Test
  void greedyIsIdenticalAcrossRunsAndStreamsTheSameText() {
    GenerationRequest req = GenerationRequest.chat("You are terse.", "Name a patient.", 40);
    GenerationResult first = generator().generate(req, null, null);
    StringBuilder streamed = new StringBuilder();
    List<Integer> ids = new ArrayList<>();
    GenerationResult second =
        generator()
            .generate(
                req,
                null,
                (id, delta, forced) -> {
                  streamed.append(delta);
                  ids.add(id);
                });
    assertArrayEquals(first.tokenIds(), second.tokenIds());
    assertEquals(first.text(), second.text());
    assertEquals(first.text(), streamed.toString());
    assertEquals(first.generatedTokens(), ids.size());
    assertTrue(first.promptTokens() > 5);
    assertEquals(first.generatedTokens(), first.tokenIds().length);
    assertEquals(0, first.forcedTokens(), "free text has no forced tokens");
    // One prefill call, then one call per generated token except the last.
    int expectedCalls =
        1
            + first.generatedTokens()
            - (first.finishReason() == GenerationResult.FinishReason.LENGTH ? 1 : 0);
    assertEquals(expectedCalls, first.modelCalls());
  }

  @Test
  void textIsTheExactBytesOfTheTokens() {
    GenerationResult r = generator().generate(GenerationRequest.raw("The patient", 30), null, null);
    StringBuilder sb = new StringBuilder();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int id : r.tokenIds()) {
      assertTrue(generator().vocabulary().isText(id), "token " + id + " is text");
      bytes.writeBytes(generator().vocabulary().tokenBytes(id));
    }
    sb.append(bytes.toString(StandardCharsets.UTF_8));
    assertEquals(sb.toString(), r.text());
  }

  @Test
  void eightConcurrentThreadsGiveTheSameGreedyOutput() throws Exception {
    GenerationRequest req = GenerationRequest.raw("Diagnosis code for the patient:", 24);
    GenerationResult expected = generator().generate(req, null, null);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<GenerationResult>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        futures.add(pool.submit(() -> generator().generate(req, null, null)));
      }
      for (Future<GenerationResult> f : futures) {
        GenerationResult r = f.get();
        assertArrayEquals(expected.tokenIds(), r.tokenIds());
        assertEquals(expected.text(), r.text());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void seededSamplingIsReproducible(long seed) {
    GenerationRequest req =
        GenerationRequest.raw("hello", 20).withSampling(new SamplingParams(0.9, 50, 0.95, seed));
    GenerationResult a = generator().generate(req, null, null);
    GenerationResult b = generator().generate(req, null, null);
    assertArrayEquals(a.tokenIds(), b.tokenIds());
  }

  @Test
  void lengthLimitIsHonoured() {
    GenerationResult r = generator().generate(GenerationRequest.raw("a", 7), null, null);
    if (r.finishReason() == GenerationResult.FinishReason.LENGTH) {
      assertEquals(7, r.generatedTokens());
    } else {
      assertTrue(r.generatedTokens() < 7);
    }
  }

  @Test
  void stopStringCutsTheOutput() {
    GenerationRequest req = GenerationRequest.raw("The patient", 40);
    GenerationResult free = generator().generate(req, null, null);
    // Use a fragment of the free output as the stop string: generation must stop there.
    String text = free.text();
    assertTrue(text.length() >= 6, "need some output, got '" + text + "'");
    String stop = text.substring(3, 6);
    StringBuilder streamed = new StringBuilder();
    GenerationResult stopped =
        generator()
            .generate(
                req.withStopStrings(List.of("never appears \u2603", stop)),
                null,
                new GenerationListener() {
                  @Override
                  public void onToken(int id, String delta, boolean forced) {
                    streamed.append(delta);
                  }

                  @Override
                  public void onEnd(String delta, GenerationResult.FinishReason reason) {
                    streamed.append(delta);
                  }
                });
    assertEquals(GenerationResult.FinishReason.STOP, stopped.finishReason());
    assertEquals(text.substring(0, text.indexOf(stop)), stopped.text());
    assertFalse(stopped.text().contains(stop));
    assertEquals(stopped.text(), streamed.toString(), "the stop string is never streamed");
  }

  @Test
  void cancellationBeforeAndDuringGeneration() throws Exception {
    GenerationControl control = new GenerationControl();
    control.cancel();
    GenerationResult r = generator().generate(GenerationRequest.raw("x", 50), null, null, control);
    assertEquals(GenerationResult.FinishReason.CANCELLED, r.finishReason());
    assertEquals(0, r.generatedTokens());

    GenerationControl mid = new GenerationControl();
    GenerationResult r2 =
        generator()
            .generate(
                GenerationRequest.raw("x", 200),
                null,
                (id, delta, forced) -> {
                  if (id >= 0) {
                    mid.cancel();
                  }
                },
                mid);
    assertEquals(GenerationResult.FinishReason.CANCELLED, r2.finishReason());
    assertEquals(1, r2.generatedTokens());

    Thread.currentThread().interrupt();
    try {
      GenerationResult r3 = generator().generate(GenerationRequest.raw("x", 50), null, null);
      assertEquals(GenerationResult.FinishReason.CANCELLED, r3.finishReason());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void chunkedPrefillOfALongPromptGivesTheSameGreedyOutput() {
    String prompt = "The patient was admitted with fever and cough. ".repeat(12);
    GenerationRequest req = GenerationRequest.raw(prompt, 16);
    GenerationResult whole = generator().generate(req, null, null);
    assertTrue(whole.promptTokens() > 60, "prompt of " + whole.promptTokens() + " tokens");
    try (Generator chunked =
        Generator.open(
            DemoModelFixture.folder(SPEC),
            ModelOptions.defaults().withIntraOpThreads(1).withPrefillChunkTokens(16))) {
      GenerationResult r = chunked.generate(req, null, null);
      assertArrayEquals(whole.tokenIds(), r.tokenIds());
      int prefillCalls = (whole.promptTokens() + 15) / 16;
      assertEquals(whole.modelCalls() - 1 + prefillCalls, r.modelCalls());
    }
  }

  /** fp16 KV/logits, position_ids and separate buffers end to end, under a constraint. */
  @ParameterizedTest
  @ValueSource(strings = {"fp16", "position_ids", "fp32 weights"})
  void constrainedGenerationOnEveryVariant(String variant) {
    DemoModelSpec spec =
        switch (variant) {
          case "fp16" -> SPEC.withFp16Io(true);
          case "position_ids" -> SPEC.withPositionIds(true).withPastPresentShareBuffer(false);
          default -> SPEC.withWeights(DemoModelSpec.WeightKind.FP32);
        };
    Generator g = DemoModelFixture.generator(spec);
    TokenAutomaton code =
        TokenAutomaton.compile(
            io.guidepost.grammar.Regex.compile("[A-Z][0-9]{2}(\\.[0-9]{1,2})?"), g.vocabulary());
    for (int seed = 0; seed < 20; seed++) {
      GenerationResult r =
          g.generate(
              GenerationRequest.chat(null, "code?", 16)
                  .withSampling(new SamplingParams(1.0, 0, 1.0, seed)),
              code.newCursor(),
              null);
      assertEquals(GenerationResult.FinishReason.STOP, r.finishReason());
      assertTrue(
          java.util.regex.Pattern.matches("[A-Z][0-9]{2}(\\.[0-9]{1,2})?", r.text()), r.text());
    }
  }

  @Test
  void cancelFromAnotherThread() throws Exception {
    GenerationControl control = new GenerationControl();
    CountDownLatch started = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<GenerationResult> f =
          pool.submit(
              () ->
                  generator()
                      .generate(
                          GenerationRequest.raw("x", 1500),
                          null,
                          (id, delta, forced) -> {
                            started.countDown();
                            sleep(1);
                          },
                          control));
      assertTrue(started.await(30, TimeUnit.SECONDS));
      control.cancel();
      GenerationResult r = f.get();
      assertEquals(GenerationResult.FinishReason.CANCELLED, r.finishReason());
      assertTrue(r.generatedTokens() < 1500);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrencyBoundQueuesAndTimesOut() throws Exception {
    Path folder = DemoModelFixture.folder(SPEC);
    try (Generator one =
        Generator.open(
            folder,
            ModelOptions.defaults().withIntraOpThreads(1).withMaxConcurrentGenerations(1))) {
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<GenerationResult> first =
            pool.submit(
                () ->
                    one.generate(
                        GenerationRequest.raw("x", 3),
                        null,
                        (id, delta, forced) -> {
                          holding.countDown();
                          await(release);
                        }));
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        GenerationResult queued =
            one.generate(GenerationRequest.raw("x", 3).withTimeoutMillis(50), null, null);
        assertEquals(GenerationResult.FinishReason.TIMEOUT, queued.finishReason());
        assertEquals(0, queued.generatedTokens());
        release.countDown();
        assertTrue(first.get().generatedTokens() > 0);
        assertTrue(one.generate(GenerationRequest.raw("x", 3), null, null).generatedTokens() > 0);
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void timeoutEndsTheGeneration() {
    GenerationResult r =
        generator()
            .generate(
                GenerationRequest.raw("x", 500).withTimeoutMillis(1),
                null,
                (id, delta, forced) -> sleep(2));
    assertEquals(GenerationResult.FinishReason.TIMEOUT, r.finishReason());
    assertTrue(r.generatedTokens() < 500);
  }

  @Test
  void promptBeyondContextIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> generator().generate(GenerationRequest.raw("x", 2048), null, null));
    assertTrue(e.getMessage().contains("exceeds the context length 2048"), e.getMessage());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
