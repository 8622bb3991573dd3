package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.events.ImageId;
import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.runtime.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code catwrangler eval --labelled SERVER}: a client of {@code GET /quality}, over real HTTP. */
class EvalLabelledCommandTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "a-token-of-enough-length";

  private FakePipelineServer server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Four answers (the fake detector says yes from 0.3) and what people said of them: 1 tp, 1 fp, 1 tn, 1 fn. */
  private void labelledServer(Optional<String> token) throws Exception {
    server = new FakePipelineServer(token);
    ApiClient client = new ApiClient(server.url(), token, Duration.ofSeconds(10));
    Map<Integer, Double> scores = Map.of(401, 0.9, 402, 0.35, 403, 0.1, 404, 0.2);
    Map<Integer, Boolean> labels = Map.of(401, true, 402, false, 403, false, 404, true);
    for (var score : scores.entrySet()) {
      byte[] png = TestImages.png(score.getKey());
      server.detector.score(ImageId.sha256Of(png), score.getValue());
      assertThat(client.upload(png, Optional.empty(), Optional.of("q"), Optional.empty(), false).status())
          .isEqualTo(202);
    }
    awaitBatch(client);
    for (var label : labels.entrySet()) {
      String id = ImageId.sha256Of(TestImages.png(label.getKey())).value();
      var reply = client.post("/images/" + id + "/labels",
          MAPPER.createObjectNode().put("cat", label.getValue()).put("by", "tester"));
      assertThat(reply.status()).as(reply.describeError()).isEqualTo(201);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.get("/quality").body().path("n").asLong() < 4) {
      assertThat(System.nanoTime()).as("labels projected").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitBatch(ApiClient client) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!client.get("/batches/q").body().path("complete").asBoolean()) {
      assertThat(System.nanoTime()).as("batch classified").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void theReportShowsTheMeasuresWithIntervalsCountsAndTheThresholdTable() throws Exception {
    labelledServer(Optional.empty());

    Run run = run("eval", "--labelled", server.url().toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(server.url() + ": 4 labelled image(s), 4 measured (0 not answered yet, 0 answered by another model)")
        .contains("model fake-detector@v1, answers as they stand (threshold in use 0.300)")
        .containsPattern("accuracy +0\\.5000 +0\\.1500 – 0\\.8500 +4")
        .containsPattern("precision +0\\.5000 +0\\.0945 – 0\\.9055 +2")
        .contains("confusion: 1 true positive, 1 false positive, 1 true negative, 1 false negative")
        .contains("Wilson score interval, 95 %")
        // at 0.4 the 0.35 false positive becomes a true negative: one answer changes
        .containsPattern("0\\.400 +0\\.7500 +1\\.0000 +0\\.5000 +1 +0 +2 +1 +1");
  }

  @Test
  void jsonIsTheServersQualityDocument() throws Exception {
    labelledServer(Optional.of(TOKEN));

    Run run = run("eval", "--labelled", server.url().toString(), "--token", TOKEN, "--json");

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = MAPPER.readTree(run.out());
    assertThat(json.path("counts").toString()).isEqualTo("{\"tp\":1,\"fp\":1,\"tn\":1,\"fn\":1}");
    assertThat(json.path("interval").asText()).isEqualTo("wilson-95");
    assertThat(json.path("thresholds")).hasSize(5);
    assertThat(run("eval", "--labelled", server.url().toString()).code()).as("no token").isEqualTo(1);
  }

  @Test
  void aFolderAndAServerTogetherOrNeitherIsAUsageErrorAndNoServerIsReported() {
    assertThat(run("eval").code()).isEqualTo(2);
    assertThat(run("eval", "some/dir", "--labelled", "http://127.0.0.1:9").code()).isEqualTo(2);
    Run unreachable = run("eval", "--labelled", "http://127.0.0.1:9");
    assertThat(unreachable.code()).isEqualTo(3);
    assertThat(unreachable.err()).contains("cannot reach http://127.0.0.1:9");
  }
}
