package io.catwrangler.core.notify;

import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.Notification;
import io.catwrangler.events.NotifyTarget;
import io.catwrangler.events.Submission;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a projection step owes its registrations, decided from the states it wrote (both runtimes: the embedded
 * outbox in the view's transaction, the AWS stream projector before publishing). Pure.
 *
 * <ul>
 *   <li>An image whose first outcome (PENDING → CLASSIFIED or FAILED) is in this step is announced
 *       ({@code image.answered}) to every URL of its submissions that asked for each image, and to the deployment
 *       default when that asks for each image. Re-decisions and re-classifications of an answered image are not new
 *       outcomes and announce nothing.
 *   <li>A batch is complete when none of its images is PENDING; it is announced ({@code batch.completed}) to the
 *       URLs its submissions named, or the deployment default when they named none, each time it completes with
 *       more images than it was last announced with (a batch that grows completes again; the same completion seen
 *       twice, or an older one seen during a rebuild, is not announced again).
 * </ul>
 */
public final class ProjectionNotifications {
  /** The deployment default's key among a batch's registrations, resolved to a URL when the notification is made. */
  public static final String DEFAULT_DESTINATION = "";

  private final NotifyDefaults defaults;

  public ProjectionNotifications(NotifyDefaults defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
  }

  public NotifyDefaults defaults() {
    return defaults;
  }

  /** True when this step brings the image's first outcome: it was PENDING or unseen before, and is not now. */
  public static boolean firstOutcome(Optional<ImageStatus> before, ImageState after) {
    return after.status() != ImageStatus.PENDING && before.orElse(ImageStatus.PENDING) == ImageStatus.PENDING;
  }

  /** Where an image's first outcome goes: distinct URLs, oldest registration first; empty when nobody asked. */
  public Set<String> imageDestinations(ImageState state) {
    Set<String> urls = new LinkedHashSet<>();
    for (ImageReceived received : state.submissions()) {
      received.submission().notifyTarget().filter(NotifyTarget::eachImage).map(NotifyTarget::url).ifPresent(urls::add);
    }
    if (defaults.eachImage()) {
      urls.add(defaults.url().orElseThrow());
    }
    return urls;
  }

  /**
   * The batches of this state and who is to hear of their completion: the URLs their submissions named, or
   * {@link #DEFAULT_DESTINATION} for a batch that named none while a default is configured. Batches nobody is to hear
   * of are left out.
   */
  public Map<BatchId, Set<String>> batchDestinations(ImageState state) {
    Map<BatchId, Set<String>> named = new LinkedHashMap<>();
    for (ImageReceived received : state.submissions()) {
      Submission s = received.submission();
      if (s.batchId().isEmpty()) {
        continue;
      }
      Set<String> urls = named.computeIfAbsent(s.batchId().get(), b -> new LinkedHashSet<>());
      s.notifyTarget().map(NotifyTarget::url).ifPresent(urls::add);
    }
    Map<BatchId, Set<String>> result = new LinkedHashMap<>();
    named.forEach((batch, urls) -> {
      if (!urls.isEmpty()) {
        result.put(batch, urls);
      } else if (defaults.url().isPresent()) {
        result.put(batch, Set.of(DEFAULT_DESTINATION));
      }
    });
    return result;
  }

  /** The batches this step may have completed: those of the states written that are not PENDING. */
  public static Set<BatchId> candidates(List<ImageState> states) {
    Set<BatchId> batches = new LinkedHashSet<>();
    for (ImageState state : states) {
      if (state.status() != ImageStatus.PENDING) {
        batches.addAll(state.batchIds());
      }
    }
    return batches;
  }

  /**
   * The batch's completion notification, when it has no PENDING image and more images than it was last announced
   * with.
   *
   * @param pending images of the batch still PENDING
   * @param announcedTotal the batch's size at its last announced completion (0: never)
   */
  public static Optional<Notification> completion(
      Notification.CompletedBatch batch, long pending, long announcedTotal, Instant at) {
    if (pending > 0 || batch.total() <= announcedTotal) {
      return Optional.empty();
    }
    return Optional.of(Notification.batchCompleted(batch, at));
  }

  /** The URL a destination key stands for: itself, or the default's for {@link #DEFAULT_DESTINATION}. */
  public Optional<String> resolve(String destination) {
    return destination.equals(DEFAULT_DESTINATION) ? defaults.url() : Optional.of(destination);
  }
}
