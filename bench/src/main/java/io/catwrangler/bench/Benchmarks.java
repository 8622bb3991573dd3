package io.catwrangler.bench;

import io.catwrangler.local.cli.Main;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench/run}: the benchmark programs, one command line, kept out of the shipped {@code catwrangler} jar
 * (docs/decisions/0057-benchmarks-in-their-own-module.md).
 */
@Command(
    name = "bench/run",
    mixinStandardHelpOptions = true,
    version = "cat-wrangler benchmarks 0.1.0",
    description = "The benchmark programs of cat-wrangler (docs/benchmarks.md); not part of the shipped jar.",
    subcommands = {
      LoadTestCommand.class,
      BenchCommand.class,
      QualityBench.class,
      ExportBench.class,
      SlowClientBench.class,
      ScanBombBench.class,
      CommandLine.HelpCommand.class
    })
public final class Benchmarks {
  public static void main(String[] args) {
    // exits even while requests to a stalled server still hang (slow-clients, scan-bombs)
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Benchmarks());
    Main.addHelpOptions(cli);
    return cli;
  }
}
