package io.catwrangler.events;

import static io.catwrangler.events.SampleEvents.MODEL;
import static io.catwrangler.events.SampleEvents.NEXT_MODEL;
import static io.catwrangler.events.SampleEvents.failed;
import static io.catwrangler.events.SampleEvents.received;
import static io.catwrangler.events.SampleEvents.submission;
import static io.catwrangler.events.SampleEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fold, for every order of events the pipeline can produce. */
class ImageStateTest {

  @Test
  void anImageNobodySentIsPendingAtVersionZero() {
    ImageState state = ImageState.initial(SampleEvents.IMAGE);

    assertThat(state.exists()).isFalse();
    assertThat(state.version()).isZero();
    assertThat(state.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(state.isCat()).isEmpty();
  }

  @Test
  void receivedIsPending() {
    ImageState state = ImageState.fold(List.of(received(1, submission("b1", true))));

    assertThat(state.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(state.exists()).isTrue();
    assertThat(state.submissions()).hasSize(1);
    assertThat(state.updatedAt()).contains(SampleEvents.T0.plusSeconds(1));
  }

  @Test
  void receivedThenSucceededIsClassified() {
    ImageState state = ImageState.fold(List.of(received(1, submission("b1", true)), succeeded(2, true)));

    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.isCat()).contains(true);
    assertThat(state.version()).isEqualTo(2);
    assertThat(state.attempts()).isEqualTo(1);
    assertThat(state.hasClassificationFrom(MODEL)).isTrue();
    assertThat(state.hasClassificationFrom(NEXT_MODEL)).isFalse();
  }

  @Test
  void aRetryableFailureKeepsTheImagePendingUntilTheRetrySucceeds() {
    ImageState afterFailure =
        ImageState.fold(
            List.of(received(1, submission("b1", true)), failed(2, FailureReason.DETECTOR_ERROR, true)));
    ImageState afterRetry = afterFailure.apply(succeeded(3, false));

    assertThat(afterFailure.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(afterFailure.lastFailure()).isPresent();
    assertThat(afterFailure.settledFailureFrom(MODEL)).isEmpty();
    assertThat(afterRetry.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(afterRetry.isCat()).contains(false);
    assertThat(afterRetry.attempts()).isEqualTo(2);
  }

  @Test
  void aSecondSubmissionBeforeTheAnswerAddsASubmission() {
    ImageState state =
        ImageState.fold(
            List.of(received(1, submission("b1", true)), received(2, submission("b2", false)), succeeded(3, true)));

    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.submissions()).hasSize(2);
    assertThat(state.batchIds()).containsExactly(BatchId.of("b1"), BatchId.of("b2"));
  }

  @Test
  void submissionsAfterTheAnswerKeepTheAnswerAndTheSameSubmissionCountsOnce() {
    Submission again = submission("b1", true);
    ImageState state =
        ImageState.fold(
            List.of(
                received(1, again),
                succeeded(2, true),
                received(3, submission("b2", false)),
                received(4, again))); // the same submission recorded twice (it should not be, but harmless)

    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.isCat()).contains(true);
    assertThat(state.submissions()).hasSize(2);
    assertThat(state.version()).isEqualTo(4);
  }

  @Test
  void theNewestClassificationWinsAndARedecisionIsNotAnAttempt() {
    ClassificationSucceeded first = succeeded(2, true);
    ClassificationSucceeded redecided = succeeded(3, first.classification().redecided(0.95, 2));

    ImageState state = ImageState.fold(List.of(received(1, submission("b1", true)), first, redecided));

    assertThat(state.isCat()).contains(false);
    assertThat(state.classification()).contains(redecided);
    assertThat(state.attempts()).isEqualTo(1);
    assertThat(state.classifiedBy()).containsExactly(MODEL);
  }

  @Test
  void aReclassificationWithANewModelWins() {
    ClassificationSucceeded next =
        succeeded(3, SampleEvents.classification(false, 0.1, NEXT_MODEL, ClassificationTrigger.RECLASSIFY));

    ImageState state = ImageState.fold(List.of(received(1, submission("b1", true)), succeeded(2, true), next));

    assertThat(state.isCat()).contains(false);
    assertThat(state.classifiedBy()).containsExactly(MODEL, NEXT_MODEL);
    assertThat(state.attempts()).isEqualTo(2);
  }

  @Test
  void aTerminalFailureOfTheBytesIsFailedAndSettledForThatModel() {
    ImageState state =
        ImageState.fold(List.of(received(1, submission("b1", true)), failed(2, FailureReason.INVALID_IMAGE, false)));

    assertThat(state.status()).isEqualTo(ImageStatus.FAILED);
    assertThat(state.isCat()).isEmpty();
    assertThat(state.settledFailureFrom(MODEL)).isPresent();
    assertThat(state.settledFailureFrom(NEXT_MODEL)).isEmpty();
  }

  @Test
  void exhaustedRetriesAreFailedButSettleNothing() {
    ImageState exhausted =
        ImageState.fold(
            List.of(
                received(1, submission("b1", true)),
                failed(2, FailureReason.DETECTOR_ERROR, true),
                failed(3, FailureReason.RETRIES_EXHAUSTED, false)));

    assertThat(exhausted.status()).isEqualTo(ImageStatus.FAILED);
    assertThat(exhausted.attempts()).isEqualTo(2);
    assertThat(exhausted.settledFailureFrom(MODEL)).isEmpty();

    // a later submission of the same bytes tries again and gets an answer
    ImageState later = exhausted.apply(received(4, submission("b2", false))).apply(succeeded(5, true));
    assertThat(exhausted.apply(received(4, submission("b2", false))).status()).isEqualTo(ImageStatus.FAILED);
    assertThat(later.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(later.isCat()).contains(true);
  }

  @Test
  void aFailureAfterASuccessKeepsTheAnswer() {
    ImageState state =
        ImageState.fold(
            List.of(
                received(1, submission("b1", true)),
                succeeded(2, true),
                failed(3, FailureReason.INVALID_IMAGE, false)));

    assertThat(state.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(state.isCat()).contains(true);
    assertThat(state.lastFailure()).map(f -> f.failure().reason()).contains(FailureReason.INVALID_IMAGE);
  }

  @Test
  void refusesGapsDuplicatesAndOtherImages() {
    ImageState state = ImageState.fold(List.of(received(1, submission("b1", true))));
    ImageId other = ImageId.sha256Of(new byte[] {1});

    assertThatThrownBy(() -> state.apply(succeeded(3, true))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> state.apply(received(1, submission("b1", true))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> state.apply(ImageReceived.of(other, 2, SampleEvents.T0, "c", SampleEvents.bare())))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ImageState.fold(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void foldingIsApplyingOneByOne() {
    List<Event> events = SampleEvents.everyShape();
    ImageState stepwise = ImageState.initial(SampleEvents.IMAGE);
    for (Event event : events) {
      stepwise = stepwise.apply(event);
    }

    assertThat(ImageState.fold(events)).isEqualTo(stepwise);
    assertThat(stepwise.submission(submission("batch-1", true).submissionId())).isPresent();
    assertThat(stepwise.submission(SubmissionId.random())).isEqualTo(Optional.empty());
  }

  @Test
  void aLabelStandsBesideTheAnswerAndTheNewestWins() {
    ImageState answered = ImageState.fold(List.of(received(1, submission("b1", true)), succeeded(2, false)));
    ImageState labelled = answered.apply(SampleEvents.labelled(3, true, "ana"));
    ImageState relabelled = labelled.apply(SampleEvents.labelled(4, false, "bob"));

    assertThat(labelled.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(labelled.isCat()).contains(false);
    assertThat(labelled.classification()).isEqualTo(answered.classification());
    assertThat(labelled.attempts()).isEqualTo(answered.attempts());
    assertThat(labelled.version()).isEqualTo(3);
    assertThat(labelled.label()).map(l -> l.label()).contains(new Label(true, "ana"));
    assertThat(relabelled.label()).map(l -> l.label()).contains(new Label(false, "bob"));
    assertThat(relabelled.updatedAt()).contains(SampleEvents.T0.plusSeconds(4));
    assertThat(answered.label()).isEmpty();
  }

  @Test
  void aLabelOnAPendingImageKeepsItPendingAndALaterAnswerKeepsTheLabel() {
    ImageState pending =
        ImageState.fold(List.of(received(1, submission("b1", true)), SampleEvents.labelled(2, true, "ana")));
    ImageState answered = pending.apply(succeeded(3, true));

    assertThat(pending.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(answered.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(answered.label()).isEqualTo(pending.label());
  }

  @Test
  void aLabelNamesWhoGaveItWithinBounds() {
    assertThat(new Label(true, "x".repeat(Label.MAX_BY)).by()).hasSize(Label.MAX_BY);
    for (String bad : List.of("", "  ", " ana", "ana ", "x".repeat(Label.MAX_BY + 1), "ana\u0000", "a\tb",
        "\u00a0ana", "ana\u3000", "\uFEFFana", "\u00a0", "a\u2028b")) {
      assertThatThrownBy(() -> new Label(true, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new Label(true, null)).isInstanceOf(NullPointerException.class);
  }
}
