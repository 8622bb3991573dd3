package io.catwrangler.local.cli;

import io.catwrangler.local.http.ApiClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --server} and {@code --token}, shared by every command that talks to a running server. */
final class ClientOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:CATWRANGLER_SERVER:-" + ApiClient.DEFAULT_SERVER + "}",
      description = "Server to talk to (default: $CATWRANGLER_SERVER, else " + ApiClient.DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:CATWRANGLER_TOKEN}",
      description = "Bearer token, when the server needs one (default: $CATWRANGLER_TOKEN).")
  String token;

  ApiClient client() {
    return client(Duration.ofSeconds(60));
  }

  ApiClient client(Duration timeout) {
    return new ApiClient(URI.create(server), Optional.ofNullable(token), timeout);
  }
}
