package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code catwrangler history ID}: every event of an image, oldest first. */
@Command(name = "history", description = "Show an image's event history (GET /images/{id}/events).")
final class HistoryCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "Image id (sha256), or the path of a local file.")
  String id;

  @Option(names = "--json", description = "Print the events as JSON.")
  boolean json;

  @Mixin ClientOptions clientOptions = new ClientOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return StatusCommand.getImage(spec, clientOptions, id, "/events", ClientErrors.jsonOr(json, HistoryCommand::print));
  }

  private static void print(PrintWriter out, JsonNode history) {
    out.printf("image %s: %d event(s)%n", history.path("image_id").asText(), history.path("count").asInt());
    for (JsonNode e : history.path("events")) {
      out.printf("v%-3d %s  %-24s %s%n", e.path("version").asLong(), e.path("occurred_at").asText(),
          e.path("type").asText(), summary(e.path("type").asText(), e.path("payload")));
    }
  }

  private static String summary(String type, JsonNode p) {
    return switch (type) {
      case "ImageReceived" -> String.format(Locale.ROOT, "submission %s batch %s file %s (%s, %dx%d, %d bytes)",
          p.path("submission_id").asText(), StatusCommand.text(p.path("batch_id")),
          StatusCommand.text(p.path("file_name")), p.path("content_type").asText(), p.path("width").asInt(),
          p.path("height").asInt(), p.path("byte_size").asLong());
      case "ClassificationSucceeded" -> String.format(Locale.ROOT, "is_cat %s, score %.3f at threshold %.2f, %s@%s,"
              + " %s, attempt %d", p.path("is_cat").asBoolean(), p.path("cat_score").asDouble(),
          p.path("threshold").asDouble(), p.path("model").path("name").asText(),
          p.path("model").path("version").asText(), p.path("trigger").asText(), p.path("attempt").asInt());
      case "ClassificationFailed" -> String.format(Locale.ROOT, "%s: %s (attempt %d, %s)",
          p.path("reason").asText(), p.path("message").asText(), p.path("attempt").asInt(),
          p.path("retryable").asBoolean() ? "will retry" : "terminal");
      default -> p.toString();
    };
  }
}
