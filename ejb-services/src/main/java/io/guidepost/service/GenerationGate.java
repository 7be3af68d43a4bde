package io.guidepost.service;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admission control for generations: at most {@code guidepost.generation.max-concurrent} run at
 * once (each holds a KV cache), at most {@code guidepost.generation.max-queue} wait, each for at
 * most {@code guidepost.generation.queue-timeout-ms}. A request that finds the queue full is
 * rejected at once (429); one that waits too long gets 503; both with {@code Retry-After}.
 *
 * <p>Thread-safe: a fair semaphore and atomic counters; no container locking.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class GenerationGate {

  @Inject
  @ConfigProperty(name = "guidepost.generation.max-concurrent", defaultValue = "4")
  int maxConcurrent;

  @Inject
  @ConfigProperty(name = "guidepost.generation.max-queue", defaultValue = "32")
  int maxQueue;

  @Inject
  @ConfigProperty(name = "guidepost.generation.queue-timeout-ms", defaultValue = "30000")
  long queueTimeoutMillis;

  private Semaphore slots;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong rejected = new AtomicLong();

  @PostConstruct
  void init() {
    slots = new Semaphore(Math.max(1, maxConcurrent), true);
  }

  /** A held generation slot; close it to release. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits for a slot.
   *
   * @throws SaturatedException when the queue is full or the wait times out
   * @throws InterruptedException when interrupted while queued
   */
  public Slot acquire() throws InterruptedException {
    if (waiting.incrementAndGet() > maxQueue + Math.max(0, slots.availablePermits())) {
      waiting.decrementAndGet();
      rejected.incrementAndGet();
      throw new SaturatedException(
          true,
          1,
          "Too many generations queued ("
              + maxQueue
              + " waiting, "
              + maxConcurrent
              + " running). Retry later.");
    }
    boolean got;
    try {
      got = slots.tryAcquire(queueTimeoutMillis, TimeUnit.MILLISECONDS);
    } finally {
      waiting.decrementAndGet();
    }
    if (!got) {
      rejected.incrementAndGet();
      throw new SaturatedException(
          false,
          Math.max(1, (int) (queueTimeoutMillis / 1000)),
          "No generation slot became free within " + queueTimeoutMillis + " ms. Retry later.");
    }
    running.incrementAndGet();
    return new Slot() {
      private boolean closed;

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          running.decrementAndGet();
          slots.release();
        }
      }
    };
  }

  /** Generations waiting for a slot. */
  public int queueLength() {
    return waiting.get();
  }

  /** Generations running. */
  public int running() {
    return running.get();
  }

  /** Requests rejected as saturated since start. */
  public long rejected() {
    return rejected.get();
  }
}
