package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.local.http.ApiClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import picocli.CommandLine.Model.CommandSpec;

/** How client commands talk to the server and report trouble, the same way everywhere; each returns the exit code. */
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
    ApiClient.Reply send(ApiClient client) throws IOException, InterruptedException;
  }

  /** What a command prints of a successful reply's JSON body. */
  @FunctionalInterface
  interface Print {
    void print(PrintWriter out, JsonNode body);
  }

  /**
   * A client command's one exchange: sends {@code request} to {@code client}'s server and prints a successful reply
   * with {@code print} on the command's out (exit code 0); an unreachable server or an error reply is reported on
   * its err (as {@link #unreachable} and {@link #apiError} do) and comes back as the exit code.
   */
  static int exchange(CommandSpec spec, ApiClient client, Request request, Print print) throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ApiClient.Reply reply;
    try {
      reply = request.send(client);
    } catch (IOException e) {
      return unreachable(err, client, e);
    }
    if (!reply.isSuccess()) {
      return apiError(err, reply);
    }
    PrintWriter out = spec.commandLine().getOut();
    print.print(out, reply.body());
    out.flush();
    return 0;
  }

  /** With {@code --json} the server's JSON as it is, else {@code text}. */
  static Print jsonOr(boolean json, Print text) {
    return json ? (out, body) -> out.println(body.toPrettyString()) : text;
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
