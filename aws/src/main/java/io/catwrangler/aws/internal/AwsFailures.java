package io.catwrangler.aws.internal;

import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.StoreRejectedException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Turns SDK failures into the ports' failures, with the operation and resource in the message: transient ones
 * ({@link StorageUnavailableException}: retry later) apart from permanent ones ({@link StoreRejectedException}:
 * retrying gives the same answer).
 */
public final class AwsFailures {
  /** Error codes of a 4xx that a later try can pass: throttling, expired credentials, a busy item. */
  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "ThrottlingException", "Throttling", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
          "SlowDown", "RequestTimeout", "RequestTimeoutException", "ExpiredToken", "ExpiredTokenException",
          "TransactionInProgressException", "TransactionConflictException", "LimitExceededException");

  /** Cancellation reasons of a transaction that a later try can pass. */
  private static final Set<String> TRANSIENT_CANCELLATIONS =
      Set.of("ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict", "RequestLimitExceeded");

  private AwsFailures() {}

  /**
   * What the SDK gave up on after its own retries. Transient: no answer at all (network, timeout), throttling,
   * 5xx, expired credentials, a conflicting transaction or write, an object changed since it was checked. Everything else (AccessDenied, ValidationException,
   * ResourceNotFoundException, NoSuchBucket, an item too large, …) is permanent.
   */
  public static RuntimeException failed(String operation, SdkException cause) {
    String message = operation + " failed: " + cause.getMessage();
    if (isTransient(cause)) {
      return new StorageUnavailableException(message, cause);
    }
    return new StoreRejectedException(message, errorCode(cause), cause);
  }

  static boolean isTransient(SdkException e) {
    if (!(e instanceof AwsServiceException service)) {
      return true; // the client's side: no connection, a timeout, an interrupted read
    }
    if (e instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
      // 400 whatever the cause: the reasons say whether it was throttling or a conflict, or a validation error
      return cancelled.cancellationReasons().stream().map(CancellationReason::code)
          .anyMatch(code -> code != null && TRANSIENT_CANCELLATIONS.contains(code));
    }
    return service.isThrottlingException()
        || service.isClockSkewException()
        || service.statusCode() >= 500
        || service.statusCode() == 429
        // S3: the object changed under an If-Match (412) or a concurrent write of the key (409): look again later
        || service.statusCode() == 412
        || service.statusCode() == 409
        || TRANSIENT_CODES.contains(errorCode(e));
  }

  private static String errorCode(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }
}
