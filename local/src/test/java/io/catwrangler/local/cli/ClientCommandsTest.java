package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.events.ImageId;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client commands against a real HTTP server over the in-memory pipeline. */
class ClientCommandsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String TOKEN = "a-token-of-enough-length";

  @TempDir Path temp;
  private FakePipelineServer server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of(args));
    if (server != null && !all.contains("--server")) {
      all.add("--server");
      all.add(server.url().toString());
    }
    int code = cli.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static byte[] image(String format, int seed) throws IOException {
    BufferedImage image = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
    image.setRGB(seed % 24, seed % 16, 0xFFFFFF);
    image.setRGB(1, 1, seed * 7919);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private Path folder() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("photos/sub"));
    Files.write(temp.resolve("photos/a.jpg"), image("jpg", 1));
    Files.write(dir.resolve("b.PNG"), image("png", 2));
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    return temp.resolve("photos");
  }

  @Test
  void submit_uploads_a_folder_recursively_writes_a_manifest_and_waits_for_answers() throws Exception {
    server = new FakePipelineServer(Optional.empty());
    Path manifest = temp.resolve("m.jsonl");
    Run r = run("submit", folder().toString(), "--batch", "trip", "--manifest", manifest.toString(), "--wait");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 file(s)").contains("2 accepted").contains("batch trip")
        .contains("2 image(s), 2 classified").contains("answers: 2 yes, 0 no");
    List<String> lines = Files.readAllLines(manifest);
    assertThat(lines).hasSize(2);
    JsonNode first = MAPPER.readTree(lines.get(0));
    assertThat(first.path("http_status").asInt()).isEqualTo(202);
    assertThat(first.path("sha256").asText()).isEqualTo(first.path("image_id").asText());
    assertThat(first.path("submission_id").asText()).isNotBlank();
    assertThat(first.path("error").isNull()).isTrue();
  }

  @Test
  void submit_reports_refused_files_with_the_servers_reason() throws Exception {
    server = new FakePipelineServer(Optional.empty());
    Path webp = temp.resolve("cat.jpg");
    Files.write(webp, ("RIFF\u0024\0\0\0WEBPVP8 " + "\0".repeat(20)).getBytes(StandardCharsets.ISO_8859_1));
    Path good = temp.resolve("good.png");
    Files.write(good, image("png", 3));
    Path manifest = temp.resolve("m.jsonl");
    Run r = run("submit", webp.toString(), good.toString(), "--batch", "mixed", "--manifest", manifest.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("refused: " + webp).contains("415 UNSUPPORTED_FORMAT: WebP is not accepted");
    assertThat(r.out()).contains("1 accepted").contains("1 refused").contains("UNSUPPORTED_FORMAT=1");
    JsonNode refused = MAPPER.readTree(Files.readAllLines(manifest).stream()
        .filter(l -> l.contains("UNSUPPORTED_FORMAT")).findFirst().orElseThrow());
    assertThat(refused.path("http_status").asInt()).isEqualTo(415);
    assertThat(refused.path("image_id").isNull()).isTrue();
    assertThat(refused.path("message").asText()).contains("WebP");
  }

  @Test
  void status_batch_and_history_show_what_the_server_knows() throws Exception {
    server = new FakePipelineServer(Optional.empty());
    Path photos = folder();
    assertThat(run("submit", photos.toString(), "--batch", "b1", "--manifest", temp.resolve("m").toString(), "--wait")
        .code()).isZero();
    Path a = photos.resolve("a.jpg");
    String id = ImageId.sha256Of(Files.readAllBytes(a)).value();

    Run status = run("status", a.toString(), "--debug");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("image      " + id).contains("status     CLASSIFIED").contains("answer     yes")
        .contains("batch b1").contains("file a.jpg").contains("timings").contains("cat ");

    JsonNode json = MAPPER.readTree(run("status", id, "--json").out());
    assertThat(json.path("answer").asText()).isEqualTo("yes");

    Run batch = run("batch", "b1", "--json");
    JsonNode page = MAPPER.readTree(batch.out());
    assertThat(page.path("total").asInt()).isEqualTo(2);
    assertThat(page.path("images")).hasSize(2);
    assertThat(run("batch", "b1").out()).contains("batch b1: 2 image(s), 2 classified").contains(id);

    Run history = run("history", id);
    assertThat(history.out()).contains("2 event(s)").contains("ImageReceived").contains("ClassificationSucceeded");

    Run missing = run("batch", "nobody");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("404 NOT_FOUND");
    assertThat(run("status", "xyz").err()).contains("400 INVALID_ID");
  }

  @Test
  void batch_export_writes_every_row_to_a_file_in_one_response_or_following_parts() throws Exception {
    for (int perResponse : List.of(Integer.MAX_VALUE, 1)) {
      server = new FakePipelineServer(Optional.empty(), perResponse);
      assertThat(run("submit", folder().toString(), "--batch", "exp", "--manifest", temp.resolve("m").toString(),
          "--wait").code()).isZero();

      Path csv = temp.resolve("exp-" + perResponse + ".csv");
      Run toCsv = run("batch", "exp", "--export", csv.toString(), "--progress");
      assertThat(toCsv.code()).as(toCsv.err()).isZero();
      assertThat(toCsv.out()).isEqualTo("2 row(s) of batch exp written to " + csv + " (csv)" + System.lineSeparator());
      assertThat(toCsv.err()).contains("2/2 rows");
      List<String> lines = Files.readAllLines(csv);
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).startsWith("image_id,status,answer,cat_score,threshold,model_name,");
      assertThat(lines.subList(1, 3)).allMatch(l -> l.matches("[0-9a-f]{64},CLASSIFIED,(yes|no),.*"));
      assertThat(lines.subList(1, 3)).anyMatch(l -> l.endsWith(",a.jpg")).anyMatch(l -> l.endsWith(",b.PNG"));

      Path jsonl = temp.resolve("exp-" + perResponse + ".out");
      Run toJsonl = run("batch", "exp", "--export", jsonl.toString());
      assertThat(toJsonl.code()).as(toJsonl.err()).isZero();
      assertThat(toJsonl.err()).isEmpty(); // no progress bar when stderr is not a terminal
      List<String> rows = Files.readAllLines(jsonl);
      assertThat(rows).hasSize(2);
      for (String row : rows) {
        assertThat(MAPPER.readTree(row).path("status").asText()).isEqualTo("CLASSIFIED");
      }
      Path forced = temp.resolve("exp-" + perResponse + ".txt");
      assertThat(run("batch", "exp", "--export", forced.toString(), "--format", "CSV").code()).isZero();
      assertThat(Files.readAllLines(forced).get(0)).startsWith("image_id,status,");

      Path none = temp.resolve("none-" + perResponse + ".csv");
      Run missing = run("batch", "nobody", "--export", none.toString());
      assertThat(missing.code()).isEqualTo(1);
      assertThat(missing.err()).contains("404 NOT_FOUND");
      assertThat(none).doesNotExist();
      assertThat(temp.resolve(none.getFileName() + ".part")).doesNotExist();
      server.close();
      server = null;
    }
    Run bad = run("batch", "exp", "--export", temp.resolve("x").toString(), "--format", "xml");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("jsonl or csv");
  }

  @Test
  void replay_and_dead_letters() throws Exception {
    server = new FakePipelineServer(Optional.empty());
    assertThat(run("submit", folder().toString(), "--batch", "b1", "--manifest", temp.resolve("m").toString(),
        "--wait").code()).isZero();
    Run redecide = run("replay", "--threshold", "0.9");
    assertThat(redecide.code()).as(redecide.err()).isZero();
    assertThat(redecide.out()).contains("redecide of all images: 2 image(s), 2 event(s) appended, 2 answer(s) changed");
    assertThat(run("replay").out()).contains("rebuild of all images: 2 image(s)");
    assertThat(run("replay", "--threshold", "2").err()).contains("400 INVALID_PARAMETER");

    assertThat(run("dlq").out()).contains("0 dead letter(s)");
    server.pause(true);
    Files.write(temp.resolve("d.png"), image("png", 10));
    assertThat(run("submit", temp.resolve("d.png").toString(), "--batch", "dl", "--manifest",
        temp.resolve("m3").toString()).code()).isZero();
    // a worker that gave up (as on a store unavailable through every attempt)
    server.queue.lease(10, Duration.ofMinutes(5)).forEach(l -> server.queue.deadLetter(l, "store unavailable"));
    server.pause(false);
    Run list = run("dlq", "list");
    assertThat(list.out()).contains("dead letter(s)").contains("store unavailable").contains("batch dl");
    String id = MAPPER.readTree(run("dlq", "list", "--json").out()).path("dead_letters").get(0).path("id").asText();
    assertThat(run("dlq", "retry", id).out()).contains("1 dead letter(s) back on the queue");
    assertThat(run("dlq", "retry", id).err()).contains("404 NOT_FOUND");
    assertThat(run("dlq", "retry", "--all").out()).contains("0 dead letter(s) back");
    assertThat(run("batch", "dl", "--wait", "--timeout", "30").out()).contains("1 classified");
  }

  @Test
  void a_token_is_sent_when_given_and_an_absent_server_is_exit_3() throws Exception {
    server = new FakePipelineServer(Optional.of(TOKEN));
    Path photos = folder();
    Run refused = run("submit", photos.toString(), "--batch", "t", "--manifest", temp.resolve("m").toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("401 UNAUTHORIZED");
    Run ok = run("submit", photos.toString(), "--batch", "t", "--manifest", temp.resolve("m").toString(), "--token",
        TOKEN);
    assertThat(ok.code()).as(ok.err()).isZero();
    String url = server.url().toString();
    server.close();
    server = null;
    // a local file that cannot be read is reported as such, before any request (Linux: reading /proc/self/mem
    // from offset 0 fails with EIO, even for root)
    for (String command : List.of("status", "history")) {
      Run unreadable = run(command, "/proc/self/mem", "--server", url);
      assertThat(unreadable.code()).as(command).isEqualTo(ClientErrors.UNREADABLE);
      assertThat(unreadable.err()).as(command).contains("cannot read /proc/self/mem: IOException")
          .doesNotContain("cannot reach");
    }
    for (List<String> command : List.of(List.of("status", "a".repeat(64)), List.of("history", "a".repeat(64)),
        List.of("replay"), List.of("dlq"))) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--server", url));
      Run gone = run(args.toArray(String[]::new));
      assertThat(gone.code()).as(command.toString()).isEqualTo(ClientErrors.UNREACHABLE);
      assertThat(gone.err()).as(command.toString()).contains("cannot reach " + url);
    }
  }
}
