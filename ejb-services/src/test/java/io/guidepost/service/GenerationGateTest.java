package io.guidepost.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GenerationGateTest {

  private static GenerationGate gate(int running, int queue, long timeoutMillis) {
    GenerationGate g = new GenerationGate();
    g.maxConcurrent = running;
    g.maxQueue = queue;
    g.queueTimeoutMillis = timeoutMillis;
    g.init();
    return g;
  }

  @Test
  void fullQueueIsRejectedAtOnceAs429() throws Exception {
    GenerationGate g = gate(1, 0, 10_000);
    try (GenerationGate.Slot held = g.acquire()) {
      SaturatedException e = assertThrows(SaturatedException.class, g::acquire);
      assertTrue(e.queueFull());
      assertEquals(1, e.retryAfterSeconds());
      assertEquals(1, g.running());
      assertEquals(1, g.rejected());
    }
    assertEquals(0, g.running());
    g.acquire().close(); // free again
  }

  @Test
  void waitingPastTheTimeoutIs503() throws Exception {
    GenerationGate g = gate(1, 4, 50);
    try (GenerationGate.Slot held = g.acquire()) {
      SaturatedException e = assertThrows(SaturatedException.class, g::acquire);
      assertFalse(e.queueFull());
    }
    assertEquals(0, g.queueLength());
  }

  @Test
  void queuedRequestGetsTheSlotWhenReleased() throws Exception {
    GenerationGate g = gate(1, 1, 10_000);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      GenerationGate.Slot first = g.acquire();
      CountDownLatch started = new CountDownLatch(1);
      Future<Boolean> second =
          pool.submit(
              () -> {
                started.countDown();
                try (GenerationGate.Slot s = g.acquire()) {
                  return true;
                }
              });
      started.await();
      for (int i = 0; i < 100 && g.queueLength() == 0; i++) {
        Thread.sleep(10);
      }
      assertEquals(1, g.queueLength());
      first.close();
      first.close(); // idempotent: releases once
      assertTrue(second.get(10, TimeUnit.SECONDS));
      assertEquals(0, g.running());
    } finally {
      pool.shutdownNow();
    }
  }
}
