package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.query.Answer;
import io.catwrangler.core.replay.ReplayEvents;
import io.catwrangler.core.replay.ReplayReport;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayEventsTest {
  private final TestPipeline p = new TestPipeline();
  private final List<ImageId> ids = new ArrayList<>();
  private static final double[] SCORES = {0.2, 0.4, 0.8};

  @BeforeEach
  void threeClassifiedImages() throws Exception {
    for (int i = 0; i < SCORES.length; i++) {
      byte[] png = TestImages.png(200 + i);
      ImageId id = ImageId.sha256Of(png);
      ids.add(id);
      p.detector.score(id, SCORES[i]);
      p.upload(png, "batch-r", "img" + i + ".png");
    }
    p.drain();
    p.projectAll();
  }

  private Answer answer(int i) {
    return p.query.image(ids.get(i).value(), false).answer().orElseThrow();
  }

  @Test
  void redecideFlipsAnswersFromTheStoredScoreAndTheViewFollows() {
    assertThat(List.of(answer(0), answer(1), answer(2))).containsExactly(Answer.NO, Answer.YES, Answer.YES);
    int detectorCalls = p.detector.calls();

    ReplayReport report = p.replay.redecide(0.5);
    p.projectAll();

    assertThat(report.images()).isEqualTo(3);
    assertThat(report.eventsAppended()).isEqualTo(3); // the threshold changed for all three
    assertThat(report.answersChanged()).isEqualTo(1);
    assertThat(List.of(answer(0), answer(1), answer(2))).containsExactly(Answer.NO, Answer.NO, Answer.YES);
    assertThat(p.detector.calls()).isEqualTo(detectorCalls);
    ClassificationSucceeded newest = p.successes(ids.get(1)).get(1);
    assertThat(newest.classification().trigger()).isEqualTo(ClassificationTrigger.REDECIDE);
    assertThat(newest.classification().redecidedFrom()).hasValue(2);
    assertThat(newest.classification().threshold()).isEqualTo(0.5);
    assertThat(p.query.image(ids.get(1).value(), false).threshold()).hasValue(0.5);
  }

  @Test
  void redecidingAtTheSameThresholdAgainAppendsNothing() {
    p.replay.redecide(0.5);

    ReplayReport again = p.replay.redecide(0.5);

    assertThat(again.eventsAppended()).isZero();
    assertThat(p.replay.redecide().eventsAppended()).as("back to the configured threshold").isEqualTo(3);
  }

  @Test
  void rebuildingTheViewGivesTheSameView() throws Exception {
    p.replay.redecide(0.5);
    p.upload(TestImages.png(200), "batch-other", "again.png");
    p.drain();
    p.projectAll();
    Map<ImageId, ImageState> before = p.view.snapshot();
    var batchBefore = p.query.batch("batch-r", java.util.Optional.empty(), 100);

    long rebuilt = p.replay.rebuild();

    assertThat(rebuilt).isEqualTo(3);
    assertThat(p.view.snapshot()).isEqualTo(before);
    assertThat(p.query.batch("batch-r", java.util.Optional.empty(), 100)).isEqualTo(batchBefore);

    // the embedded way: reset, then tail the feed from the start
    InMemoryResultView fresh = new InMemoryResultView();
    new io.catwrangler.core.projection.ProjectEventFeed(p.events, p.events, fresh, 2).catchUp();
    assertThat(fresh.snapshot()).isEqualTo(before);
  }

  @Test
  void rebuildingOneImageRestoresItsRow() {
    Map<ImageId, ImageState> before = p.view.snapshot();
    p.view.remove(ids.get(0));

    p.replay.rebuild(ids.get(0));

    assertThat(p.view.snapshot()).isEqualTo(before);
    assertThatThrownBy(() -> p.replay.rebuild(ImageId.of("0".repeat(64)))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void reclassifyRunsANewModelOnceAndTheNewestAnswerWins() {
    p.detector.model("v2").score(ids.get(2), 0.05);

    ReplayReport report = p.replay.reclassify();
    ReplayReport again = p.replay.reclassify();
    p.projectAll();

    assertThat(report.eventsAppended()).isEqualTo(3);
    assertThat(report.answersChanged()).isEqualTo(1);
    assertThat(again.eventsAppended()).isZero();
    assertThat(answer(2)).isEqualTo(Answer.NO);
    var newest = p.query.image(ids.get(2).value(), false);
    assertThat(newest.model()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo("v2"));
    assertThat(newest.decidedBy()).contains(ClassificationTrigger.RECLASSIFY);
    assertThat(p.successes(ids.get(2))).hasSize(2);
  }

  @Test
  void reclassifyWithTheDetectorDownRecordsNothingAndReportsIt() {
    p.detector.model("v2").down(true);

    ReplayReport report = p.replay.reclassify();

    assertThat(report.retryLater()).isEqualTo(3);
    assertThat(report.eventsAppended()).isZero();
  }

  @Test
  void aQueueingReplayHandsReclassificationsToTheQueueAndTheClassifierRecordsThemAsSuch() {
    ReplayEvents queueing = ReplayEvents.queueing(p.events, p.view, p.queue, p.clock, p.config);
    p.detector.model("v2").score(ids.get(2), 0.05);
    int detectorCalls = p.detector.calls();
    long[] versions = ids.stream().mapToLong(id -> p.events.read(id).size()).toArray();

    ReplayReport report = queueing.reclassify();

    assertThat(report.images()).isEqualTo(3);
    assertThat(report.queued()).isEqualTo(3);
    assertThat(report.eventsAppended()).isZero();
    assertThat(p.detector.calls()).as("no detector run by the replay itself").isEqualTo(detectorCalls);
    assertThat(ids.stream().mapToLong(id -> p.events.read(id).size()).toArray()).isEqualTo(versions);

    p.drain(); // the classifier reading the queue (classify-fn on AWS)
    p.projectAll();

    assertThat(answer(2)).isEqualTo(Answer.NO);
    var newest = p.query.image(ids.get(2).value(), false);
    assertThat(newest.model()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo("v2"));
    assertThat(newest.decidedBy()).contains(ClassificationTrigger.RECLASSIFY);
    assertThat(newest.submissions()).as("no submission recorded for a re-classification").hasSize(1);
    assertThat(p.successes(ids.get(2))).hasSize(2);

    queueing.reclassify(ids.get(0));
    assertThat(p.drain()).singleElement().isInstanceOf(ClassifyOutcome.AlreadyClassified.class);
    assertThat(p.successes(ids.get(0))).as("v2 answered it already").hasSize(2);
    assertThatThrownBy(() -> queueing.reclassify(ImageId.of("0".repeat(64)))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aQueuedReclassificationWithTheDetectorDownKeepsTheAnswerAndIsRetried() {
    ReplayEvents queueing = ReplayEvents.queueing(p.events, p.view, p.queue, p.clock, p.config);
    p.detector.model("v2").failTimes(ids.get(1), 1);
    int before = p.events.read(ids.get(1)).size();

    queueing.reclassify(ids.get(1));
    List<ClassifyOutcome> outcomes = p.drain();

    assertThat(outcomes).hasSize(2);
    assertThat(outcomes.get(0)).isInstanceOf(ClassifyOutcome.RetryLater.class);
    assertThat(outcomes.get(1)).isInstanceOf(ClassifyOutcome.Succeeded.class);
    // no ClassificationFailed for the failed try: the image kept its answer until v2 gave one
    assertThat(p.events.read(ids.get(1))).hasSize(before + 1);
    assertThat(p.successes(ids.get(1)).get(1).classification().trigger()).isEqualTo(ClassificationTrigger.RECLASSIFY);
  }
}
