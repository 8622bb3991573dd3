package io.catwrangler.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The load tool's status-query client, run in a JVM of its own ({@link #inChildJvm}): {@code GET /images/{id}} at a
 * fixed rate, open loop — request i is due at start + i/rate and its latency counts from that moment, so a slow answer
 * delays nothing and is not hidden (no coordinated omission).
 *
 * <p>Why a child JVM: a latency client must not pause itself. In the load tool's own JVM, which holds hundreds of
 * images, one young collection took 40–80 ms (seen in {@code -Xlog:gc}, lined up with the slow requests) and counted
 * as the server's latency. The child has a small, pre-touched heap and nothing else to do. Why the JDK's plain
 * blocking client rather than the CLI's asynchronous {@code HttpClient}: it costs less per request on two shared
 * cores (in a side-by-side probe the asynchronous one added 3–10 ms at p99 by itself).
 */
final class StatusLoad {
  /** Threads sending, and keep-alive connections kept for them (the JDK keeps 5 by default). */
  static final int SENDERS = 16;
  static final int WARM_UP_SECONDS = 10;

  /** Latencies in milliseconds, in the order the requests were due. */
  record Result(double[] latencies, int errors, double achievedRate) {}

  private StatusLoad() {}

  /**
   * Runs the client in a child JVM on this JVM's classpath: {@value #WARM_UP_SECONDS} s of warm-up at the rate, not
   * counted, then {@code seconds} measured.
   */
  static Result inChildJvm(URI server, List<String> imageIds, int rate, int seconds, Path scratch) throws Exception {
    Path ids = scratch.resolve("status-ids.txt");
    Path out = scratch.resolve("status-latencies.txt");
    Files.write(ids, imageIds, StandardCharsets.US_ASCII);
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        StatusLoad.class.getName(), server.toString(), ids.toString(), Integer.toString(rate),
        Integer.toString(seconds), out.toString());
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(scratch.resolve("status-client.log").toFile()).start();
    if (!child.waitFor(seconds + WARM_UP_SECONDS + 120L, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new IllegalStateException("the status client did not finish");
    }
    if (child.exitValue() != 0) {
      throw new IllegalStateException("the status client failed: "
          + Files.readString(scratch.resolve("status-client.log")));
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
    String[] summary = lines.get(0).split(" ");
    double[] latencies = lines.subList(1, lines.size()).stream().mapToDouble(Double::parseDouble).toArray();
    return new Result(latencies, Integer.parseInt(summary[0]), Double.parseDouble(summary[1]));
  }

  /** {@code SERVER IDS_FILE RATE SECONDS OUT_FILE}: writes "errors rate" then one latency (ms) per line. */
  public static void main(String[] args) throws Exception {
    System.setProperty("http.maxConnections", Integer.toString(SENDERS));
    URI server = URI.create(args[0]);
    List<String> ids = Files.readAllLines(Path.of(args[1]), StandardCharsets.US_ASCII);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    run(server, ids, rate, WARM_UP_SECONDS);
    Result result = run(server, ids, rate, seconds);
    List<String> lines = new ArrayList<>();
    lines.add(result.errors() + " " + String.format(Locale.ROOT, "%.2f", result.achievedRate()));
    Arrays.stream(result.latencies()).mapToObj(ms -> String.format(Locale.ROOT, "%.3f", ms)).forEach(lines::add);
    Files.write(Path.of(args[4]), lines, StandardCharsets.US_ASCII);
  }

  static Result run(URI server, List<String> ids, int rate, int seconds) throws InterruptedException {
    int total = rate * seconds;
    ThreadPoolExecutor senders = (ThreadPoolExecutor) Executors.newFixedThreadPool(SENDERS);
    senders.prestartAllCoreThreads();
    double[] latencies = new double[total];
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    long periodNanos = 1_000_000_000L / rate;
    for (int i = 0; i < total; i++) {
      long due = start + i * periodNanos;
      long wait = due - System.nanoTime();
      while (wait > 0) {
        // not TimeUnit.sleep: on Java 17 it rounds to whole milliseconds, and the oversleep would count as latency
        LockSupport.parkNanos(wait);
        wait = due - System.nanoTime();
      }
      int index = i;
      URI uri = server.resolve("/images/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
      senders.submit(() -> {
        try {
          if (get(uri) != 200) {
            errors.incrementAndGet();
          }
        } catch (IOException e) {
          errors.incrementAndGet();
        }
        latencies[index] = (System.nanoTime() - due) / 1e6;
      });
    }
    senders.shutdown();
    senders.awaitTermination(2, TimeUnit.MINUTES);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(latencies, errors.get(), total / elapsed);
  }

  /** A GET with the body read to the end (so the connection is kept alive); returns the status. */
  private static int get(URI uri) throws IOException {
    HttpURLConnection c = PlainHttp.open(uri, 30_000);
    int status = c.getResponseCode();
    PlainHttp.drain(c, status);
    return status;
  }
}
