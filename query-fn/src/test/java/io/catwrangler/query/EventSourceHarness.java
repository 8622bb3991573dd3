package io.catwrangler.query;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.catwrangler.aws.testing.TestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What AWS does between the emulators and the handlers, which the emulators do not: S3 event notifications (sent to
 * the queue by {@link #notifyCreated}), the SQS event source mapping ({@link #pollQueueOnce}: receive, invoke,
 * delete what was not in {@code batchItemFailures}, leave the rest to come back after the visibility timeout, the
 * queue's redrive policy moving it to the DLQ), and the DynamoDB Streams event source mapping
 * ({@link #pollStreamOnce}: GetShardIterator / GetRecords, invoke, start again at the reported sequence number).
 */
final class EventSourceHarness {
  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbStreamsClient streams;

  EventSourceHarness(S3Client s3, SqsClient sqs, DynamoDbStreamsClient streams) {
    this.s3 = s3;
    this.sqs = sqs;
    this.streams = streams;
  }

  /** The S3 event notification for an object as S3 writes it (key URL-encoded, {@code +} for a space). */
  String notificationFor(String bucket, String key) {
    var head = s3.headObject(h -> h.bucket(bucket).key(key));
    String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    String eTag = head.eTag().replace("\"", "");
    return """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
          "eventTime":"2026-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",
          "s3":{"s3SchemaVersion":"1.0","configurationId":"classify",
            "bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
            "object":{"key":"%s","size":%d,"eTag":"%s","sequencer":"0062E99A88DC407460"}}}]}
        """.formatted(bucket, bucket, encoded, head.contentLength(), eTag);
  }

  /** S3 → SQS: sends the notification of the object {@code copies} times (at-least-once delivery). */
  void notifyCreated(String queueUrl, String bucket, String key, int copies) {
    String body = notificationFor(bucket, key);
    for (int i = 0; i < copies; i++) {
      sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
    }
  }

  /**
   * One poll of the SQS event source mapping: up to 10 messages (visible again after {@code visibilitySeconds} unless
   * deleted) → the handler → delete every message not reported as a failure.
   *
   * @return how many messages were received
   */
  int pollQueueOnce(String queueUrl, RequestHandler<SQSEvent, SQSBatchResponse> handler, int visibilitySeconds) {
    List<Message> messages =
        sqs.receiveMessage(
                r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .visibilityTimeout(visibilitySeconds)
                    .waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages();
    if (messages.isEmpty()) {
      return 0;
    }
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(m.messageId());
      record.setReceiptHandle(m.receiptHandle());
      record.setBody(m.body());
      record.setEventSource("aws:sqs");
      Map<String, String> attributes = new HashMap<>();
      m.attributes().forEach((k, v) -> attributes.put(k.toString(), v));
      record.setAttributes(attributes);
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    SQSBatchResponse response = handler.handleRequest(event, new TestContext("classify"));
    Set<String> failed =
        response.getBatchItemFailures().stream()
            .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
            .collect(Collectors.toSet());
    for (Message m : messages) {
      if (!failed.contains(m.messageId())) {
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
      }
    }
    return messages.size();
  }

  /** Approximate visible + in-flight messages of a queue. */
  int depth(String queueUrl) {
    var attributes =
        sqs.getQueueAttributes(
                g -> g.queueUrl(queueUrl)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
            .attributesAsStrings();
    return Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
        + Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
  }

  /** A DynamoDB Streams reader of one table (one shard on Dynoxide), remembering where it is. */
  final class StreamReader {
    private final String streamArn;
    private String shardId;
    private String lastSequence; // of the last record handed over successfully

    StreamReader(String streamArn) {
      this.streamArn = streamArn;
    }

    /** Every record after the last one processed, in order (at most one GetRecords page). */
    List<Record> read() {
      if (shardId == null) {
        shardId = streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards().get(0).shardId();
      }
      String iterator =
          lastSequence == null
              ? streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shardId)
                  .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator()
              : streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shardId)
                  .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(lastSequence))
                  .shardIterator();
      return streams.getRecords(g -> g.shardIterator(iterator).limit(100)).records();
    }

    /**
     * One poll of the stream event source mapping: new records → the handler; on a reported failure, the records
     * before it count as done and the next poll starts at it.
     *
     * @return records handed over
     */
    int pollOnce(RequestHandler<DynamodbEvent, StreamsEventResponse> projector) {
      List<Record> records = read();
      if (records.isEmpty()) {
        return 0;
      }
      StreamsEventResponse response = projector.handleRequest(lambdaEvent(records), new TestContext("projector"));
      List<StreamsEventResponse.BatchItemFailure> failures = response.getBatchItemFailures();
      if (failures == null || failures.isEmpty()) {
        lastSequence = records.get(records.size() - 1).dynamodb().sequenceNumber();
      } else {
        String failedAt = failures.get(0).getItemIdentifier();
        for (Record r : records) {
          if (r.dynamodb().sequenceNumber().equals(failedAt)) {
            break;
          }
          lastSequence = r.dynamodb().sequenceNumber();
        }
      }
      return records.size();
    }
  }

  StreamReader streamOf(String streamArn) {
    return new StreamReader(streamArn);
  }

  /** SDK stream records as the Lambda event the mapping would deliver. */
  static DynamodbEvent lambdaEvent(List<Record> records) {
    List<DynamodbEvent.DynamodbStreamRecord> converted = new ArrayList<>();
    for (Record r : records) {
      DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
      record.setEventID(r.eventID());
      record.setEventName(r.eventNameAsString());
      record.setEventSource("aws:dynamodb");
      StreamRecord stream = new StreamRecord();
      stream.setSequenceNumber(r.dynamodb().sequenceNumber());
      stream.setKeys(lambdaItem(r.dynamodb().keys()));
      if (r.dynamodb().hasNewImage()) {
        stream.setNewImage(lambdaItem(r.dynamodb().newImage()));
      }
      stream.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_IMAGE);
      record.setDynamodb(stream);
      converted.add(record);
    }
    DynamodbEvent event = new DynamodbEvent();
    event.setRecords(converted);
    return event;
  }

  private static Map<String, AttributeValue> lambdaItem(
      Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
    Map<String, AttributeValue> out = new HashMap<>();
    item.forEach((k, v) -> {
      if (v.s() != null) {
        out.put(k, new AttributeValue().withS(v.s()));
      } else if (v.n() != null) {
        out.put(k, new AttributeValue().withN(v.n()));
      }
    });
    return out;
  }
}
