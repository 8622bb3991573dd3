package io.catwrangler.aws.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * moto's server (the Python AWS emulator, {@code python3 -m moto.server}) running as a child process for one test
 * class, on a free port: here for EventBridge (buses, rules, event patterns, targets) and the SQS queue a rule
 * delivers to, which no other emulator of this build has. {@code .ci/run} checks that {@code moto.server} is
 * importable; a machine without it fails here with that said, never skips.
 *
 * <p>Register as {@code @RegisterExtension static final MotoServer MOTO = new MotoServer();}.
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private Process process;
  private Thread shutdownHook;
  private URI endpoint;

  /** The Python that has moto; {@code -Dmoto.python=…} points elsewhere. */
  static String python() {
    String configured = System.getProperty("moto.python");
    return configured == null || configured.isBlank() ? "python3" : configured;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  public synchronized void start() throws IOException, InterruptedException {
    IOException lastFailure = null;
    for (int attempt = 0; attempt < 3 && process == null; attempt++) {
      int port = freePort();
      File log = new File(System.getProperty("java.io.tmpdir"), "moto-" + port + ".log");
      Process started = new ProcessBuilder(python(), "-m", "moto.server", "-H", "127.0.0.1", "-p",
          Integer.toString(port))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log))
          .start();
      if (awaitPort(started, port)) {
        process = started;
        endpoint = URI.create("http://127.0.0.1:" + port);
      } else {
        started.destroyForcibly();
        lastFailure = new IOException("moto's server did not listen on port " + port + " (is moto installed for "
            + python() + "? python3 -c 'import moto.server'; its output is in " + log + ")");
      }
    }
    if (process == null) {
      throw lastFailure;
    }
    Process running = process;
    shutdownHook = new Thread(running::destroyForcibly, "moto-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public synchronized void stop() {
    if (process != null) {
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
      process = null;
    }
  }

  /** One endpoint for every service moto emulates (clients in {@link TestAws#REGION} with test credentials). */
  public URI endpoint() {
    return endpoint;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean awaitPort(Process process, int port) throws InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    return false;
  }
}
