package io.catwrangler.local.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts by route and status, and a latency histogram by route. Routes are templates
 * ({@code GET /images/{id}}), never raw paths, so the number of series stays small whatever clients send.
 */
public final class HttpMetrics {
  /** Upper bounds in seconds: fine below 100 ms, where the API's targets are. */
  static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private record Key(String route, int status) {}

  private static final class Histogram {
    final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          buckets.incrementAndGet(i);
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }
  }

  private final ConcurrentHashMap<Key, LongAdder> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Histogram> latency = new ConcurrentHashMap<>();

  public void record(String route, int status, long nanos) {
    requests.computeIfAbsent(new Key(route, status), k -> new LongAdder()).increment();
    latency.computeIfAbsent(route, r -> new Histogram()).observe(nanos / 1e9);
  }

  /** How many requests of a route ended with a status (tests). */
  public long count(String route, int status) {
    LongAdder n = requests.get(new Key(route, status));
    return n == null ? 0 : n.sum();
  }

  public void writeTo(PrometheusText out) {
    out.family("catwrangler_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    requests.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(
            java.util.Comparator.comparing(Key::route).thenComparingInt(Key::status)))
        .forEach(e -> out.sample(
            "catwrangler_http_requests_total",
            labels("route", e.getKey().route(), "status", Integer.toString(e.getKey().status())),
            e.getValue().sum()));
    String name = "catwrangler_http_request_duration_seconds";
    out.family(name, "histogram", "Time from request headers to response, by route.");
    latency.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Histogram h = e.getValue();
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.buckets.get(i);
        out.sample(name + "_bucket", labels("route", e.getKey(), "le", PrometheusText.number(BUCKETS[i])), cumulative);
      }
      out.sample(name + "_bucket", labels("route", e.getKey(), "le", "+Inf"), h.count.sum());
      out.sample(name + "_sum", labels("route", e.getKey()), h.sum.sum());
      out.sample(name + "_count", labels("route", e.getKey()), h.count.sum());
    });
  }

  private static Map<String, String> labels(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
