package io.catwrangler.aws.testing;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy 4.x in this JVM for one test class: an S3 API over an in-memory blob store, SigV4 checked, on a free
 * loopback port. Register as {@code @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();}.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {
  private S3Proxy proxy;
  private URI endpoint;
  private S3Client client;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test", "test")
            .build();
    proxy.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (!"STARTED".equals(proxy.getState())) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    client = newClient();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (client != null) {
      client.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
  }

  /** A client of this server (path-style addressing: there is no DNS for bucket names here). */
  public S3Client newClient() {
    return newClient(new RecordedOperations());
  }

  /** A client of this server that records the operations it calls. */
  public S3Client newClient(RecordedOperations recorder) {
    return TestAws.configure(S3Client.builder(), endpoint)
        .httpClientBuilder(TestAws.http())
        .forcePathStyle(true)
        .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
        .build();
  }

  public S3Client client() {
    return client;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A new, empty bucket no other test uses. */
  public String createBucket() {
    String name = TestAws.uniqueName("cw-images");
    client.createBucket(b -> b.bucket(name));
    return name;
  }
}
