package io.catwrangler.local.runtime;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.events.SubmissionSource;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The process {@link CrashSafetyTest} kills: a runtime that ingests images from 4 uploader threads while its
 * workers classify them, and writes the id of every accepted upload (a 202) to a file as soon as it is accepted.
 * Then it waits to be killed. Arguments: data folder, first seed, number of uploads, acknowledgement file.
 */
public final class CrashingIngestChild {
  private CrashingIngestChild() {}

  /** The runtime settings of both the child and the checking parent. */
  static LocalConfig config(Path dataDir) {
    return LocalConfig.defaults(dataDir)
        .withWorkers(2)
        .withBatchSize(4)
        .withMaxAttempts(5)
        .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  /** Upload {@code n} of a run: every fourth repeats an earlier image in the other batch (same bytes, new submission). */
  static Upload upload(int n) {
    int seed = n % 4 == 3 ? n - 2 : n;
    return Upload.of(TestImages.png(1_000 + seed), SubmissionSource.API)
        .withBatchId("crash-" + (n % 2))
        .withFileName("photo-" + n + ".png");
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    Path acks = Path.of(args[3]);
    LocalConfig config = config(dataDir);
    FakeCatDetector detector = new FakeCatDetector(config.detector().threshold()).delay(Duration.ofMillis(15));
    LocalRuntime runtime = LocalRuntime.open(config, detector);
    ExecutorService uploaders = Executors.newFixedThreadPool(4);
    try (FileChannel out =
        FileChannel.open(acks, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      List<Future<?>> done = new ArrayList<>();
      for (int n = first; n < first + count; n++) {
        int upload = n;
        done.add(
            uploaders.submit(
                () -> {
                  IngestResult accepted = runtime.ingest().ingest(upload(upload));
                  byte[] line = (accepted.imageId().value() + "\n").getBytes(StandardCharsets.US_ASCII);
                  synchronized (out) {
                    // one write() per line: once it returns, the line survives the kill (the kernel has it)
                    out.write(ByteBuffer.wrap(line));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    System.out.println("all uploads accepted; waiting to be killed");
    Thread.sleep(Long.MAX_VALUE);
  }
}
