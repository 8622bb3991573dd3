package io.catwrangler.bench;

import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.local.cli.DetectorOptions;
import io.catwrangler.local.cli.Main;
import io.catwrangler.local.eval.LabelledFolder;
import io.catwrangler.local.eval.Percentiles;
import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.runtime.LocalConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench/run loadtest DIR}: the embedded pipeline's benchmark, a program rather than a test. It starts
 * {@code catwrangler serve} from the shipped jar as a child process on a fresh data folder and measures, in one run on
 * the same images:
 *
 * <ol>
 *   <li>detector-only images/second (this process, the server's number of threads calling the model), then
 *       end-to-end images/second for a batch of N distinct images uploaded at once and polled until complete
 *       ({@link BatchLoad});
 *   <li>upload acknowledgement latency with 8 concurrent uploaders while the workers classify;
 *   <li>status query latency at a fixed request rate (open loop: latency counts from the scheduled send time), from
 *       a small client JVM of its own ({@link StatusLoad});
 *   <li>the server's start-up-to-ready time and its resident memory when idle.
 * </ol>
 *
 * Prints a Markdown section for docs/benchmarks.md. Only loopback traffic, bounded in count and time.
 */
@Command(name = "loadtest", description = "Benchmark the embedded pipeline end to end (starts its own server).")
final class LoadTestCommand implements Callable<Integer> {
  private static final Duration QUIET_BEFORE_START = Duration.ofSeconds(3);
  private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) \\(ready in ([0-9.]+) s");

  @Parameters(paramLabel = "DIR", description = "Folder of JPEG/PNG photos (e.g. testdata/photos), searched recursively.")
  Path dir;

  /**
   * A round of 1,000 images lasts 10–20 s at today's speed, about what a round of 300 lasted when the embedded
   * targets were set; with 300 the fixed cost of a round (the first uploads before any classification, the last
   * answer's projection and poll) weighed three times as much.
   */
  @Option(names = "--images", description = "Distinct images per phase (default: ${DEFAULT-VALUE}).")
  int images = 1000;

  @Option(names = "--workers", description = "Server worker threads (default: ${DEFAULT-VALUE}, the serve default here).")
  int workers = LocalConfig.defaultWorkers();

  /**
   * The server's warm-up: the per-image paths (upload, SQLite, projection, JSON) run about once per image, and HotSpot
   * compiles a method with C2 after ~5,000 calls (Tier4InvocationThreshold; later while its queue is long), so the
   * JIT is busy until well past 5,000 images: its compiler threads took 1.2–3.6 ms of CPU per image in rounds after
   * 3,000 warm-up images (the detector takes 20–30), 0.1–0.9 ms after 10,000 (docs/benchmarks.md, "The JIT's tail
   * and the load tool's share"). A long-running service is past that; the report shows the JIT's share per round.
   * 20,000 since 2026-12-03: with a faster detector (10–14 ms) the server's CPU per image still fell from round to
   * round after 10,000 (16.4 → 14.6 → 12.3 ms), and stays within 11–13 ms after 20,000 ("Syscalls and transactions").
   */
  @Option(names = "--warm-up", paramLabel = "N",
      description = "Images the server classifies before measuring, uploaded as the rounds' are"
          + " (default: ${DEFAULT-VALUE}).")
  int warmUp = 20_000;

  @Option(names = "--detector-warm-up", paramLabel = "N",
      description = "Images the detector alone classifies before each of its runs (default: ${DEFAULT-VALUE}; at least "
          + FIRST_DETECTOR_WARM_UP + " before the first, in a JVM that has not run it yet).")
  int detectorWarmUp = 100;

  /**
   * The first detector-only run is in this JVM's first minute: after 100 images its JIT had not finished (16.9–22.7 ms
   * of CPU an image against 10–13 ms in the later runs), which made the first round's ratio 82–89 % beside 66–74 % for
   * the others in the same runs (2026-12-03); after 1,000 still 14.4 ms against 9.5–10.2 in one run, round 1 at 93 %
   * beside 80 and 78 %.
   */
  static final int FIRST_DETECTOR_WARM_UP = 3000;

  @Option(names = "--rounds", description = "End-to-end rounds, each between two detector-only runs (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--uploaders", description = "Concurrent uploaders in the acknowledgement phase (default: ${DEFAULT-VALUE}).")
  int uploaders = 8;

  @Option(names = "--status-rps", description = "Status queries per second (default: ${DEFAULT-VALUE}).")
  int statusRate = 200;

  @Option(names = "--status-seconds", description = "How long the status phase runs (default: ${DEFAULT-VALUE}).")
  int statusSeconds = 15;

  @Option(names = "--server-java-opts", description = "JVM options of the server (default: ${DEFAULT-VALUE}, as the catwrangler script).")
  String serverJavaOpts = "-Xmx512m -XX:+UseSerialGC";

  @Option(names = "--durability", paramLabel = "full|normal", description = "Passed to serve (default: serve's).")
  String durability;

  @Option(names = "--worker-nice", paramLabel = "0-19", description = "Passed to serve (default: serve's).")
  Integer workerNice;

  @Option(names = "--work", paramLabel = "DIR", description = "Scratch folder (default: a new temporary one).")
  Path work;

  @Option(names = "--notify", paramLabel = "N",
      description = "Only measure completion notifications: one batch of N images with X-Notify-Url to a receiver in"
          + " this process; reports the delay from the batch's last answer to the notification's arrival.")
  Integer notify;

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;

  /** The options passed to serve besides data, port and workers, as they appear in the report. */
  private List<String> serveOptions = List.of();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (rounds < 1 || images < 1 || warmUp < 0 || detectorWarmUp < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--rounds and --images must be at least 1, the warm-ups at least 0");
    }
    Path scratch = work != null ? Files.createDirectories(work) : Files.createTempDirectory("catwrangler-loadtest");
    List<byte[]> photos = photos(dir);
    String machine = machine();
    progress(err, "machine: " + machine.replace('\n', ' '));
    if (notify != null) {
      return notifyPhase(out, err, scratch, variants(photos, notify, "notify"), machine);
    }

    // (a) the same distinct images for the detector alone and for the pipeline, a new set per round
    List<List<byte[]>> roundImages = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      roundImages.add(variants(photos, images, "a" + r));
    }
    List<byte[]> phaseA = roundImages.get(0);
    progress(err, "detector only on " + phaseA.size() + " images ...");
    double[] detectorOnly = new double[rounds + 1];
    double[] endToEnd = new double[rounds];
    double[] e2eSeconds = new double[rounds];
    // CPU milliseconds per image: this process in each detector-only run; the server (and of it, its JIT compiler
    // threads) and this process (its uploads and polls) in each round — where a round's time goes besides the model,
    // without a profiler
    double[] detectorCpu = new double[rounds + 1];
    double[] serverCpu = new double[rounds];
    double[] serverJit = new double[rounds];
    double[] toolCpu = new double[rounds];
    detectorOnly[0] = detectorImagesPerSecond(phaseA, workers, detectorCpu, 0);

    // start-up is measured on a quiet machine, as a user starting the server sees it: right after the detector run
    // this JVM is still compiling and collecting (the server's start-up took 2.1–2.9 s then, 1.9 s when idle)
    settleHeap();
    Thread.sleep(QUIET_BEFORE_START.toMillis());
    progress(err, "starting the server ...");
    serveOptions = new ArrayList<>();
    if (durability != null) {
      serveOptions.addAll(List.of("--durability", durability));
    }
    detectorOptions.threads().ifPresent(threads -> serveOptions.addAll(List.of("--threads", threads.toString())));
    detectorOptions.boxes().ifPresent(boxes -> serveOptions.addAll(List.of("--boxes", boxes)));
    if (workerNice != null) {
      serveOptions.addAll(List.of("--worker-nice", Integer.toString(workerNice)));
    }
    Server server = Server.start(scratch.resolve("data"), workers, serveOptions, serverJavaOpts,
        scratch.resolve("serve.log"));
    try {
      Thread.sleep(5000);
      long idleRssMb = server.rssMegabytes();
      ApiClient client = new ApiClient(server.url, Optional.empty(), Duration.ofSeconds(120));
      // the server (and this process's uploaders) warm up through the same path as the rounds: JIT, model session,
      // database pages
      progress(err, "warming the server up with " + warmUp + " images ...");
      if (warmUp > 0) {
        // made as they are sent: 10,000 images held at once would take ~1 GB of this JVM's heap
        BatchLoad.uploadAndWait(server.url, warmUp, i -> variant(photos, i, "warm-up"), "warm-up");
      }

      // rounds alternate with the detector alone, so each round is compared with the detector measured just
      // before and just after it: the machine's speed drifts by more than the difference being measured
      for (int r = 0; r < rounds; r++) {
        progress(err, "end to end, round " + (r + 1) + "/" + rounds + ": a batch of " + images
            + " images, uploaded and polled until complete ...");
        long serverBefore = cpuMillis(server.process.pid());
        long jitBefore = compilerMillis(server.process.pid());
        long toolBefore = cpuMillis(ProcessHandle.current().pid());
        e2eSeconds[r] = BatchLoad.uploadAndWait(server.url, images, roundImages.get(r)::get, "load-a" + r);
        serverCpu[r] = (cpuMillis(server.process.pid()) - serverBefore) / (double) images;
        serverJit[r] = (compilerMillis(server.process.pid()) - jitBefore) / (double) images;
        toolCpu[r] = (cpuMillis(ProcessHandle.current().pid()) - toolBefore) / (double) images;
        endToEnd[r] = images / e2eSeconds[r];
        progress(err, "detector only again (server idle) ...");
        detectorOnly[r + 1] = detectorImagesPerSecond(roundImages.get(r), workers, detectorCpu, r + 1);
      }

      progress(err, "acknowledgements while idle: " + uploaders + " uploaders, the same " + images + " images again ...");
      double[] idleAcks = acknowledgements(client, phaseA, uploaders, "load-a-again");
      awaitSettled(client, "load-a-again");

      progress(err, "acknowledgements: " + uploaders + " uploaders, " + images + " new images ...");
      List<byte[]> phaseB = variants(photos, images, "b");
      settleHeap();
      var uploadBefore = buckets(client, "POST /images");
      double[] acks = acknowledgements(client, phaseB, uploaders, "load-b");
      double uploadServerP99 = serverP99(uploadBefore, buckets(client, "POST /images"));
      long busyRssMb = server.rssMegabytes();
      awaitSettled(client, "load-b");

      progress(err, "status queries at " + statusRate + "/s for " + statusSeconds + " s ...");
      List<String> ids = new ArrayList<>();
      phaseA.forEach(b -> ids.add(io.catwrangler.events.ImageId.sha256Of(b).value()));
      var statusBefore = buckets(client, "GET /images/{id}");
      StatusLoad.Result status = StatusLoad.inChildJvm(server.url, ids, statusRate, statusSeconds, scratch);
      double statusServerP99 = serverP99(statusBefore, buckets(client, "GET /images/{id}"));
      Thread.sleep(3000);
      long settledRssMb = server.rssMegabytes();

      out.println(report(machine, images, detectorOnly, endToEnd, e2eSeconds, detectorCpu, serverCpu, serverJit,
          toolCpu, acks, idleAcks, uploadServerP99, status, statusServerP99, server, idleRssMb, busyRssMb,
          settledRssMb));
      out.flush();
      return 0;
    } finally {
      server.stop();
    }
  }

  private String report(String machine, int n, double[] detectorOnly, double[] endToEnd, double[] e2eSeconds,
      double[] detectorCpu, double[] serverCpu, double[] serverJit, double[] toolCpu,
      double[] acks, double[] idleAcks, double uploadServerP99, StatusLoad.Result status, double statusServerP99,
      Server server, long idleRssMb, long busyRssMb, long settledRssMb) {
    StringBuilder md = new StringBuilder();
    md.append("### Run ").append(java.time.LocalDate.now()).append("\n\n");
    md.append("Machine: ").append(machine.replace("\n", "; ")).append(".\n");
    md.append(String.format(Locale.ROOT, "Server: `catwrangler serve --workers %d%s`, JVM `%s`, warmed up with %d images;"
        + " load tool in a second JVM on the same machine.%n%n", workers,
        serveOptions.isEmpty() ? "" : " " + String.join(" ", serveOptions), serverJavaOpts, warmUp));
    md.append("| measure | result | target |\n|---|---:|---:|\n");
    double[] ratios = new double[endToEnd.length];
    StringBuilder perRound = new StringBuilder();
    for (int r = 0; r < endToEnd.length; r++) {
      ratios[r] = endToEnd[r] / ((detectorOnly[r] + detectorOnly[r + 1]) / 2);
      perRound.append(r == 0 ? "" : " · ").append(String.format(Locale.ROOT, "%.1f in %.1f s (%.0f %%)", endToEnd[r],
          e2eSeconds[r], 100 * ratios[r]));
    }
    String detectors = dotted(detectorOnly.length, r -> String.format(Locale.ROOT, "%.1f", detectorOnly[r]));
    md.append(String.format(Locale.ROOT, "| detector only, %d threads × %d ONNX thread(s) each, %d images, before each"
        + " round and after the last | %s img/s | |%n", workers, detectorConfig().intraOpThreads(), n, detectors));
    md.append(String.format(Locale.ROOT, "| end to end, one batch uploaded by %d senders and polled until complete,"
        + " %d new images per round (ratio to the detector just before and after) | %s img/s | |%n",
        BatchLoad.SENDERS, n, perRound));
    md.append(String.format(Locale.ROOT, "| end to end / detector only, median of %d rounds | **%.0f %%** | ≥ 80 %% |%n",
        ratios.length, 100 * Percentiles.of(ratios, 50)));
    String cpu = dotted(serverCpu.length,
        r -> String.format(Locale.ROOT, "%.1f (JIT %.1f) + %.1f", serverCpu[r], serverJit[r], toolCpu[r]));
    String detectorCpus = dotted(detectorCpu.length, r -> String.format(Locale.ROOT, "%.1f", detectorCpu[r]));
    md.append(String.format(Locale.ROOT, "| CPU per image: detector alone (each run); end to end, server (of which its"
        + " JIT compiler threads) + load tool (each round) | %s; %s ms | |%n", detectorCpus, cpu));
    md.append(String.format(Locale.ROOT, "| upload ack, %d uploaders while classifying: p50 / p95 / p99 / max | %.1f / "
        + "%.1f / **%.1f** / %.1f ms | p99 ≤ 100 ms |%n", uploaders, Percentiles.of(acks, 50),
        Percentiles.of(acks, 95), Percentiles.of(acks, 99), max(acks)));
    md.append(String.format(Locale.ROOT, "| … of which inside the server (histogram bucket holding the p99) | ≤ %.0f ms | |%n",
        uploadServerP99));
    md.append(String.format(Locale.ROOT, "| upload ack, %d uploaders, nothing to classify (same bytes again): p50 / p95 / p99"
        + " | %.1f / %.1f / %.1f ms | |%n", uploaders, Percentiles.of(idleAcks, 50), Percentiles.of(idleAcks, 95),
        Percentiles.of(idleAcks, 99)));
    md.append(String.format(Locale.ROOT, "| status query at %d/s (%d sent, achieved %.0f/s, %d errors): p50 / p95 / p99 /"
        + " max | %.2f / %.2f / **%.2f** / %.1f ms | p99 ≤ 10 ms |%n", statusRate, status.latencies().length,
        status.achievedRate(), status.errors(), Percentiles.of(status.latencies(), 50),
        Percentiles.of(status.latencies(), 95), Percentiles.of(status.latencies(), 99), max(status.latencies())));
    md.append(String.format(Locale.ROOT, "| … of which inside the server (histogram bucket holding the p99) | ≤ %.1f ms | |%n",
        statusServerP99));
    md.append(String.format(Locale.ROOT, "| start-up to ready (server's own count, JVM start → listening) | **%.2f s** |"
        + " ≤ 3 s |%n", server.readySeconds));
    md.append(String.format(Locale.ROOT, "| start-up seen by the caller (spawn → ready line) | %.2f s | |%n",
        server.spawnToReadySeconds));
    md.append(String.format(Locale.ROOT, "| server RSS idle after start | **%d MB** | ≤ 500 MB |%n", idleRssMb));
    md.append(String.format(Locale.ROOT, "| server RSS while classifying / idle after the run | %d / %d MB | |%n",
        busyRssMb, settledRssMb));
    return md.toString();
  }

  /** {@code --notify N}: serve with a webhook receiver allowed, one batch, the delay to its completion notification. */
  private int notifyPhase(PrintWriter out, PrintWriter err, Path scratch, List<byte[]> batch, String machine)
      throws Exception {
    Path secret = scratch.resolve("notify-secret");
    try (NotifyLoad receiver = NotifyLoad.start(secret)) {
      List<String> options = new ArrayList<>(receiver.serveOptions(secret));
      detectorOptions.boxes().ifPresent(boxes -> options.addAll(List.of("--boxes", boxes)));
      serveOptions = options;
      Server server = Server.start(scratch.resolve("data"), workers, options, serverJavaOpts,
          scratch.resolve("serve.log"));
      try {
        progress(err, "notifications: one batch of " + batch.size() + " images ...");
        NotifyLoad.Result result = receiver.measure(server.url, batch, uploaders, "notify-load");
        out.printf(Locale.ROOT, "### Notifications %s%n%nMachine: %s.%nServer: `catwrangler serve --workers %d %s`, JVM"
            + " `%s`.%n%n| measure | result | target |%n|---|---:|---:|%n%s", java.time.LocalDate.now(),
            machine.replace("\n", "; "), workers, String.join(" ", options).replace(secret.toString(), "FILE"),
            serverJavaOpts, NotifyLoad.report(result));
        out.flush();
        return 0;
      } finally {
        server.stop();
      }
    }
  }

  /** The cumulative bucket counts of a route's latency histogram in {@code GET /metrics}, by upper bound. */
  private static java.util.TreeMap<Double, Long> buckets(ApiClient client, String route) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String text = http.send(java.net.http.HttpRequest.newBuilder(URI.create(client.server() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    java.util.TreeMap<Double, Long> result = new java.util.TreeMap<>();
    String prefix = "catwrangler_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"";
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        String le = line.substring(prefix.length(), line.indexOf('"', prefix.length()));
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        result.put(bound, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return result;
  }

  /** The smallest histogram bound (ms) under which 99 % of the requests between two snapshots answered. */
  private static double serverP99(java.util.TreeMap<Double, Long> before, java.util.TreeMap<Double, Long> after) {
    long total = after.getOrDefault(Double.POSITIVE_INFINITY, 0L) - before.getOrDefault(Double.POSITIVE_INFINITY, 0L);
    for (var e : after.entrySet()) {
      long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (total > 0 && n >= 0.99 * total) {
        return e.getKey() * 1000;
      }
    }
    return Double.NaN;
  }

  /**
   * A full collection of this (the load tool's) heap before a latency phase: the images it holds move to the old
   * generation now instead of in a young collection during the phase, whose pause (60–80 ms with the images still
   * young, seen in -Xlog:gc) would be counted as the server's latency.
   */
  private static void settleHeap() {
    System.gc();
  }

  private static double max(double[] values) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  private static void progress(PrintWriter err, String line) {
    err.println("loadtest: " + line);
    err.flush();
  }

  private static List<byte[]> photos(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> paths = files.filter(Files::isRegularFile).filter(LabelledFolder::isImageName).sorted().toList();
      List<byte[]> photos = new ArrayList<>();
      for (Path p : paths) {
        photos.add(Files.readAllBytes(p));
      }
      if (photos.isEmpty()) {
        throw new IOException("no photos in " + dir);
      }
      return photos;
    }
  }

  /**
   * {@code n} distinct images made from the photos: each photo with a few bytes after its end marker, which decoders
   * ignore, so the detector's work is the photo's while the sha256 (and so the image) is new.
   */
  static List<byte[]> variants(List<byte[]> photos, int n, String tag) {
    List<byte[]> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(variant(photos, i, tag));
    }
    return result;
  }

  /** Image {@code i} of {@link #variants}, made on its own (the warm-up's, one at a time as they are sent). */
  static byte[] variant(List<byte[]> photos, int i, String tag) {
    byte[] photo = photos.get(i % photos.size());
    byte[] tail = ("loadtest-" + tag + "-" + i).getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = java.util.Arrays.copyOf(photo, photo.length + tail.length);
    System.arraycopy(tail, 0, bytes, photo.length, tail.length);
    return bytes;
  }

  private DetectorConfig detectorConfig() {
    return detectorOptions.config(LocalConfig.defaultDetector());
  }

  /** Images per second of the detector alone, {@code threads} threads sharing one model, after a warm-up. */
  private double detectorImagesPerSecond(List<byte[]> images, int threads, double[] cpuPerImage, int run)
      throws Exception {
    // the server's detector settings: serve's defaults under the same flags
    try (ImageNetCatDetector detector = ImageNetCatDetector.load(detectorConfig())) {
      int warmUp = run == 0 ? Math.max(detectorWarmUp, FIRST_DETECTOR_WARM_UP) : detectorWarmUp;
      for (int i = 0; i < warmUp; i++) {
        detector.detect(images.get(i % images.size()));
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        AtomicInteger next = new AtomicInteger();
        long cpuBefore = cpuMillis(ProcessHandle.current().pid());
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          running.add(pool.submit(() -> {
            int i;
            while ((i = next.getAndIncrement()) < images.size()) {
              try {
                detector.detect(images.get(i));
              } catch (ImageRejectedException e) {
                // counts as done: the pipeline would record a failure
              }
            }
            return null;
          }));
        }
        for (Future<?> f : running) {
          f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        cpuPerImage[run] = (cpuMillis(ProcessHandle.current().pid()) - cpuBefore) / (double) images.size();
        return images.size() / seconds;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Figures {@code 0 … n-1}, each formatted by {@code figure}, joined with " · " as the report shows them. */
  private static String dotted(int n, java.util.function.IntFunction<String> figure) {
    return java.util.stream.IntStream.range(0, n).mapToObj(figure).collect(java.util.stream.Collectors.joining(" · "));
  }

  /**
   * A process's user + system CPU time from {@code /proc/PID/stat} (fields 14 and 15, in clock ticks of 10 ms on
   * Linux), in milliseconds; -1 where there is no such file.
   */
  static long cpuMillis(long pid) {
    return statMillis(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /**
   * The CPU time of a JVM's JIT compiler threads (named "C1 CompilerThread…" and "C2 CompilerThread…", cut to 15
   * characters by Linux) from {@code /proc/PID/task/*}, in milliseconds; -1 where there is no such folder.
   */
  static long compilerMillis(long pid) {
    Optional<List<Path>> threads = compilerThreads(pid);
    return threads.map(tasks -> tasks.stream().mapToLong(task -> Math.max(0, statMillis(task.resolve("stat")))).sum())
        .orElse(-1L);
  }

  /** The {@code /proc/PID/task/TID} folders of a JVM's JIT compiler threads; empty where there is no such folder. */
  static Optional<List<Path>> compilerThreads(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      List<Path> compilers = new ArrayList<>();
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            compilers.add(task);
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
      return Optional.of(compilers);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** User + system CPU (fields 14 and 15) of a process's or a thread's {@code stat} file, in milliseconds. */
  private static long statMillis(Path stat) {
    try {
      String text = Files.readString(stat);
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // fields 14, 15 counted from 1
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Milliseconds from request start to the 202, per upload. */
  private static double[] acknowledgements(ApiClient client, List<byte[]> images, int threads, String batch)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> futures = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        byte[] bytes = images.get(i);
        String name = "b-" + i + ".jpg";
        futures.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          ApiClient.Reply reply = client.upload(bytes, Optional.of(name), Optional.of(batch), Optional.empty(), false);
          double ms = (System.nanoTime() - t0) / 1e6;
          if (reply.status() != 202) {
            throw new IllegalStateException("upload refused: " + reply.describeError());
          }
          return ms;
        }));
      }
      double[] ms = new double[futures.size()];
      for (int i = 0; i < ms.length; i++) {
        ms[i] = futures.get(i).get();
      }
      return ms;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitSettled(ApiClient client, String batch) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      ApiClient.Reply r = client.get("/batches/" + batch + "?limit=1");
      if (r.status() == 200 && r.body().path("complete").asBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("batch " + batch + " did not settle");
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
    } catch (IOException e) {
      // not Linux
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memoryGb = -1;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memoryGb = Math.round(sun.getTotalMemorySize() / 1e9);
    }
    return String.format(Locale.ROOT, "%d cores (%s), %d GB RAM, %s %s, Java %s; load average %.1f at start",
        Runtime.getRuntime().availableProcessors(), cpu, memoryGb, System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"), os.getSystemLoadAverage());
  }

  /**
   * {@code JAVA JAVA_OPTS -jar catwrangler.jar serve ARGS}: the shipped jar, the one {@code catwrangler}'s classes were
   * loaded from ({@code bench/run} puts local/target/catwrangler.jar on the classpath), so the server measured is the
   * one that ships; from a build's class folder (an IDE), that class path.
   */
  static List<String> serveCommand(String java, String javaOpts, Path catwranglerCode, String classPath,
      List<String> serveArgs) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(List.of(javaOpts.trim().split("\\s+")));
    if (Files.isRegularFile(catwranglerCode)) {
      command.addAll(List.of("-jar", catwranglerCode.toString()));
    } else {
      command.addAll(List.of("-cp", classPath, Main.class.getName()));
    }
    command.add("serve");
    command.addAll(serveArgs);
    return command;
  }

  /** The server under test: a child JVM running {@code catwrangler serve}. */
  private static final class Server {
    final Process process;
    final URI url;
    final double readySeconds;
    final double spawnToReadySeconds;

    private Server(Process process, URI url, double readySeconds, double spawnToReadySeconds) {
      this.process = process;
      this.url = url;
      this.readySeconds = readySeconds;
      this.spawnToReadySeconds = spawnToReadySeconds;
    }

    static Server start(Path data, int workers, List<String> serveOptions, String javaOpts, Path log)
        throws Exception {
      List<String> serveArgs = new ArrayList<>(List.of("--data", data.toString(), "--port", "0", "--workers",
          Integer.toString(workers), "--no-access-log"));
      serveArgs.addAll(serveOptions);
      List<String> command = serveCommand(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          javaOpts, Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
          System.getProperty("java.class.path"), serveArgs);
      long spawned = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = spawned + TimeUnit.MINUTES.toNanos(2);
      while (System.nanoTime() < deadline) {
        Matcher m = SERVING.matcher(Files.readString(log));
        if (m.find()) {
          return new Server(process, URI.create(m.group(1)), Double.parseDouble(m.group(2)),
              (System.nanoTime() - spawned) / 1e9);
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("serve exited: " + Files.readString(log));
        }
        Thread.sleep(10);
      }
      process.destroyForcibly();
      throw new IllegalStateException("serve not ready in 2 minutes");
    }

    long rssMegabytes() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not Linux
      }
      return -1;
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
