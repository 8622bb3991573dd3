package io.catwrangler.aws;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.core.port.StoreRejectedException;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures that a retry cannot fix reach the use cases as {@link StoreRejectedException}, on Dynoxide. */
class PermanentFailuresTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  @Test
  void anEventOverTheItemLimitIsRefusedBeforeTheWriteAndNothingIsAppended() {
    DynamoDbEventStore store = new DynamoDbEventStore(DYNAMO.client(),
        DYNAMO.createTable(DynamoDbTables::eventTable, "events"));
    ImageId id = image(2);
    store.append(id, 0, List.of(received(id, 1, "b", "a.jpg")));
    ClassificationSucceeded normal = succeeded(id, 2, true);
    Map<String, Object> raw = new HashMap<>(normal.classification().raw());
    raw.put("labels", "x".repeat(420 * 1024)); // e.g. a detector's raw answer that grew past 400 KB
    var huge = ClassificationSucceeded.of(id, 2, normal.occurredAt(), normal.correlationId(),
        new io.catwrangler.events.Classification(normal.classification().isCat(), normal.classification().catScore(),
            normal.classification().threshold(), normal.classification().detections(),
            normal.classification().model(), normal.classification().timingsMs(), normal.classification().orientedWidth(),
            normal.classification().orientedHeight(), raw, normal.classification().attempt(),
            normal.classification().trigger(), normal.classification().redecidedFrom()));

    assertThatThrownBy(() -> store.append(id, 1, List.of(huge)))
        .isInstanceOfSatisfying(StoreRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo("ItemTooLarge");
          assertThat(e.getMessage()).contains("event 2 of " + id.value());
        });
    assertThat(store.read(id)).hasSize(1);
  }

  @Test
  void aViewRowOverTheItemLimitIsRefusedBeforeTheWrite() {
    DynamoDbResultView view = new DynamoDbResultView(DYNAMO.client(),
        DYNAMO.createTable(DynamoDbTables::viewTable, "view"));
    ImageId id = image(3);
    List<Event> stream = new ArrayList<>();
    // the row keeps its newest submissions only (decision 0030), but lists every batch: 12,000 batches of
    // 40-character names are over 400 KB
    for (int v = 1; v <= 12_000; v++) {
      stream.add(received(id, v, "a-batch-with-a-rather-long-name-" + (100_000 + v), "hot-" + v + ".jpg"));
    }
    assertThatThrownBy(() -> view.save(ImageState.fold(id, stream)))
        .isInstanceOfSatisfying(StoreRejectedException.class, e -> assertThat(e.code()).isEqualTo("ItemTooLarge"));
  }
}
