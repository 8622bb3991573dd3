package io.catwrangler.aws;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.port.ClassifyQueue;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.port.StorageUnavailableException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The classify queue on SQS: SendMessage, and SendMessageBatch for many. The rest of a queue's life is SQS's own:
 * classify-fn's event source mapping receives and deletes, the redrive policy ({@code maxReceiveCount}) moves a
 * message to the DLQ after its last receive, and an operator redrives the DLQ with {@code StartMessageMoveTask}.
 */
public final class SqsClassifyQueue implements ClassifyQueue {
  private static final System.Logger LOG = System.getLogger(SqsClassifyQueue.class.getName());

  private static final int SQS_BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final ClassifyRequestCodec codec = new ClassifyRequestCodec();

  public SqsClassifyQueue(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queue url");
  }

  /** The classify queue {@code CW_CLASSIFY_QUEUE_URL} names (required). */
  public static SqsClassifyQueue of(AwsConfig config, SqsClient sqs) {
    return new SqsClassifyQueue(sqs, config.classifyQueueUrl()
        .orElseThrow(() -> new IllegalArgumentException("invalid configuration: CW_CLASSIFY_QUEUE_URL is required")));
  }

  @Override
  public void enqueue(ClassifyRequest request) {
    String body = codec.encode(request);
    try {
      sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody(body));
    } catch (SdkException e) {
      throw AwsFailures.failed("enqueue " + request.imageId(), e);
    }
  }

  /**
   * SendMessageBatch, ten requests a call (a lone request: SendMessage). Entries SQS reports as failed, and whole calls that fail transiently, are
   * not counted (logged); a permanent failure ({@link io.catwrangler.core.port.StoreRejectedException}) is thrown.
   */
  @Override
  public int enqueueAll(List<ClassifyRequest> requests) {
    int queued = 0;
    for (int from = 0; from < requests.size(); from += SQS_BATCH) {
      List<ClassifyRequest> chunk = requests.subList(from, Math.min(from + SQS_BATCH, requests.size()));
      if (chunk.size() == 1) { // one request (a single image's re-classification): a plain SendMessage
        try {
          enqueue(chunk.get(0));
          queued++;
        } catch (StorageUnavailableException notNow) {
          LOG.log(Level.WARNING, "enqueue {0} failed: {1}", chunk.get(0).imageId(), notNow.getMessage());
        }
        continue;
      }
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .messageBody(codec.encode(chunk.get(i))).build());
      }
      try {
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        queued += response.successful().size();
        for (BatchResultErrorEntry failed : response.failed()) {
          LOG.log(Level.WARNING, "enqueue {0} failed: {1} {2}",
              chunk.get(Integer.parseInt(failed.id())).imageId(), failed.code(), failed.message());
        }
      } catch (SdkException e) {
        RuntimeException failure = AwsFailures.failed("enqueue " + chunk.size() + " requests", e);
        if (!(failure instanceof StorageUnavailableException)) {
          throw failure;
        }
        LOG.log(Level.WARNING, "enqueue of {0} requests failed: {1}", chunk.size(), e.getMessage());
      }
    }
    return queued;
  }
}
