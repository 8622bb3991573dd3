package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code catwrangler dlq [list|retry [ID|--all]]}: the dead letters, and putting them back on the queue. */
@Command(
    name = "dlq",
    description = "List dead-lettered classify requests, or retry them (default: list).",
    subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.RetryDeadLetters.class})
final class DlqCommand implements Callable<Integer> {
  @Mixin ClientOptions clientOptions = new ClientOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return list(spec, clientOptions, ListDeadLetters.DEFAULT_LIMIT, false);
  }

  static int list(CommandSpec spec, ClientOptions options, int limit, boolean json) throws InterruptedException {
    return ClientErrors.exchange(spec, options.client(), client -> client.get("/admin/dead-letters?limit=" + limit),
        ClientErrors.jsonOr(json, (out, letters) -> {
          out.printf("%d dead letter(s)%n", letters.path("count").asInt());
          for (JsonNode d : letters.path("dead_letters")) {
            out.printf("%-12s image %s  batch %s  file %s  %d attempt(s), %s: %s%n", d.path("id").asText(),
                d.path("image_id").asText(), StatusCommand.text(d.path("batch_id")),
                StatusCommand.text(d.path("file_name")), d.path("attempts").asInt(),
                d.path("dead_lettered_at").asText(), d.path("reason").asText());
          }
        }));
  }

  @Command(name = "list", description = "List dead letters, oldest first (GET /admin/dead-letters).")
  static final class ListDeadLetters implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 100;

    @Option(names = "--limit", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit = DEFAULT_LIMIT;

    @Option(names = "--json", description = "Print the server's JSON.")
    boolean json;

    @Mixin ClientOptions clientOptions = new ClientOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      return list(spec, clientOptions, limit, json);
    }
  }

  @Command(name = "retry", description = "Put a dead letter (or all of them) back on the queue.")
  static final class RetryDeadLetters implements Callable<Integer> {
    static final class Which {
      @Parameters(paramLabel = "ID", description = "The dead letter's id (from `dlq list`).")
      String id;

      @Option(names = "--all", description = "Every dead letter.")
      boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Mixin ClientOptions clientOptions = new ClientOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      return ClientErrors.exchange(spec, clientOptions.client(), client -> which.all
            ? client.post("/admin/dead-letters/retry", null)
            : client.post("/admin/dead-letters/" + URLEncoder.encode(which.id, StandardCharsets.UTF_8) + "/retry", null),
          (out, retried) -> out.printf("%d dead letter(s) back on the queue%n", retried.path("retried").asInt()));
    }
  }
}
