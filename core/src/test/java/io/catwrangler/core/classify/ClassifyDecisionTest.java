package io.catwrangler.core.classify;

import static io.catwrangler.core.port.contract.ContractEvents.MODEL;
import static io.catwrangler.core.port.contract.ContractEvents.failed;
import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.classify.ClassifyDecision.Decision;
import io.catwrangler.core.classify.ClassifyDecision.Detected;
import io.catwrangler.core.classify.ClassifyDecision.Round;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.Failure;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every branch of the classify decision, with no store, detector or clock. */
class ClassifyDecisionTest {
  private static final ImageId ID = image(1);
  private static final Instant NOW = Instant.parse("2025-06-01T10:00:00.125Z");
  private static final String CORRELATION = "corr-round";
  private static final int MAX_ATTEMPTS = 3;
  private static final DetectorModel NEWER = new DetectorModel("contract-detector", "2.0");

  /** The submission of the request under test, and another one of the same bytes. */
  private static final ImageReceived SUBMISSION = received(ID, 1, "batch-1", "cat.jpg");
  private static final ImageReceived OTHER_SUBMISSION = asFirst(received(ID, 9, "batch-0", "first.jpg"));

  private static final ClassificationSucceeded ANSWER = succeeded(ID, 2, true);
  private static final Classification NEW_ANSWER = ANSWER.classification();

  private static ImageReceived asFirst(ImageReceived r) {
    return ImageReceived.of(ID, 1, r.occurredAt(), r.correlationId(), r.submission());
  }

  private static ImageState state(Event... events) {
    return ImageState.fold(ID, List.of(events));
  }

  private static Round delivery(int attempt) {
    return delivery(ClassifyRequest.of(SUBMISSION), attempt, MODEL);
  }

  private static Round delivery(ClassifyRequest request, int attempt, DetectorModel model) {
    return new Round(ID, Optional.of(request), attempt, MAX_ATTEMPTS, CORRELATION, model, NOW);
  }

  private static Round reclassifyHere(DetectorModel model) {
    return new Round(ID, Optional.empty(), 1, MAX_ATTEMPTS, CORRELATION, model, NOW);
  }

  private static Decision.Record record(ImageState state, Round round, Detected detected) {
    assertThat(ClassifyDecision.decide(state, round, Optional.empty())).isInstanceOf(Decision.RunDetector.class);
    return (Decision.Record) ClassifyDecision.decide(state, round, Optional.of(detected));
  }

  private static Decision.Record recordWithoutDetector(ImageState state, Round round) {
    Decision decision = ClassifyDecision.decide(state, round, Optional.empty());
    assertThat(decision).isInstanceOf(Decision.Record.class);
    // a result already in hand from a lost race changes nothing either
    assertThat(ClassifyDecision.decide(state, round, Optional.of(new Detected.Answer(NEW_ANSWER))))
        .isEqualTo(decision);
    return (Decision.Record) decision;
  }

  private static ClassificationFailed failure(
      long version, FailureReason reason, String message, int attempt, boolean retryable) {
    return ClassificationFailed.of(
        ID, version, NOW, CORRELATION, new Failure(reason, message, attempt, retryable, MODEL));
  }

  @Test
  void aFirstSuccessRecordsTheSubmissionThenTheAnswer() {
    Decision.Record record = record(ImageState.initial(ID), delivery(1), new Detected.Answer(NEW_ANSWER));

    ClassificationSucceeded success = ClassificationSucceeded.of(ID, 2, NOW, CORRELATION, NEW_ANSWER);
    ImageReceived submission = ClassifyRequest.of(SUBMISSION).toEvent(1);
    assertThat(record.events()).containsExactly(submission, success);
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.Succeeded(ID, success));
  }

  @Test
  void aSuccessAfterIngestRecordedTheSubmissionRecordsOnlyTheAnswer() {
    Decision.Record record = record(state(SUBMISSION), delivery(1), new Detected.Answer(NEW_ANSWER));

    ClassificationSucceeded success = ClassificationSucceeded.of(ID, 2, NOW, CORRELATION, NEW_ANSWER);
    assertThat(record.events()).containsExactly(success);
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.Succeeded(ID, success));
  }

  @Test
  void aRedeliveryAfterTheAnswerRecordsNothing() {
    Decision.Record record = recordWithoutDetector(state(SUBMISSION, ANSWER), delivery(2));

    assertThat(record.events()).isEmpty();
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.AlreadyClassified(ID, ANSWER));
  }

  @Test
  void anotherSubmissionOfClassifiedBytesRecordsOnlyItsSubmission() {
    ImageState classified = state(OTHER_SUBMISSION, ANSWER);

    Decision.Record record = recordWithoutDetector(classified, delivery(1));

    assertThat(record.events()).containsExactly(ClassifyRequest.of(SUBMISSION).toEvent(3));
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.AlreadyClassified(ID, ANSWER));
  }

  @Test
  void anAnswerOfAnotherModelDoesNotCount() {
    ImageState classified = state(SUBMISSION, ANSWER);
    Classification newer = reclassified(NEW_ANSWER, NEWER, ClassificationTrigger.INITIAL);

    Decision.Record record = record(classified, delivery(ClassifyRequest.of(SUBMISSION), 1, NEWER),
        new Detected.Answer(newer));

    ClassificationSucceeded success = ClassificationSucceeded.of(ID, 3, NOW, CORRELATION, newer);
    assertThat(record.events()).containsExactly(success);
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.Succeeded(ID, success));
  }

  @Test
  void reclassifyingHereWithANewModelRecordsTheAnswer() {
    Classification again = reclassified(NEW_ANSWER, NEWER, ClassificationTrigger.RECLASSIFY);
    Round round = reclassifyHere(NEWER);

    Decision.Record record = record(state(SUBMISSION, ANSWER), round, new Detected.Answer(again));

    assertThat(round.reclassify()).isTrue();
    assertThat(round.trigger()).isEqualTo(ClassificationTrigger.RECLASSIFY);
    ClassificationSucceeded success = ClassificationSucceeded.of(ID, 3, NOW, CORRELATION, again);
    assertThat(record.events()).containsExactly(success);
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.Succeeded(ID, success));
  }

  @Test
  void reclassifyingHereWithTheSameModelRecordsNothing() {
    Decision.Record record = recordWithoutDetector(state(SUBMISSION, ANSWER), reclassifyHere(MODEL));

    assertThat(record.events()).isEmpty();
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.AlreadyClassified(ID, ANSWER));
  }

  @Test
  void reclassifyingHereAnImageThatDoesNotExistIsNotFound() {
    assertThatThrownBy(() -> ClassifyDecision.decide(ImageState.initial(ID), reclassifyHere(MODEL), Optional.empty()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aDeliveryIsTheInitialRunAndAQueuedReclassifyIsAReclassify() {
    assertThat(delivery(1).reclassify()).isFalse();
    assertThat(delivery(1).trigger()).isEqualTo(ClassificationTrigger.INITIAL);
    Round queued = delivery(ClassifyRequest.reclassify(SUBMISSION, "corr-replay"), 1, NEWER);
    assertThat(queued.reclassify()).isTrue();
    assertThat(queued.trigger()).isEqualTo(ClassificationTrigger.RECLASSIFY);
  }

  @Test
  void bytesTheDetectorRejectsFailTerminallyAtOnce() {
    var rejected = new Detected.Rejected(FailureReason.INVALID_IMAGE, "truncated JPEG");

    Decision.Record record = record(state(SUBMISSION), delivery(1), rejected);

    ClassificationFailed failed = failure(2, FailureReason.INVALID_IMAGE, "truncated JPEG", 1, false);
    assertThat(record.events()).containsExactly(failed);
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.FailedTerminal(ID, failed, true));
  }

  @Test
  void bytesThisModelFoundAtFaultStaySettledWithoutRunningTheDetector() {
    ClassificationFailed atFault = failed(ID, 2, FailureReason.UNSUPPORTED_FORMAT, false);

    Decision.Record record = recordWithoutDetector(state(OTHER_SUBMISSION, atFault), delivery(1));

    assertThat(record.events()).containsExactly(ClassifyRequest.of(SUBMISSION).toEvent(3));
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.FailedTerminal(ID, atFault, false));
  }

  @Test
  void bytesAnotherModelFoundAtFaultAreTriedAgain() {
    ClassificationFailed atFault = failed(ID, 2, FailureReason.TOO_LARGE, false);
    Round round = delivery(ClassifyRequest.of(SUBMISSION), 1, NEWER);
    Classification newer = reclassified(NEW_ANSWER, NEWER, ClassificationTrigger.INITIAL);

    Decision.Record record = record(state(SUBMISSION, atFault), round, new Detected.Answer(newer));

    assertThat(record.events()).containsExactly(ClassificationSucceeded.of(ID, 3, NOW, CORRELATION, newer));
  }

  @Test
  void exhaustedRetriesDoNotSettleTheImageForALaterSubmission() {
    ClassificationFailed exhausted = failed(ID, 2, FailureReason.RETRIES_EXHAUSTED, false);

    Decision.Record record = record(state(SUBMISSION, exhausted), delivery(1), new Detected.Answer(NEW_ANSWER));

    assertThat(record.outcome()).isInstanceOf(ClassifyOutcome.Succeeded.class);
    assertThat(record.events()).containsExactly(ClassificationSucceeded.of(ID, 3, NOW, CORRELATION, NEW_ANSWER));
  }

  @Test
  void aDetectorErrorBeforeTheLastAttemptIsARetryableFailure() {
    ClassificationFailed earlier = failed(ID, 2, FailureReason.DETECTOR_ERROR, true);

    Decision.Record record =
        record(state(SUBMISSION, earlier), delivery(2), new Detected.Unavailable("detector unavailable: busy"));

    assertThat(record.events())
        .containsExactly(failure(3, FailureReason.DETECTOR_ERROR, "detector unavailable: busy", 2, true));
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.RetryLater(ID, "detector unavailable: busy"));
  }

  @Test
  void aDetectorErrorOnTheLastAttemptGivesUp() {
    Decision.Record record =
        record(state(SUBMISSION), delivery(MAX_ATTEMPTS), new Detected.Unavailable("detector error: Boom"));

    ClassificationFailed exhausted =
        failure(2, FailureReason.RETRIES_EXHAUSTED, "gave up after 3 attempts: detector error: Boom", 3, false);
    assertThat(record.events()).containsExactly(exhausted);
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.FailedTerminal(ID, exhausted, true));
  }

  @Test
  void aDeliveryBeyondTheLastAttemptGivesUpToo() {
    Decision.Record record =
        record(state(SUBMISSION), delivery(MAX_ATTEMPTS + 2), new Detected.Unavailable("image bytes not found"));

    assertThat(record.events()).singleElement().isInstanceOfSatisfying(ClassificationFailed.class, f -> {
      assertThat(f.failure().reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
      assertThat(f.failure().attempt()).isEqualTo(MAX_ATTEMPTS + 2);
      assertThat(f.failure().retryable()).isFalse();
    });
    assertThat(record.outcome()).isInstanceOf(ClassifyOutcome.FailedTerminal.class);
  }

  @Test
  void aDetectorErrorOnAReclassifyHereRecordsNothingAndComesBack() {
    Decision.Record record =
        record(state(SUBMISSION, ANSWER), reclassifyHere(NEWER), new Detected.Unavailable("detector error: Boom"));

    assertThat(record.events()).isEmpty();
    assertThat(record.outcome()).isEqualTo(new ClassifyOutcome.RetryLater(ID, "detector error: Boom"));
  }

  @Test
  void aDetectorErrorOnAQueuedReclassifyRecordsOnlyAMissingSubmissionEvenOnTheLastAttempt() {
    ClassifyRequest queued = ClassifyRequest.reclassify(SUBMISSION, "corr-replay");

    Decision.Record recorded = record(state(SUBMISSION, ANSWER), delivery(queued, MAX_ATTEMPTS, NEWER),
        new Detected.Unavailable("detector error: Boom"));
    Decision.Record missing = record(state(OTHER_SUBMISSION, ANSWER), delivery(queued, MAX_ATTEMPTS, NEWER),
        new Detected.Unavailable("detector error: Boom"));

    assertThat(recorded.events()).isEmpty();
    assertThat(recorded.outcome()).isEqualTo(new ClassifyOutcome.RetryLater(ID, "detector error: Boom"));
    assertThat(missing.events()).containsExactly(queued.toEvent(3));
    assertThat(missing.outcome()).isEqualTo(new ClassifyOutcome.RetryLater(ID, "detector error: Boom"));
  }

  @Test
  void theSameFactsGiveTheSameDecision() {
    ImageState state = state(SUBMISSION);
    var detected = Optional.<Detected>of(new Detected.Answer(NEW_ANSWER));

    assertThat(ClassifyDecision.decide(state, delivery(1), detected))
        .isEqualTo(ClassifyDecision.decide(state, delivery(1), detected));
  }

  private static Classification reclassified(
      Classification c, DetectorModel model, ClassificationTrigger trigger) {
    return new Classification(c.isCat(), c.catScore(), c.threshold(), c.detections(), model, c.timingsMs(),
        c.orientedWidth(), c.orientedHeight(), c.raw(), c.attempt(), trigger, c.redecidedFrom());
  }
}
