package io.catwrangler.aws;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.stream;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.StoreRejectedException;
import io.catwrangler.core.port.contract.EventStoreContract;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** The event store contract on Dynoxide, plus what is DynamoDB-specific: the item layout and the race. */
class DynamoDbEventStoreTest extends EventStoreContract {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private String table;

  @Override
  protected EventStore newStore() {
    table = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    return new DynamoDbEventStore(DYNAMO.client(), table);
  }

  @Test
  void threeConcurrentAppendsOfTheSameClassificationLeaveExactlyOne() throws Exception {
    ImageId id = image(7);
    store.append(id, 0, stream(id, 1));
    ClassificationSucceeded answer = succeeded(id, 2, true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (int w = 0; w < 3; w++) {
        // each writer has its own client, like three Lambda instances
        DynamoDbEventStore writer = new DynamoDbEventStore(DYNAMO.client(), table);
        results.add(pool.submit(() -> {
          start.await();
          try {
            writer.append(id, 1, List.of(answer));
            return true;
          } catch (ConcurrencyConflictException lost) {
            return false;
          }
        }));
      }
      start.countDown();
      int wins = 0;
      for (Future<Boolean> result : results) {
        wins += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.read(id)).hasSize(2).last().isEqualTo(answer);
  }

  @Test
  void storesTheEventAsJsonWithItsEnvelopeAsTopLevelAttributes() {
    ImageId id = image(3);
    Event event = stream(id, 1).get(0);
    store.append(id, 0, List.of(event));

    Map<String, AttributeValue> item =
        DYNAMO.client()
            .getItem(g -> g.tableName(table).key(Map.of(
                "image_id", AttributeValue.fromS(id.value()), "version", AttributeValue.fromN("1"))))
            .item();

    assertThat(item.get("event_id").s()).isEqualTo(event.eventId().toString());
    assertThat(item.get("type").s()).isEqualTo("ImageReceived");
    assertThat(item.get("occurred_at").s()).isEqualTo(event.occurredAt().toString());
    assertThat(item.get("schema_version").n()).isEqualTo("1");
    assertThat(item.get("correlation_id").s()).isEqualTo(event.correlationId());
    assertThat(new EventCodec().decode(item.get("event").s())).isEqualTo(event);
  }

  @Test
  void readsLongStreamsAcrossQueryPages() {
    ImageId id = image(9);
    List<Event> events = stream(id, 60);
    // about 1.4 KB an event: several appends, and a Query that needs more than one page at a small page size
    store.append(id, 0, events.subList(0, 30));
    store.append(id, 30, events.subList(30, 60));

    assertThat(store.read(id)).containsExactlyElementsOf(events);
  }

  @Test
  void pagesImageIdsWithoutATrailingEmptyPage() {
    for (int n = 0; n < 4; n++) {
      store.append(image(n), 0, stream(image(n), 2));
    }

    var first = store.imageIds(PageRequest.first(2));
    var second = store.imageIds(first.nextCursor().map(c -> PageRequest.first(2).next(c)).orElseThrow());

    assertThat(first.items()).hasSize(2);
    assertThat(second.items()).hasSize(2);
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void refusesACursorItDidNotHandOut() {
    assertThatThrownBy(() -> store.imageIds(PageRequest.first(2).next("not-a-cursor")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oneEventAfterTheStreamWasReadIsOnePutItemAndWithoutTheReadATransaction() {
    RecordedOperations calls = new RecordedOperations();
    DynamoDbEventStore counted = new DynamoDbEventStore(DYNAMO.newClient(calls), table);
    ImageId id = image(21);
    counted.append(id, 0, stream(id, 1)); // a new stream: nothing to check
    DynamoDbEventStore other = new DynamoDbEventStore(DYNAMO.newClient(calls), table);

    other.append(id, 1, List.of(succeeded(id, 2, true))); // never saw version 1: checks it in a transaction
    counted.read(id);
    counted.append(id, 2, List.of(succeeded(id, 3, false))); // read version 2 (events are never deleted)

    assertThat(calls.operations())
        .containsExactly("PutItem", "TransactWriteItems", "Query", "PutItem");
    assertThat(counted.read(id)).hasSize(3);
    // a stale expectation still conflicts on the single put
    assertThatThrownBy(() -> counted.append(id, 2, List.of(succeeded(id, 3, true))))
        .isInstanceOf(ConcurrencyConflictException.class);
  }

  @Test
  void theStateStartsFromASnapshotAndReadsOnlyTheEventsAfterItExactly() {
    ImageId id = image(22);
    List<Event> events = stream(id, 40);
    store.append(id, 0, events);
    List<QueryRequestSeen> queries = new ArrayList<>();
    DynamoDbEventStore fromSnapshot = new DynamoDbEventStore(DYNAMO.newClient(new RecordingQueries(queries)), table,
        imageId -> java.util.Optional.of(ImageState.fold(id, events.subList(0, 35))));
    DynamoDbEventStore fromNothing = new DynamoDbEventStore(DYNAMO.client(), table);

    ImageState state = fromSnapshot.state(id);

    assertThat(state).isEqualTo(ImageState.fold(id, events)).isEqualTo(fromNothing.state(id));
    assertThat(queries).singleElement().satisfies(q -> assertThat(q.count()).isEqualTo(5));
    // the version it saw is known: the next event is one conditional put
    RecordedOperations calls = new RecordedOperations();
    DynamoDbEventStore deciding = new DynamoDbEventStore(DYNAMO.newClient(calls), table,
        imageId -> java.util.Optional.of(ImageState.fold(id, events)));
    deciding.append(id, deciding.state(id).version(), List.of(succeeded(id, 41, true)));
    assertThat(calls.operations()).containsExactly("Query", "PutItem");
  }

  /** A Query and how many items it returned. */
  record QueryRequestSeen(int count) {}

  /** Records the item count of every Query response. */
  record RecordingQueries(List<QueryRequestSeen> seen)
      implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
    @Override
    public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
      if (context.response() instanceof software.amazon.awssdk.services.dynamodb.model.QueryResponse r) {
        seen.add(new QueryRequestSeen(r.count()));
      }
    }
  }

  @Test
  void aMissingTableIsPermanentNotUnavailable() {
    EventStore nowhere = new DynamoDbEventStore(DYNAMO.client(), "no-such-table");

    // a deployment error: no retry helps, so not the transient StorageUnavailableException
    assertThatThrownBy(() -> nowhere.read(image(1))).isInstanceOfSatisfying(StoreRejectedException.class,
        e -> assertThat(e.code()).isEqualTo("ResourceNotFoundException"));
    assertThatThrownBy(() -> nowhere.append(image(1), 0, stream(image(1), 1)))
        .isInstanceOf(StoreRejectedException.class);
  }

  @Test
  void theTableStreamCarriesEachAppendedEventOnceAsAnInsertWithItsNewImage() {
    ImageId id = image(11);
    List<Event> events = stream(id, 3);
    store.append(id, 0, events.subList(0, 1));
    assertThatThrownBy(() -> store.append(id, 0, events.subList(0, 1)))
        .isInstanceOf(ConcurrencyConflictException.class);
    store.append(id, 1, events.subList(1, 3));

    List<Record> records = streamRecords();

    assertThat(records).extracting(Record::eventName).containsOnly(OperationType.INSERT);
    assertThat(records).extracting(r -> ((DynamoDbEventStore) store).decode(r.dynamodb().newImage()))
        .containsExactlyElementsOf(events);
    assertThat(records).allSatisfy(r -> {
      assertThat(r.eventSource()).isEqualTo("aws:dynamodb");
      assertThat(r.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
      assertThat(r.dynamodb().keys()).containsOnlyKeys("image_id", "version");
    });
    assertThat(records).extracting(r -> new java.math.BigInteger(r.dynamodb().sequenceNumber())).isSorted();
  }

  /** Every record of the table's stream, read the way a Lambda event source mapping does. */
  private List<Record> streamRecords() {
    String arn = DYNAMO.client().describeTable(d -> d.tableName(table)).table().latestStreamArn();
    List<Record> records = new ArrayList<>();
    for (Shard shard : DYNAMO.streams().describeStream(d -> d.streamArn(arn)).streamDescription().shards()) {
      String iterator =
          DYNAMO.streams()
              .getShardIterator(g -> g.streamArn(arn).shardId(shard.shardId())
                  .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      for (int reads = 0; iterator != null && reads < 10; reads++) {
        String from = iterator;
        var response = DYNAMO.streams().getRecords(g -> g.shardIterator(from));
        records.addAll(response.records());
        if (response.records().isEmpty()) {
          break;
        }
        iterator = response.nextShardIterator();
      }
    }
    return records;
  }
}
