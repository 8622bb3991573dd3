package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.DetectorVariant;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code catwrangler eval} on the six photos of the classifier's golden data (three cats), with their categories. */
class EvalCommandTest {
  @TempDir static Path temp;

  @BeforeAll
  static void labelledFolder() throws IOException {
    StringBuilder manifest = new StringBuilder("file,label,category\n");
    for (var golden : TestData.classifierGolden().entrySet()) {
      String name = golden.getKey();
      String label = name.startsWith("cat-") ? "cat" : "not_cat";
      String file = label + "/" + name + golden.getValue().toString().substring(golden.getValue().toString().length() - 4);
      Files.createDirectories(temp.resolve(label));
      Files.copy(golden.getValue(), temp.resolve(file));
      manifest.append(file).append(',').append(label).append(',')
          .append(label.equals("cat") ? "cat" : name.substring(0, name.indexOf('-'))).append('\n');
    }
    Files.writeString(temp.resolve("manifest.csv"), manifest);
  }

  private static String eval(String... args) {
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
        .execute(Stream.concat(Stream.of("eval", temp.toString()), Stream.of(args)).toArray(String[]::new));
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  void jsonKeepsItsKeysForTheDefaultAndComparesWithCenterNetInTheSameRun() throws IOException {
    JsonNode json = new ObjectMapper().readTree(eval("--json", "--boxes", "never"));
    assertThat(json.has("n") && json.has("accuracy") && json.has("precision") && json.has("recall")
        && json.has("threshold") && json.has("best_threshold") && json.has("best_accuracy")
        && json.has("images_per_second") && json.has("stage_ms")).as(json.toString()).isTrue();
    assertThat(json.path("n").asInt()).isEqualTo(6);
    assertThat(json.path("variant").asText()).isEqualTo("default");
    assertThat(json.path("model_version").asText()).startsWith("mobilenet-v2-imagenet@");
    assertThat(json.path("threshold").asDouble()).isEqualTo(DetectorConfig.DEFAULT_THRESHOLD);
    // the six golden photos are easy: the classifier answers all of them right
    assertThat(json.path("accuracy").asDouble()).isEqualTo(1.0);

    assertThat(json.path("variants")).extracting(v -> v.path("variant").asText())
        .containsExactly("default", "head-v1", "bare");
    JsonNode bare = json.path("variants").get(2);
    assertThat(bare.path("threshold").asDouble()).isEqualTo(DetectorVariant.BARE.defaultThreshold());
    assertThat(bare.path("model_version").asText()).startsWith("centernet-mobilenetv3-coco@");
    JsonNode errors = json.path("variants").get(0).path("errors_by_category");
    assertThat(errors.fieldNames()).toIterable().containsExactly("cat", "coffee", "dog", "raccoon");
    assertThat(errors.path("cat").path("n").asInt()).isEqualTo(3);

    JsonNode calibration = json.path("calibration");
    assertThat(calibration.path("bins")).hasSize(10);
    int binned = 0;
    for (JsonNode bin : calibration.path("bins")) {
      binned += bin.path("n").asInt();
    }
    assertThat(binned).isEqualTo(6);
    assertThat(calibration.path("brier_score").asDouble()).isBetween(0.0, 0.25);
  }

  @Test
  void theReportShowsCalibrationAndErrorsPerCategory() {
    String report = eval("--only-default", "--boxes", "never");
    assertThat(report).contains("mobilenet-v2-imagenet@", "calibration (is the cat score a probability?)",
        "wrong answers per category", "raccoon").doesNotContain("side by side");
  }
}
