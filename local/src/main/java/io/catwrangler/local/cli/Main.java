package io.catwrangler.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code catwrangler} command line. */
@Command(
    name = "catwrangler",
    mixinStandardHelpOptions = true,
    version = "catwrangler 0.1.0",
    description = "Does this image contain a cat?",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }
}
