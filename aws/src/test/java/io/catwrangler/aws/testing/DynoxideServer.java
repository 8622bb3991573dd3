package io.catwrangler.aws.testing;

import io.catwrangler.aws.DynamoDbTables;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Dynoxide (a DynamoDB-compatible server backed by in-memory SQLite; npm {@code @dynoxide/linux-x64} and its
 * siblings, installed by the build with {@code aws/install-dynoxide.sh}) running as a child process for one test
 * class: {@code dynoxide serve --host 127.0.0.1 --port P} on a free port (it prints no port when given 0), stopped
 * after the class.
 *
 * <p>Register as {@code @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();}.
 */
public final class DynoxideServer implements BeforeAllCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  private ChildServer server;
  private DynamoDbClient client;
  private DynamoDbStreamsClient streams;

  /** The binary the build installed; {@code -Ddynoxide.binary=…} points elsewhere. */
  public static Path binary() {
    String configured = System.getProperty("dynoxide.binary");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "catwrangler", "dynoxide", "bin", "dynoxide");
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
    if (server != null) {
      return;
    }
    Path binary = binary();
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "Dynoxide is not installed at " + binary + ": run the aws module's build (it calls aws/install-dynoxide.sh,"
              + " which needs npm), or set -Ddynoxide.binary");
    }
    server = ChildServer.start("dynoxide", port -> List.of(binary.toString(), "serve", "--host", "127.0.0.1",
        "--port", Integer.toString(port)), START_TIMEOUT, 20, "");
    URI endpoint = server.endpoint();
    client = TestAws.configure(DynamoDbClient.builder(), endpoint).httpClientBuilder(TestAws.http()).build();
    streams = TestAws.configure(DynamoDbStreamsClient.builder(), endpoint).httpClientBuilder(TestAws.http()).build();
  }

  public synchronized void stop() {
    if (client != null) {
      client.close();
      streams.close();
      client = null;
    }
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  public DynamoDbClient client() {
    return client;
  }

  /** Another client of the server whose calls {@code recorder} records (requests counted per operation). */
  public DynamoDbClient newClient(RecordedOperations recorder) {
    return newClient(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor[] {recorder});
  }

  /** Another client of the server with these interceptors (counting calls, asking for consumed capacity, …). */
  public DynamoDbClient newClient(software.amazon.awssdk.core.interceptor.ExecutionInterceptor... interceptors) {
    return TestAws.configure(DynamoDbClient.builder(), server.endpoint()).httpClientBuilder(TestAws.http())
        .overrideConfiguration(o -> java.util.Arrays.stream(interceptors).forEach(o::addExecutionInterceptor))
        .build();
  }

  public DynamoDbStreamsClient streams() {
    return streams;
  }

  public URI endpoint() {
    return server.endpoint();
  }

  /** Creates the table under a name no other test uses, waits until ACTIVE, and returns the name. */
  public String createTable(java.util.function.Function<String, CreateTableRequest> definition, String prefix) {
    String name = TestAws.uniqueName(prefix);
    DynamoDbTables.create(client, definition.apply(name));
    return name;
  }
}
