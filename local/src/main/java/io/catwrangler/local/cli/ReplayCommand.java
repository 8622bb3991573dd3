package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.events.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catwrangler replay [--image ID] [--threshold T | --reclassify]}. */
@Command(
    name = "replay",
    description = {
      "Replay the event history (POST /admin/replay):",
      "  no option      rebuild the results view from the events (all images, or --image)",
      "  --threshold T  re-decide every answer at threshold T from the stored scores (appends events)",
      "  --reclassify   run the current model on images it has not answered yet (appends events;",
      "                 on AWS the admin function queues them for classify-fn)"
    })
final class ReplayCommand implements Callable<Integer> {
  @Option(names = "--image", paramLabel = "ID", description = "Only this image.")
  String image;

  @Option(names = "--threshold", paramLabel = "T", description = "Re-decide at this threshold (0 to 1).")
  Double threshold;

  @Option(names = "--reclassify", description = "Re-run the detector where the current model has no answer.")
  boolean reclassify;

  @Mixin ClientOptions clientOptions = new ClientOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = Json.object();
    if (image != null) {
      body.put("image_id", image);
    }
    if (threshold != null) {
      body.put("threshold", threshold);
    }
    if (reclassify) {
      body.put("reclassify", true);
    }
    // a replay of everything runs the detector or rewrites the whole view: allow it time
    return ClientErrors.exchange(spec, clientOptions.client(Duration.ofHours(2)),
        client -> client.post("/admin/replay", body), ReplayCommand::print);
  }

  private static void print(PrintWriter out, JsonNode r) {
    out.printf("%s of %s: %d image(s), %d event(s) appended, %d answer(s) changed, %d left to retry%s%n",
        r.path("action").asText(), r.path("scope").asText().equals("all") ? "all images" : r.path("image_id").asText(),
        r.path("images").asLong(), r.path("events_appended").asLong(), r.path("answers_changed").asLong(),
        r.path("retry_later").asLong(),
        // AWS: the admin function queues re-classifications for classify-fn
        r.path("queued").asLong() > 0 ? ", " + r.path("queued").asLong() + " queued for the classifier" : "");
  }
}
