package io.catwrangler.query;

import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.aws.DynamoDbResultView;
import io.catwrangler.aws.DynamoDbTables;
import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.core.notify.StreamNotifications;
import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.projection.ProjectEvents;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Notification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * What the projector's completion decision and the batch counters cost, measured on Dynoxide's consumed capacity
 * (decision 0042): the events of a batch of 100 and of 1,000 images go through the real {@link StreamProjection} in
 * stream batches of 100 records (as the stream mapping hands them over), with {@link StreamNotifications} deciding
 * completions. The figures are written to {@code target/batch-counts-cost.txt} (docs/deploy-aws.md, cost section).
 */
class BatchCompletionCostTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private static final StringBuilder report = new StringBuilder();

  @AfterAll
  static void write() throws IOException {
    Files.writeString(Path.of("target", "batch-counts-cost.txt"), report);
    System.out.print(report);
  }

  /** Read units of the GetItem calls on counter items ({@code counts#…}), and how many. */
  static final class CounterReads implements ExecutionInterceptor {
    double units;
    int calls;
    int indexQueries;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest q
          && q.expressionAttributeValues().values().stream().anyMatch(v -> v.s() != null && v.s().startsWith("batch#"))) {
        synchronized (this) {
          indexQueries++;
        }
      }
    }

    @Override
    public software.amazon.awssdk.core.SdkRequest modifyRequest(Context.ModifyRequest context,
        ExecutionAttributes attributes) {
      if (context.request() instanceof GetItemRequest r) {
        return r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
      }
      return context.request();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof GetItemRequest r && r.key().get("pk").s().startsWith("counts#")
          && context.response() instanceof GetItemResponse response) {
        synchronized (this) {
          calls++;
          units += response.consumedCapacity().capacityUnits();
        }
      }
    }

    synchronized void clear() {
      units = 0;
      calls = 0;
      indexQueries = 0;
    }
  }

  /** One run: a batch of {@code size} images received, then answered; units per stream batch of the answers. */
  record Run(int size, List<Double> counterReadUnitsPerStreamBatch, List<Integer> counterReadsPerStreamBatch,
      List<Double> readUnitsPerStreamBatch, double writeUnitsPerImage, Map<String, Double> receivedWrites,
      Map<String, Double> answeredWrites, Map<String, Long> calls, int indexQueries, List<Notification> published,
      BatchCounts counts, double indexQueryUnits) {}

  private static Run run(int size, int streamBatch) {
    String eventTable = DYNAMO.createTable(DynamoDbTables::eventTable, "events");
    String viewTable = DYNAMO.createTable(DynamoDbTables::viewTable, "view");
    ConsumedCapacity units = new ConsumedCapacity();
    CounterReads counterReads = new CounterReads();
    RecordedOperations calls = new RecordedOperations();
    var dynamo = DYNAMO.newClient(calls, units, counterReads);
    DynamoDbEventStore events = new DynamoDbEventStore(dynamo, eventTable);
    DynamoDbResultView view = new DynamoDbResultView(dynamo, viewTable);
    List<Notification> published = new ArrayList<>();
    StreamProjection projection = new StreamProjection(events, new ProjectEvents(events, view), Optional.of(
        new StreamNotifications(events, view.announcedBatches(), published::addAll, false, Clock.systemUTC())));
    RequestHandler<DynamodbEvent, StreamsEventResponse> projector = (event, context) -> {
      assertThat(projection.project(event.getRecords())).isEmpty();
      return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
    };
    EventSourceHarness.StreamReader stream = new EventSourceHarness(null, null, DYNAMO.streams())
        .streamOf(DYNAMO.client().describeTable(d -> d.tableName(eventTable)).table().latestStreamArn());
    DynamoDbEventStore appender = new DynamoDbEventStore(DYNAMO.client(), eventTable);
    String batch = "big-" + size;
    List<ImageId> ids = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ids.add(ImageId.sha256Of((batch + " image " + i).getBytes(StandardCharsets.UTF_8)));
    }

    double writeUnits = 0;
    Map<String, Double> receivedWrites = new TreeMap<>();
    Map<String, Double> answeredWrites = new TreeMap<>();
    for (int from = 0; from < size; from += streamBatch) {
      for (ImageId id : ids.subList(from, Math.min(size, from + streamBatch))) {
        appender.append(id, 0, List.of(received(id, 1, batch, id.value().substring(0, 8) + ".jpg")));
      }
      assertThat(stream.pollOnce(projector)).isEqualTo(Math.min(streamBatch, size - from));
      writeUnits += writes(units.units(), receivedWrites, size);
      units.clear();
    }
    assertThat(published).as("pending: nothing complete").isEmpty();
    List<Double> counterUnits = new ArrayList<>();
    List<Integer> counterCalls = new ArrayList<>();
    List<Double> readUnits = new ArrayList<>();
    calls.clear();
    int indexQueries = 0;
    for (int from = 0; from < size; from += streamBatch) {
      for (ImageId id : ids.subList(from, Math.min(size, from + streamBatch))) {
        appender.append(id, 1, List.of(succeeded(id, 2, id.value().charAt(0) < '8')));
      }
      counterReads.clear();
      assertThat(stream.pollOnce(projector)).isEqualTo(Math.min(streamBatch, size - from));
      counterUnits.add(counterReads.units);
      counterCalls.add(counterReads.calls);
      indexQueries += counterReads.indexQueries;
      readUnits.add(reads(units.units()));
      writeUnits += writes(units.units(), answeredWrites, size);
      units.clear();
    }
    Map<String, Long> answerCalls = new TreeMap<>(calls.counts());
    // what the decision read before the counters: the batch's index, projecting the status (one Query, all pages)
    ConsumedCapacity indexUnits = new ConsumedCapacity();
    var indexReader = DYNAMO.newClient(indexUnits);
    indexReader.queryPaginator(q -> q.tableName(viewTable).keyConditionExpression("#pk = :pk")
        .projectionExpression("#st").expressionAttributeNames(Map.of("#pk", "pk", "#st", "status"))
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("batch#" + batch))).consistentRead(false))
        .items().forEach(item -> { });
    return new Run(size, counterUnits, counterCalls, readUnits, writeUnits / size, receivedWrites, answeredWrites,
        answerCalls, indexQueries, published, view.batchCounts(BatchId.of(batch)),
        indexUnits.units().getOrDefault("Query", 0.0));
  }

  /** The write units in {@code units}; added per image and operation to {@code perImage}. */
  private static double writes(Map<String, Double> units, Map<String, Double> perImage, int images) {
    double sum = 0;
    for (Map.Entry<String, Double> e : units.entrySet()) {
      if (List.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems").contains(e.getKey())) {
        sum += e.getValue();
        perImage.merge(e.getKey(), e.getValue() / images, Double::sum);
      }
    }
    return sum;
  }

  private static double reads(Map<String, Double> units) {
    return units.entrySet().stream().filter(e -> List.of("GetItem", "Query").contains(e.getKey()))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  @Test
  void theCompletionDecisionReadsOneCounterItemPerStreamBatchWhateverTheBatchsSize() {
    Run small = run(100, 100);
    Run large = run(1000, 100);

    for (Run run : List.of(small, large)) {
      report.append(String.format("batch of %d, stream batches of 100: completion decision per stream batch %s GetItem,"
              + " %s read units; all projector reads per stream batch of answers %s; projector write units per image"
              + " (received + answered) %.2f: received %s, answered %s; calls while answering %s; the batch index read"
              + " instead: %.1f read units%n",
          run.size(), run.counterReadsPerStreamBatch().stream().distinct().toList(),
          run.counterReadUnitsPerStreamBatch().stream().distinct().toList(),
          run.readUnitsPerStreamBatch().stream().distinct().toList(), run.writeUnitsPerImage(), run.receivedWrites(),
          run.answeredWrites(), run.calls(), run.indexQueryUnits()));
      assertThat(run.counterReadsPerStreamBatch()).as("one GetItem of the counter item per stream batch")
          .containsOnly(1);
      assertThat(run.counterReadUnitsPerStreamBatch()).as("strongly consistent, under 4 KB").containsOnly(1.0);
      assertThat(run.indexQueries()).as("the batch's index is never read to decide").isZero();
      assertThat(run.calls().get("Query")).as("only each answered image's events (its first outcome)")
          .isEqualTo(run.size());
      assertThat(run.published()).as("announced once, when the last answer is in").singleElement()
          .satisfies(n -> assertThat(n.batch().orElseThrow().total()).isEqualTo(run.size()));
      assertThat(run.counts().pending()).isZero();
      assertThat(run.counts().classified()).isEqualTo(run.size());
    }
    // the same reads per stream batch for ten times the images
    assertThat(large.readUnitsPerStreamBatch().stream().mapToDouble(Double::doubleValue).max().orElseThrow())
        .isEqualTo(small.readUnitsPerStreamBatch().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    assertThat(large.indexQueryUnits()).as("what reading the index would cost instead")
        .isGreaterThan(5 * small.indexQueryUnits());
  }

  @Test
  void whatTheCounterAddsPerImageWhenEveryStreamBatchHoldsOneRecord() {
    Run single = run(20, 1);

    report.append(String.format("batch of 20, stream batches of 1 record: projector write units per image (received +"
        + " answered) %.2f: received %s, answered %s; calls while answering %s%n", single.writeUnitsPerImage(),
        single.receivedWrites(), single.answeredWrites(), single.calls()));
    assertThat(single.indexQueries()).isZero();
    assertThat(single.published()).singleElement()
        .satisfies(n -> assertThat(n.batch().orElseThrow().total()).isEqualTo(20));
  }
}
