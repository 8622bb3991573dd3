package io.catwrangler.local.http;

import io.catwrangler.api.Api;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.runtime.RuntimeHealth;
import io.catwrangler.local.runtime.RuntimeMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** The API and its metrics wired to an embedded {@link LocalRuntime}. */
public final class EmbeddedApi {
  private EmbeddedApi() {}

  /** The routes over the runtime's use cases; {@code /healthz} asks {@link LocalRuntime#health}. */
  public static Api of(LocalRuntime runtime) {
    Api.Builder api = Api.builder()
        .health(() -> health(runtime.health(), runtime.config().workers()))
        .ingest(runtime.ingest())
        .query(runtime.query())
        .replay(runtime.replay())
        .deadLetters(runtime.queue())
        .content(runtime.imageContent())
        .labelRecording(runtime.labels())
        .quality(runtime.quality());
    runtime.notifications().ifPresent(api::notificationDeadLetters);
    return api.build();
  }

  /** {@code GET /healthz}: ok only when the runtime can both accept and classify; what it can do, and why not. */
  static Api.Health health(RuntimeHealth health, int workers) {
    return new Api.Health(health.healthy(), Map.of(
        "workers", workers,
        "accepting", health.accepting(),
        "classifying", health.classifying(),
        "problems", health.problems()));
  }

  /** Starts the HTTP server for the runtime. */
  public static EmbeddedHttpServer serve(LocalRuntime runtime, HttpServerConfig config) throws IOException {
    return EmbeddedHttpServer.start(of(runtime), config, metricsOf(runtime));
  }

  /** Writes the runtime's state and this process's memory as Prometheus metrics. */
  public static Consumer<PrometheusText> metricsOf(LocalRuntime runtime) {
    return out -> {
      write(out, runtime.metrics(), runtime.health());
      QualityMetrics.write(out, runtime.quality().measure());
      runtime.notifications().ifPresent(outbox -> {
        String name = "catwrangler_notifications";
        out.family(name, "gauge", "Webhook notifications in the outbox: waiting to be delivered, or dead letters.");
        out.sample(name, Map.of("state", "waiting"), outbox.waiting());
        out.sample(name, Map.of("state", "dead"), outbox.dead());
      });
    };
  }

  static void write(PrometheusText out, RuntimeMetrics m, RuntimeHealth health) {
    out.gauge("catwrangler_up", "1 while the runtime can accept and classify (see /healthz for why not).",
        health.healthy() ? 1 : 0);
    out.gauge("catwrangler_accepting", "1 while uploads can be stored (database answering, disk not full).",
        health.accepting() ? 1 : 0);
    out.gauge("catwrangler_classifying", "1 while stored uploads get answers (workers, projector, disk).",
        health.classifying() ? 1 : 0);
    String queue = "catwrangler_queue_requests";
    out.family(queue, "gauge", "Classify requests in the work queue, by state.");
    out.sample(queue, Map.of("state", "visible"), m.queueVisible());
    out.sample(queue, Map.of("state", "in_flight"), m.queueInFlight());
    out.sample(queue, Map.of("state", "delayed"), m.queueDelayed());
    out.gauge("catwrangler_dead_letters", "Classify requests given up on, waiting for an operator.", m.deadLetters());
    String images = "catwrangler_images";
    out.family(images, "gauge", "Images in the results view, by status.");
    out.sample(images, Map.of("status", "PENDING"), m.imagesPending());
    out.sample(images, Map.of("status", "CLASSIFIED"), m.imagesClassified());
    out.sample(images, Map.of("status", "FAILED"), m.imagesFailed());
    out.counter("catwrangler_submissions_total", "Submissions recorded (ImageReceived events).", m.submissions());
    out.counter("catwrangler_events_total", "Events in the event table.", m.events());
    String outcomes = "catwrangler_classify_outcomes_total";
    out.family(outcomes, "counter", "Classify requests settled by this process since it started, by outcome.");
    out.sample(outcomes, Map.of("outcome", "classified"), m.classifiedSinceStart());
    out.sample(outcomes, Map.of("outcome", "already_classified"), m.alreadyClassifiedSinceStart());
    out.sample(outcomes, Map.of("outcome", "failed"), m.failedSinceStart());
    out.sample(outcomes, Map.of("outcome", "retried"), m.retriedSinceStart());
    out.sample(outcomes, Map.of("outcome", "dead_lettered"), m.deadLetteredSinceStart());
    String latency = "catwrangler_classify_duration_seconds";
    out.family(latency, "summary", "Time per classify request in a worker, detector included (recent window).");
    out.sample(latency, Map.of("quantile", "0.5"), m.classifyLatency().p50Millis() / 1000);
    out.sample(latency, Map.of("quantile", "0.95"), m.classifyLatency().p95Millis() / 1000);
    out.sample(latency, Map.of("quantile", "0.99"), m.classifyLatency().p99Millis() / 1000);
    out.sample(latency + "_sum", Map.of(), m.classifyLatency().sumMillis() / 1000);
    out.sample(latency + "_count", Map.of(), m.classifyLatency().count());
    out.gauge("catwrangler_projector_lag_events", "Events appended but not yet in the results view.", m.projectorLag());
    out.gauge("catwrangler_orphan_images", "Image files without events found at start-up (-1 while scanning).",
        m.orphanImages());
    out.gauge("catwrangler_workers", "Classify worker threads.", m.workers());
    out.gauge("catwrangler_uptime_seconds", "Time since the runtime opened.", m.uptime().toMillis() / 1000.0);
    long rss = residentBytes();
    if (rss >= 0) {
      out.gauge("process_resident_memory_bytes", "Resident memory of the server process.", rss);
    }
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    out.gauge("jvm_heap_used_bytes", "Java heap in use.", heap.getUsed());
  }

  /** VmRSS from /proc (Linux); -1 elsewhere. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException | SecurityException e) {
      // not Linux
    }
    return -1;
  }
}
