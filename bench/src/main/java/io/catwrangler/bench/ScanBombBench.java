package io.catwrangler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ScanBombs;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.events.Json;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Scan bombs against a running embedded server: a normal photo's answer time on the idle server; then behind {@code
 * --bombs} large progressive photos (8000×6000, 10 scans: the costliest photos accepted); then behind as many scan
 * bombs that pass every upload check (8000×6000 with the most scans accepted at that size, a few hundred KB), with
 * how each queued image ended and what its decode cost. One more bomb with a scan over the limit is refused at
 * upload. Bounded: a fixed number of images, a deadline, loopback only.
 *
 * <pre>
 * bench/run scan-bombs http://127.0.0.1:8080 [--bombs 10]
 * </pre>
 */
@Command(name = "scan-bombs", description = "Large progressive photos and scan bombs against a running server on this"
    + " machine: what they cost the photos queued behind them.")
final class ScanBombBench implements Callable<Integer> {
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  @Parameters(paramLabel = "URL", description = "The server, on this machine (e.g. http://127.0.0.1:8080).")
  String url;

  @Option(names = "--bombs", description = "Large photos, and as many bombs, 1-50 (default: ${DEFAULT-VALUE}).")
  int bombs = 10;

  @Spec CommandSpec spec;

  private URI base;
  private PrintWriter out;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Override
  public Integer call() throws Exception {
    if (bombs < 1 || bombs > 50) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bombs 1-50");
    }
    base = BenchImages.loopback(url);
    out = spec.commandLine().getOut();
    run(bombs);
    out.flush();
    // a request still hanging on a stalled server does not keep the program alive: Benchmarks.main exits
    return 0;
  }

  private void run(int count) throws Exception {
    long salt = System.nanoTime();
    int width = 8000;
    int height = 6000;
    int maxScans = ImageInspector.maxScans(width, height);
    System.err.println("making " + count + " large photos and " + count + " bombs ...");
    List<byte[]> photos = new ArrayList<>();
    List<byte[]> bombs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      photos.add(smoothProgressive(width, height, (int) (salt + i)));
      bombs.add(ScanBombs.withScans(smoothProgressive(width, height, (int) (salt + count + i)), maxScans));
    }
    byte[] overLimit = ScanBombs.withScans(bombs.get(0), maxScans + 1);

    Duration idle = answerTime(BenchImages.photo((int) salt - 1));
    out.printf(Locale.ROOT, "normal photo, idle server: answered in %d ms%n", idle.toMillis());
    report(count, photos, "large photos (%dx%d progressive, 10 scans, %d KB)".formatted(width, height,
        photos.get(0).length / 1024), BenchImages.photo((int) salt - 2));
    report(count, bombs, "bombs (%dx%d progressive, %d scans, the most accepted at that size, %d KB)".formatted(
        width, height, maxScans, bombs.get(0).length / 1024), BenchImages.photo((int) salt - 3));
    HttpResponse<String> refused = post(overLimit);
    out.printf(Locale.ROOT, "bomb with %d scans (%d KB): %d %s%n", maxScans + 1, overLimit.length / 1024,
        refused.statusCode(), refused.body());
  }

  /** Queues {@code images}, then a normal photo; its answer time, and how each queued image ended. */
  private void report(int count, List<byte[]> images, String what, byte[] photo) throws Exception {
    List<String> ids = new ArrayList<>();
    long queued = System.nanoTime();
    for (byte[] image : images) {
      HttpResponse<String> r = post(image);
      if (r.statusCode() != 202) {
        throw new IllegalStateException("refused at upload: " + r.body());
      }
      ids.add(Json.MAPPER.readTree(r.body()).path("image_id").asText());
    }
    Duration behind = answerTime(photo);
    out.printf(Locale.ROOT, "normal photo queued behind %d %s: answered in %d ms%n", count, what,
        behind.toMillis());
    for (String id : ids) {
      JsonNode image = await(id);
      JsonNode debug = get("/images/" + id + "?debug=true").path("debug");
      if (image.path("status").asText().equals("CLASSIFIED")) {
        out.printf(Locale.ROOT, "  %s…: CLASSIFIED, decoded in %.0f ms (wall)%n", id.substring(0, 12),
            debug.path("timings_ms").path("decode").asDouble());
      } else {
        JsonNode failure = image.path("failure");
        out.printf(Locale.ROOT, "  %s…: %s %s, retryable %s, attempt %s: %s%n", id.substring(0, 12),
            image.path("status").asText(), failure.path("reason").asText(), failure.path("retryable").asText(),
            failure.path("attempt").asText(), failure.path("message").asText());
      }
    }
    out.printf(Locale.ROOT, "  all %d settled %d ms after they were queued%n", count,
        Duration.ofNanos(System.nanoTime() - queued).toMillis());
  }

  /** From the upload until GET /images/{id} says CLASSIFIED or FAILED. */
  private Duration answerTime(byte[] photo) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = post(photo);
    if (r.statusCode() != 202) {
      throw new IllegalStateException("upload refused: " + r.body());
    }
    JsonNode answer = await(Json.MAPPER.readTree(r.body()).path("image_id").asText());
    if (!answer.path("status").asText().equals("CLASSIFIED")) {
      throw new IllegalStateException("the normal photo was not classified: " + answer);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private JsonNode await(String id) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode image = get("/images/" + id);
      String status = image.path("status").asText();
      if (status.equals("CLASSIFIED") || status.equals("FAILED")) {
        return image;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(id + " still not answered after " + DEADLINE);
  }

  private HttpResponse<String> post(byte[] bytes) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve("/images")).header("X-Batch-Id", "scan-bomb-bench")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Smooth gradients compress to tiny scans: a 48-megapixel progressive JPEG of a few hundred KB. */
  private static byte[] smoothProgressive(int width, int height, int seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        row[x] = ((x * 255 / width + seed) & 0xFF) << 16 | (y * 255 / height) << 8 | (seed * 37 & 0xFF);
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return TestImages.progressiveJpeg(image);
  }
}
