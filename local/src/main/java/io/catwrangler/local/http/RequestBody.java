package io.catwrangler.local.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body as it arrives, without holding a thread while the client sends it: each call reads what
 * Jetty has and asks to be called again ({@link Request#demand}) when there is more. A client that sends slowly
 * costs a connection and the bytes it has sent, never one of the server's threads, so health checks and queries
 * are answered while uploads crawl.
 *
 * <p>A body must keep up a minimum average rate once a grace period has passed ({@link Rules}); one that does not
 * ends as {@link Outcome.TooSlow}. A body that passes its limit is drained (up to a budget) so the client reads the
 * 413 instead of a reset. Bodies held in memory at once are bounded by a {@link MemoryBudget} shared by all
 * requests.
 */
final class RequestBody implements Runnable {
  /**
   * @param minBytesPerSecond the least average rate a body must keep up after {@code grace}
   * @param grace how long a body may arrive at any rate (connection set-up, a slow start)
   * @param drainLimit the most bytes of a refused body read and dropped before the connection is closed instead
   */
  record Rules(long minBytesPerSecond, Duration grace, long drainLimit) {}

  /** How reading a body ended. */
  sealed interface Outcome {
    /** The whole body, within its limit. */
    record Complete(byte[] bytes) implements Outcome {}

    /**
     * More than the limit: {@code count} bytes seen when it was cut; {@code drained} whether the rest was read, so
     * the connection can be kept.
     */
    record TooLarge(long count, boolean drained) implements Outcome {}

    /** Below the minimum rate after the grace period. */
    record TooSlow(long count, Duration elapsed) implements Outcome {}

    /** The client stopped sending (idle timeout) or the connection broke. */
    record Broken(Throwable cause) implements Outcome {
      boolean timedOut() {
        for (Throwable t = cause; t != null; t = t.getCause()) {
          if (t instanceof TimeoutException) {
            return true;
          }
        }
        return false;
      }
    }

    /** Holding this body would pass the memory budget for bodies in progress. */
    record Busy() implements Outcome {}
  }

  private static final int FIRST_BUFFER = 64 * 1024;
  private static final byte[] NO_BYTES = new byte[0];

  private final Request request;
  private final long limit;
  private final Rules rules;
  private final MemoryBudget memory;
  private final Consumer<Outcome> done;
  private final long startNanos = System.nanoTime();
  private byte[] buffer = NO_BYTES;
  private long reserved;
  private long count;
  private boolean discarding;
  private long discarded;

  private RequestBody(Request request, long limit, Rules rules, MemoryBudget memory, Consumer<Outcome> done) {
    this.request = request;
    this.limit = limit;
    this.rules = rules;
    this.memory = memory;
    this.done = done;
  }

  /**
   * Reads the body of {@code request} and calls {@code done} once with the outcome: at once when the body is already
   * there (a GET), else on one of Jetty's threads when the last bytes arrive.
   */
  static void read(Request request, long limit, Rules rules, MemoryBudget memory, Consumer<Outcome> done) {
    new RequestBody(request, limit, rules, memory, done).run();
  }

  /** Reads and drops a body already refused, then calls {@code done} ({@link Outcome.TooLarge} or another end). */
  static void drain(Request request, Rules rules, Consumer<Outcome> done) {
    RequestBody body = new RequestBody(request, -1, rules, MemoryBudget.NONE, done);
    body.discarding = true;
    body.run();
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        finish(new Outcome.Broken(chunk.getFailure()));
        return;
      }
      boolean last = chunk.isLast();
      Outcome end;
      try {
        end = accept(chunk.getByteBuffer());
      } finally {
        chunk.release();
      }
      if (end == null && last) {
        end = discarding ? new Outcome.TooLarge(count, true) : new Outcome.Complete(bytes());
      }
      if (end != null) {
        finish(end);
        return;
      }
    }
  }

  /** Takes one chunk's bytes; an outcome when the body ends here for another reason than its end. */
  private Outcome accept(ByteBuffer data) {
    int n = data.remaining();
    count += n;
    if (discarding) {
      discarded += n;
      if (discarded > rules.drainLimit()) {
        return new Outcome.TooLarge(count, false);
      }
    } else if (count > limit) {
      discarding = true;
      discarded = 0;
      releaseBuffer();
    } else if (n > 0) {
      if (!ensureCapacity((int) count)) {
        return new Outcome.Busy();
      }
      data.get(buffer, (int) (count - n), n);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    if (elapsed.compareTo(rules.grace()) > 0 && count * 1000 < rules.minBytesPerSecond() * elapsed.toMillis()) {
      return new Outcome.TooSlow(count, elapsed);
    }
    return null;
  }

  private boolean ensureCapacity(int needed) {
    if (needed <= buffer.length) {
      return true;
    }
    long capacity = Math.min(limit, Math.max(needed, Math.max(FIRST_BUFFER, 2L * buffer.length)));
    if (!memory.reserve(capacity - reserved)) {
      return false;
    }
    reserved = capacity;
    buffer = Arrays.copyOf(buffer, (int) capacity);
    return true;
  }

  private byte[] bytes() {
    return count == buffer.length ? buffer : Arrays.copyOf(buffer, (int) count);
  }

  private void releaseBuffer() {
    buffer = NO_BYTES;
    memory.release(reserved);
    reserved = 0;
  }

  private void finish(Outcome outcome) {
    try {
      done.accept(outcome);
    } finally {
      releaseBuffer();
    }
  }
}
