package io.catwrangler.local.notify;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.notify.NotifyDefaults;
import io.catwrangler.events.SubmissionSource;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.runtime.TestImages;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The process {@link NotificationCrashTest} kills: a runtime that ingests images in batches, every upload asking
 * to be told of each image and of its batch, and writes each accepted image id with its batch to a file as soon as
 * it is accepted; then it waits to be killed. Arguments: data folder, receiver host:port, uploads, acks file.
 */
public final class NotifyingChild {
  static final int BATCH = 40;

  private NotifyingChild() {}

  static LocalConfig config(Path dataDir) {
    return LocalConfig.defaults(dataDir).withWorkers(2).withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  static NotifyConfig notify(String hostAndPort) {
    return NotifyConfig.of(NotifyAllowList.parse(hostAndPort), NotifyDefaults.NONE, WebhookNotificationTest.SECRET)
        .withRetries(100, Duration.ofMillis(20), Duration.ofMillis(200))
        .withBatchSettle(Duration.ofMillis(100));
  }

  static Upload upload(int n, String hostAndPort) {
    return Upload.of(TestImages.png(5_000 + n), SubmissionSource.API)
        .withBatchId("burst-" + n / BATCH)
        .withNotify("http://" + hostAndPort + "/crash", true);
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String receiver = args[1];
    int count = Integer.parseInt(args[2]);
    Path acks = Path.of(args[3]);
    LocalConfig config = config(dataDir);
    LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()),
        notify(receiver));
    try (FileChannel out =
        FileChannel.open(acks, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int n = 0; n < count; n++) {
        IngestResult accepted = runtime.ingest().ingest(upload(n, receiver));
        // one write() per line: once it returns, the line survives the kill
        out.write(ByteBuffer.wrap((accepted.imageId().value() + " burst-" + n / BATCH + "\n")
            .getBytes(StandardCharsets.US_ASCII)));
      }
    }
    System.out.println("all uploads accepted; waiting to be killed");
    Thread.sleep(Long.MAX_VALUE);
  }
}
