package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.query.Answer;
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
}
