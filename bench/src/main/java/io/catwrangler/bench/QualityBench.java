package io.catwrangler.bench;

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
import java.io.PrintWriter;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the quality figures cost on a large view: fills a fresh data folder's results view with {@code --images}
 * answered images (default 100,000), {@code --labelled} of them labelled (default 10,000), then times the view's
 * count ({@code tally}, in process) and {@code GET /quality} and {@code GET /metrics} over loopback HTTP of an
 * embedded runtime opened on that folder (a scripted detector; nothing is classified during the run).
 *
 * <pre>
 * bench/run quality /tmp/quality-bench [--images 100000] [--labelled 10000]
 * </pre>
 */
@Command(name = "quality", description = "Time the quality figures (GET /quality, /metrics) on a large results view.")
final class QualityBench implements Callable<Integer> {
  private static final DetectorModel MODEL = new DetectorModel("fake-detector", "v1");
  private static final int RUNS = 50;

  @Parameters(paramLabel = "DATA", description = "A data folder to create and fill; must not exist.")
  Path dataDir;

  @Option(names = "--images", description = "Answered images in the view (default: ${DEFAULT-VALUE}).")
  int images = 100_000;

  @Option(names = "--labelled", description = "How many of them are labelled (default: ${DEFAULT-VALUE}).")
  int labelled = 10_000;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (Files.exists(dataDir)) {
      throw new IllegalArgumentException(dataDir + " exists; the bench fills a fresh folder");
    }
    LocalConfig config = LocalConfig.defaults(dataDir).withWorkers(2);
    Files.createDirectories(dataDir);
    long fillStart = System.nanoTime();
    try (SqliteDatabase db = SqliteDatabase.open(config.databaseFile())) {
      fill(new SqliteResultView(db), images, labelled);
    }
    out.printf(Locale.ROOT, "filled %d images (%d labelled) in %.1f s%n", images, labelled,
        (System.nanoTime() - fillStart) / 1e9);

    try (LocalRuntime runtime = LocalRuntime.open(config, new FakeCatDetector(0.5));
        EmbeddedHttpServer server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false))) {
      MeasureQuality quality = runtime.quality();
      report(out, "tally + intervals (in process)", time(() -> quality.measure()));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI base = server.url();
      report(out, "GET /quality (HTTP)", time(() -> get(http, base.resolve("/quality"))));
      report(out, "GET /metrics (HTTP)", time(() -> get(http, base.resolve("/metrics"))));
      out.println(get(http, base.resolve("/quality")));
    }
    out.flush();
    return 0;
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

  private static void report(PrintWriter out, String what, double[] sorted) {
    out.printf(Locale.ROOT, "%-32s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms (%d runs)%n", what,
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
}
