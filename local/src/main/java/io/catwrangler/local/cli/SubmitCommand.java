package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.local.http.ApiClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code catwrangler submit PATH… [--batch ID]}: uploads images (folders recursively) in parallel, writes a
 * manifest of what became of each file, and prints a summary. Exit code 0 when every file was accepted, 1 when
 * the server refused some, 3 when it could not be reached for some.
 */
@Command(name = "submit", description = "Upload JPEG/PNG files or folders (recursively) to a running server.")
final class SubmitCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "Files, or folders searched recursively for .jpg, .jpeg and .png.")
  List<Path> paths;

  @Option(names = "--batch", paramLabel = "ID",
      description = "Batch id (A-Z a-z 0-9 . _ : -, up to 128). Default: a new one, printed at the end.")
  String batchId;

  @Option(names = "--client-id", paramLabel = "ID", description = "Sent as X-Client-Id.")
  String clientId;

  @Option(names = "--debug", description = "Ask for debug detail (detections, timings) in the answers.")
  boolean debug;

  @Option(names = "--parallel", paramLabel = "N", description = "Uploads at a time (default: ${DEFAULT-VALUE}).")
  int parallel = 4;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Where to write the manifest, one JSON line per file (default: catwrangler-<batch>.jsonl).")
  Path manifest;

  @Option(names = "--wait", description = "After uploading, wait until the batch has no PENDING image.")
  boolean waitForAnswers;

  @Mixin ClientOptions clientOptions = new ClientOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = BatchUpload.collect(paths);
    if (files.isEmpty()) {
      err.println("error: no .jpg, .jpeg or .png files in " + paths);
      err.flush();
      return 1;
    }
    String batch = batchId != null ? batchId : newBatchId();
    Path manifestPath = manifest != null ? manifest : Path.of("catwrangler-" + batch + ".jsonl");
    ApiClient client = clientOptions.client(Duration.ofSeconds(120));
    BatchUpload upload =
        new BatchUpload(client, Optional.of(batch), Optional.ofNullable(clientId), debug, parallel);
    BatchUpload.Progress progress = new BatchUpload.Progress(err, files.size(), System.console() != null);
    long start = System.nanoTime();
    List<BatchUpload.Result> results;
    try (BufferedWriter writer = Files.newBufferedWriter(manifestPath, StandardCharsets.UTF_8)) {
      results = upload.run(files, result -> {
        synchronized (writer) {
          try {
            writer.write(result.toJson());
            writer.newLine();
            writer.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        progress.accept(result);
      });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int code = summarise(out, err, results, batch, manifestPath, seconds);
    long distinct = results.stream().filter(BatchUpload.Result::accepted).map(r -> r.imageId().orElse(""))
        .distinct().count();
    if (waitForAnswers && distinct > 0) {
      code = Math.max(code, waitForBatch(out, err, client, batch, distinct));
    }
    return code;
  }

  private int summarise(
      PrintWriter out, PrintWriter err, List<BatchUpload.Result> results, String batch, Path manifestPath,
      double seconds) {
    long accepted = results.stream().filter(BatchUpload.Result::accepted).count();
    long known = results.stream().filter(r -> r.accepted() && !r.status().orElse("").equals("PENDING")).count();
    Map<String, Integer> refusals = new TreeMap<>();
    boolean unreachable = false;
    for (BatchUpload.Result r : results) {
      if (!r.accepted()) {
        String code = r.error().orElse("HTTP_" + r.httpStatus());
        refusals.merge(code, 1, Integer::sum);
        unreachable |= r.httpStatus() == 0;
        err.printf("refused: %s — %s%s%n", r.file(), r.httpStatus() == 0 ? "" : r.httpStatus() + " ",
            code + r.message().map(m -> ": " + m).orElse(""));
      }
    }
    err.flush();
    out.printf(Locale.ROOT, "%d file(s) in %.1f s (%.1f files/s): %d accepted (%d already answered), %d refused%s%n",
        results.size(), seconds, results.size() / Math.max(seconds, 1e-9), accepted, known,
        results.size() - accepted, refusals.isEmpty() ? "" : " " + refusals);
    out.printf("batch %s; manifest %s%n", batch, manifestPath);
    if (!waitForAnswers && accepted > 0) {
      out.printf("follow it with: catwrangler batch %s --wait%n", batch);
    }
    out.flush();
    if (unreachable) {
      return ClientErrors.UNREACHABLE;
    }
    return accepted == results.size() ? 0 : 1;
  }

  /** Waits until the batch lists every accepted image and none is PENDING. */
  private int waitForBatch(PrintWriter out, PrintWriter err, ApiClient client, String batch, long images)
      throws InterruptedException {
    boolean tty = System.console() != null;
    PollPace pace = new PollPace(images);
    while (true) {
      JsonNode page;
      try {
        page = BatchCommand.summary(client, batch);
        if (page.path("complete").asBoolean() && page.path("total").asLong() >= images) {
          page = BatchCommand.fetchAll(client, batch);
        }
      } catch (IOException e) {
        return ClientErrors.unreachable(err, client, e);
      } catch (BatchCommand.ReplyException e) {
        if (e.reply.status() == 404) { // the results view has not caught up with the uploads yet
          Thread.sleep(100);
          continue;
        }
        return ClientErrors.apiError(err, e.reply);
      }
      if (page.path("complete").asBoolean() && page.path("total").asLong() >= images) {
        if (tty) {
          err.print("\r\033[K");
          err.flush();
        }
        out.println(BatchCommand.counts(page));
        long yes = 0;
        for (var image : page.path("images")) {
          yes += image.path("answer").asText("").equals("yes") ? 1 : 0;
        }
        out.printf("answers: %d yes, %d no%n", yes, page.path("counts").path("CLASSIFIED").asLong() - yes);
        out.flush();
        return 0;
      }
      if (tty) {
        err.print("\r" + BatchCommand.counts(page) + " … waiting");
        err.flush();
      }
      Thread.sleep(pace.next(page, System.nanoTime()));
    }
  }

  static String newBatchId() {
    return "b-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }
}
