package io.catwrangler.aws;

import io.catwrangler.aws.internal.AwsFailures;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * Brings received messages back sooner than their visibility timeout: {@code ChangeMessageVisibility} on messages
 * a function reports as failed, so that SQS delivers them again after a short wait instead of after the queue's
 * timeout (classify-fn's is 6 × its own timeout, 12 minutes by default). Ten messages a call.
 */
public final class SqsRedelivery {
  private static final System.Logger LOG = System.getLogger(SqsRedelivery.class.getName());
  private static final int SQS_BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsRedelivery(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queue url");
  }

  /**
   * Makes the messages (by receipt handle) visible again {@code after} from now. Best effort: a message SQS
   * refuses to change (its receipt expired, say) comes back at the end of its visibility timeout as before.
   *
   * @return how many SQS changed
   */
  public int redeliverAfter(List<String> receiptHandles, Duration after) {
    int seconds = Math.toIntExact(after.toSeconds());
    int changed = 0;
    for (int from = 0; from < receiptHandles.size(); from += SQS_BATCH) {
      List<String> chunk = receiptHandles.subList(from, Math.min(from + SQS_BATCH, receiptHandles.size()));
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(chunk.get(i)).visibilityTimeout(seconds).build());
      }
      try {
        var response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
        changed += response.successful().size();
        for (BatchResultErrorEntry failed : response.failed()) {
          LOG.log(Level.WARNING, "visibility not changed: {0} {1}", failed.code(), failed.message());
        }
      } catch (SdkException e) {
        // the messages still come back, at the end of their visibility timeout
        LOG.log(Level.WARNING, "visibility of {0} messages not changed: {1}", chunk.size(),
            AwsFailures.failed("change visibility", e).getMessage());
      }
    }
    return changed;
  }
}
