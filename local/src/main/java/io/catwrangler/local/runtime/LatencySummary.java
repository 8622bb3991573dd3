package io.catwrangler.local.runtime;

/**
 * Classify latency (one request, detector included) since start: count and sum of all, and percentiles of the
 * most recent ones (a window of {@value LatencyRecorder#WINDOW}).
 */
public record LatencySummary(
    long count, double sumMillis, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

  public double meanMillis() {
    return count == 0 ? 0 : sumMillis / count;
  }
}
