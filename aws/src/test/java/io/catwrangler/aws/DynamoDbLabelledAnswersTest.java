package io.catwrangler.aws;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.labelled;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.scored;
import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.aws.testing.RecordedOperations;
import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.core.port.contract.LabelledAnswersContract;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The labelled-answers contract on Dynoxide, plus how the label items are read and written. */
class DynamoDbLabelledAnswersTest extends LabelledAnswersContract<DynamoDbResultView> {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private String table;

  @Override
  protected DynamoDbResultView newView() {
    table = DYNAMO.createTable(DynamoDbTables::viewTable, "labels");
    return new DynamoDbResultView(DYNAMO.client(), table);
  }

  private static List<Event> labelledImage(ImageId id, double score, boolean cat) {
    return new ArrayList<>(List.of(received(id, 1, "batch-l", "l.jpg"), scored(id, 2, score, 0.5, ContractEvents.MODEL),
        labelled(id, 3, cat, "ana")));
  }

  @Test
  void aTallyQueriesOnlyTheLabelPartitionPageByPageEventuallyConsistent() {
    for (int n = 1; n <= 23; n++) {
      view.save(ImageState.fold(image(n), labelledImage(image(n), n % 2 == 0 ? 0.9 : 0.1, n % 3 != 0)));
    }
    for (int n = 100; n < 130; n++) { // unlabelled images: never read by a tally
      view.save(ImageState.fold(image(n), List.of(received(image(n), 1, "batch-l", "u.jpg"),
          scored(image(n), 2, 0.9, 0.5, ContractEvents.MODEL))));
    }
    List<QueryRequest> queries = Collections.synchronizedList(new ArrayList<>());
    RecordedOperations calls = new RecordedOperations();
    ExecutionInterceptor seen = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof QueryRequest q) {
          queries.add(q);
        }
      }
    };
    DynamoDbLabelledAnswers paged = new DynamoDbLabelledAnswers(DYNAMO.newClient(calls, seen), table, 5);

    LabelTally tally = paged.tally(ContractEvents.MODEL, List.of(0.5));

    // n even: yes (0.9); n not a multiple of 3: labelled cat
    assertThat(tally.answered()).isEqualTo(new Confusion(8, 3, 4, 8));
    assertThat(tally.answered()).isEqualTo(view.tally(ContractEvents.MODEL, List.of(0.5)).answered());
    assertThat(calls.operations()).as("23 label items, 5 a page").hasSize(5).containsOnly("Query");
    assertThat(queries).allSatisfy(q -> {
      assertThat(q.expressionAttributeValues().get(":pk").s()).isEqualTo("labels");
      assertThat(q.consistentRead()).isFalse();
      assertThat(q.limit()).isEqualTo(5);
    });
  }

  @Test
  void theProjectorWritesALabelItemOnlyWhenTheLabelOrTheAnswerChanged() {
    ImageId id = image(7);
    List<Event> events = labelledImage(id, 0.8, true);
    view.save(ImageState.fold(id, events));
    List<String> labelPuts = Collections.synchronizedList(new ArrayList<>());
    ExecutionInterceptor puts = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutItemRequest p) {
          labelPuts.add(p.item().get(DynamoDbResultView.PK).s());
        }
      }
    };
    DynamoDbResultView counted = new DynamoDbResultView(DYNAMO.newClient(puts), table);

    // one more submission of the labelled image: the image row (and its batch item), no label item
    Optional<ImageState> stored = counted.image(id);
    events.add(received(id, 4, "batch-m", "again.jpg"));
    counted.save(ImageState.fold(id, events), stored);
    assertThat(labelPuts).doesNotContain("labels");

    // another person's label: the label item too
    stored = counted.image(id);
    events.add(labelled(id, 5, false, "bob"));
    labelPuts.clear();
    counted.save(ImageState.fold(id, events), stored);
    assertThat(labelPuts).containsExactly("labels", "image#" + id.value());
    assertThat(view.tally(ContractEvents.MODEL, List.of()).answered()).isEqualTo(new Confusion(0, 1, 0, 0));

    // a re-decision of the labelled answer: the label item follows it
    stored = counted.image(id);
    events.add(scored(id, 6, 0.8, 0.9, ContractEvents.MODEL));
    labelPuts.clear();
    counted.save(ImageState.fold(id, events), stored);
    assertThat(labelPuts).containsExactly("labels", "image#" + id.value());
    assertThat(view.tally(ContractEvents.MODEL, List.of()).answered()).isEqualTo(new Confusion(0, 0, 1, 0));
  }

  @Test
  void aRedeliveredStateCountsOnce() {
    ImageId id = image(8);
    ImageState state = ImageState.fold(id, labelledImage(id, 0.2, true));
    // saved twice (a retried projector batch): the second label put is refused by the version, counted once
    view.save(state);
    view.save(state);

    assertThat(view.tally(ContractEvents.MODEL, List.of(0.1)).atThresholds())
        .containsExactly(new LabelTally.AtThreshold(0.1, new Confusion(1, 0, 0, 0), 1));
    assertThat(view.tally(ContractEvents.MODEL, List.of()).answered()).isEqualTo(new Confusion(0, 0, 0, 1));
  }
}
