package io.catwrangler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.events.Json;
import io.catwrangler.local.cli.PollPace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The load of the end-to-end rounds: one batch of images uploaded by {@value #SENDERS} concurrent senders (as {@code
 * catwrangler submit --parallel 8} does), then {@code GET /batches/{id}?limit=1} at {@code submit --wait}'s pace
 * ({@link PollPace}: 250 ms until a rate is seen, then half the time the pending images should take, between 50 ms and
 * 1 s) until the batch is complete. Seconds from the first upload to the poll that saw it complete.
 *
 * <p>The polls were every 50 ms until 2026-12-03: a batch's counts are a query over its images (2–3 ms of the server's
 * CPU for 1,000), which at 20 polls a second took a third of a millisecond of CPU an image from the classifying.
 *
 * <p>Why not {@code catwrangler submit --wait}, which the rounds ran until 2026-12-02: the uploading client shares the
 * two cores with the server it measures (production callers are other machines), and submit's asynchronous
 * {@code HttpClient}, its manifest and its JIT cost 1.5–2.5 ms of CPU an image in a warm JVM and 3.8–4.4 ms in a
 * process of its own (docs/benchmarks.md, "The load tool's share") — a tenth of the detector's time, taken from it.
 * This client sends the same requests (the bytes as {@code application/octet-stream}, a file name, the batch id) with
 * the JDK's plain blocking client over kept-alive connections.
 */
final class BatchLoad {
  static final int SENDERS = 8;

  /**
   * One upload in this many asks for its connection to be closed ({@code Connection: close}), and its sender opens a
   * new one, as clients do. Without it the warm-up ran on 8 connections opened once, the server's compiled HTTP code never
   * saw a connection being set up, and each round, whose connections are new (the idle ones expire during the
   * detector-only run between rounds), began with deoptimizations and half-second C2 recompilations of the request
   * path (JFR, 2026-12-03: 5 s of C2 in three rounds, 0.6 ms an image).
   */
  static final int UPLOADS_PER_CONNECTION = 100;

  static {
    // the JDK's blocking client keeps 5 idle connections per server by default: one per sender, and the poller's
    System.setProperty("http.maxConnections", Integer.toString(SENDERS + 2));
  }

  private BatchLoad() {}

  /**
   * Uploads {@code count} images, image {@code i} being {@code image.apply(i)}, into batch {@code batch} and waits
   * until no image of it is pending.
   *
   * @return seconds from the first upload to the batch seen complete
   * @throws IllegalStateException an upload not accepted (anything but 202), or the batch not complete in 30 minutes
   */
  static double uploadAndWait(URI server, int count, IntFunction<byte[]> image, String batch) throws Exception {
    URI uploads = server.resolve("/images");
    URI status = server.resolve("/batches/" + batch + "?limit=1");
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    long start = System.nanoTime();
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        running.add(senders.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < count) {
            String name = String.format(Locale.ROOT, "img-%04d.jpg", i);
            int code = upload(uploads, image.apply(i), name, batch, i % UPLOADS_PER_CONNECTION == 0);
            if (code != 202) {
              throw new IllegalStateException("upload " + name + " of " + batch + " answered " + code);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      senders.shutdownNow();
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    PollPace pace = new PollPace(count);
    while (System.nanoTime() < deadline) {
      JsonNode page = get(status);
      long now = System.nanoTime();
      if (page.path("complete").asBoolean()) {
        return (now - start) / 1e9;
      }
      Thread.sleep(pace.next(page, now));
    }
    throw new IllegalStateException("batch " + batch + " not complete after 30 minutes");
  }

  /** One {@code POST /images}; the answer is read to its end so the connection is kept alive (unless closed after). */
  private static int upload(URI uploads, byte[] image, String name, String batch, boolean closeAfter)
      throws IOException {
    HttpURLConnection c = PlainHttp.open(uploads, 120_000);
    if (closeAfter) {
      c.setRequestProperty("Connection", "close");
    }
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(image.length);
    c.setRequestProperty("Content-Type", "application/octet-stream");
    c.setRequestProperty("X-File-Name", name);
    c.setRequestProperty("X-Batch-Id", batch);
    try (OutputStream body = c.getOutputStream()) {
      body.write(image);
    }
    int code = c.getResponseCode();
    PlainHttp.drain(c, code);
    return code;
  }

  private static JsonNode get(URI uri) throws IOException {
    HttpURLConnection c = PlainHttp.open(uri, 30_000);
    int code = c.getResponseCode();
    if (code != 200) {
      PlainHttp.drain(c, code);
      throw new IllegalStateException("GET " + uri + " answered " + code);
    }
    try (InputStream body = c.getInputStream()) {
      return Json.MAPPER.readTree(body);
    }
  }
}
