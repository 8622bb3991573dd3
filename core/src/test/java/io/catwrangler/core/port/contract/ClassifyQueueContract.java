package io.catwrangler.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.ClassifyQueue;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link ClassifyQueue} must do: what goes in comes out, each request once, as it was sent. */
public abstract class ClassifyQueueContract {

  /** A new, empty queue. */
  protected abstract ClassifyQueue newClassifyQueue();

  /** Takes what {@code queue} holds out of it (as its consumer would), in any order; empty when it holds nothing. */
  protected abstract List<ClassifyRequest> takeAll(ClassifyQueue queue);

  protected static ClassifyRequest request(int n) {
    ImageId id = ContractEvents.image(n);
    ImageReceived received = ContractEvents.received(id, 1, "batch-" + n, "photo " + n + ".jpg");
    return ClassifyRequest.of(received);
  }

  @Test
  void deliversWhatWasEnqueuedAsItWasSent() {
    ClassifyQueue queue = newClassifyQueue();
    ClassifyRequest reclassify = ClassifyRequest.reclassify(
        ContractEvents.received(ContractEvents.image(2), 1, "batch-2", "photo 2.jpg"), "replay-request-1");

    queue.enqueue(request(1));
    queue.enqueue(reclassify);

    assertThat(takeAll(queue)).containsExactlyInAnyOrder(request(1), reclassify);
    assertThat(takeAll(queue)).isEmpty();
  }

  @Test
  void enqueueAllQueuesEveryRequestOnceAndCountsThem() {
    ClassifyQueue queue = newClassifyQueue();
    List<ClassifyRequest> requests = new ArrayList<>();
    for (int n = 1; n <= 23; n++) {
      requests.add(request(n));
    }

    assertThat(queue.enqueueAll(requests)).isEqualTo(23);

    assertThat(takeAll(queue)).containsExactlyInAnyOrderElementsOf(requests);
  }

  @Test
  void enqueueAllOfNothingQueuesNothing() {
    ClassifyQueue queue = newClassifyQueue();

    assertThat(queue.enqueueAll(List.of())).isZero();

    assertThat(takeAll(queue)).isEmpty();
  }
}
