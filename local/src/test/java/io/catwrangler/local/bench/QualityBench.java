package io.catwrangler.local.bench;

import io.catwrangler.core.fake.FakeCatDetector;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.local.http.EmbeddedApi;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteResultView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the quality figures cost on a large view: fills a fresh data folder's results view with {@code --images}
 * answered images (default 100,000), {@code --labelled} of them labelled (default 10,000), then times the view's
 * count ({@code tally}, in process) and {@code GET /quality} and {@code GET /metrics} over loopback HTTP of an
 * embedded runtime opened on that folder (a scripted detector; nothing is classified during the run).
 *
 * <pre>
 * java -cp … io.catwrangler.local.bench.QualityBench /tmp/quality-bench [--images 100000] [--labelled 10000]
 * </pre>
 */
public final class QualityBench {
  private static final DetectorModel MODEL = new DetectorModel("fake-detector", "v1");
  private static final int RUNS = 50;

  private QualityBench() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int images = option(args, "--images", 100_000);
    int labelled = option(args, "--labelled", 10_000);
    if (Files.exists(dataDir)) {
      throw new IllegalArgumentException(dataDir + " exists; the bench fills a fresh folder");
    }
    LocalConfig config = LocalConfig.defaults(dataDir).withWorkers(2);
    Files.createDirectories(dataDir);
    long fillStart = System.nanoTime();
    try (SqliteDatabase db = SqliteDatabase.open(config.databaseFile())) {
      fill(new SqliteResultView(db), images, labelled);
    }
    System.out.printf(Locale.ROOT, "filled %d images (%d labelled) in %.1f s%n", images, labelled,
        (System.nanoTime() - fillStart) / 1e9);

    try (LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(0.5));
        EmbeddedHttpServer server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false))) {
      MeasureQuality quality = runtime.quality();
      report("tally + intervals (in process)", time(() -> quality.measure()));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI base = server.url();
      report("GET /quality (HTTP)", time(() -> get(http, base.resolve("/quality"))));
      report("GET /metrics (HTTP)", time(() -> get(http, base.resolve("/metrics"))));
      System.out.println(get(http, base.resolve("/quality")));
    }
  }

  /** Answered images with scores spread over [0, 1); every {@code images / labelled}-th one labelled. */
  private static void fill(SqliteResultView view, int images, int labelled) {
    Random random = new Random(16);
    int every = labelled == 0 ? Integer.MAX_VALUE : Math.max(1, images / labelled);
    List<ImageState> batch = new ArrayList<>();
    for (int n = 0; n < images; n++) {
      ImageId id = ContractEvents.image(n);
      double score = random.nextDouble();
      List<Event> events = new ArrayList<>();
      events.add(ContractEvents.received(id, 1, "bench-" + n / 10_000, "bench-" + n + ".jpg"));
      events.add(ContractEvents.scored(id, 2, score, 0.5, MODEL));
      if (n % every == 0 && n / every < labelled) {
        // people agree with the score most of the time
        events.add(ContractEvents.labelled(id, 3, random.nextDouble() < score, "bench"));
      }
      batch.add(ImageState.fold(id, events));
      if (batch.size() == 1000) {
        view.saveAll(batch, 0);
        batch.clear();
      }
    }
    view.saveAll(batch, 0);
  }

  private interface Step {
    Object run() throws Exception;
  }

  private static double[] time(Step step) throws Exception {
    for (int i = 0; i < 5; i++) {
      step.run();
    }
    double[] millis = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      step.run();
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return millis;
  }

  private static void report(String what, double[] sorted) {
    System.out.printf(Locale.ROOT, "%-32s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms (%d runs)%n", what,
        sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.95) - 1], sorted[sorted.length - 1],
        sorted.length);
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
