package io.catwrangler.local.runtime;

import java.util.Arrays;

/** Records latencies for {@link LatencySummary}: totals since start, percentiles over a ring of recent samples. */
final class LatencyRecorder {
  static final int WINDOW = 1024;

  private final double[] recent = new double[WINDOW];
  private long count;
  private double sum;

  synchronized void record(long nanos) {
    double millis = nanos / 1_000_000.0;
    recent[(int) (count % WINDOW)] = millis;
    count++;
    sum += millis;
  }

  synchronized LatencySummary summary() {
    if (count == 0) {
      return LatencySummary.EMPTY;
    }
    double[] sorted = Arrays.copyOf(recent, (int) Math.min(count, WINDOW));
    Arrays.sort(sorted);
    return new LatencySummary(
        count, sum, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
        sorted[sorted.length - 1]);
  }

  private static double percentile(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
