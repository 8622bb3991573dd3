package io.catwrangler.core.notify;

import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.Notification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Notifications from a stream projector that publishes to a bus (AWS), decided from the events a delivery carried
 * once they are projected: an image whose first outcome is among them ({@code image.answered}, when configured), and
 * every batch of those images that has no PENDING image left at a size not announced before ({@code batch.completed},
 * for every batch: subscribers filter on the bus; {@link AnnouncedBatches}). Decided from the events and the batch's
 * tally, never from what the pass happened to write, so a delivery retried after a failed publish publishes the same
 * notifications again, with the same ids; the size of a completion is recorded only once it is published.
 */
public final class StreamNotifications {
  private final EventStore events;
  private final AnnouncedBatches batches;
  private final NotificationPublisher publisher;
  private final boolean eachImage;
  private final Clock clock;

  /** @param eachImage publish every image's first outcome too */
  public StreamNotifications(
      EventStore events, AnnouncedBatches batches, NotificationPublisher publisher, boolean eachImage, Clock clock) {
    this.events = Objects.requireNonNull(events, "events");
    this.batches = Objects.requireNonNull(batches, "batches");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.eachImage = eachImage;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Publishes what the delivered events owe, after they were projected; returns it.
   *
   * @throws io.catwrangler.core.port.StorageUnavailableException publishing failed: deliver the events again
   */
  public List<Notification> afterProjection(List<? extends Event> delivered) {
    Map<ImageId, Set<Long>> versions = new LinkedHashMap<>();
    delivered.forEach(e -> versions.computeIfAbsent(e.imageId(), id -> new LinkedHashSet<>()).add(e.version()));
    List<Notification> owed = new ArrayList<>();
    List<ImageState> answered = new ArrayList<>();
    for (Map.Entry<ImageId, Set<Long>> image : versions.entrySet()) {
      ImageState state = ImageState.initial(image.getKey());
      Optional<ImageState> firstOutcome = Optional.empty();
      for (Event event : events.read(image.getKey())) {
        ImageState next = state.apply(event);
        if (firstOutcome.isEmpty() && ProjectionNotifications.firstOutcome(Optional.of(state.status()), next)) {
          firstOutcome = Optional.of(next).filter(s -> image.getValue().contains(event.version()));
          if (firstOutcome.isEmpty()) {
            firstOutcome = Optional.of(ImageState.initial(image.getKey())); // announced with an earlier delivery
          }
        }
        state = next;
      }
      firstOutcome.filter(s -> eachImage && s.exists())
          .ifPresent(s -> owed.add(Notification.imageAnswered(s, clock.instant())));
      answered.add(state);
    }
    for (BatchId batch : ProjectionNotifications.candidates(answered)) {
      completed(batch).ifPresent(c -> owed.add(Notification.batchCompleted(c, clock.instant())));
    }
    if (!owed.isEmpty()) {
      publisher.publish(owed);
    }
    // only once published: a failed publish leaves the completions owed, and the redelivered stream batch sends them
    for (Notification n : owed) {
      n.batch().ifPresent(b -> batches.announced(b.batchId(), b.total()));
    }
    return owed;
  }

  /** The batch's completion when it owes one (nothing PENDING, a size not announced yet): one read of its tally. */
  private Optional<Notification.CompletedBatch> completed(BatchId batch) {
    AnnouncedBatches.Tally tally = batches.tally(batch);
    if (!tally.owesCompletion()) {
      return Optional.empty();
    }
    BatchCounts counts = tally.counts();
    return Optional.of(new Notification.CompletedBatch(
        batch, counts.classified(), counts.failed(), counts.yes(), counts.classified() - counts.yes()));
  }
}
