package io.catwrangler.local.cli;

import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;

/** How client commands report trouble, the same way everywhere; each returns the exit code. */
final class ClientErrors {
  /** The server answered with an error. */
  static final int API_ERROR = 1;
  /** The server could not be reached. */
  static final int UNREACHABLE = 3;

  private ClientErrors() {}

  static int apiError(PrintWriter err, ApiClient.Reply reply) {
    err.println("error: " + reply.describeError());
    err.flush();
    return API_ERROR;
  }

  static int unreachable(PrintWriter err, ApiClient client, IOException e) {
    String why = e instanceof ConnectException ? "connection refused (is `catwrangler serve` running?)"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    err.println("error: cannot reach " + client.server() + ": " + why);
    err.flush();
    return UNREACHABLE;
  }
}
