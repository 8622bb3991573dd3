package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.events.ImageId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code catwrangler status ID}: one image's status and answer. */
@Command(name = "status", description = "Show an image's status and answer (GET /images/{id}).")
final class StatusCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "Image id (sha256), or the path of a local file to look up by its sha256.")
  String id;

  @Option(names = "--debug", description = "Include detections with boxes, stage timings and attempts.")
  boolean debug;

  @Option(names = "--json", description = "Print the server's JSON as it is.")
  boolean json;

  @Mixin ClientOptions clientOptions = new ClientOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return getImage(
        spec, clientOptions, id, debug ? "?debug=true" : "", ClientErrors.jsonOr(json, StatusCommand::print));
  }

  /** {@code GET /images/{id}{rest}}, {@code idOrPath} read as by {@link #imageId}, printed by {@code print}. */
  static int getImage(CommandSpec spec, ClientOptions options, String idOrPath, String rest, ClientErrors.Print print)
      throws InterruptedException {
    String path;
    try {
      path = "/images/" + imageId(idOrPath) + rest;
    } catch (IOException e) {
      return ClientErrors.unreadable(spec.commandLine().getErr(), idOrPath, e);
    }
    return ClientErrors.exchange(spec, options.client(), client -> client.get(path), print);
  }

  /** The id as given, or the sha256 of a local file of that name (so `status photo.jpg` works). */
  static String imageId(String idOrPath) throws IOException {
    Path path = Path.of(idOrPath);
    if (!idOrPath.matches("[0-9a-fA-F]{64}") && Files.isRegularFile(path)) {
      return ImageId.sha256Of(Files.readAllBytes(path)).value();
    }
    return idOrPath;
  }

  static void print(PrintWriter out, JsonNode image) {
    out.printf("image      %s%n", image.path("image_id").asText());
    out.printf("status     %s%n", image.path("status").asText());
    if (!image.path("answer").isNull()) {
      out.printf(Locale.ROOT, "answer     %s (cat score %.3f, threshold %.2f, %s %s, %s)%n",
          image.path("answer").asText(), image.path("cat_score").asDouble(), image.path("threshold").asDouble(),
          image.path("model").path("name").asText(), image.path("model").path("version").asText(),
          image.path("decided_by").asText());
      out.printf("classified %s%n", image.path("classified_at").asText());
    }
    JsonNode failure = image.path("failure");
    if (failure.isObject()) {
      out.printf("failure    %s: %s (attempt %d)%n", failure.path("reason").asText(), failure.path("message").asText(),
          failure.path("attempt").asInt());
    }
    JsonNode submissions = image.path("submissions");
    out.printf("submitted  %d time(s)%n", submissions.size());
    for (JsonNode s : submissions) {
      out.printf("  %s  batch %-20s file %s%n", s.path("received_at").asText(), text(s.path("batch_id")),
          text(s.path("file_name")));
    }
    JsonNode debug = image.path("debug");
    if (debug.isObject()) {
      out.printf("debug      %s %d bytes %dx%d, %d attempt(s)%n", debug.path("content_type").asText(),
          debug.path("byte_size").asLong(), debug.path("width").asInt(), debug.path("height").asInt(),
          debug.path("attempts").asInt());
      StringBuilder timings = new StringBuilder();
      debug.path("timings_ms").fields().forEachRemaining(e ->
          timings.append(String.format(Locale.ROOT, " %s %.1f ms;", e.getKey(), e.getValue().asDouble())));
      out.printf("  timings  %s%n", timings.toString().strip());
      for (JsonNode d : debug.path("detections")) {
        JsonNode b = d.path("box");
        out.printf(Locale.ROOT, "  %-12s %.3f  box (%.0f, %.0f)-(%.0f, %.0f)%n", d.path("label").asText(),
            d.path("score").asDouble(), b.path("x1").asDouble(), b.path("y1").asDouble(), b.path("x2").asDouble(),
            b.path("y2").asDouble());
      }
    }
  }

  static String text(JsonNode node) {
    return node.isNull() || node.isMissingNode() ? "-" : node.asText();
  }
}
