package io.catwrangler.aws.internal;

import io.catwrangler.core.port.StorageUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK failures into the ports' transient failure, with the operation and resource in the message. */
public final class AwsFailures {
  private AwsFailures() {}

  /**
   * Whatever the SDK gave up on after its own retries (network error, throttling, 5xx, a missing table or bucket):
   * the work is worth retrying later, so the use case sees it as {@link StorageUnavailableException}.
   */
  public static StorageUnavailableException unavailable(String operation, SdkException cause) {
    return new StorageUnavailableException(operation + " failed: " + cause.getMessage(), cause);
  }
}
