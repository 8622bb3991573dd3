package io.catwrangler.aws;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK clients of the AWS runtime, built once per process. All use the JDK's URLConnection HTTP client (no
 * Netty, no Apache client: smaller zips, faster cold starts); region, credentials and endpoint come from the
 * SDK's usual sources (on Lambda: {@code AWS_REGION} and the function's role; {@code AWS_ENDPOINT_URL} to point
 * them elsewhere).
 */
public final class AwsClients {
  private AwsClients() {}

  public static DynamoDbClient dynamoDb() {
    return DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  public static S3Client s3() {
    return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  public static SqsClient sqs() {
    return SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** Rekognition with {@link #detectorRetries}. */
  public static RekognitionClient rekognition(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    return RekognitionClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(detectorRetries(maxAttempts, baseDelay, maxDelay)))
        .build();
  }

  /**
   * The SDK's standard retry strategy (it knows which AWS error codes are throttling or transient, e.g.
   * {@code ThrottlingException}, {@code ProvisionedThroughputExceededException}, 5xx) with {@code maxAttempts}
   * calls in all and full-jitter exponential backoff from {@code baseDelay} up to {@code maxDelay}, throttled or not.
   */
  public static RetryStrategy detectorRetries(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    BackoffStrategy backoff = BackoffStrategy.exponentialDelay(baseDelay, maxDelay);
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(backoff)
        .throttlingBackoffStrategy(backoff)
        .build();
  }
}
