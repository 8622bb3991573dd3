package io.catwrangler.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.contract.ContractEvents;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.Notification;
import io.catwrangler.events.NotifyTarget;
import io.catwrangler.events.Submission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectionNotificationsTest {
  private static final ImageId IMAGE = ContractEvents.image(1);
  private static final Instant AT = Instant.parse("2026-12-02T09:00:00Z");
  private static final String HOOK = "https://hooks.example.com/cats";
  private static final String DEFAULT = "https://ops.example.com/all";

  /** A submission of IMAGE at {@code version} in {@code batch}, naming {@code url} (or nothing). */
  private static ImageReceived received(long version, String batch, Optional<NotifyTarget> target) {
    Submission s = ContractEvents.received(IMAGE, version, batch, "a.jpg").submission();
    Submission withTarget = new Submission(s.submissionId(), s.batchId(), s.clientId(), s.fileName(), s.contentType(),
        s.byteSize(), s.width(), s.height(), s.source(), s.storageKey(), s.debug(), target);
    return ImageReceived.of(IMAGE, version, AT, "corr", withTarget);
  }

  private static ImageState answered(ImageReceived... submissions) {
    var events = new java.util.ArrayList<io.catwrangler.events.Event>(List.of(submissions));
    events.add(ContractEvents.succeeded(IMAGE, submissions.length + 1, true));
    return ImageState.fold(IMAGE, events);
  }

  @Test
  void onlyTheFirstOutcomeIsNew() {
    ImageState classified = answered(received(1, "b", Optional.empty()));
    ImageState pending = ImageState.fold(IMAGE, List.of(received(1, "b", Optional.empty())));

    assertThat(ProjectionNotifications.firstOutcome(Optional.empty(), classified)).isTrue();
    assertThat(ProjectionNotifications.firstOutcome(Optional.of(ImageStatus.PENDING), classified)).isTrue();
    assertThat(ProjectionNotifications.firstOutcome(Optional.of(ImageStatus.CLASSIFIED), classified)).isFalse();
    assertThat(ProjectionNotifications.firstOutcome(Optional.of(ImageStatus.FAILED), classified)).isFalse();
    assertThat(ProjectionNotifications.firstOutcome(Optional.empty(), pending)).isFalse();
  }

  @Test
  void imagesGoToSubmissionsThatAskedForEachImageAndToAnEachImageDefault() {
    ImageState state = answered(
        received(1, "b1", Optional.of(new NotifyTarget(HOOK, true))),
        received(2, "b2", Optional.of(new NotifyTarget("https://other.example.com/", false))),
        received(3, "b3", Optional.of(new NotifyTarget(HOOK, true))));

    assertThat(new ProjectionNotifications(NotifyDefaults.NONE).imageDestinations(state)).containsExactly(HOOK);
    assertThat(new ProjectionNotifications(new NotifyDefaults(Optional.of(DEFAULT), true)).imageDestinations(state))
        .containsExactly(HOOK, DEFAULT);
    assertThat(new ProjectionNotifications(new NotifyDefaults(Optional.of(DEFAULT), false)).imageDestinations(state))
        .containsExactly(HOOK);
  }

  @Test
  void batchesGoToTheUrlsTheirSubmissionsNamedOrElseTheDefault() {
    ImageState state = answered(
        received(1, "named", Optional.of(new NotifyTarget(HOOK, false))),
        received(2, "named", Optional.empty()),
        received(3, "unnamed", Optional.empty()));

    assertThat(new ProjectionNotifications(NotifyDefaults.NONE).batchDestinations(state))
        .isEqualTo(Map.of(BatchId.of("named"), Set.of(HOOK)));
    ProjectionNotifications withDefault = new ProjectionNotifications(new NotifyDefaults(Optional.of(DEFAULT), false));
    assertThat(withDefault.batchDestinations(state)).isEqualTo(Map.of(
        BatchId.of("named"), Set.of(HOOK),
        BatchId.of("unnamed"), Set.of(ProjectionNotifications.DEFAULT_DESTINATION)));
    assertThat(withDefault.resolve(ProjectionNotifications.DEFAULT_DESTINATION)).contains(DEFAULT);
    assertThat(withDefault.resolve(HOOK)).contains(HOOK);
  }

  @Test
  void onlyAnsweredImagesCanCompleteABatch() {
    ImageState pending = ImageState.fold(IMAGE, List.of(received(1, "p", Optional.empty())));
    ImageState failed = ImageState.fold(ContractEvents.image(2), List.of(
        ContractEvents.received(ContractEvents.image(2), 1, "f", "x.jpg"),
        ContractEvents.failed(ContractEvents.image(2), 2, FailureReason.INVALID_IMAGE, false)));

    assertThat(ProjectionNotifications.candidates(List.of(pending, failed))).containsExactly(BatchId.of("f"));
  }

  @Test
  void aBatchCompletesWhenNothingIsPendingAndItGrewSinceItsLastCompletion() {
    var ten = new Notification.CompletedBatch(BatchId.of("b"), 9, 1, 4, 5);

    assertThat(ProjectionNotifications.completion(ten, 1, 0, AT)).isEmpty();
    assertThat(ProjectionNotifications.completion(ten, 0, 0, AT)).map(Notification::id)
        .contains(Notification.batchCompleted(ten, AT).id());
    assertThat(ProjectionNotifications.completion(ten, 0, 10, AT)).as("announced already").isEmpty();
    assertThat(ProjectionNotifications.completion(ten, 0, 12, AT)).as("an older completion, seen in a rebuild")
        .isEmpty();
    assertThat(ProjectionNotifications.completion(ten, 0, 7, AT)).as("grew since").isPresent();
  }
}
