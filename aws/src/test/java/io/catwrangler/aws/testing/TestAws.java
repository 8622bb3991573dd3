package io.catwrangler.aws.testing;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** What every client of an emulator needs: its endpoint, a region and dummy credentials, the production HTTP client. */
public final class TestAws {
  public static final Region REGION = Region.US_EAST_1;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private TestAws() {}

  public static <B extends AwsClientBuilder<B, C>, C> B configure(B builder, URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
  }

  public static UrlConnectionHttpClient.Builder http() {
    return UrlConnectionHttpClient.builder();
  }

  /** A name no other test of this JVM uses (tables, buckets, queues): lower case, digits and dashes. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
  }
}
