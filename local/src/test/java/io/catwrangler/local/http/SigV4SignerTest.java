package io.catwrangler.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@link SigV4Signer} against a from-the-spec SigV4 computation, and what it adds to requests. */
class SigV4SignerTest {
  private static final String KEY = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

  private static SigV4Signer signer(String region) {
    return new SigV4Signer(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)), region,
        Clock.fixed(AT, ZoneOffset.UTC));
  }

  @Test
  void a_post_is_signed_for_lambda_over_the_exact_body_as_the_spec_computes_it() throws Exception {
    byte[] body = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xFF};
    URI uri = URI.create("https://abcdefghij.lambda-url.eu-west-1.on.aws/images?debug=true");
    Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/octet-stream"),
        "X-Batch-Id", List.of("smoke"));

    Map<String, String> added = signer("eu-west-1").sign("POST", uri, headers, body);

    assertThat(added).containsEntry("X-Amz-Date", "20260102T030405Z").doesNotContainKey("Host");
    String payloadHash = hex(MessageDigest.getInstance("SHA-256").digest(body));
    assertThat(added.getOrDefault("x-amz-content-sha256", payloadHash)).isEqualTo(payloadHash)
        .isNotEqualTo("UNSIGNED-PAYLOAD");
    String signedHeaders = added.containsKey("x-amz-content-sha256")
        ? "content-type;host;x-amz-content-sha256;x-amz-date;x-batch-id" : "content-type;host;x-amz-date;x-batch-id";
    String canonicalHeaders = "content-type:application/octet-stream\nhost:abcdefghij.lambda-url.eu-west-1.on.aws\n"
        + (added.containsKey("x-amz-content-sha256") ? "x-amz-content-sha256:" + payloadHash + "\n" : "")
        + "x-amz-date:20260102T030405Z\nx-batch-id:smoke\n";
    String canonicalRequest = "POST\n/images\ndebug=true\n" + canonicalHeaders + "\n" + signedHeaders + "\n"
        + payloadHash;
    String scope = "20260102/eu-west-1/lambda/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n20260102T030405Z\n" + scope + "\n"
        + hex(MessageDigest.getInstance("SHA-256").digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), "20260102");
    key = hmac(key, "eu-west-1");
    key = hmac(key, "lambda");
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, toSign));

    assertThat(added.get("Authorization")).isEqualTo(
        "AWS4-HMAC-SHA256 Credential=" + KEY + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature="
            + signature);
  }

  @Test
  void another_body_region_or_secret_gives_another_signature() {
    URI uri = URI.create("http://127.0.0.1:8080/images");
    Map<String, List<String>> none = Map.of();
    String base = signer("eu-west-1").sign("POST", uri, none, new byte[] {1}).get("Authorization");

    assertThat(signer("eu-west-1").sign("POST", uri, none, new byte[] {1}).get("Authorization")).isEqualTo(base);
    assertThat(signer("eu-west-1").sign("POST", uri, none, new byte[] {2}).get("Authorization")).isNotEqualTo(base);
    assertThat(signer("us-east-1").sign("POST", uri, none, new byte[] {1}).get("Authorization")).isNotEqualTo(base);
    SigV4Signer otherSecret = new SigV4Signer(
        StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, "other")), "eu-west-1",
        Clock.fixed(AT, ZoneOffset.UTC));
    assertThat(otherSecret.sign("POST", uri, none, new byte[] {1}).get("Authorization")).isNotEqualTo(base);
  }

  @Test
  void session_credentials_add_the_token_and_nothing_prints_the_secret() {
    SigV4Signer session = new SigV4Signer(
        StaticCredentialsProvider.create(AwsSessionCredentials.create(KEY, SECRET, "the-session-token")),
        "eu-west-1", Clock.fixed(AT, ZoneOffset.UTC));

    Map<String, String> added = session.sign("GET", URI.create("http://127.0.0.1:9/images/x"), Map.of(), new byte[0]);

    assertThat(added).containsEntry("X-Amz-Security-Token", "the-session-token");
    assertThat(added.get("Authorization")).contains("x-amz-security-token");
    assertThat(added.values()).noneMatch(v -> v.contains(SECRET));
    assertThat(session.toString()).doesNotContain(SECRET).doesNotContain(KEY);
  }

  @Test
  void the_client_sends_the_signature_and_no_bearer_token() throws Exception {
    Map<String, List<String>>[] seen = new Map[1];
    ApiClient client = new ApiClient(URI.create("http://127.0.0.1:1"), java.util.Optional.of("a-token"),
        java.time.Duration.ofSeconds(1), java.util.Optional.of((method, uri, headers, body) -> {
          seen[0] = headers;
          return Map.of("Authorization", "AWS4-HMAC-SHA256 test");
        }));
    try {
      client.get("/healthz");
    } catch (java.io.IOException refused) {
      // nothing listens on port 1: only the signing matters here
    }
    assertThat(seen[0]).doesNotContainKey("Authorization").containsKey("Accept");
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
