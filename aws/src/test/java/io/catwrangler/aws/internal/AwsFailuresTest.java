package io.catwrangler.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.StoreRejectedException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which SDK failures are worth a retry, as the services answer them. */
class AwsFailuresTest {

  @Test
  void accessDeniedValidationAndAMissingTableArePermanent() {
    assertThat(AwsFailures.failed("put", service(S3Exception.builder(), 403, "AccessDenied")))
        .isInstanceOfSatisfying(StoreRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo("AccessDenied");
          assertThat(e.getMessage()).startsWith("put failed: ");
        });
    assertThat(AwsFailures.failed("put", service(DynamoDbException.builder(), 400, "ValidationException")))
        .isInstanceOf(StoreRejectedException.class);
    assertThat(AwsFailures.failed("query", service(DynamoDbException.builder(), 400, "ResourceNotFoundException")))
        .isInstanceOf(StoreRejectedException.class);
    assertThat(AwsFailures.failed("get", service(S3Exception.builder(), 404, "NoSuchBucket")))
        .isInstanceOf(StoreRejectedException.class);
  }

  @Test
  void throttlingServerErrorsExpiredCredentialsAndNoAnswerAreTransient() {
    assertThat(AwsFailures.failed("put", service(ProvisionedThroughputExceededException.builder(), 400,
        "ProvisionedThroughputExceededException"))).isInstanceOf(StorageUnavailableException.class);
    assertThat(AwsFailures.failed("put", service(DynamoDbException.builder(), 400, "ThrottlingException")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(AwsFailures.failed("get", service(S3Exception.builder(), 503, "SlowDown")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(AwsFailures.failed("get", service(S3Exception.builder(), 500, "InternalError")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(AwsFailures.failed("get", service(S3Exception.builder(), 400, "ExpiredToken")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(AwsFailures.failed("get", SdkClientException.create("Unable to execute HTTP request")))
        .isInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void aCancelledTransactionIsTransientOnlyWhenItsReasonsAre() {
    assertThat(AwsFailures.failed("append", cancelled("None", "ThrottlingError")))
        .isInstanceOf(StorageUnavailableException.class);
    assertThat(AwsFailures.failed("append", cancelled("ValidationError", "None")))
        .isInstanceOf(StoreRejectedException.class);
  }

  private static AwsServiceException service(AwsServiceException.Builder builder, int status, String code) {
    return builder.statusCode(status).message(code + " said the service")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
  }

  private static TransactionCanceledException cancelled(String... reasons) {
    return (TransactionCanceledException) TransactionCanceledException.builder()
        .cancellationReasons(java.util.Arrays.stream(reasons).map(r -> CancellationReason.builder().code(r).build())
            .toList())
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
        .message("Transaction cancelled")
        .build();
  }
}
