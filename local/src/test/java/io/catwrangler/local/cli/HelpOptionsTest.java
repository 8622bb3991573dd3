package io.catwrangler.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** Every command and subcommand of {@code catwrangler} answers {@code --help} and {@code -h} with its usage. */
class HelpOptionsTest {

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersHelpAndH() {
    List<List<String>> paths = new ArrayList<>();
    walk(Main.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).as("commands found").hasSizeGreaterThanOrEqualTo(14)
        .contains(List.of(), List.of("serve"), List.of("submit"), List.of("dlq", "retry"), List.of("help"),
            List.of("detect"), List.of("eval"));
    return paths.stream().flatMap(path -> Stream.of("--help", "-h").map(flag -> DynamicTest.dynamicTest(
        String.join(" ", Stream.concat(Stream.of("catwrangler"), path.stream()).toList()) + " " + flag,
        () -> answersWithItsUsage(path, flag))));
  }

  @Test
  void theBenchmarkProgramsAreNotUserCommands() {
    Run run = run("--help");

    assertThat(run.code).isZero();
    assertThat(run.out).contains("detect", "eval").doesNotContain("loadtest", "bench");
    assertThat(Main.commandLine().getSubcommands()).doesNotContainKeys("loadtest", "bench");
    assertThat(run("loadtest", "testdata/photos").err).contains("Unmatched arguments");
  }

  @Test
  void theVersionStaysOnTheTopCommand() {
    Run run = run("--version");
    assertThat(run.code).isZero();
    assertThat(run.out).startsWith("catwrangler ");
    assertThat(run("-V").out).isEqualTo(run.out);
  }

  @Test
  void anUnknownOptionIsStillAnError() {
    Run run = run("serve", "--hlep");
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("Unknown option: '--hlep'");
  }

  private static void answersWithItsUsage(List<String> path, String flag) {
    List<String> args = new ArrayList<>(path);
    args.add(flag);
    Run run = run(args.toArray(String[]::new));
    String name = String.join(" ", Stream.concat(Stream.of("catwrangler"), path.stream()).toList());
    assertThat(run.err).as("stderr of %s", args).isEmpty();
    assertThat(run.code).as("exit code of %s; out: %s", args, run.out).isZero();
    assertThat(run.out).as("usage of %s", args).contains("Usage: " + name + " ", "-h, --help");
  }

  /** Each command's path of names, depth first; aliases are not separate commands. */
  private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) {
        List<String> deeper = new ArrayList<>(path);
        deeper.add(name);
        walk(sub, deeper, paths);
      }
    });
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
