package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.n;
import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.aws.internal.ItemSize;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The event table on DynamoDB: one item per event, partition key {@code image_id} (S), sort key {@code version}
 * (N), so an image's stream is one Query and the table's stream (NEW_IMAGE) carries every event exactly as stored.
 *
 * <p>Item: {@code image_id}, {@code version}, {@code event_id} (deterministic, from the envelope), {@code type},
 * {@code occurred_at}, {@code schema_version}, {@code correlation_id} as top-level attributes for people and
 * filters, and {@code event}: the whole event as JSON ({@link EventCodec}), which is what {@link #read} decodes.
 *
 * <p>Append is one {@code TransactWriteItems}: a put per new event with {@code attribute_not_exists(image_id)}, and
 * (when the stream is expected to exist) a condition check that the item at the expected version exists. Versions
 * have no gaps, so "item {@code e} exists and item {@code e + 1} does not" is exactly "the stream is at version
 * {@code e}" — no head item to keep up to date, and nothing but events in the table's stream. One event whose
 * expected item this store has already seen (it read or wrote that version: the usual read-decide-append) is a
 * single conditional PutItem instead, at half the write units ({@link SeenVersions}). The transaction's
 * client request token makes the SDK's own retries of one append idempotent.
 *
 * <p>{@link #imageIds} scans the table for version-1 items (every stream has exactly one). A full scan is right for
 * its only callers, rebuilds and replays; a sparse index would put every new image on one hot index partition.
 */
public final class DynamoDbEventStore implements EventStore {
  static final String IMAGE_ID = "image_id";
  static final String VERSION = "version";
  static final String EVENT_ID = "event_id";
  static final String TYPE = "type";
  static final String OCCURRED_AT = "occurred_at";
  static final String SCHEMA_VERSION = "schema_version";
  static final String CORRELATION_ID = "correlation_id";
  static final String EVENT = "event";

  /** A transaction holds at most 100 actions: one condition check and 99 puts. */
  public static final int MAX_EVENTS_PER_APPEND = 99;

  private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
  private static final String TRANSACTION_CONFLICT = "TransactionConflict";

  private final DynamoDbClient dynamo;
  private final String table;
  private final EventCodec codec = new EventCodec();
  private final SeenVersions seen = new SeenVersions(4096);
  private final StateSnapshots snapshots;

  /** A store whose {@link #state} folds the whole stream (for functions that do not decide: query, admin). */
  public DynamoDbEventStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, imageId -> Optional.empty());
  }

  /** @param snapshots where {@link #state} starts from (the results view on the deployed ingest and classify) */
  public DynamoDbEventStore(DynamoDbClient dynamo, String table, StateSnapshots snapshots) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
  }

  @Override
  public void append(ImageId imageId, long expectedVersion, List<? extends Event> events) {
    EventStore.requireAppendable(imageId, expectedVersion, events);
    if (events.size() > MAX_EVENTS_PER_APPEND) {
      throw new IllegalArgumentException(
          "at most " + MAX_EVENTS_PER_APPEND + " events in one append, got " + events.size());
    }
    if (events.size() == 1 && (expectedVersion == 0 || seen.atLeast(imageId, expectedVersion))) {
      appendOne(imageId, expectedVersion, events.get(0));
      return;
    }
    List<TransactWriteItem> actions = new ArrayList<>(events.size() + 1);
    if (expectedVersion > 0) {
      actions.add(
          TransactWriteItem.builder()
              .conditionCheck(
                  ConditionCheck.builder()
                      .tableName(table)
                      .key(key(imageId, expectedVersion))
                      .conditionExpression("attribute_exists(#id)")
                      .expressionAttributeNames(Map.of("#id", IMAGE_ID))
                      .build())
              .build());
    }
    for (Event event : events) {
      Map<String, AttributeValue> item = item(event);
      ItemSize.requireWithinLimit(item, "event " + event.version() + " of " + imageId);
      actions.add(
          TransactWriteItem.builder()
              .put(
                  Put.builder()
                      .tableName(table)
                      .item(item)
                      .conditionExpression("attribute_not_exists(#id)")
                      .expressionAttributeNames(Map.of("#id", IMAGE_ID))
                      .build())
              .build());
    }
    try {
      dynamo.transactWriteItems(t -> t.transactItems(actions).clientRequestToken(UUID.randomUUID().toString()));
    } catch (TransactionCanceledException e) {
      if (lostRace(e)) {
        throw new ConcurrencyConflictException(imageId, expectedVersion, e);
      }
      throw AwsFailures.failed("append to " + imageId, e);
    } catch (SdkException e) {
      throw AwsFailures.failed("append to " + imageId, e);
    }
    seen.record(imageId, events.get(events.size() - 1).version());
  }

  /**
   * One event where the item at the expected version is known to exist (version 0: nothing to exist; otherwise this
   * store read or wrote it, and events are never deleted): one conditional PutItem of the next version, as atomic as
   * the transaction and half its write units (DynamoDB bills a transactional write twice, the condition check too).
   * The usual case: a use case reads the stream, decides, appends one event.
   */
  private void appendOne(ImageId imageId, long expectedVersion, Event event) {
    Map<String, AttributeValue> item = item(event);
    ItemSize.requireWithinLimit(item, "event " + event.version() + " of " + imageId);
    try {
      dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(#id)")
          .expressionAttributeNames(Map.of("#id", IMAGE_ID)));
    } catch (ConditionalCheckFailedException e) {
      throw new ConcurrencyConflictException(imageId, expectedVersion, e);
    } catch (SdkException e) {
      throw AwsFailures.failed("append to " + imageId, e);
    }
    seen.record(imageId, event.version());
  }

  @Override
  public List<Event> read(ImageId imageId) {
    return readAfter(imageId, 0);
  }

  /**
   * The snapshot's state (the results view's row, which the projector keeps: no write of its own) with the events
   * after it folded on: two small reads whatever the stream's length, instead of the whole stream. Exact: the
   * events after the snapshot are read consistently, so an old or missing snapshot only means a longer tail. The
   * state carries the submissions the snapshot kept (its first and newest) plus those of the tail.
   */
  @Override
  public ImageState state(ImageId imageId) {
    ImageState state = snapshots.snapshot(imageId).orElseGet(() -> ImageState.initial(imageId));
    for (Event event : readAfter(imageId, state.version())) {
      state = state.apply(event);
    }
    if (state.exists()) {
      seen.record(imageId, state.version());
    }
    return state;
  }

  /** The events after {@code version}, oldest first. */
  private List<Event> readAfter(ImageId imageId, long version) {
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#id = :id AND #v > :v")
            .expressionAttributeNames(Map.of("#id", IMAGE_ID, "#v", VERSION))
            .expressionAttributeValues(Map.of(":id", s(imageId.value()), ":v", n(version)))
            .consistentRead(true)
            .build();
    try {
      List<Event> events = new ArrayList<>();
      dynamo.queryPaginator(query).items().forEach(item -> events.add(decode(item)));
      if (!events.isEmpty()) {
        seen.record(imageId, events.get(events.size() - 1).version());
      }
      return events;
    } catch (SdkException e) {
      throw AwsFailures.failed("read stream " + imageId, e);
    }
  }

  /**
   * Image ids in the table's scan order. The cursor is the last image id of the page (its version-1 item is where
   * the next scan starts), so a cursor is a plain sha256.
   *
   * @throws IllegalArgumentException a cursor this store did not hand out
   */
  @Override
  public Page<ImageId> imageIds(PageRequest page) {
    Optional<ImageId> after = page.cursor().map(DynamoDbEventStore::cursorToId);
    // One more than asked for tells whether another page exists, so the last page never has a cursor.
    List<ImageId> ids = new ArrayList<>(page.limit() + 1);
    Map<String, AttributeValue> start = after.map(id -> key(id, 1)).orElse(null);
    try {
      do {
        ScanRequest.Builder scan =
            ScanRequest.builder()
                .tableName(table)
                .filterExpression("#v = :one")
                .projectionExpression("#id")
                .expressionAttributeNames(Map.of("#id", IMAGE_ID, "#v", VERSION))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .consistentRead(true);
        if (start != null) {
          scan.exclusiveStartKey(start);
        }
        ScanResponse response = dynamo.scan(scan.build());
        for (Map<String, AttributeValue> item : response.items()) {
          ids.add(ImageId.of(item.get(IMAGE_ID).s()));
          if (ids.size() > page.limit()) {
            break;
          }
        }
        start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
            ? response.lastEvaluatedKey()
            : null;
      } while (start != null && ids.size() <= page.limit());
    } catch (SdkException e) {
      throw AwsFailures.failed("scan image ids", e);
    }
    if (ids.size() > page.limit()) {
      List<ImageId> items = ids.subList(0, page.limit());
      return new Page<>(items, Optional.of(items.get(items.size() - 1).value()));
    }
    return Page.last(ids);
  }

  private static ImageId cursorToId(String cursor) {
    try {
      return ImageId.of(cursor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this event store: " + cursor, e);
    }
  }

  private Map<String, AttributeValue> item(Event event) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(IMAGE_ID, s(event.imageId().value()));
    item.put(VERSION, n(event.version()));
    item.put(EVENT_ID, s(event.eventId().toString()));
    item.put(TYPE, s(event.type().wireName()));
    item.put(OCCURRED_AT, s(event.occurredAt().toString()));
    item.put(SCHEMA_VERSION, n(event.schemaVersion()));
    item.put(CORRELATION_ID, s(event.correlationId()));
    item.put(EVENT, s(codec.encode(event)));
    return item;
  }

  /**
   * The event stored in an item: of this table, or the {@code NewImage} of one of its stream records.
   *
   * @throws io.catwrangler.events.MalformedEventException the item holds no valid event
   */
  public Event decode(Map<String, AttributeValue> item) {
    AttributeValue json = item.get(EVENT);
    if (json == null || json.s() == null) {
      throw new io.catwrangler.events.MalformedEventException("item has no string attribute " + EVENT);
    }
    return codec.decode(json.s());
  }

  private static Map<String, AttributeValue> key(ImageId imageId, long version) {
    return Map.of(IMAGE_ID, s(imageId.value()), VERSION, n(version));
  }

  /** A failed condition, or another transaction on the same items at the same moment: someone else appended. */
  private static boolean lostRace(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return false;
    }
    for (CancellationReason reason : e.cancellationReasons()) {
      if (CONDITIONAL_CHECK_FAILED.equals(reason.code()) || TRANSACTION_CONFLICT.equals(reason.code())) {
        return true;
      }
    }
    return false;
  }
}
