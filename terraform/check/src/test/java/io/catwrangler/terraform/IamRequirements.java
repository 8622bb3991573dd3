package io.catwrangler.terraform;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The IAM each deployed function needs, derived from what its code calls. Kept by hand, checked by
 * {@link DeploymentMatchesCodeTest} three ways: the SDK calls listed per adapter are exactly those in the adapter's
 * source; the grants of each function are exactly those in its Terraform policy (nothing missing, nothing unused);
 * every adapter a handler module refers to is one its functions are granted.
 *
 * <p>Update this when an adapter starts calling a new SDK operation or a handler starts using another adapter
 * operation; the test says which.
 */
final class IamRequirements {
  private IamRequirements() {}

  /** What a policy resource points at; the test recognises each from the Terraform expression. */
  enum Resource {
    BUCKET,
    INCOMING_OBJECTS,
    IMAGE_OBJECTS,
    EVENT_TABLE,
    EVENT_STREAM,
    VIEW_TABLE,
    IDEMPOTENCY_TABLE,
    CLASSIFY_QUEUE,
    STREAM_FAILURE_QUEUE,
    OWN_LOG_GROUP,
    /** "*": only for actions without resource-level permissions (Rekognition DetectLabels). */
    ANY
  }

  record Grant(String action, Resource resource) implements Comparable<Grant> {
    @Override
    public int compareTo(Grant other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return action + " on " + resource;
    }
  }

  /** An adapter operation (a public method), the SDK client calls it makes, and what they need. */
  record Operation(String adapter, String name, Set<String> sdkCalls, Set<Grant> grants) {
    String id() {
      return adapter + "." + name;
    }
  }

  private static Grant g(String action, Resource resource) {
    return new Grant(action, resource);
  }

  private static Operation op(String adapter, String name, List<String> sdkCalls, Grant... grants) {
    return new Operation(adapter, name, Set.copyOf(sdkCalls), Set.of(grants));
  }

  // HeadObject and GetObject are authorised by s3:GetObject; without s3:ListBucket a missing key answers 403, which
  // the adapters would take for an outage instead of "not there".
  private static final Grant LIST_BUCKET = g("s3:ListBucket", Resource.BUCKET);

  /** Every adapter operation of aws/ that talks to AWS. (DynamoDbTables creates tables: tests and tooling only.) */
  static final List<Operation> OPERATIONS = List.of(
      op("S3ImageStore", "put", List.of("headObject", "putObject"),
          g("s3:GetObject", Resource.IMAGE_OBJECTS), LIST_BUCKET, g("s3:PutObject", Resource.IMAGE_OBJECTS)),
      op("S3ImageStore", "get", List.of("getObjectAsBytes"), g("s3:GetObject", Resource.IMAGE_OBJECTS), LIST_BUCKET),
      op("S3ImageStore", "exists", List.of("headObject"), g("s3:GetObject", Resource.IMAGE_OBJECTS), LIST_BUCKET),
      op("S3ImageStore", "headIncoming", List.of("headObject"),
          g("s3:GetObject", Resource.INCOMING_OBJECTS), LIST_BUCKET),
      op("S3ImageStore", "readIncoming", List.of("getObject"), g("s3:GetObject", Resource.INCOMING_OBJECTS)),
      // CopyObject: read the source, write the destination (no HeadObject first since issue 14)
      op("S3ImageStore", "promote", List.of("copyObject"),
          g("s3:GetObject", Resource.INCOMING_OBJECTS), g("s3:PutObject", Resource.IMAGE_OBJECTS)),
      op("S3ImageStore", "deleteIncoming", List.of("deleteObject"), g("s3:DeleteObject", Resource.INCOMING_OBJECTS)),

      // TransactWriteItems is authorised per item: Put -> PutItem, ConditionCheck -> ConditionCheckItem; one event
      // after a read is a plain PutItem
      op("DynamoDbEventStore", "append", List.of("transactWriteItems", "putItem"),
          g("dynamodb:PutItem", Resource.EVENT_TABLE), g("dynamodb:ConditionCheckItem", Resource.EVENT_TABLE)),
      op("DynamoDbEventStore", "read", List.of("queryPaginator"), g("dynamodb:Query", Resource.EVENT_TABLE)),
      // the events after the view row's snapshot (DynamoDbResultView.snapshot), decision 0030
      op("DynamoDbEventStore", "state", List.of("queryPaginator"), g("dynamodb:Query", Resource.EVENT_TABLE)),
      op("DynamoDbEventStore", "imageIds", List.of("scan"), g("dynamodb:Scan", Resource.EVENT_TABLE)),

      // the image row (putItem); the row's batch list when not read first; its batch items through CountedMemberships
      op("DynamoDbResultView", "save", List.of("putItem", "getItem"),
          g("dynamodb:PutItem", Resource.VIEW_TABLE), g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      // batch items with their batch's counter (decision 0042): TransactWriteItems is authorised per item (Put ->
      // PutItem, Update -> UpdateItem, Delete -> DeleteItem); a write that counts nothing new is a plain one; an item
      // not as expected is read again
      op("CountedMemberships", "apply (writes: save)", List.of("transactWriteItems", "putItem", "updateItem", "getItem"),
          g("dynamodb:PutItem", Resource.VIEW_TABLE), g("dynamodb:UpdateItem", Resource.VIEW_TABLE),
          g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      op("CountedMemberships", "apply (deletes: remove)", List.of("transactWriteItems", "getItem"),
          g("dynamodb:DeleteItem", Resource.VIEW_TABLE), g("dynamodb:UpdateItem", Resource.VIEW_TABLE),
          g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      // a batch's counter item: its counts (GET /batches/{id}, the projector's completion decision) and the size last
      // announced complete
      op("DynamoDbBatchCounters", "counts/tally", List.of("getItem"), g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      op("DynamoDbBatchCounters", "announced", List.of("updateItem"), g("dynamodb:UpdateItem", Resource.VIEW_TABLE)),
      op("DynamoDbResultView", "image", List.of("getItem"), g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      op("DynamoDbResultView", "snapshot", List.of("getItem"), g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      op("DynamoDbResultView", "batch", List.of("queryPaginator"), g("dynamodb:Query", Resource.VIEW_TABLE)),
      // the export's page: the membership keys (Query), then the image items
      op("DynamoDbResultView", "batchStates", List.of("batchGetItem"),
          g("dynamodb:Query", Resource.VIEW_TABLE), g("dynamodb:BatchGetItem", Resource.VIEW_TABLE)),
      op("DynamoDbResultView", "remove", List.of("getItem"),
          g("dynamodb:GetItem", Resource.VIEW_TABLE), g("dynamodb:BatchWriteItem", Resource.VIEW_TABLE)),
      op("DynamoDbResultView", "reset", List.of("scanPaginator"),
          g("dynamodb:Scan", Resource.VIEW_TABLE), g("dynamodb:BatchWriteItem", Resource.VIEW_TABLE)),
      // GET /quality: the view's labels partition, page by page (decision 0045)
      op("DynamoDbLabelledAnswers", "tally", List.of("queryPaginator"), g("dynamodb:Query", Resource.VIEW_TABLE)),
      // internal.BatchWrites: the deletes of remove and reset
      op("BatchWrites", "delete", List.of("batchWriteItem"), g("dynamodb:BatchWriteItem", Resource.VIEW_TABLE)),

      // one item in the view table per replay: how far a re-classification of every image got
      op("DynamoDbReplayCheckpoints", "resumeAfter", List.of("getItem"), g("dynamodb:GetItem", Resource.VIEW_TABLE)),
      op("DynamoDbReplayCheckpoints", "reached", List.of("putItem"), g("dynamodb:PutItem", Resource.VIEW_TABLE)),
      op("DynamoDbReplayCheckpoints", "finished", List.of("deleteItem"),
          g("dynamodb:DeleteItem", Resource.VIEW_TABLE)),

      op("DynamoDbIdempotencyStore", "begin", List.of("putItem"),
          g("dynamodb:PutItem", Resource.IDEMPOTENCY_TABLE), g("dynamodb:GetItem", Resource.IDEMPOTENCY_TABLE)),
      op("DynamoDbIdempotencyStore", "complete", List.of("updateItem"),
          g("dynamodb:UpdateItem", Resource.IDEMPOTENCY_TABLE)),
      op("DynamoDbIdempotencyStore", "delete", List.of("deleteItem"),
          g("dynamodb:DeleteItem", Resource.IDEMPOTENCY_TABLE)),
      op("DynamoDbIdempotencyStore", "get", List.of("getItem"), g("dynamodb:GetItem", Resource.IDEMPOTENCY_TABLE)),

      op("SqsClassifyQueue", "enqueue", List.of("sendMessage"), g("sqs:SendMessage", Resource.CLASSIFY_QUEUE)),
      // SendMessageBatch is authorised as sqs:SendMessage
      op("SqsClassifyQueue", "enqueueAll", List.of("sendMessageBatch"), g("sqs:SendMessage", Resource.CLASSIFY_QUEUE)),
      // classify-fn: failed messages that are only busy come back in seconds (ChangeMessageVisibilityBatch is
      // authorised as sqs:ChangeMessageVisibility)
      op("SqsRedelivery", "redeliverAfter", List.of("changeMessageVisibilityBatch"),
          g("sqs:ChangeMessageVisibility", Resource.CLASSIFY_QUEUE)),

      // Rekognition reads images/{sha256} from S3 with the caller's own permissions
      op("RekognitionCatDetector", "detect", List.of("detectLabels"),
          g("rekognition:DetectLabels", Resource.ANY), g("s3:GetObject", Resource.IMAGE_OBJECTS)));

  /** What a function needs besides adapter calls: its log stream, its event source, signing presigned URLs. */
  record PlatformNeed(String what, Set<Grant> grants) {}

  private static final PlatformNeed LOGS = new PlatformNeed("CloudWatch Logs (log group made by Terraform)",
      Set.of(g("logs:CreateLogStream", Resource.OWN_LOG_GROUP), g("logs:PutLogEvents", Resource.OWN_LOG_GROUP)));

  /** A deployed function: its handler, the adapter operations its use cases call, and its platform needs. */
  record Function(String module, List<String> operations, List<PlatformNeed> platform) {}

  static final Map<String, Function> FUNCTIONS = Map.of(
      // IngestImage: put the bytes, enqueue, read + append ImageReceived; RecordLabel: state + append LabelRecorded;
      // POST /uploads presigns a PUT
      "ingest", new Function("ingest-fn",
          List.of("S3ImageStore.put", "SqsClassifyQueue.enqueue", "DynamoDbEventStore.read", "DynamoDbEventStore.append",
              "DynamoDbEventStore.state", "DynamoDbResultView.snapshot"),
          List.of(LOGS, new PlatformNeed("presigned PUT to incoming/ (signed with the role's credentials)",
              Set.of(g("s3:PutObject", Resource.INCOMING_OBJECTS))))),
      // S3 arrivals (head, read, promote, delete), ClassifyImages (images get, events read + append),
      // idempotency records, Rekognition when chosen
      "classify", new Function("classify-fn",
          List.of("S3ImageStore.headIncoming", "S3ImageStore.readIncoming", "S3ImageStore.promote",
              "S3ImageStore.deleteIncoming", "S3ImageStore.get", "S3ImageStore.exists",
              "DynamoDbEventStore.read", "DynamoDbEventStore.append",
              "DynamoDbEventStore.state", "DynamoDbResultView.snapshot",
              "DynamoDbIdempotencyStore.begin", "DynamoDbIdempotencyStore.complete",
              "DynamoDbIdempotencyStore.delete", "DynamoDbIdempotencyStore.get",
              "RekognitionCatDetector.detect", "SqsRedelivery.redeliverAfter"),
          List.of(LOGS, new PlatformNeed("SQS event source mapping",
              Set.of(g("sqs:ReceiveMessage", Resource.CLASSIFY_QUEUE), g("sqs:DeleteMessage", Resource.CLASSIFY_QUEUE),
                  g("sqs:GetQueueAttributes", Resource.CLASSIFY_QUEUE),
                  g("sqs:ChangeMessageVisibility", Resource.CLASSIFY_QUEUE))))),
      // QueryResults: view image + batch + a batch's export, the event history; MeasureQuality: the label items
      "query", new Function("query-fn",
          List.of("DynamoDbResultView.image", "DynamoDbResultView.batch", "DynamoDbResultView.batchStates",
              "DynamoDbBatchCounters.counts/tally", "DynamoDbEventStore.read", "DynamoDbLabelledAnswers.tally"),
          List.of(LOGS)),
      // ProjectEvents: stored state, save (batch items with their counters), refold from the events on a gap;
      // StreamNotifications: a batch's tally, the size announced
      "projector", new Function("query-fn",
          List.of("DynamoDbResultView.image", "DynamoDbResultView.save", "CountedMemberships.apply (writes: save)",
              "DynamoDbBatchCounters.counts/tally", "DynamoDbBatchCounters.announced", "DynamoDbEventStore.read"),
          List.of(LOGS,
              new PlatformNeed("DynamoDB Streams event source mapping",
                  Set.of(g("dynamodb:DescribeStream", Resource.EVENT_STREAM), g("dynamodb:GetRecords", Resource.EVENT_STREAM),
                      g("dynamodb:GetShardIterator", Resource.EVENT_STREAM),
                      g("dynamodb:ListStreams", Resource.EVENT_STREAM))),
              new PlatformNeed("stream mapping on-failure destination",
                  Set.of(g("sqs:SendMessage", Resource.STREAM_FAILURE_QUEUE))))),
      // AdminHandler (ingest-fn's zip), ReplayEvents: rebuild (view reset, remove, save; events imageIds + read),
      // re-decide (events read + append), re-classify (enqueue for classify-fn; no detector, no S3)
      "admin", new Function("ingest-fn",
          List.of("DynamoDbEventStore.imageIds", "DynamoDbEventStore.read", "DynamoDbEventStore.append",
              "DynamoDbResultView.reset", "DynamoDbResultView.remove", "DynamoDbResultView.save",
              "CountedMemberships.apply (writes: save)", "CountedMemberships.apply (deletes: remove)",
              "SqsClassifyQueue.enqueue", "SqsClassifyQueue.enqueueAll", "DynamoDbReplayCheckpoints.resumeAfter",
              "DynamoDbReplayCheckpoints.reached", "DynamoDbReplayCheckpoints.finished"),
          List.of(LOGS)));

  /**
   * Adapters a handler module constructs but whose AWS calls its functions never reach, with the reason. Such an
   * adapter needs no grant: the check accepts the reference, and the reason tells a reader why.
   */
  static final Map<String, Map<String, String>> WIRED_NOT_CALLED = Map.of();

  static Operation operation(String id) {
    return OPERATIONS.stream().filter(o -> o.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no adapter operation " + id + " in IamRequirements"));
  }

  /** Everything {@code function} must be allowed, nothing more. */
  static Set<Grant> required(String function) {
    Function f = FUNCTIONS.get(function);
    return Stream.concat(
            f.operations().stream().flatMap(id -> operation(id).grants().stream()),
            f.platform().stream().flatMap(p -> p.grants().stream()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The SDK calls listed for an adapter class. */
  static Set<String> sdkCalls(String adapter) {
    return OPERATIONS.stream().filter(o -> o.adapter().equals(adapter)).flatMap(o -> o.sdkCalls().stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
