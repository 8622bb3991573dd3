package io.catwrangler.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

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
      DetectCommand.class,
      EvalCommand.class,
      TrainCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    addHelpOptions(cli);
    return cli;
  }

  /**
   * Gives every subcommand, at any depth, {@code -h}/{@code --help}: here, once, so a new command cannot forget it.
   * The version ({@code -V}/{@code --version}) stays on {@code catwrangler} itself: {@code train} has a
   * {@code --version} of its own (docs/decisions/0020-help-on-every-command.md). The benchmark programs' command
   * line ({@code bench/run}) uses it too.
   */
  public static void addHelpOptions(CommandLine command) {
    for (CommandLine sub : command.getSubcommands().values()) {
      if (sub.getCommandSpec().findOption("--help") == null) {
        sub.getCommandSpec().addOption(OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Show this help message and exit.")
            .build());
      }
      addHelpOptions(sub);
    }
  }
}
