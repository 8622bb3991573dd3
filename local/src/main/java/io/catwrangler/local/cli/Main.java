package io.catwrangler.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code catwrangler} command line. */
@Command(
    name = "catwrangler",
    mixinStandardHelpOptions = true,
    version = "catwrangler 0.1.0",
    description = "Does this image contain a cat?",
    subcommands = {
      ServeCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      BatchCommand.class,
      HistoryCommand.class,
      ReplayCommand.class,
      DlqCommand.class,
      LoadTestCommand.class,
      DetectCommand.class,
      EvalCommand.class,
      TrainCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }
}
