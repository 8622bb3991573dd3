package io.catwrangler.local.cli;

import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.local.http.EmbeddedApi;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.notify.NotifyConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import io.catwrangler.local.runtime.ThreadNiceness;
import io.catwrangler.local.sqlite.Durability;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code catwrangler serve}: the whole pipeline in this process: HTTP API and upload page, workers, projector, over
 * one data folder. Prints one "serving on URL" line on standard output when ready; stops gracefully on SIGTERM or
 * Ctrl-C (HTTP first, so nothing new arrives, then the workers finish the image in hand).
 */
@Command(name = "serve", description = "Run the HTTP API, the upload page and the workers over a data folder.")
final class ServeCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(ServeCommand.class.getName());

  /** Signals that stop the server gracefully (SIGTERM from a service manager, Ctrl-C, a closed terminal). */
  private static final List<String> STOP_SIGNALS = List.of("TERM", "INT", "HUP");

  @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: ${DEFAULT-VALUE}).")
  Path data = Path.of("data");

  @Option(names = "--port", paramLabel = "N", description = "Port; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port = HttpServerConfig.DEFAULT_PORT;

  @Option(names = "--bind", paramLabel = "ADDR",
      description = "Address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs a token.")
  String bind = HttpServerConfig.DEFAULT_BIND;

  @Option(names = "--workers", paramLabel = "N",
      description = "Classify worker threads (default: one per core, 2 to 8).")
  Integer workers;

  @Option(names = "--worker-nice", paramLabel = "0-19",
      description = "Linux nice value of the inference threads, so uploads and queries go first (default: "
          + LocalConfig.DEFAULT_WORKER_NICE + "; 0: same priority as HTTP).")
  Integer workerNice;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CATWRANGLER_TOKEN}",
      description = "Bearer token callers must send (default: $CATWRANGLER_TOKEN); required with a non-loopback --bind.")
  String token;

  @Option(names = "--durability", paramLabel = "full|normal",
      description = "When a commit is on the disk: full (fsync each, survives a power cut) or normal (survives a killed"
          + " process; faster uploads). Default: the runtime's.")
  String durability;

  @Option(names = "--access-log", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "One log line per request (default: on).")
  boolean accessLog;

  @Mixin NotifyOptions notifyOptions = new NotifyOptions();

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    configureLogging();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    HttpServerConfig httpConfig;
    LocalConfig config;
    NotifyConfig notify;
    try {
      notify = notifyOptions.config();
      httpConfig = new HttpServerConfig(bind, port, Optional.ofNullable(token), accessLog);
      config = LocalConfig.defaults(data);
      config = config.withDetector(detectorOptions.config(config.detector()));
      if (workers != null) {
        config = config.withWorkers(workers);
      }
      if (workerNice != null) {
        config = config.withWorkerNice(workerNice);
      }
      if (durability != null) {
        config = config.withDurability(switch (durability.toLowerCase(Locale.ROOT)) {
          case "full" -> Durability.FULL;
          case "normal" -> Durability.NORMAL;
          default -> throw new IllegalArgumentException("--durability is full or normal, not " + durability);
        });
      }
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 2;
    }

    // the model converts and loads on one core while the database opens and HTTP starts on the other
    long t0 = System.nanoTime();
    CompletableFuture<ImageNetCatDetector> loading = new CompletableFuture<>();
    int inferenceNice = config.workerNice();
    DetectorConfig detectorConfig = config.detector();
    Thread loader = new Thread(() -> {
      try {
        // ONNX Runtime creates its inference threads with the session: they inherit this thread's priority
        ThreadNiceness.lowerCurrentThread(inferenceNice);
        loading.complete(ImageNetCatDetector.load(detectorConfig));
      } catch (Throwable e) {
        loading.completeExceptionally(e);
      }
    }, "catwrangler-model-load");
    loader.setDaemon(true);
    loader.start();
    DeferredDetector detector = new DeferredDetector(loading);
    LocalRuntime runtime;
    try {
      runtime = LocalRuntime.open(config, detector, notify);
    } catch (RuntimeException e) {
      detector.close();
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    long t1 = System.nanoTime();
    EmbeddedHttpServer server;
    try {
      server = EmbeddedApi.serve(runtime, httpConfig);
    } catch (IOException e) {
      runtime.close();
      detector.close();
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    long t2 = System.nanoTime();
    ImageNetCatDetector model;
    try {
      model = loading.join();
    } catch (java.util.concurrent.CompletionException e) {
      server.close();
      runtime.close();
      err.println("error: the detector did not load: " + e.getCause());
      err.flush();
      return 1;
    }
    long t3 = System.nanoTime();
    double jvmToReady = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (!stopping.compareAndSet(false, true)) {
        awaitUninterruptibly(stopped); // another thread is stopping: done when it is
        return;
      }
      LOG.log(Level.INFO, "stopping: HTTP first, then the workers");
      try {
        server.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "HTTP server stop: " + e.getMessage());
      }
      runtime.close();
      detector.close();
      stopped.countDown();
    };
    // ONNX Runtime's Java binding frees its native environment in a JVM shutdown hook of its own, and the JVM runs
    // all shutdown hooks at once: stopping only in ours let that hook free the model under a running inference (the
    // JVM died with SIGSEGV on SIGTERM while classifying). So TERM, INT and HUP stop the server first — the
    // classification in hand finishes — and the JVM exits afterwards (call() returns 0). The hook stays for any
    // other way the JVM may end.
    for (String signal : STOP_SIGNALS) {
      try {
        Signal.handle(new Signal(signal), received -> stop.run());
      } catch (IllegalArgumentException e) {
        LOG.log(Level.WARNING, "cannot handle SIG" + signal + " (" + e.getMessage() + "); the shutdown hook stops the"
            + " server then");
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "catwrangler-shutdown"));

    LOG.log(Level.INFO, String.format(Locale.ROOT,
        "start-up: %.2f s from JVM start to ready (runtime %.0f ms and HTTP %.0f ms while the model loaded; model ready"
            + " %.0f ms after that)", jvmToReady, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6));
    out.printf(Locale.ROOT, "catwrangler serving on %s (ready in %.2f s; data %s; %d worker(s) × %d ONNX thread(s);"
        + " durability %s; model %s %s; boxes %s)%n", server.url(), jvmToReady, config.dataDir(), config.workers(),
        model.config().intraOpThreads(),
        config.durability().name().toLowerCase(Locale.ROOT), model.model().name(), model.model().version(),
        model.config().boxes().wireName());
    if (httpConfig.token().isPresent()) {
      out.println("callers must send: Authorization: Bearer <token>");
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /** One line per log record ({@link LogLineFormatter}), unless the operator configured logging already. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LogLineFormatter.FORMAT);
      for (Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
        if (handler instanceof ConsoleHandler) {
          handler.setFormatter(new LogLineFormatter());
        }
      }
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
