package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.testdata.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first screen holds: its first round runs as written, and {@code .ci/run} runs its test command.
 *
 * <p>The first round is read from README.md (the {@code sh} block after the {@code ReadmeTest} marker) and each
 * {@code ./catwrangler} line is run with exactly its arguments, as a process of its own on this build's classes
 * ({@code ./catwrangler} is the same command line behind a build check), in a folder that holds {@code testdata}.
 * One thing is added: {@code serve} also gets {@code --port 0 --data TEMP} (a build machine may have a server on
 * 8080 already), and the client commands find it through {@code CATWRANGLER_SERVER}, their documented default.
 */
class ReadmeTest {
  private static final String MARKER = "<!-- ReadmeTest runs";
  private static final Pattern COMMAND = Pattern.compile("\\./catwrangler( [A-Za-z0-9_./=:-]+)+");
  private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+)");
  private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
  private static final long COMMAND_MINUTES = 5;

  @TempDir Path temp;

  private Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theFirstRoundRunsAsWritten() throws Exception {
    List<List<String>> round = firstRound();
    assertThat(round).as("the round's commands").extracting(c -> c.get(0))
        .containsExactly("serve", "submit", "batch", "history");
    assertThat(round.get(1)).as("submit a folder and wait").contains("--wait", "testdata/photos");

    Path repository = TestData.dir().toAbsolutePath().getParent();
    Files.createSymbolicLink(temp.resolve("testdata"), repository.resolve("testdata"));
    Path log = temp.resolve("serve.log");
    List<String> serve = new ArrayList<>(round.get(0));
    serve.addAll(List.of("--port", "0", "--data", temp.resolve("data").toString()));
    server = catwrangler(serve).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String url = awaitUrl(log);

    int photos = TestData.allPhotos().size();
    for (List<String> command : round.subList(1, round.size())) {
      ProcessBuilder builder = catwrangler(command).redirectErrorStream(true);
      Map<String, String> env = builder.environment();
      env.put("CATWRANGLER_SERVER", url);
      env.remove("CATWRANGLER_TOKEN");
      Process client = builder.start();
      byte[] output = client.getInputStream().readAllBytes();
      assertThat(client.waitFor(COMMAND_MINUTES, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
      String out = new String(output, StandardCharsets.UTF_8);
      assertThat(client.exitValue()).as("exit code of %s:\n%s\nserver:\n%s", command, out, read(log)).isZero();
      switch (command.get(0)) {
        case "submit" -> assertThat(out).contains(photos + " accepted", " 0 refused",
            photos + " image(s), " + photos + " classified, 0 failed, 0 pending", "answers: ");
        case "batch" -> {
          assertThat(out).contains(photos + " image(s), " + photos + " classified, 0 failed, 0 pending");
          assertThat(out.lines().filter(line -> line.matches("[0-9a-f]{64} +CLASSIFIED +(yes|no) +\\S+")))
              .as("one line per image:\n%s", out).hasSize(photos);
        }
        case "history" -> assertThat(out).contains("ImageReceived", "ClassificationSucceeded", "is_cat");
        default -> throw new AssertionError("a command the test does not know: " + command);
      }
    }

    server.destroy(); // SIGTERM, what Ctrl-C's neighbour does: the server stops cleanly
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).as("serve's exit code:\n%s", read(log)).isZero();
  }

  /** {@code .ci/run} runs the README's test command, exactly, as its one Maven command. */
  @Test
  void ciRunsTheReadmesTestCommand() throws IOException {
    Path repository = TestData.dir().toAbsolutePath().getParent();
    String testCommand = readme(repository).stream()
        .filter(line -> line.startsWith("./mvnw ") && line.contains("# run every test"))
        .map(line -> line.substring(0, line.indexOf('#')).trim())
        .findFirst().orElseThrow(() -> new AssertionError("no './mvnw … # run every test' line in README.md"));
    assertThat(testCommand).isEqualTo("./mvnw verify");
    List<String> mavenLines = Files.readAllLines(repository.resolve(".ci/run")).stream()
        .map(String::trim)
        .filter(line -> !line.startsWith("#") && (line.contains("mvnw") || line.matches("(^|.*\\s)mvn\\s.*")))
        .filter(line -> !line.contains("mvn -v"))
        .toList();
    assertThat(mavenLines).containsExactly(testCommand);
  }

  /** The arguments of each {@code ./catwrangler} line of the marked block, in order. */
  private static List<List<String>> firstRound() throws IOException {
    List<String> lines = readme(TestData.dir().toAbsolutePath().getParent());
    int marker = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(MARKER)) {
        marker = i;
      }
    }
    assertThat(marker).as("the marker %s in README.md", MARKER).isNotNegative();
    assertThat(lines.get(marker + 1)).isEqualTo("```sh");
    List<List<String>> commands = new ArrayList<>();
    for (String line : lines.subList(marker + 2, lines.size())) {
      if (line.equals("```")) {
        return commands;
      }
      String command = line.contains(" #") ? line.substring(0, line.indexOf(" #")).trim() : line.trim();
      assertThat(command).as("a README line the test can run as written").matches(COMMAND);
      commands.add(List.of(command.substring("./catwrangler ".length()).split(" +")));
    }
    throw new AssertionError("the first round's block in README.md is not closed");
  }

  private static List<String> readme(Path repository) throws IOException {
    return Files.readAllLines(repository.resolve("README.md"));
  }

  private ProcessBuilder catwrangler(List<String> arguments) {
    List<String> command = new ArrayList<>(Arrays.asList(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), "io.catwrangler.local.cli.Main"));
    command.addAll(arguments);
    return new ProcessBuilder(command).directory(temp.toFile());
  }

  private String awaitUrl(Path log) throws Exception {
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    while (true) {
      Matcher m = SERVING.matcher(read(log));
      if (m.find()) {
        return m.group(1);
      }
      assertThat(server.isAlive()).as("serve exited:\n%s", read(log)).isTrue();
      assertThat(System.nanoTime()).as("serve not ready in time:\n%s", read(log)).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
