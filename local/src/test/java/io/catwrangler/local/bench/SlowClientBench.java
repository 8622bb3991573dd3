package io.catwrangler.local.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow clients against a running embedded server: {@code --slow} connections trickle 10 bytes every 5 s (half a
 * request body after complete headers, half the headers themselves), each replaced as soon as the server drops it,
 * while {@code GET /healthz} runs at a fixed rate and normal clients upload distinct photos at a fixed rate. Latency
 * is counted from when each request was due (open loop), so a stall is not hidden by a waiting client. Bounded: a
 * fixed count of connections, a fixed duration, loopback only.
 *
 * <pre>
 * java -cp … io.catwrangler.local.bench.SlowClientBench http://127.0.0.1:8080 [--slow 200] [--seconds 30]
 *     [--health-rate 20] [--upload-rate 5]
 * </pre>
 */
public final class SlowClientBench {
  private static final Duration TRICKLE_EVERY = Duration.ofSeconds(5);
  private static final int TRICKLE_BYTES = 10;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final int slow;
  private final int seconds;
  private final int healthRate;
  private final int uploadRate;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Trickler> tricklers = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger answered408 = new AtomicInteger();
  private final AtomicInteger answeredOther = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();

  private SlowClientBench(URI base, int slow, int seconds, int healthRate, int uploadRate) {
    this.base = base;
    this.slow = slow;
    this.seconds = seconds;
    this.healthRate = healthRate;
    this.uploadRate = uploadRate;
  }

  public static void main(String[] args) throws Exception {
    URI base = BenchImages.loopback(args[0]);
    int slow = option(args, "--slow", 200);
    int seconds = option(args, "--seconds", 30);
    if (slow < 0 || slow > 2000 || seconds < 1 || seconds > 600) {
      throw new IllegalArgumentException("--slow 0-2000 and --seconds 1-600");
    }
    new SlowClientBench(base, slow, seconds, option(args, "--health-rate", 20), option(args, "--upload-rate", 5))
        .run();
    System.exit(0); // requests still hanging on a stalled server do not keep the program alive
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private void run() throws Exception {
    int uploads = uploadRate * seconds;
    System.err.println("making " + (uploads + 20) + " photos ...");
    List<byte[]> photos = new ArrayList<>();
    long salt = System.nanoTime(); // new bytes on every run, so every upload is a new image for the server
    for (int i = 0; i < uploads + 20; i++) {
      photos.add(BenchImages.photo((int) (salt + i)));
    }
    System.err.println("warming up ...");
    for (int i = 0; i < 20; i++) {
      upload(photos.get(uploads + i));
      health();
    }

    System.err.println("opening " + slow + " slow connections ...");
    for (int i = 0; i < slow; i++) {
      Trickler t = new Trickler(i % 2 == 0);
      t.open();
      tricklers.add(t);
    }
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    // each connection sends its next bytes 5 s after its last, spread evenly over the 5 s
    long tick = TRICKLE_EVERY.toNanos() / Math.max(1, slow);
    for (int i = 0; i < slow; i++) {
      Trickler t = tricklers.get(i);
      clock.scheduleAtFixedRate(t::step, i * tick, TRICKLE_EVERY.toNanos(), TimeUnit.NANOSECONDS);
    }
    Thread.sleep(TRICKLE_EVERY.toMillis()); // every slow connection is in the server before measuring

    System.err.println("measuring for " + seconds + " s ...");
    ConcurrentLinkedQueue<Long> healthNanos = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> uploadNanos = new ConcurrentLinkedQueue<>();
    AtomicInteger healthErrors = new AtomicInteger();
    AtomicInteger uploadErrors = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    AtomicLong healthTicks = new AtomicLong();
    AtomicLong uploadTicks = new AtomicLong();
    long healthPeriod = 1_000_000_000L / healthRate;
    long uploadPeriod = 1_000_000_000L / uploadRate;
    var healthTask = clock.scheduleAtFixedRate(() -> {
      long due = start + healthTicks.getAndIncrement() * healthPeriod;
      senders.execute(() -> timed(due, this::health, healthNanos, healthErrors));
    }, 0, healthPeriod, TimeUnit.NANOSECONDS);
    var uploadTask = clock.scheduleAtFixedRate(() -> {
      long k = uploadTicks.getAndIncrement();
      if (k >= uploads) {
        return;
      }
      long due = start + k * uploadPeriod;
      senders.execute(() -> timed(due, () -> upload(photos.get((int) k)), uploadNanos, uploadErrors));
    }, 0, uploadPeriod, TimeUnit.NANOSECONDS);
    Thread.sleep(seconds * 1000L);
    healthTask.cancel(false);
    uploadTask.cancel(false);
    senders.shutdown();
    boolean finished = senders.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    clock.shutdownNow();
    tricklers.forEach(Trickler::close);

    System.out.printf(Locale.ROOT, "slow connections: %d at a time (10 bytes every 5 s; %d body, %d headers); "
        + "opened %d in all; server answered 408 to %d, other %d, closed %d without an answer%n", slow,
        (slow + 1) / 2, slow / 2, opened.get(), answered408.get(), answeredOther.get(), dropped.get());
    System.out.printf(Locale.ROOT, "GET /healthz at %d/s: %s, errors %d of %d sent%n", healthRate,
        BenchImages.summary(toArray(healthNanos)), healthErrors.get(), healthTicks.get());
    System.out.printf(Locale.ROOT, "POST /images at %d/s (distinct 640x480 JPEGs): %s, errors %d of %d sent%n",
        uploadRate, BenchImages.summary(toArray(uploadNanos)), uploadErrors.get(), Math.min(uploads,
            uploadTicks.get()));
    if (!finished) {
      System.out.println("requests still unanswered " + REQUEST_TIMEOUT.toSeconds() + " s after the end (not counted)");
    }
  }

  private interface Call {
    boolean run() throws Exception;
  }

  private static void timed(long due, Call call, ConcurrentLinkedQueue<Long> nanos, AtomicInteger errors) {
    try {
      if (!call.run()) {
        errors.incrementAndGet();
      }
    } catch (Exception e) {
      errors.incrementAndGet();
    }
    nanos.add(System.nanoTime() - due);
  }

  private boolean health() throws Exception {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(REQUEST_TIMEOUT).build(),
        HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 200;
  }

  private boolean upload(byte[] photo) throws Exception {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/images")).timeout(REQUEST_TIMEOUT)
        .header("X-Batch-Id", "slow-client-bench").POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build(),
        HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 202;
  }

  private static long[] toArray(ConcurrentLinkedQueue<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  /** One slow connection; replaced by a new one when the server answers or drops it. */
  private final class Trickler {
    private final boolean body;
    private Socket socket;

    Trickler(boolean body) {
      this.body = body;
    }

    synchronized void open() {
      try {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(1);
        String head = body
            ? "POST /images HTTP/1.1\r\nHost: bench\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n"
            : "POST /images HTTP/1.1\r\nHost: bench\r\nX-Slow: ";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        opened.incrementAndGet();
      } catch (IOException e) {
        dropped.incrementAndGet();
        socket = null;
      }
    }

    synchronized void step() {
      if (socket == null) {
        open();
        return;
      }
      try {
        InputStream in = socket.getInputStream();
        if (in.available() > 0) {
          String answer = new String(in.readNBytes(in.available()), StandardCharsets.ISO_8859_1);
          (answer.startsWith("HTTP/1.1 408") ? answered408 : answeredOther).incrementAndGet();
          reopen();
          return;
        }
        OutputStream out = socket.getOutputStream();
        out.write((body ? "\0".repeat(TRICKLE_BYTES) : "a".repeat(TRICKLE_BYTES)).getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        dropped.incrementAndGet();
        reopen();
      }
    }

    private void reopen() {
      close();
      open();
    }

    synchronized void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // going anyway
        }
        socket = null;
      }
    }
  }
}
