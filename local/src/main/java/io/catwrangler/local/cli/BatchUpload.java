package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Json;
import io.catwrangler.local.eval.LabelledFolder;
import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Uploads many files with a few parallel connections, for {@code submit} and the load tool. A transient failure (no
 * connection, 503) is retried twice; the rest is reported per file. Each finished file is handed to a listener
 * (the manifest writer, the progress bar) as soon as it is known.
 */
final class BatchUpload {
  private static final int ATTEMPTS = 3;

  /**
   * What became of one file.
   *
   * @param httpStatus 0 when the server could not be reached
   * @param ackMillis from the start of the request that got the answer to the answer
   */
  record Result(
      Path file,
      String sha256,
      long bytes,
      int httpStatus,
      Optional<String> imageId,
      Optional<String> submissionId,
      Optional<String> status,
      Optional<String> error,
      Optional<String> message,
      double ackMillis) {

    boolean accepted() {
      return httpStatus == 202;
    }

    /** One manifest line. */
    String toJson() {
      ObjectNode node = Json.object();
      node.put("file", file.toString());
      node.put("sha256", sha256);
      node.put("bytes", bytes);
      node.put("http_status", httpStatus);
      put(node, "image_id", imageId);
      put(node, "submission_id", submissionId);
      put(node, "status", status);
      put(node, "error", error);
      put(node, "message", message);
      return node.toString();
    }

    private static void put(ObjectNode node, String name, Optional<String> value) {
      value.ifPresentOrElse(v -> node.put(name, v), () -> node.putNull(name));
    }
  }

  private final ApiClient client;
  private final Optional<String> batchId;
  private final Optional<String> clientId;
  private final boolean debug;
  private final int parallel;

  BatchUpload(ApiClient client, Optional<String> batchId, Optional<String> clientId, boolean debug, int parallel) {
    if (parallel < 1) {
      throw new IllegalArgumentException("--parallel must be at least 1");
    }
    this.client = client;
    this.batchId = batchId;
    this.clientId = clientId;
    this.debug = debug;
    this.parallel = parallel;
  }

  /** The files to send: named files as they are, folders walked for .jpg, .jpeg and .png, in a stable order. */
  static List<Path> collect(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile).filter(LabelledFolder::isImageName).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      } else {
        throw new IOException("no such file or folder: " + path);
      }
    }
    return files;
  }

  /** Uploads every file; results in the order of {@code files}. */
  List<Result> run(List<Path> files, Consumer<Result> listener) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "upload");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Result>> futures = new ArrayList<>(files.size());
      for (Path file : files) {
        futures.add(pool.submit(() -> {
          Result result = upload(file);
          listener.accept(result);
          return result;
        }));
      }
      List<Result> results = new ArrayList<>(files.size());
      for (Future<Result> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("upload task failed", e.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  Result upload(Path file) throws InterruptedException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new Result(file, "", 0, 0, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of("UNREADABLE"), Optional.of(e.toString()), 0);
    }
    String failure = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long start = System.nanoTime();
      try {
        ApiClient.Reply reply =
            client.upload(bytes, Optional.of(file.getFileName().toString()), batchId, clientId, debug);
        double ms = (System.nanoTime() - start) / 1e6;
        if (reply.status() == 503 && attempt < ATTEMPTS) {
          failure = reply.describeError();
        } else if (reply.isSuccess()) {
          Optional<String> imageId = text(reply, "image_id");
          // an accepted image's id is the sha256 of its bytes: hashed here only when the server did not say it
          return new Result(file, imageId.orElseGet(() -> sha256(bytes)), bytes.length, reply.status(), imageId,
              text(reply, "submission_id"), text(reply, "status"), Optional.empty(), Optional.empty(), ms);
        } else {
          return new Result(file, sha256(bytes), bytes.length, reply.status(), Optional.empty(), Optional.empty(),
              Optional.empty(), Optional.of(reply.error()), Optional.of(reply.message()), ms);
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      Thread.sleep(500L * attempt);
    }
    return new Result(file, sha256(bytes), bytes.length, 0, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of("UNREACHABLE"), Optional.of(failure), 0);
  }

  private static String sha256(byte[] bytes) {
    return ImageId.sha256Of(bytes).value();
  }

  private static Optional<String> text(ApiClient.Reply reply, String field) {
    return Optional.ofNullable(reply.body().get(field)).filter(n -> n.isTextual()).map(n -> n.asText());
  }

  /** A one-line progress bar on stderr, redrawn at most ten times a second; silent unless on a terminal. */
  static final class Progress implements Consumer<Result> {
    private final PrintWriter err;
    private final int total;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile long lastDraw;

    Progress(PrintWriter err, int total, boolean enabled) {
      this.err = err;
      this.total = total;
      this.enabled = enabled;
    }

    @Override
    public void accept(Result result) {
      int n = done.incrementAndGet();
      if (!result.accepted()) {
        rejected.incrementAndGet();
      }
      long now = System.nanoTime();
      if (enabled && (n == total || now - lastDraw > 100_000_000L)) {
        lastDraw = now;
        draw(n, now);
      }
    }

    private synchronized void draw(int n, long now) {
      int width = 30;
      int filled = total == 0 ? width : (int) ((long) n * width / total);
      double seconds = (now - start) / 1e9;
      err.printf(Locale.ROOT, "\r[%s%s] %d/%d sent, %d refused, %.1f files/s", "#".repeat(filled),
          ".".repeat(width - filled), n, total, rejected.get(), seconds > 0 ? n / seconds : 0.0);
      if (n == total) {
        err.print("\r\033[K");
      }
      err.flush();
    }
  }
}
