package io.catwrangler.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Slow clients against a running embedded server: {@code --slow} connections trickle 10 bytes every 5 s (half a
 * request body after complete headers, half the headers themselves), each replaced as soon as the server drops it,
 * while {@code GET /healthz} runs at a fixed rate and normal clients upload distinct photos at a fixed rate. Latency
 * is counted from when each request was due (open loop), so a stall is not hidden by a waiting client. Bounded: a
 * fixed count of connections, a fixed duration, loopback only.
 *
 * <pre>
 * bench/run slow-clients http://127.0.0.1:8080 [--slow 200] [--seconds 30] [--health-rate 20] [--upload-rate 5]
 * </pre>
 */
@Command(name = "slow-clients", description = "Slow connections against a running server on this machine, with health"
    + " checks and uploads timed meanwhile.")
final class SlowClientBench implements Callable<Integer> {
  private static final Duration TRICKLE_EVERY = Duration.ofSeconds(5);
  private static final int TRICKLE_BYTES = 10;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  @Parameters(paramLabel = "URL", description = "The server, on this machine (e.g. http://127.0.0.1:8080).")
  String url;

  @Option(names = "--slow", description = "Slow connections at a time, 0-2000 (default: ${DEFAULT-VALUE}).")
  int slow = 200;

  @Option(names = "--seconds", description = "How long the measurement runs, 1-600 (default: ${DEFAULT-VALUE}).")
  int seconds = 30;

  @Option(names = "--health-rate", description = "GET /healthz per second (default: ${DEFAULT-VALUE}).")
  int healthRate = 20;

  @Option(names = "--upload-rate", description = "Uploads per second (default: ${DEFAULT-VALUE}).")
  int uploadRate = 5;

  @Spec CommandSpec spec;

  private URI base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Trickler> tricklers = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger answered408 = new AtomicInteger();
  private final AtomicInteger answeredOther = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();

  @Override
  public Integer call() throws Exception {
    if (slow < 0 || slow > 2000 || seconds < 1 || seconds > 600 || healthRate < 1 || uploadRate < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--slow 0-2000, --seconds 1-600, the rates at least 1");
    }
    base = BenchImages.loopback(url);
    run(spec.commandLine().getOut());
    // requests still hanging on a stalled server do not keep the program alive: Benchmarks.main exits
    return 0;
  }

  private void run(PrintWriter out) throws Exception {
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

    out.printf(Locale.ROOT, "slow connections: %d at a time (10 bytes every 5 s; %d body, %d headers); "
        + "opened %d in all; server answered 408 to %d, other %d, closed %d without an answer%n", slow,
        (slow + 1) / 2, slow / 2, opened.get(), answered408.get(), answeredOther.get(), dropped.get());
    out.printf(Locale.ROOT, "GET /healthz at %d/s: %s, errors %d of %d sent%n", healthRate,
        BenchImages.summary(toArray(healthNanos)), healthErrors.get(), healthTicks.get());
    out.printf(Locale.ROOT, "POST /images at %d/s (distinct 640x480 JPEGs): %s, errors %d of %d sent%n",
        uploadRate, BenchImages.summary(toArray(uploadNanos)), uploadErrors.get(), Math.min(uploads,
            uploadTicks.get()));
    if (!finished) {
      out.println("requests still unanswered " + REQUEST_TIMEOUT.toSeconds() + " s after the end (not counted)");
    }
    out.flush();
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
