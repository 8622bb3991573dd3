package io.catwrangler.local.runtime;

import java.time.Duration;

/**
 * A snapshot of the embedded runtime, for {@code GET /metrics} and the CLI. Counts of images and submissions come
 * from the stores (they survive restarts); the {@code …SinceStart} counters and the latency are this process's.
 *
 * @param queueVisible requests waiting for a worker
 * @param queueInFlight requests leased by a worker right now
 * @param queueDelayed requests waiting out a retry backoff
 * @param deadLetters requests given up on, waiting for an operator
 * @param imagesPending images in the view without a final answer
 * @param imagesClassified images in the view with an answer
 * @param imagesFailed images in the view that failed for good
 * @param submissions ImageReceived events recorded (each upload of an image counts)
 * @param events events in the event table
 * @param classifiedSinceStart requests this process settled with a fresh detector answer
 * @param alreadyClassifiedSinceStart requests answered from an earlier classification of the same bytes
 * @param failedSinceStart requests this process settled as failed for good
 * @param retriedSinceStart transient failures handed back to the queue for another attempt
 * @param deadLetteredSinceStart requests this process dead-lettered
 * @param classifyLatency time per request in the workers (detector included)
 * @param projectorLag events appended but not yet in the view
 * @param orphanImages image files with no event and no queued request, found by the start-up scan (-1 until the
 *     scan is done)
 * @param workers worker threads
 * @param uptime since the runtime was opened
 */
public record RuntimeMetrics(
    long queueVisible,
    long queueInFlight,
    long queueDelayed,
    long deadLetters,
    long imagesPending,
    long imagesClassified,
    long imagesFailed,
    long submissions,
    long events,
    long classifiedSinceStart,
    long alreadyClassifiedSinceStart,
    long failedSinceStart,
    long retriedSinceStart,
    long deadLetteredSinceStart,
    LatencySummary classifyLatency,
    long projectorLag,
    long orphanImages,
    int workers,
    Duration uptime) {

  /** Requests queued or in work: visible + in flight + delayed. */
  public long queueDepth() {
    return queueVisible + queueInFlight + queueDelayed;
  }
}
