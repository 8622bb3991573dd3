package io.catwrangler.aws.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * An emulator the tests run as a child process (Dynoxide, moto): started on a free loopback port (three tries, the
 * port may be taken between choosing and binding), its output in a log file under the temporary folder, killed by a
 * shutdown hook if the JVM ends first.
 */
final class ChildServer {
  private final Process process;
  private final URI endpoint;
  private final Thread shutdownHook;

  private ChildServer(Process process, URI endpoint, String name) {
    this.process = process;
    this.endpoint = endpoint;
    this.shutdownHook = new Thread(process::destroyForcibly, name + "-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * @param command the command line for a port
   * @param pollMillis how often to look whether it listens yet
   * @param hint added to the error when it never listened
   */
  static ChildServer start(String name, IntFunction<List<String>> command, Duration timeout, long pollMillis,
      String hint) throws IOException, InterruptedException {
    IOException lastFailure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      File log = new File(System.getProperty("java.io.tmpdir"), name + "-" + port + ".log");
      Process started = new ProcessBuilder(command.apply(port))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log))
          .start();
      if (awaitListening(started, port, timeout, pollMillis)) {
        return new ChildServer(started, URI.create("http://127.0.0.1:" + port), name);
      }
      started.destroyForcibly();
      lastFailure = new IOException(name + " did not listen on port " + port + hint + " (its output: " + log + ")");
    }
    throw lastFailure;
  }

  URI endpoint() {
    return endpoint;
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean awaitListening(Process process, int port, Duration timeout, long pollMillis)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(pollMillis);
      }
    }
    return false;
  }
}
