package io.catwrangler.local.http;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 for the {@code AWS_IAM} Lambda Function URLs (service {@code lambda}) with the SDK's {@link AwsV4HttpSigner}:
 * the payload is signed (its SHA-256 over the exact body bytes, never {@code UNSIGNED-PAYLOAD}), credentials come from
 * the provider at each request (so refreshed session credentials are used), and the answer is the headers to add:
 * {@code Authorization}, {@code X-Amz-Date}, {@code X-Amz-Security-Token} for session credentials, and whatever else
 * the signer adds. Neither the credentials nor the headers are ever logged. Thread-safe.
 */
public final class SigV4Signer implements ApiClient.RequestSigner {
  public static final String SERVICE = "lambda";
  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
  /** Headers the JDK's HTTP client sets itself (it refuses them from callers), so they are never signed. */
  private static final Set<String> UNSIGNABLE = Set.of("host", "content-length", "connection", "expect", "upgrade");

  private final AwsCredentialsProvider credentials;
  private final String region;
  private final Clock clock;

  public SigV4Signer(AwsCredentialsProvider credentials, String region, Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (region.isBlank()) {
      throw new IllegalArgumentException("no AWS region");
    }
  }

  /**
   * With the SDK's default credential chain: system properties {@code aws.accessKeyId}/{@code aws.secretAccessKey},
   * environment, web identity, profile (SSO included), container and instance roles.
   */
  public static SigV4Signer withDefaultCredentials(String region) {
    return new SigV4Signer(DefaultCredentialsProvider.builder().build(), region, Clock.systemUTC());
  }

  public String region() {
    return region;
  }

  /**
   * Resolves the credentials once, so a missing or broken chain shows before any request is sent.
   *
   * @throws RuntimeException the SDK's explanation of why no credentials were found (it holds no secret)
   */
  public void checkCredentials() {
    credentials.resolveCredentials();
  }

  @Override
  public Map<String, String> sign(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    headers.forEach((name, values) -> {
      if (!UNSIGNABLE.contains(name.toLowerCase(Locale.ROOT))) {
        request.putHeader(name, values);
      }
    });
    SdkHttpRequest unsigned = request.build();
    AwsCredentialsIdentity identity = credentials.resolveCredentials();
    SignedRequest signed =
        SIGNER.sign(
            r -> r.identity(identity)
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body == null ? new byte[0] : body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, true)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> added = new LinkedHashMap<>();
    signed.request().forEachHeader((name, values) -> {
      if (!UNSIGNABLE.contains(name.toLowerCase(Locale.ROOT)) && !unsigned.firstMatchingHeader(name).isPresent()) {
        added.put(name, String.join(",", values));
      }
    });
    return added;
  }

  @Override
  public String toString() {
    return "SigV4Signer[" + SERVICE + ", " + region + "]"; // never the credentials
  }
}
