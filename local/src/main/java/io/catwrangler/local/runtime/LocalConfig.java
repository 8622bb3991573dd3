package io.catwrangler.local.runtime;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.local.sqlite.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything the embedded runtime is tuned by, validated when built. The CLI reads flags and the config file into
 * one of these; tests build their own.
 *
 * @param dataDir the data folder: database, images, lock file (created if missing)
 * @param workers classify worker threads, 1 to 64
 * @param detector the detector's settings; its threshold and image limits are the pipeline's too
 * @param maxAttempts deliveries a classify request gets before it is dead-lettered (1 to 100); the last one records
 *     RETRIES_EXHAUSTED on a detector error
 * @param visibilityTimeout how long a leased batch stays hidden from other workers (at least 1 s); must cover a
 *     whole batch of classifications. A lease held by a killed process is released at the next start, not after
 *     this timeout.
 * @param batchSize requests a worker leases at once, 1 to 100
 * @param retryBackoff delay before a request that failed transiently is delivered again, doubled per attempt
 * @param maxRetryBackoff cap of that delay
 * @param projectorBatchSize events the projector folds per view transaction, 1 to 10,000
 * @param durability when a commit is on the disk (see {@link Durability}), for the database and the image files
 *     alike: NORMAL (the default) survives a killed process, FULL a power cut too
 * @param shutdownTimeout how long {@code close()} waits for workers to finish the image in hand
 * @param workerNice the Linux nice value of the classify workers, 0 (same priority as HTTP) to 19, so inference
 *     yields the cores to uploads and queries (see {@link ThreadNiceness}); the threads that load the model should
 *     get the same, since inference threads inherit it
 */
public record LocalConfig(
    Path dataDir,
    int workers,
    DetectorConfig detector,
    int maxAttempts,
    Duration visibilityTimeout,
    int batchSize,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    int projectorBatchSize,
    Durability durability,
    Duration shutdownTimeout,
    int workerNice) {

  /** Inference at nice 10 gets about a tenth of a core's share against a busy nice-0 HTTP thread. */
  public static final int DEFAULT_WORKER_NICE = 10;

  public LocalConfig {
    Objects.requireNonNull(dataDir, "data folder");
    dataDir = dataDir.toAbsolutePath().normalize();
    requireBetween(workers, 1, 64, "workers");
    Objects.requireNonNull(detector, "detector config");
    requireBetween(maxAttempts, 1, 100, "max attempts");
    requireAtLeast(visibilityTimeout, Duration.ofSeconds(1), "visibility timeout");
    requireBetween(batchSize, 1, 100, "batch size");
    requireAtLeast(retryBackoff, Duration.ZERO, "retry backoff");
    requireAtLeast(maxRetryBackoff, retryBackoff, "max retry backoff");
    requireBetween(projectorBatchSize, 1, 10_000, "projector batch size");
    Objects.requireNonNull(durability, "durability");
    requireAtLeast(shutdownTimeout, Duration.ZERO, "shutdown timeout");
    ThreadNiceness.requireValid(workerNice);
  }

  /**
   * The defaults: {@link #defaultWorkers()} workers each running the model on its own thread
   * ({@link #defaultDetector()}), 5 attempts, 2 minutes' visibility, batches of 4, NORMAL durability, workers at
   * nice 10.
   */
  public static LocalConfig defaults(Path dataDir) {
    return new LocalConfig(
        dataDir,
        defaultWorkers(),
        defaultDetector(),
        PipelineConfig.DEFAULTS.maxAttempts(),
        Duration.ofMinutes(2),
        4,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        500,
        Durability.NORMAL,
        Duration.ofSeconds(30),
        DEFAULT_WORKER_NICE);
  }

  /**
   * The detector of a server: the shared defaults, but one ONNX Runtime thread per inference. Several workers run
   * inferences side by side, one per core; two threads each would put two inference threads on every core, which
   * cost 35 % of the throughput on 2 cores (decision 0015).
   */
  public static DetectorConfig defaultDetector() {
    return DetectorConfig.defaults().withThreads(1);
  }

  /**
   * One worker per core, at least two (decoding one image overlaps inference on another) and at most eight (each
   * holds an image's decoded pixels and tensors; more would crowd the 512 MB heap of the {@code catwrangler}
   * script).
   */
  public static int defaultWorkers() {
    return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  /** The use cases' settings: the detector's threshold and limits, this config's attempts. */
  public PipelineConfig pipeline() {
    return new PipelineConfig(
        detector.limits(), detector.threshold(), maxAttempts, PipelineConfig.DEFAULTS.maxConflictRetries());
  }

  /** The delay before delivery {@code attempt + 1} after delivery {@code attempt} failed transiently. */
  public Duration backoffAfter(int attempt) {
    Duration delay = retryBackoff;
    for (int i = 1; i < attempt && delay.compareTo(maxRetryBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : delay;
  }

  public LocalConfig withWorkers(int n) {
    return copy(c -> c.workers = n);
  }

  public LocalConfig withDetector(DetectorConfig config) {
    return copy(c -> c.detector = config);
  }

  public LocalConfig withMaxAttempts(int n) {
    return copy(c -> c.maxAttempts = n);
  }

  public LocalConfig withVisibilityTimeout(Duration timeout) {
    return copy(c -> c.visibilityTimeout = timeout);
  }

  public LocalConfig withBatchSize(int n) {
    return copy(c -> c.batchSize = n);
  }

  public LocalConfig withRetryBackoff(Duration base, Duration max) {
    return copy(c -> {
      c.retryBackoff = base;
      c.maxRetryBackoff = max;
    });
  }

  public LocalConfig withDurability(Durability value) {
    return copy(c -> c.durability = value);
  }

  public LocalConfig withWorkerNice(int nice) {
    return copy(c -> c.workerNice = nice);
  }

  public LocalConfig withShutdownTimeout(Duration timeout) {
    return copy(c -> c.shutdownTimeout = timeout);
  }

  /** This config with {@code change} applied to a copy of its values, validated again. */
  private LocalConfig copy(Consumer<Values> change) {
    Values values = new Values(this);
    change.accept(values);
    return values.config();
  }

  /** The components, changeable for {@link #copy}: listed here once instead of in every {@code with…}. */
  private static final class Values {
    Path dataDir;
    int workers;
    DetectorConfig detector;
    int maxAttempts;
    Duration visibilityTimeout;
    int batchSize;
    Duration retryBackoff;
    Duration maxRetryBackoff;
    int projectorBatchSize;
    Durability durability;
    Duration shutdownTimeout;
    int workerNice;

    Values(LocalConfig c) {
      dataDir = c.dataDir;
      workers = c.workers;
      detector = c.detector;
      maxAttempts = c.maxAttempts;
      visibilityTimeout = c.visibilityTimeout;
      batchSize = c.batchSize;
      retryBackoff = c.retryBackoff;
      maxRetryBackoff = c.maxRetryBackoff;
      projectorBatchSize = c.projectorBatchSize;
      durability = c.durability;
      shutdownTimeout = c.shutdownTimeout;
      workerNice = c.workerNice;
    }

    LocalConfig config() {
      return new LocalConfig(dataDir, workers, detector, maxAttempts, visibilityTimeout, batchSize, retryBackoff,
          maxRetryBackoff, projectorBatchSize, durability, shutdownTimeout, workerNice);
    }
  }

  /** The SQLite database file. */
  public Path databaseFile() {
    return dataDir.resolve("catwrangler.db");
  }

  /** The folder of the image files. */
  public Path imagesDir() {
    return dataDir.resolve("images");
  }

  private static void requireBetween(int value, int min, int max, String what) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " must be " + min + " to " + max + ", was " + value);
    }
  }

  private static void requireAtLeast(Duration value, Duration min, String what) {
    Objects.requireNonNull(value, what);
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", was " + value);
    }
  }
}
