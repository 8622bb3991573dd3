package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.Boxes;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.DetectorVariant;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.http.EmbeddedApi;
import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.runtime.LocalConfig;
import io.catwrangler.local.runtime.LocalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder classified by the model the service answered with before (CenterNet, head-v1), opened with the
 * ImageNet classifier and re-classified: every image gets the new model's answer, {@code answers_changed} counts the
 * yes/no that changed, and the history keeps both answers.
 */
class ModelChangeReplayTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path temp;

  @Test
  void reclassifyingWithTheClassifierGivesItsAnswersAndKeepsTheOldOnes() throws Exception {
    Path data = temp.resolve("data");
    List<byte[]> photos = photos();
    Map<String, Boolean> before = new LinkedHashMap<>();
    Map<String, Boolean> after = new LinkedHashMap<>();
    DetectorConfig config = DetectorConfig.defaults().withThreads(1);

    try (CenterNetCatDetector old = CenterNetCatDetector.load(config.withVariant(DetectorVariant.HEAD))) {
      serve(data, old, client -> {
        for (byte[] photo : photos) {
          JsonNode reply = client.upload(photo, Optional.empty(), Optional.of("before"), Optional.empty(), false).body();
          before.put(reply.path("image_id").asText(), null);
        }
        for (String id : before.keySet()) {
          JsonNode image = settled(client, id);
          assertThat(image.path("model").path("version").asText()).isEqualTo("human-3.3.6/head-v1");
          before.put(id, image.path("answer").asText().equals("yes"));
        }
      });
    }

    try (ImageNetCatDetector classifier = ImageNetCatDetector.load(config.withBoxes(Boxes.NEVER))) {
      serve(data, classifier, client -> {
        JsonNode replay = client.post("/admin/replay",
            JsonNodeFactory.instance.objectNode().put("reclassify", true)).body();
        assertThat(replay.path("action").asText()).isEqualTo("reclassify");
        assertThat(replay.path("images").asInt()).isEqualTo(photos.size());
        assertThat(replay.path("events_appended").asInt()).isEqualTo(photos.size());
        int changed = 0;
        for (String id : before.keySet()) {
          // the view follows the events the replay appended a few milliseconds later (decision 0058)
          JsonNode image = projected(client, id, "mobilenet-v2-imagenet");
          assertThat(image.path("model").path("name").asText()).isEqualTo("mobilenet-v2-imagenet");
          after.put(id, image.path("answer").asText().equals("yes"));
          changed += after.get(id).equals(before.get(id)) ? 0 : 1;

          List<String> models = new ArrayList<>();
          List<String> triggers = new ArrayList<>();
          for (JsonNode e : client.get("/images/" + id + "/events").body().path("events")) {
            if (e.path("type").asText().equals("ClassificationSucceeded")) {
              models.add(e.path("payload").path("model").path("name").asText());
              triggers.add(e.path("payload").path("trigger").asText());
            }
          }
          assertThat(models).containsExactly("centernet-mobilenetv3-coco", "mobilenet-v2-imagenet");
          assertThat(triggers).containsExactly("initial", "reclassify");
        }
        assertThat(replay.path("answers_changed").asInt()).isEqualTo(changed);
        // the raccoon CenterNet took for a cat is the change these photos show (testdata/mobilenet/golden)
        assertThat(changed).isPositive();

        // the new model has answered every image: a second replay appends nothing
        JsonNode again = client.post("/admin/replay",
            JsonNodeFactory.instance.objectNode().put("reclassify", true)).body();
        assertThat(again.path("events_appended").asInt()).isZero();
        assertThat(again.path("answers_changed").asInt()).isZero();
      });
    }
    assertThat(after.values()).containsExactly(true, true, true, false, false, false);
  }

  /** The six golden photos, cats first (testdata/mobilenet/golden/manifest.csv). */
  private static List<byte[]> photos() throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (Path p : TestData.classifierGolden().values()) {
      out.add(Files.readAllBytes(p));
    }
    return out;
  }

  interface WithClient {
    void run(ApiClient client) throws Exception;
  }

  private static void serve(Path data, CatDetector detector, WithClient body) throws Exception {
    LocalRuntime runtime = LocalRuntime.open(LocalConfig.defaults(data).withWorkers(1), detector);
    try (EmbeddedHttpServer server = EmbeddedApi.serve(runtime, HttpServerConfig.loopback(0).withAccessLog(false))) {
      body.run(new ApiClient(server.url(), Optional.empty(), Duration.ofSeconds(120)));
    } finally {
      runtime.close();
    }
  }

  /** The image as the view shows it once its answer is from {@code model} (or the deadline passed). */
  private static JsonNode projected(ApiClient client, String id, String model) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      JsonNode image = client.get("/images/" + id).body();
      if (image.path("model").path("name").asText().equals(model) || System.nanoTime() > deadline) {
        return image;
      }
      Thread.sleep(20);
    }
  }

  private static JsonNode settled(ApiClient client, String id) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      JsonNode image = client.get("/images/" + id).body();
      if (!image.path("status").asText().equals("PENDING")) {
        return image;
      }
      assertThat(System.nanoTime()).as("image %s still PENDING", id).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
