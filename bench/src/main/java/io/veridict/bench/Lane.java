package io.veridict.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A bounded work lane of the HTTP service: a fixed number of worker threads and a fixed-size queue.
 * When both are full a request is refused at once with 503 and a {@code Retry-After} estimated from
 * the lane's recent task times, instead of queueing without bound and running out of memory.
 */
final class Lane {
  private final String name;
  private final int threads;
  private final ThreadPoolExecutor pool;
  /** Exponential moving average of task wall time, in milliseconds. */
  private final AtomicLong avgMillis;

  Lane(String name, int threads, int queue, long initialEstimateMillis) {
    this.name = name;
    this.threads = threads;
    this.avgMillis = new AtomicLong(initialEstimateMillis);
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, "veridict-" + name + "-" + n.incrementAndGet());
          t.setDaemon(false); // in-flight work must not be cut off by JVM exit before a graceful stop
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Runs {@code task} on the lane; throws a 503 {@link ApiError} if the lane is full or stopping. */
  <T> CompletableFuture<T> submit(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        long t0 = System.nanoTime();
        try {
          f.complete(task.get());
        } catch (Throwable e) {
          f.completeExceptionally(e);
        } finally {
          long ms = (System.nanoTime() - t0) / 1_000_000;
          avgMillis.getAndUpdate(a -> (a * 7 + ms) / 8);
        }
      });
    } catch (RejectedExecutionException e) {
      if (pool.isShutdown()) {
        throw ApiError.of(503, "shutting_down", "the service is shutting down; retry on another instance or later");
      }
      throw ApiError.busy("the " + name + " queue is full (" + pool.getActiveCount() + " running, "
          + pool.getQueue().size() + " waiting); retry later", retryAfterSeconds());
    }
    return f;
  }

  /** Seconds until a slot is likely free: the work ahead of a new task divided by the workers. */
  long retryAfterSeconds() {
    long ahead = pool.getQueue().size() + pool.getActiveCount();
    return Math.max(1, (ahead * avgMillis.get() / threads + 999) / 1000);
  }

  int queued() {
    return pool.getQueue().size();
  }

  int active() {
    return pool.getActiveCount();
  }

  /** Refuses new tasks and waits up to {@code millis} for queued and running ones to finish. */
  boolean drain(long millis) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }

  void shutdownNow() {
    pool.shutdownNow();
  }
}
