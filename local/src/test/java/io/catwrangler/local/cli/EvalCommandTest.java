package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.DetectorVariant;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  @TempDir Path temp;

  @Test
  void theDefaultVariantComesFirstAndEachVariantOnce() {
    EvalCommand eval = new EvalCommand();
    eval.variants = List.of("bare", "zoom", "bare");
    assertThat(eval.chosenVariants(DetectorVariant.DEFAULT))
        .containsExactly(DetectorVariant.DEFAULT, DetectorVariant.BARE, DetectorVariant.ZOOM);
    eval.variants = List.of("all");
    assertThat(eval.chosenVariants(DetectorVariant.DEFAULT)).containsExactlyElementsOf(DetectorVariant.ALL);
  }

  @Test
  void jsonKeepsItsKeysForTheDefaultAndListsTheVariants() throws IOException {
    Path dev = TestData.photos();
    for (String label : List.of("cat", "not_cat")) {
      Files.createDirectories(temp.resolve(label));
      try (Stream<Path> s = Files.list(dev.resolve(label))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(3).toList()) {
          Files.copy(p, temp.resolve(label).resolve(p.getFileName()));
        }
      }
    }
    StringWriter out = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
        .execute("eval", temp.toString(), "--variants", "bare", "--json");
    assertThat(code).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.has("n") && json.has("accuracy") && json.has("precision") && json.has("recall")
        && json.has("threshold") && json.has("best_threshold") && json.has("best_accuracy")
        && json.has("images_per_second")).as(out.toString()).isTrue();
    assertThat(json.path("n").asInt()).isEqualTo(6);
    assertThat(json.path("variant").asText()).isEqualTo("head");
    assertThat(json.path("threshold").asDouble()).isEqualTo(DetectorVariant.HEAD.defaultThreshold());
    assertThat(json.path("variants")).hasSize(2);
    JsonNode bare = json.path("variants").get(1);
    assertThat(bare.path("variant").asText()).isEqualTo("bare");
    assertThat(bare.path("threshold").asDouble()).isEqualTo(DetectorVariant.BARE.defaultThreshold());
    assertThat(bare.path("time_vs_bare").asDouble()).isEqualTo(1.0);
    assertThat(json.path("variants").get(0).path("ms_per_image").asDouble()).isPositive();
  }
}
