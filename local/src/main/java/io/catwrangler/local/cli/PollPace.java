package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How long a client waiting for a batch sleeps before its next poll: half the time the pending images should take at
 * the rate seen since the first poll, between 50 ms and 1 s (250 ms until a rate is known). A long batch is polled
 * once a second instead of four times, and its end is seen within 50 ms instead of a quarter second: on a busy
 * server both the polls and the wait after the last answer were time taken from classifying (docs/benchmarks.md).
 * The load test's client ({@code bench}) paces its polls with it too.
 */
public final class PollPace {
  public static final long MIN_MILLIS = 50;
  public static final long MAX_MILLIS = 1000;
  public static final long UNKNOWN_MILLIS = 250;

  private final long expected;
  private long firstNanos = -1;
  private long firstDone;

  /** @param expected the images the batch will have once every upload is listed (0: take its total) */
  public PollPace(long expected) {
    this.expected = expected;
  }

  /** Milliseconds to sleep after seeing {@code batch} (a {@code GET /batches/{id}} page) at {@code nowNanos}. */
  public long next(JsonNode batch, long nowNanos) {
    JsonNode counts = batch.path("counts");
    long done = counts.path("CLASSIFIED").asLong() + counts.path("FAILED").asLong();
    long pending = Math.max(counts.path("PENDING").asLong(), Math.max(expected, batch.path("total").asLong()) - done);
    if (firstNanos < 0) {
      firstNanos = nowNanos;
      firstDone = done;
      return UNKNOWN_MILLIS;
    }
    double seconds = (nowNanos - firstNanos) / 1e9;
    if (done <= firstDone || seconds <= 0) {
      return UNKNOWN_MILLIS;
    }
    double perSecond = (done - firstDone) / seconds;
    long half = (long) (pending / perSecond * 500);
    return Math.max(MIN_MILLIS, Math.min(MAX_MILLIS, half));
  }
}
