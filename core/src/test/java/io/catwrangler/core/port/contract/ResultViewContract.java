package io.catwrangler.core.port.contract;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.state;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.port.BatchEntry;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.BatchResult;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Event;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ResultView} must do. Return a fresh, empty view from {@link #newView()}. */
public abstract class ResultViewContract {
  protected ResultView view;

  protected abstract ResultView newView();

  @BeforeEach
  void createView() {
    view = newView();
  }

  private static final BatchId BATCH = BatchId.of("batch-a");

  @Test
  void returnsTheStateItSaved() {
    ImageState state = ImageState.fold(image(1), ContractEvents.stream(image(1), 6));

    assertThat(view.save(state)).isTrue();

    assertThat(view.image(image(1))).contains(state);
  }

  @Test
  void anUnknownImageIsAbsent() {
    assertThat(view.image(image(404))).isEmpty();
  }

  @Test
  void skipsOlderAndDuplicateVersions() {
    ImageId id = image(1);
    ImageState pending = state(id, "batch-a", Optional.empty());
    ImageState classified = state(id, "batch-a", Optional.of(true));

    assertThat(view.save(classified)).isTrue();
    assertThat(view.save(pending)).isFalse();
    assertThat(view.save(classified)).isFalse();

    assertThat(view.image(id)).contains(classified);
  }

  @Test
  void listsABatchByImageIdWithEntriesAndCounts() {
    List<ImageState> states = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      Optional<Boolean> answer = n == 0 ? Optional.empty() : Optional.of(n % 2 == 0);
      states.add(state(image(n), "batch-a", answer));
    }
    ImageId failedId = image(5);
    states.add(
        ImageState.fold(
            failedId,
            List.of(
                received(failedId, 1, "batch-a", "broken.jpg"),
                ContractEvents.failed(failedId, 2, FailureReason.INVALID_IMAGE, false))));
    states.add(state(image(6), "batch-b", Optional.of(true)));
    states.forEach(view::save);

    BatchPage page = view.batch(BATCH, PageRequest.first(100));

    List<ImageState> inBatch =
        states.stream()
            .filter(s -> s.batchIds().contains(BATCH))
            .sorted(Comparator.comparing(ImageState::imageId))
            .toList();
    assertThat(page.batchId()).isEqualTo(BATCH);
    assertThat(page.images())
        .containsExactlyElementsOf(inBatch.stream().map(s -> BatchEntry.of(s, BATCH)).toList());
    assertThat(page.counts())
        .isEqualTo(Map.of(ImageStatus.PENDING, 1L, ImageStatus.CLASSIFIED, 4L, ImageStatus.FAILED, 1L));
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void pagesThroughABatchOnceWithCountsOfTheWholeBatch() {
    for (int n = 0; n < 7; n++) {
      view.save(state(image(n), "batch-a", Optional.of(true)));
    }

    List<ImageId> seen = new ArrayList<>();
    PageRequest request = PageRequest.first(3);
    for (int pages = 0; pages < 10; pages++) {
      BatchPage page = view.batch(BATCH, request);
      assertThat(page.images().size()).isLessThanOrEqualTo(3);
      assertThat(page.total()).isEqualTo(7);
      page.images().forEach(e -> seen.add(e.imageId()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      request = request.next(page.nextCursor().get());
    }

    assertThat(seen).doesNotHaveDuplicates().hasSize(7).isSorted();
  }

  @Test
  void pagesThroughABatchsWholeStatesOnceInImageIdOrder() {
    for (int n = 0; n < 7; n++) {
      view.save(state(image(n), "batch-a", Optional.of(n % 2 == 0)));
    }
    view.save(state(image(20), "batch-b", Optional.of(true)));

    List<ImageState> seen = new ArrayList<>();
    PageRequest request = PageRequest.first(3);
    for (int pages = 0; pages < 10; pages++) {
      Page<ImageState> page = view.batchStates(BATCH, request);
      assertThat(page.items().size()).isLessThanOrEqualTo(3);
      seen.addAll(page.items());
      if (page.nextCursor().isEmpty()) {
        break;
      }
      request = request.next(page.nextCursor().get());
    }

    assertThat(seen).extracting(s -> s.imageId().value()).doesNotHaveDuplicates().hasSize(7).isSorted();
    for (ImageState state : seen) {
      assertThat(state).isEqualTo(view.image(state.imageId()).orElseThrow());
    }
    assertThat(view.batchStates(BatchId.of("nobody"), PageRequest.first(3)).items()).isEmpty();
  }

  @Test
  void exportLinesAreWhatEachStoredStateSaysInImageIdOrder() {
    for (int n = 0; n < 5; n++) {
      view.save(state(image(n), "batch-a", n == 4 ? Optional.empty() : Optional.of(n % 2 == 0)));
    }
    ImageId failed = image(30);
    view.save(ImageState.fold(failed, List.of(
        received(failed, 1, "batch-b", "broken.jpg"), received(failed, 2, "batch-a", "again, \"broken\".jpg"),
        ContractEvents.failed(failed, 3, FailureReason.INVALID_IMAGE, false))));
    ImageId twice = image(31);
    view.save(ImageState.fold(twice, List.of(
        received(twice, 1, "batch-a", "one.jpg"), succeeded(twice, 2, true), received(twice, 3, "batch-a", "two.jpg"))));

    List<BatchResult> lines = new ArrayList<>();
    PageRequest request = PageRequest.first(3);
    for (int pages = 0; pages < 10; pages++) {
      Page<BatchResult> page = view.batchResults(BATCH, request);
      lines.addAll(page.items());
      if (page.nextCursor().isEmpty()) {
        break;
      }
      request = request.next(page.nextCursor().get());
    }

    assertThat(lines).extracting(l -> l.imageId().value()).hasSize(7).doesNotHaveDuplicates().isSorted();
    for (BatchResult line : lines) {
      assertThat(line).isEqualTo(BatchResult.of(view.image(line.imageId()).orElseThrow(), BATCH));
    }
    assertThat(lines).anySatisfy(l -> assertThat(l.failure()).contains(FailureReason.INVALID_IMAGE));
  }

  @Test
  void anImageInTwoBatchesIsListedInBothWithTheNamesOfEach() {
    ImageId id = image(1);
    List<Event> events =
        List.of(
            received(id, 1, "batch-a", "cat-in-a.jpg"),
            succeeded(id, 2, true),
            received(id, 3, "batch-b", "cat-in-b.jpg"));
    view.save(ImageState.fold(id, events));

    BatchEntry inA = view.batch(BatchId.of("batch-a"), PageRequest.first(10)).images().get(0);
    BatchEntry inB = view.batch(BatchId.of("batch-b"), PageRequest.first(10)).images().get(0);

    assertThat(inA.isCat()).contains(true);
    assertThat(inB.isCat()).contains(true);
    assertThat(inA.fileNames()).extracting(Object::toString).containsExactly("cat-in-a.jpg");
    assertThat(inB.fileNames()).extracting(Object::toString).containsExactly("cat-in-b.jpg");
  }

  @Test
  void aNewerStateUpdatesTheBatchListing() {
    ImageId id = image(1);
    view.save(state(id, "batch-a", Optional.empty()));
    assertThat(view.batch(BATCH, PageRequest.first(10)).counts()).containsEntry(ImageStatus.PENDING, 1L);

    view.save(state(id, "batch-a", Optional.of(false)));

    BatchPage page = view.batch(BATCH, PageRequest.first(10));
    assertThat(page.counts()).containsEntry(ImageStatus.PENDING, 0L).containsEntry(ImageStatus.CLASSIFIED, 1L);
    assertThat(page.images()).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(ImageStatus.CLASSIFIED);
      assertThat(e.isCat()).contains(false);
      assertThat(e.catScore()).isPresent();
    });
  }

  @Test
  void anUnknownBatchIsEmpty() {
    BatchPage page = view.batch(BatchId.of("nobody-named-this"), PageRequest.first(10));

    assertThat(page.images()).isEmpty();
    assertThat(page.total()).isZero();
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void removeForgetsOneImage() {
    view.save(state(image(1), "batch-a", Optional.of(true)));
    view.save(state(image(2), "batch-a", Optional.of(false)));

    view.remove(image(1));

    assertThat(view.image(image(1))).isEmpty();
    assertThat(view.image(image(2))).isPresent();
    assertThat(view.batch(BATCH, PageRequest.first(10)).images())
        .extracting(BatchEntry::imageId)
        .containsExactly(image(2));
    assertThat(view.save(state(image(1), "batch-a", Optional.empty()))).as("saved again after remove").isTrue();
  }

  @Test
  void resetForgetsEverything() {
    view.save(state(image(1), "batch-a", Optional.of(true)));

    view.reset();

    assertThat(view.image(image(1))).isEmpty();
    assertThat(view.batch(BATCH, PageRequest.first(10)).total()).isZero();
    assertThat(view.save(state(image(1), "batch-a", Optional.of(true)))).isTrue();
  }

  @Test
  void batchCountsFollowAnswersReDecisionsNewBatchesRedeliveriesRemovalsAndARebuild() {
    ImageId one = image(1);
    ImageId two = image(2);
    ImageId three = image(3);
    List<Event> first = new ArrayList<>(List.of(received(one, 1, "batch-a", "one.jpg"), succeeded(one, 2, true),
        succeeded(one, 3, false), received(one, 4, "batch-b", "one-again.jpg")));
    List<Event> second = List.of(received(two, 1, "batch-a", "two.jpg"),
        ContractEvents.failed(two, 2, FailureReason.INVALID_IMAGE, false));
    List<Event> third = List.of(received(three, 1, "batch-a", "three.jpg"));
    for (List<Event> stream : List.of(first, second, third)) {
      ImageId id = stream.get(0).imageId();
      for (int v = 1; v <= stream.size(); v++) {
        ImageState state = ImageState.fold(id, stream.subList(0, v));
        view.save(state, view.image(id)); // as the projector saves: told the stored row
        view.save(state); // redelivered
        if (v > 1) {
          view.save(ImageState.fold(id, stream.subList(0, v - 1))); // an older state, late
        }
      }
    }
    BatchId other = BatchId.of("batch-b");

    assertThat(view.batchCounts(BATCH)).isEqualTo(new BatchCounts(1, 1, 1, 0, 1)).isEqualTo(recount(BATCH));
    assertThat(view.batchCounts(other)).isEqualTo(new BatchCounts(0, 1, 0, 0, 1)).isEqualTo(recount(other));
    assertThat(view.batch(BATCH, PageRequest.first(1)).counts())
        .isEqualTo(Map.of(ImageStatus.PENDING, 1L, ImageStatus.CLASSIFIED, 1L, ImageStatus.FAILED, 1L));
    assertThat(view.batchCounts(BatchId.of("nobody-named-this"))).isEqualTo(BatchCounts.NONE);

    view.remove(one);
    assertThat(view.batchCounts(BATCH)).isEqualTo(new BatchCounts(1, 0, 1, 0, 0)).isEqualTo(recount(BATCH));
    assertThat(view.batchCounts(other)).isEqualTo(BatchCounts.NONE);
    view.save(ImageState.fold(one, first)); // rebuilt from its stream

    BatchCounts before = view.batchCounts(BATCH);
    view.reset();
    assertThat(view.batchCounts(BATCH)).isEqualTo(BatchCounts.NONE);
    for (List<Event> stream : List.of(third, first, second)) { // a rebuild, in another order
      view.save(ImageState.fold(stream.get(0).imageId(), stream));
    }
    assertThat(view.batchCounts(BATCH)).isEqualTo(before).isEqualTo(recount(BATCH));
    assertThat(view.batchCounts(other)).isEqualTo(new BatchCounts(0, 1, 0, 0, 1)).isEqualTo(recount(other));
  }

  /** The counts of the batch's listing, image by image. */
  private BatchCounts recount(BatchId batch) {
    BatchCounts counts = BatchCounts.NONE;
    PageRequest page = PageRequest.first(2);
    while (true) {
      BatchPage current = view.batch(batch, page);
      for (BatchEntry entry : current.images()) {
        counts = counts.plus(BatchCounts.of(entry));
      }
      if (current.nextCursor().isEmpty()) {
        return counts;
      }
      page = page.next(current.nextCursor().get());
    }
  }

  @Test
  void concurrentSavesKeepTheNewestVersion() throws Exception {
    ImageId id = image(1);
    List<Event> events = ContractEvents.stream(id, 12);
    List<ImageState> versions = new ArrayList<>();
    for (int v = 1; v <= events.size(); v++) {
      versions.add(ImageState.fold(id, events.subList(0, v)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        List<ImageState> mine = new ArrayList<>(versions);
        java.util.Collections.shuffle(mine, new java.util.Random(w));
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  mine.forEach(view::save);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(view.image(id)).contains(versions.get(versions.size() - 1));
    for (BatchId batch : versions.get(versions.size() - 1).batchIds()) {
      assertThat(view.batchCounts(batch)).as("counted once, whatever the order").isEqualTo(recount(batch))
          .isEqualTo(BatchCounts.of(versions.get(versions.size() - 1).status(),
              versions.get(versions.size() - 1).isCat()));
    }
  }
}
