package io.catwrangler.aws;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.aws.testing.TestAws;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.core.port.contract.ResultViewContract;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The result view contract on Dynoxide, plus out-of-order delivery and DynamoDB's item limits. */
class DynamoDbResultViewTest extends ResultViewContract {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private String table;

  @Override
  protected ResultView newView() {
    table = DYNAMO.createTable(DynamoDbTables::viewTable, "view");
    return new DynamoDbResultView(DYNAMO.client(), table);
  }

  @Test
  void outOfOrderAndDuplicatedUpdatesNeverMoveTheViewBackwards() {
    ImageId id = image(1);
    List<Event> events = ContractEvents.stream(id, 9);
    List<ImageState> deliveries = new ArrayList<>();
    for (int v = 1; v <= events.size(); v++) {
      ImageState state = ImageState.fold(id, events.subList(0, v));
      deliveries.add(state);
      deliveries.add(state); // at-least-once: every update twice
    }
    Collections.shuffle(deliveries, new Random(42));

    long newestSeen = 0;
    for (ImageState delivery : deliveries) {
      boolean written = view.save(delivery);
      assertThat(written).isEqualTo(delivery.version() > newestSeen);
      newestSeen = Math.max(newestSeen, delivery.version());
      assertThat(view.image(id).orElseThrow().version()).isEqualTo(newestSeen);
    }
    assertThat(view.image(id)).contains(ImageState.fold(id, events));
    // every batch the stream named lists the image at the newest version's status
    for (BatchId batch : ImageState.fold(id, events).batchIds()) {
      assertThat(view.batch(batch, PageRequest.first(10)).images()).singleElement()
          .satisfies(e -> assertThat(e.status()).isEqualTo(ImageState.fold(id, events).status()));
    }
  }

  @Test
  void aRowKeepsItsFirstAndNewestSubmissionsAndEveryBatchItsNamesAndNewestAnswer() {
    ImageId id = image(40);
    List<Event> events = new ArrayList<>();
    for (int v = 1; v <= 20; v++) {
      events.add(received(id, v, "batch-" + v, "photo-" + v + ".jpg"));
    }
    events.add(ContractEvents.succeeded(id, 21, true));
    // as the projector saves: each state from the row it read plus the next event
    for (Event event : events) {
      Optional<ImageState> stored = view.image(id);
      view.save(stored.orElseGet(() -> ImageState.initial(id)).apply(event), stored);
    }

    ImageState row = view.image(id).orElseThrow();
    assertThat(row.version()).isEqualTo(21);
    assertThat(row.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(row.submissions()).extracting(r -> r.submission().fileName().orElseThrow().value())
        .containsExactly("photo-1.jpg", "photo-14.jpg", "photo-15.jpg", "photo-16.jpg", "photo-17.jpg",
            "photo-18.jpg", "photo-19.jpg", "photo-20.jpg");
    // every batch lists the image with its answer, those of submissions the row no longer keeps included
    for (int v = 1; v <= 20; v++) {
      var entry = view.batch(BatchId.of("batch-" + v), PageRequest.first(10)).images();
      assertThat(entry).singleElement().satisfies(e -> {
        assertThat(e.status()).isEqualTo(ImageStatus.CLASSIFIED);
        assertThat(e.isCat()).contains(true);
      });
      assertThat(entry.get(0).fileNames()).extracting(f -> f.value()).containsExactly("photo-" + v + ".jpg");
    }
    // a rebuild from the whole stream writes the same bounded row
    view.remove(id);
    view.save(ImageState.fold(id, events));
    assertThat(view.image(id)).contains(row);
    assertThat(view.batch(BatchId.of("batch-2"), PageRequest.first(10)).images()).singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(ImageStatus.CLASSIFIED));
  }

  @Test
  void aBatchItemKeepsItsNewestDistinctFileNames() {
    ImageId id = image(41);
    List<Event> events = new ArrayList<>();
    for (int v = 1; v <= 30; v++) {
      events.add(received(id, v, "one-batch", "name-" + (v % 12) + ".jpg"));
    }
    view.save(ImageState.fold(id, events));

    assertThat(view.batch(BatchId.of("one-batch"), PageRequest.first(10)).images().get(0).fileNames())
        .extracting(f -> f.value()).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(DynamoDbResultView.RETAINED_FILE_NAMES)
        .endsWith("name-6.jpg");
  }

  @Test
  void aBatchPageReadsEventuallyConsistentlyAtHalfTheReadUnits() {
    List<String> consistency = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutionInterceptor queries = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof QueryRequest q) {
          consistency.add("Query consistent=" + Boolean.TRUE.equals(q.consistentRead()));
        }
        if (context.request() instanceof GetItemRequest g) {
          consistency.add("GetItem consistent=" + Boolean.TRUE.equals(g.consistentRead()));
        }
      }
    };
    DynamoDbResultView counted = new DynamoDbResultView(TestAws.configure(DynamoDbClient.builder(), DYNAMO.endpoint())
        .httpClientBuilder(TestAws.http()).overrideConfiguration(o -> o.addExecutionInterceptor(queries)).build(),
        table);
    view.save(state(image(9), "polled", Optional.empty()));

    assertThat(counted.batch(BatchId.of("polled"), PageRequest.first(10)).images()).hasSize(1);

    assertThat(consistency).as("the page's Query and the counter item's GetItem")
        .containsExactly("Query consistent=false", "GetItem consistent=false");
  }

  @Test
  void anotherSubmissionOfAnImageInManyBatchesWritesOneBatchItemNotAll() {
    ImageId id = image(10);
    List<Event> events = new ArrayList<>();
    for (int v = 1; v <= 30; v++) {
      events.add(received(id, v, "many-" + v, "copy-" + v + ".jpg"));
    }
    ImageState thirty = ImageState.fold(id, events);
    view.save(thirty);
    events.add(received(id, 31, "many-31", "copy-31.jpg"));
    ImageState thirtyOne = ImageState.fold(id, events);
    RecordedOperations calls = new RecordedOperations();
    DynamoDbResultView counted = new DynamoDbResultView(DYNAMO.newClient(calls), table);

    Optional<ImageState> stored = counted.image(id); // as the projector does: read the row, then save
    calls.clear();
    assertThat(counted.save(thirtyOne, stored)).isTrue();

    assertThat(calls.operations()).as("the new batch's item with its counter, then the image row")
        .containsExactly("TransactWriteItems", "PutItem");
    assertThat(view.batch(BatchId.of("many-31"), PageRequest.first(10)).images()).hasSize(1);
    assertThat(view.batch(BatchId.of("many-7"), PageRequest.first(10)).images()).singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(ImageStatus.PENDING));

    // the answer changes every batch's entry: all 31 are written, then the row
    events.add(ContractEvents.succeeded(id, 32, true));
    ImageState answered = ImageState.fold(id, events);
    stored = counted.image(id);
    calls.clear();
    assertThat(counted.save(answered, stored)).isTrue();
    // the new answer on all 31 batch items (their file names kept) with their 31 counters in one transaction, then
    // the row
    assertThat(calls.operations()).containsExactly("TransactWriteItems", "PutItem");
    for (int b : List.of(1, 7, 31)) {
      assertThat(view.batchCounts(BatchId.of("many-" + b))).isEqualTo(new BatchCounts(0, 1, 0, 1, 0));
    }
    // a new file name in a batch it is in already counts nothing new: a plain write
    events.add(received(id, 33, "many-7", "copy-7-again.jpg"));
    stored = counted.image(id);
    calls.clear();
    assertThat(counted.save(ImageState.fold(id, events), stored)).isTrue();
    assertThat(calls.operations()).containsExactly("PutItem", "PutItem");
    assertThat(view.batchCounts(BatchId.of("many-7"))).isEqualTo(new BatchCounts(0, 1, 0, 1, 0));
    assertThat(view.batch(BatchId.of("many-7"), PageRequest.first(10)).images()).singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(ImageStatus.CLASSIFIED));
  }

  @Test
  void storesQueryableAttributesBesideTheDocument() {
    ImageId id = image(2);
    view.save(state(id, "batch-a", Optional.of(true)));

    Map<String, AttributeValue> item =
        DYNAMO.client()
            .getItem(g -> g.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("image#" + id.value()), "sk", AttributeValue.fromS("state"))))
            .item();

    assertThat(item.get("status").s()).isEqualTo("CLASSIFIED");
    assertThat(item.get("answer").s()).isEqualTo("yes");
    assertThat(item.get("version").n()).isEqualTo("2");
    assertThat(item.get("batch_ids").l()).extracting(AttributeValue::s).containsExactly("batch-a");
    // the document, plain up to 1 KB, gzipped above (write units are billed per KB)
    assertThat(item.containsKey("state") != item.containsKey("state_gz")).isTrue();
    assertThat(view.image(id)).contains(state(id, "batch-a", Optional.of(true)));
  }

  @Test
  void aStateOfManySubmissionsIsStoredBoundedWithItsFirstAndNewest() {
    ImageId id = image(3);
    List<Event> events = new ArrayList<>();
    // 400 submissions of one image: a state document far beyond DynamoDB's 400 KB item limit as plain JSON
    for (int v = 1; v <= 400; v++) {
      events.add(received(id, v, "batch-" + (v % 3), "a-rather-long-file-name-for-submission-" + v + ".jpg"));
    }
    ImageState big = ImageState.fold(id, events);

    assertThat(view.save(big)).isTrue();

    ImageState stored = view.image(id).orElseThrow();
    assertThat(stored).isEqualTo(DynamoDbResultView.retained(big));
    assertThat(stored.submissions()).hasSize(DynamoDbResultView.RETAINED_SUBMISSIONS)
        .extracting(r -> r.version()).containsExactly(1L, 394L, 395L, 396L, 397L, 398L, 399L, 400L);
    assertThat(stored.batchIds()).containsExactlyInAnyOrder(BatchId.of("batch-0"), BatchId.of("batch-1"),
        BatchId.of("batch-2"));
    assertThat(view.batch(BatchId.of("batch-1"), PageRequest.first(10)).images()).singleElement()
        .satisfies(e -> assertThat(e.fileNames()).hasSize(DynamoDbResultView.RETAINED_FILE_NAMES)
            .last().satisfies(f -> assertThat(f.value()).isEqualTo("a-rather-long-file-name-for-submission-400.jpg")));
  }

  @Test
  void anImageInMoreBatchesThanATransactionHoldsIsListedInEach() {
    ImageId id = image(4);
    List<Event> events = new ArrayList<>();
    for (int v = 1; v <= 120; v++) {
      events.add(received(id, v, "many-" + v, "f" + v + ".jpg"));
    }
    ImageState state = ImageState.fold(id, events);

    assertThat(view.save(state)).isTrue();
    assertThat(view.save(ImageState.fold(id, events.subList(0, 119)))).isFalse();

    for (int b : List.of(1, 99, 100, 120)) {
      assertThat(view.batch(BatchId.of("many-" + b), PageRequest.first(10)).images()).singleElement()
          .satisfies(e -> assertThat(e.status()).isEqualTo(ImageStatus.PENDING));
      assertThat(view.batchCounts(BatchId.of("many-" + b))).isEqualTo(new BatchCounts(1, 0, 0, 0, 0));
    }
    // the answer moves 120 counters: in transactions of at most 100 items, each item with its counter
    events.add(ContractEvents.succeeded(id, 121, false));
    RecordedOperations calls = new RecordedOperations();
    DynamoDbResultView counted = new DynamoDbResultView(DYNAMO.newClient(calls), table);
    Optional<ImageState> stored = counted.image(id);
    calls.clear();
    assertThat(counted.save(ImageState.fold(id, events), stored)).isTrue();
    assertThat(calls.operations()).containsExactly("TransactWriteItems", "TransactWriteItems", "TransactWriteItems",
        "PutItem");
    for (int b = 1; b <= 120; b++) {
      assertThat(view.batchCounts(BatchId.of("many-" + b))).as("many-" + b).isEqualTo(new BatchCounts(0, 1, 0, 0, 1));
    }
    view.remove(id);
    assertThat(view.batch(BatchId.of("many-120"), PageRequest.first(10)).total()).isZero();
    assertThat(view.batchCounts(BatchId.of("many-120"))).isEqualTo(BatchCounts.NONE);
  }

  @Test
  void resetDeletesEveryItemAScanPageAtATime() {
    DynamoDbResultView paged = new DynamoDbResultView(DYNAMO.client(), table, 7);
    ImageId many = image(5);
    List<Event> events = new ArrayList<>();
    for (int v = 1; v <= 30; v++) {
      events.add(received(many, v, "paged-" + v, "f" + v + ".jpg"));
    }
    paged.save(ImageState.fold(many, events));
    for (int i = 6; i < 16; i++) {
      paged.save(state(image(i), "batch-a", Optional.of(i % 2 == 0)));
    }
    // the row and 30 batch items, 10 rows and their batch items, and a counter item per batch
    assertThat(DYNAMO.client().scan(s -> s.tableName(table)).count()).isEqualTo(31 + 20 + 31);

    paged.reset();

    assertThat(DYNAMO.client().scan(s -> s.tableName(table).consistentRead(true)).count()).isZero();
  }
}
