package io.catwrangler.aws;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.MalformedMessageException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.port.WorkQueue;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The classify queue on SQS with its dead-letter queue. The queue's redrive policy ({@code maxReceiveCount}) must
 * equal the {@code maxAttempts} given here: SQS itself moves a message that comes back after its last allowed
 * receive to the DLQ, which is the port's rule.
 *
 * <ul>
 *   <li>{@link #lease}: ReceiveMessage (10 at a time) with the visibility timeout rounded up to whole seconds; the
 *       attempt is {@code ApproximateReceiveCount}; the receipt is the receipt handle. A body that is not a
 *       {@link ClassifyRequest} is moved to the DLQ at once and not returned.
 *   <li>{@link #release}: ChangeMessageVisibility; {@link #ack}: DeleteMessage; a stale receipt is ignored.
 *   <li>{@link #deadLetter}: SendMessage to the DLQ with the reason as message attributes, then DeleteMessage.
 *   <li>{@link #deadLetters}: peeks at the DLQ (receives with visibility 0, which SQS samples: a listing of a large
 *       DLQ may miss some); the id is the SQS message id.
 *   <li>{@link #retry}: finds the message in the DLQ, sends its body to the queue as a new message (attempts from
 *       1 again) and deletes it from the DLQ. {@link #retryAll}: the same for every message; an operator with the
 *       console or CLI uses {@code StartMessageMoveTask}, which does this inside SQS.
 * </ul>
 */
public final class SqsWorkQueue implements WorkQueue {
  private static final System.Logger LOG = System.getLogger(SqsWorkQueue.class.getName());

  static final String REASON = "cw_reason";
  static final String ATTEMPTS = "cw_attempts";
  static final String DEAD_LETTERED_AT = "cw_dead_lettered_at";
  private static final int SQS_BATCH = 10;
  /** How often in a row a DLQ scan may see nothing new before it concludes it has seen everything. */
  private static final int EMPTY_SCANS = 2;
  private static final int MAX_SCANS = 200;

  private final SqsClient sqs;
  private final String queueUrl;
  private final String deadLetterQueueUrl;
  private final int maxAttempts;
  private final Clock clock;
  private final ClassifyRequestCodec codec = new ClassifyRequestCodec();

  /**
   * @param maxAttempts the queue's {@code maxReceiveCount}: reported as the attempts of messages SQS moved itself
   */
  public SqsWorkQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl, int maxAttempts, Clock clock) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queue url");
    this.deadLetterQueueUrl = Objects.requireNonNull(deadLetterQueueUrl, "dead-letter queue url");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.clock = Objects.requireNonNull(clock, "clock");
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

  @Override
  public List<Lease> lease(int max, Duration visibilityTimeout) {
    if (max < 1) {
      throw new IllegalArgumentException("lease at least one message");
    }
    int seconds = wholeSeconds(visibilityTimeout);
    List<Lease> leases = new ArrayList<>();
    try {
      while (leases.size() < max) {
        int want = Math.min(SQS_BATCH, max - leases.size());
        List<Message> messages =
            sqs.receiveMessage(
                    r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(want)
                        .visibilityTimeout(seconds)
                        .waitTimeSeconds(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        if (messages.isEmpty()) {
          break;
        }
        for (Message message : messages) {
          toLease(message).ifPresent(leases::add);
        }
      }
    } catch (SdkException e) {
      throw AwsFailures.failed("lease from " + queueUrl, e);
    }
    return leases;
  }

  private Optional<Lease> toLease(Message message) {
    int attempt =
        Integer.parseInt(
            message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
    try {
      return Optional.of(new Lease(message.receiptHandle(), codec.decode(message.body()), attempt));
    } catch (MalformedMessageException e) {
      LOG.log(Level.WARNING, "message " + message.messageId() + " is not a classify request; moved to the DLQ");
      moveToDeadLetters(message.body(), message.receiptHandle(), attempt, "malformed: " + e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void ack(Lease lease) {
    try {
      sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(lease.receipt()));
    } catch (ReceiptHandleIsInvalidException stale) {
      // leased again by someone else since: theirs to finish
    } catch (SdkException e) {
      throw AwsFailures.failed("ack on " + queueUrl, e);
    }
  }

  @Override
  public void release(Lease lease, Duration delay) {
    int seconds = wholeSeconds(delay);
    try {
      sqs.changeMessageVisibility(c -> c.queueUrl(queueUrl).receiptHandle(lease.receipt()).visibilityTimeout(seconds));
    } catch (ReceiptHandleIsInvalidException stale) {
      // visible again already, or leased by someone else
    } catch (SqsException e) {
      if (!isStaleReceipt(e)) {
        throw AwsFailures.failed("release on " + queueUrl, e);
      }
    } catch (SdkException e) {
      throw AwsFailures.failed("release on " + queueUrl, e);
    }
  }

  @Override
  public void deadLetter(Lease lease, String reason) {
    Objects.requireNonNull(reason, "reason");
    moveToDeadLetters(codec.encode(lease.request()), lease.receipt(), lease.attempt(), reason);
  }

  private void moveToDeadLetters(String body, String receipt, int attempts, String reason) {
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    attributes.put(REASON, text(reason.length() > 1000 ? reason.substring(0, 1000) : reason));
    attributes.put(ATTEMPTS, MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(attempts)).build());
    attributes.put(DEAD_LETTERED_AT, text(clock.instant().toString()));
    try {
      sqs.sendMessage(s -> s.queueUrl(deadLetterQueueUrl).messageBody(body).messageAttributes(attributes));
      sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(receipt));
    } catch (ReceiptHandleIsInvalidException stale) {
      // leased again by someone else since: they may finish it, and the copy in the DLQ is for the operator
    } catch (SdkException e) {
      throw AwsFailures.failed("dead-letter on " + queueUrl, e);
    }
  }

  @Override
  public List<DeadLetter> deadLetters(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("list at least one dead letter");
    }
    List<DeadLetter> letters = new ArrayList<>();
    for (Message message : peekDeadLetters()) {
      deadLetter(message).ifPresent(letters::add);
    }
    letters.sort(Comparator.comparing(DeadLetter::deadLetteredAt).thenComparing(DeadLetter::id));
    return letters.size() > limit ? List.copyOf(letters.subList(0, limit)) : letters;
  }

  @Override
  public boolean retry(String deadLetterId) {
    Objects.requireNonNull(deadLetterId, "dead letter id");
    try {
      for (int scan = 0, empty = 0; scan < MAX_SCANS && empty < EMPTY_SCANS; scan++) {
        List<Message> messages = receiveDeadLetters(30);
        boolean found = false;
        for (Message message : messages) {
          if (message.messageId().equals(deadLetterId)) {
            requeue(message);
            found = true;
          } else {
            sqs.changeMessageVisibility(
                c -> c.queueUrl(deadLetterQueueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
          }
        }
        if (found) {
          return true;
        }
        empty = messages.isEmpty() ? empty + 1 : 0;
      }
      return false;
    } catch (SdkException e) {
      throw AwsFailures.failed("retry dead letter " + deadLetterId, e);
    }
  }

  @Override
  public int retryAll() {
    int moved = 0;
    try {
      for (int scan = 0, empty = 0; scan < MAX_SCANS && empty < EMPTY_SCANS; scan++) {
        List<Message> messages = receiveDeadLetters(30);
        for (Message message : messages) {
          requeue(message);
          moved++;
        }
        empty = messages.isEmpty() ? empty + 1 : 0;
      }
    } catch (SdkException e) {
      throw AwsFailures.failed("retry all dead letters", e);
    }
    return moved;
  }

  /** How many messages the queue holds, visible and in flight (for operators and tests). */
  public long approximateDepth() {
    try {
      Map<QueueAttributeName, String> attributes =
          sqs.getQueueAttributes(
                  g -> g.queueUrl(queueUrl)
                      .attributeNames(
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
              .attributes();
      return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
          + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    } catch (SdkException e) {
      throw AwsFailures.failed("depth of " + queueUrl, e);
    }
  }

  private void requeue(Message message) {
    sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody(message.body()));
    sqs.deleteMessage(d -> d.queueUrl(deadLetterQueueUrl).receiptHandle(message.receiptHandle()));
  }

  /** Every message of the DLQ SQS shows, each once, left visible. */
  private List<Message> peekDeadLetters() {
    Map<String, Message> seen = new LinkedHashMap<>();
    try {
      for (int scan = 0, stale = 0; scan < MAX_SCANS && stale < EMPTY_SCANS; scan++) {
        int before = seen.size();
        receiveDeadLetters(0).forEach(m -> seen.putIfAbsent(m.messageId(), m));
        stale = seen.size() == before ? stale + 1 : 0;
      }
    } catch (SdkException e) {
      throw AwsFailures.failed("list dead letters", e);
    }
    return new ArrayList<>(seen.values());
  }

  private List<Message> receiveDeadLetters(int visibilitySeconds) {
    return sqs.receiveMessage(
            r -> r.queueUrl(deadLetterQueueUrl)
                .maxNumberOfMessages(SQS_BATCH)
                .visibilityTimeout(visibilitySeconds)
                .waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)
                .messageAttributeNames("All"))
        .messages();
  }

  private Optional<DeadLetter> deadLetter(Message message) {
    ClassifyRequest request;
    try {
      request = codec.decode(message.body());
    } catch (MalformedMessageException e) {
      return Optional.empty(); // not a request: visible in the console, not retryable through the port
    }
    Map<String, MessageAttributeValue> attributes = message.messageAttributes();
    String reason = Optional.ofNullable(attributes.get(REASON)).map(MessageAttributeValue::stringValue)
        .orElse("max attempts reached");
    int attempts = Optional.ofNullable(attributes.get(ATTEMPTS)).map(a -> Integer.parseInt(a.stringValue()))
        .orElse(maxAttempts);
    Instant at = Optional.ofNullable(attributes.get(DEAD_LETTERED_AT)).map(a -> Instant.parse(a.stringValue()))
        .orElseGet(() -> Instant.ofEpochMilli(Long.parseLong(
            message.attributes().getOrDefault(MessageSystemAttributeName.SENT_TIMESTAMP, "0"))));
    return Optional.of(new DeadLetter(message.messageId(), request, attempts, reason, at));
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static boolean isStaleReceipt(SqsException e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    return code.contains("ReceiptHandleIsInvalid") || code.contains("MessageNotInflight")
        || code.contains("InvalidParameterValue");
  }

  /** SQS counts visibility in whole seconds, at most 12 hours: round up, so a lease is never shorter than asked. */
  private static int wholeSeconds(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a duration must not be negative");
    }
    long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    return (int) Math.min(seconds, 12 * 60 * 60);
  }
}
