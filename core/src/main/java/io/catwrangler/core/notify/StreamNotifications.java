package io.catwrangler.core.notify;

import io.catwrangler.core.port.BatchEntry;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
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
 * every batch of those images that has no PENDING image left ({@code batch.completed}, for every batch: subscribers
 * filter on the bus). Decided from the events and the view, never from what the pass happened to write, so a
 * delivery retried after a failed publish publishes the same notifications again, with the same ids.
 */
public final class StreamNotifications {
  private final EventStore events;
  private final ResultView view;
  private final NotificationPublisher publisher;
  private final boolean eachImage;
  private final Clock clock;

  /** @param eachImage publish every image's first outcome too */
  public StreamNotifications(
      EventStore events, ResultView view, NotificationPublisher publisher, boolean eachImage, Clock clock) {
    this.events = Objects.requireNonNull(events, "events");
    this.view = Objects.requireNonNull(view, "view");
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
    return owed;
  }

  /** The batch's counts when none of its images is PENDING; reads its listing page by page. */
  private Optional<Notification.CompletedBatch> completed(BatchId batch) {
    PageRequest page = PageRequest.first(PageRequest.MAX_LIMIT);
    BatchPage current = view.batch(batch, page);
    Map<ImageStatus, Long> counts = current.counts();
    if (counts.getOrDefault(ImageStatus.PENDING, 0L) > 0) {
      return Optional.empty();
    }
    long yes = 0;
    while (true) {
      for (BatchEntry entry : current.images()) {
        yes += entry.isCat().filter(Boolean::booleanValue).isPresent() ? 1 : 0;
      }
      if (current.nextCursor().isEmpty()) {
        break;
      }
      page = page.next(current.nextCursor().get());
      current = view.batch(batch, page);
    }
    long classified = counts.getOrDefault(ImageStatus.CLASSIFIED, 0L);
    return Optional.of(new Notification.CompletedBatch(
        batch, classified, counts.getOrDefault(ImageStatus.FAILED, 0L), yes, classified - yes));
  }
}
