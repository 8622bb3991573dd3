package io.catwrangler.local.cli;

import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;

/** How client commands report trouble, the same way everywhere; each returns the exit code. */
final class ClientErrors {
  /** The server answered with an error. */
  static final int API_ERROR = 1;
  /** A local file named on the command line could not be read (as picocli's usage errors). */
  static final int UNREADABLE = 2;
  /** The server could not be reached. */
  static final int UNREACHABLE = 3;

  private ClientErrors() {}

  /** One request to the server. */
  @FunctionalInterface
  interface Request {
    ApiClient.Reply send() throws IOException, InterruptedException;
  }

  /** A successful reply, or the exit code of a failure already reported. */
  record Sent(ApiClient.Reply reply, int exitCode) {
    boolean failed() {
      return reply == null;
    }
  }

  /**
   * Sends {@code request} to {@code client}'s server; an unreachable server or an error reply is reported on
   * {@code err} (as {@link #unreachable} and {@link #apiError} do) and comes back as its exit code.
   */
  static Sent send(PrintWriter err, ApiClient client, Request request) throws InterruptedException {
    ApiClient.Reply reply;
    try {
      reply = request.send();
    } catch (IOException e) {
      return new Sent(null, unreachable(err, client, e));
    }
    return reply.isSuccess() ? new Sent(reply, 0) : new Sent(null, apiError(err, reply));
  }

  static int apiError(PrintWriter err, ApiClient.Reply reply) {
    err.println("error: " + reply.describeError());
    err.flush();
    return API_ERROR;
  }

  static int unreadable(PrintWriter err, String path, IOException e) {
    err.println("error: cannot read " + path + ": " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    err.flush();
    return UNREADABLE;
  }

  static int unreachable(PrintWriter err, ApiClient client, IOException e) {
    String why = e instanceof ConnectException ? "connection refused (is `catwrangler serve` running?)"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    err.println("error: cannot reach " + client.server() + ": " + why);
    err.flush();
    return UNREACHABLE;
  }
}
