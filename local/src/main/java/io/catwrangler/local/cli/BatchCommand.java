package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.events.Json;
import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code catwrangler batch ID [--wait] [--json] [--export FILE]}: every image of a batch with its status and answer,
 * or, with {@code --export}, its results written to a file (JSON Lines, or CSV for a {@code .csv} name).
 */
@Command(name = "batch", description = "Show a batch: counts per status and every image's answer (GET /batches/{id}).")
final class BatchCommand implements Callable<Integer> {
  private static final int PAGE = 1000;

  @Parameters(paramLabel = "ID", description = "Batch id.")
  String batchId;

  @Option(names = "--wait", description = "Wait until no image of the batch is PENDING any more.")
  boolean waitForCompletion;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "With --wait: give up after this many seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 3600;

  @Option(names = "--json", description = "Print one JSON document with all images (every page).")
  boolean json;

  @Option(names = "--export", paramLabel = "FILE",
      description = "Write the batch's results (GET /batches/{id}/results) to FILE instead of listing them: CSV for"
          + " a .csv name, else JSON Lines (or --format). With --wait, once the batch is complete.")
  Path export;

  @Option(names = "--format", paramLabel = "FORMAT", converter = FormatName.class,
      description = "With --export: jsonl or csv (default: by FILE's extension).")
  BatchExport.Format format;

  /** {@code jsonl} or {@code csv}, in any case. */
  static final class FormatName implements ITypeConverter<BatchExport.Format> {
    @Override
    public BatchExport.Format convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "jsonl", "ndjson" -> BatchExport.Format.JSONL;
        case "csv" -> BatchExport.Format.CSV;
        default -> throw new TypeConversionException("jsonl or csv, not '" + value + "'");
      };
    }
  }

  @Option(names = "--progress", description = "With --export: draw the progress bar even when stderr is not a terminal.")
  boolean progress;

  @Mixin ClientOptions clientOptions = new ClientOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ApiClient client = clientOptions.client();
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    long notFoundDeadline = System.nanoTime() + Math.min(Duration.ofSeconds(10).toNanos(), deadline - System.nanoTime());
    boolean tty = System.console() != null;
    PollPace pace = new PollPace(0);
    while (true) {
      JsonNode batch;
      try {
        // while waiting, poll the counts alone; the whole listing once it is complete
        batch = waitForCompletion || export != null ? summary(client, batchId) : fetchAll(client, batchId);
        if (export == null && waitForCompletion
            && (batch.path("complete").asBoolean() || System.nanoTime() > deadline)) {
          batch = fetchAll(client, batchId);
        }
      } catch (IOException e) {
        return ClientErrors.unreachable(err, client, e);
      } catch (ReplyException e) {
        // right after an upload the results view may not list the batch yet: give it a moment when waiting
        if (waitForCompletion && e.reply.status() == 404 && System.nanoTime() < notFoundDeadline) {
          Thread.sleep(200);
          continue;
        }
        return ClientErrors.apiError(err, e.reply);
      }
      boolean complete = batch.path("complete").asBoolean();
      if (!waitForCompletion || complete || System.nanoTime() > deadline) {
        if (tty && waitForCompletion) {
          err.print("\r\033[K");
          err.flush();
        }
        if (export != null) {
          if (waitForCompletion && !complete) {
            err.println("error: the batch still has PENDING images after " + timeoutSeconds + " s; nothing exported");
            err.flush();
            return 2;
          }
          return export(client, batch.path("total").asLong(), out, err, tty);
        }
        ClientErrors.jsonOr(json, BatchCommand::print).print(out, batch);
        out.flush();
        if (waitForCompletion && !complete) {
          err.println("error: the batch still has PENDING images after " + timeoutSeconds + " s");
          err.flush();
          return 2;
        }
        return 0;
      }
      if (tty) {
        err.print("\r" + counts(batch) + " … waiting");
        err.flush();
      }
      Thread.sleep(pace.next(batch, System.nanoTime()));
    }
  }

  private int export(ApiClient client, long total, PrintWriter out, PrintWriter err, boolean tty)
      throws InterruptedException {
    BatchExport.Format chosen = format != null ? format : BatchExport.Format.forFile(export);
    BatchExport exporter = new BatchExport(client, chosen, tty || progress ? Optional.of(err) : Optional.empty());
    BatchExport.Outcome outcome;
    try {
      outcome = exporter.write(batchId, export, total);
    } catch (IOException e) {
      err.println("error: export of batch " + batchId + " to " + export + " failed: " + e.getMessage()
          + " (nothing written)");
      err.flush();
      return ClientErrors.UNREACHABLE;
    }
    if (outcome.error().isPresent()) {
      return ClientErrors.apiError(err, outcome.error().get());
    }
    out.printf(Locale.ROOT, "%,d row(s) of batch %s written to %s (%s)%n", outcome.rows(), batchId, export,
        chosen.name().toLowerCase(Locale.ROOT));
    out.flush();
    return 0;
  }

  /** Thrown by {@link #fetchAll} when the server answers with an error. */
  static final class ReplyException extends Exception {
    final transient ApiClient.Reply reply;

    ReplyException(ApiClient.Reply reply) {
      super(reply.describeError());
      this.reply = reply;
    }
  }

  /** The first page of one image: counts, total and completeness of the whole batch, cheaply (for polling). */
  static JsonNode summary(ApiClient client, String batchId) throws IOException, InterruptedException, ReplyException {
    ApiClient.Reply reply = client.get("/batches/" + URLEncoder.encode(batchId, StandardCharsets.UTF_8) + "?limit=1");
    if (!reply.isSuccess()) {
      throw new ReplyException(reply);
    }
    return reply.body();
  }

  /** The whole batch, every page joined: the first page's fields with {@code images} from all pages. */
  static ObjectNode fetchAll(ApiClient client, String batchId)
      throws IOException, InterruptedException, ReplyException {
    String base = "/batches/" + URLEncoder.encode(batchId, StandardCharsets.UTF_8) + "?limit=" + PAGE;
    ApiClient.Reply reply = client.get(base);
    if (!reply.isSuccess()) {
      throw new ReplyException(reply);
    }
    ObjectNode result = (ObjectNode) reply.body().deepCopy();
    ArrayNode images = (ArrayNode) result.withArray("images");
    JsonNode page = reply.body();
    while (page.path("next_cursor").isTextual()) {
      reply = client.get(base + "&cursor=" + URLEncoder.encode(page.path("next_cursor").asText(), StandardCharsets.UTF_8));
      if (!reply.isSuccess()) {
        throw new ReplyException(reply);
      }
      page = reply.body();
      page.path("images").forEach(images::add);
    }
    result.putNull("next_cursor");
    result.remove("links");
    return result;
  }

  static String counts(JsonNode batch) {
    JsonNode c = batch.path("counts");
    return String.format(Locale.ROOT, "batch %s: %d image(s), %d classified, %d failed, %d pending",
        batch.path("batch_id").asText(), batch.path("total").asLong(), c.path("CLASSIFIED").asLong(),
        c.path("FAILED").asLong(), c.path("PENDING").asLong());
  }

  private static void print(PrintWriter out, JsonNode batch) {
    out.println(counts(batch));
    long yes = 0;
    long no = 0;
    for (JsonNode image : batch.path("images")) {
      String answer = StatusCommand.text(image.path("answer"));
      yes += answer.equals("yes") ? 1 : 0;
      no += answer.equals("no") ? 1 : 0;
      StringBuilder names = new StringBuilder();
      image.path("file_names").forEach(n -> names.append(names.length() == 0 ? "" : ", ").append(n.asText()));
      out.printf("%s  %-10s %-4s %s%n", image.path("image_id").asText(), image.path("status").asText(), answer, names);
    }
    out.printf("answers: %d yes, %d no%n", yes, no);
  }
}
