package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bench/run}: one command line for every benchmark program, each answering {@code --help} and {@code -h}. */
class BenchmarksTest {

  @Test
  void listsEveryBenchmarkProgram() {
    assertThat(Benchmarks.commandLine().getSubcommands().keySet())
        .containsExactly("loadtest", "bench", "quality", "export", "slow-clients", "scan-bombs", "help");
    Run run = run("--help");
    assertThat(run.code).isZero();
    assertThat(run.out).startsWith("Usage: bench/run ").contains("loadtest", "scan-bombs");
  }

  @TestFactory
  Stream<DynamicTest> everyProgramAnswersHelpAndH() {
    return Benchmarks.commandLine().getSubcommands().keySet().stream()
        .flatMap(name -> Stream.of("--help", "-h").map(flag -> DynamicTest.dynamicTest(name + " " + flag, () -> {
          Run run = run(name, flag);
          assertThat(run.err).as("stderr of %s %s", name, flag).isEmpty();
          assertThat(run.code).as("exit code of %s %s", name, flag).isZero();
          assertThat(run.out).contains("Usage: bench/run " + name + " ", "-h, --help");
        })));
  }

  @Test
  void loadtestKeepsItsOptionsAndDefaults() {
    CommandSpec loadtest = Benchmarks.commandLine().getSubcommands().get("loadtest").getCommandSpec();
    Map<String, Object> defaults = new LinkedHashMap<>();
    for (String name : List.of("--images", "--warm-up", "--detector-warm-up", "--rounds", "--uploaders", "--status-rps",
        "--status-seconds", "--server-java-opts", "--durability", "--worker-nice", "--work", "--notify", "--workers",
        "--boxes", "--threads", "--threshold")) {
      assertThat(loadtest.findOption(name)).as(name).isNotNull();
      defaults.put(name, loadtest.findOption(name).initialValue());
    }

    assertThat(defaults).containsEntry("--images", 1000).containsEntry("--warm-up", 20000)
        .containsEntry("--detector-warm-up", 100).containsEntry("--rounds", 3).containsEntry("--uploaders", 8)
        .containsEntry("--status-rps", 200).containsEntry("--status-seconds", 15)
        .containsEntry("--server-java-opts", "-Xmx512m -XX:+UseSerialGC").containsEntry("--threshold", 0.5)
        .containsEntry("--notify", null).containsEntry("--boxes", null).containsEntry("--threads", null);
  }

  @Test
  void aBadRoundCountIsAUsageError() {
    Run run = run("loadtest", "no-such-folder", "--rounds", "0");

    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("--rounds and --images must be at least 1");
  }

  @Test
  void theServerBenchmarksTalkToThisMachineOnly() {
    Run run = run("slow-clients", "http://192.0.2.1:8080", "--seconds", "1");

    assertThat(run.code).isNotZero();
    assertThat(run.err).contains("a benchmark talks to a server on this machine only");
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Benchmarks.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
