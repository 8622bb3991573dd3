package io.catwrangler.local.runtime;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.events.ImageId;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The process {@link LabelCrashSafetyTest} kills: a runtime on a folder of answered images that labels them from 4
 * threads, {@link #ROUNDS} times each (each thread its own images, round after round, the answer flipping), and
 * writes every label it was told is recorded (what a {@code 201} says) to a file at once, as "image round". Then it
 * waits to be killed. Arguments: data folder, number of images, acknowledgement file.
 */
public final class CrashingLabelChild {
  private CrashingLabelChild() {}

  /** Image {@code n} of the folder the parent prepares. */
  static byte[] image(int n) {
    return TestImages.png(5_000 + n);
  }

  static final int ROUNDS = 10;

  /** What the child says of image {@code n} in {@code round}. */
  static String by(int n, int round) {
    return "person-" + n + "-" + round;
  }

  static boolean cat(int n, int round) {
    return (n + round) % 2 == 0;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Path acks = Path.of(args[2]);
    LocalConfig config = CrashingIngestChild.config(dataDir);
    LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(config.detector().threshold()));
    RecordLabel labels = runtime.labels();
    ExecutorService labellers = Executors.newFixedThreadPool(4);
    try (FileChannel out =
        FileChannel.open(acks, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(labellers.submit(() -> {
          for (int round = 0; round < ROUNDS; round++) {
            for (int n = thread; n < count; n += 4) {
              String id = ImageId.sha256Of(image(n)).value();
              labels.record(id, cat(n, round), by(n, round), "crash-label-" + n + "-" + round);
              byte[] line = (n + " " + round + "\n").getBytes(StandardCharsets.US_ASCII);
              synchronized (out) {
                out.write(ByteBuffer.wrap(line)); // once write() returns, the line survives the kill
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    System.out.println("all labels recorded; waiting to be killed");
    Thread.sleep(Long.MAX_VALUE);
  }
}
