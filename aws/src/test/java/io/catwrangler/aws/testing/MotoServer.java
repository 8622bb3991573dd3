package io.catwrangler.aws.testing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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

  private ChildServer server;

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
    if (server == null) {
      server = ChildServer.start("moto", port -> List.of(python(), "-m", "moto.server", "-H", "127.0.0.1", "-p",
          Integer.toString(port)), START_TIMEOUT, 100,
          " (is moto installed for " + python() + "? python3 -c 'import moto.server')");
    }
  }

  public synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /** One endpoint for every service moto emulates (clients in {@link TestAws#REGION} with test credentials). */
  public URI endpoint() {
    return server.endpoint();
  }
}
