package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.quality.ModelQuality;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.Label;
import io.catwrangler.events.LabelRecorded;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Recording labels, projecting and replaying them, and measuring the model against them. */
class LabelsTest {
  private final TestPipeline p = new TestPipeline();
  private final RecordLabel labels = new RecordLabel(p.events, p.clock, p.config);
  private final MeasureQuality quality = new MeasureQuality(p.view, p.classify.model(), p.config);

  private ImageId classified(int n, double score) throws Exception {
    byte[] png = TestImages.png(n);
    ImageId id = ImageId.sha256Of(png);
    p.detector.score(id, score);
    p.upload(png, "b", n + ".png");
    p.drain();
    return id;
  }

  @Test
  void aLabelIsAppendedAfterTheAnswerAndProjected() throws Exception {
    ImageId id = classified(1, 0.9);

    RecordLabel.Outcome outcome = labels.record(id.value().toUpperCase(), false, " \u00a0ana\u3000", "req-1");
    p.projectAll();

    assertThat(outcome.appended()).isTrue();
    assertThat(outcome.event().version()).isEqualTo(3);
    assertThat(outcome.event().correlationId()).isEqualTo("req-1");
    assertThat(outcome.event().label().by()).isEqualTo("ana");
    ImageState row = p.view.image(id).orElseThrow();
    assertThat(row.label()).contains(outcome.event());
    assertThat(row.isCat()).contains(true);
  }

  @Test
  void labelsReplayLikeEveryOtherEvent() throws Exception {
    ImageId a = classified(1, 0.9);
    ImageId b = classified(2, 0.1);
    labels.record(a.value(), false, "ana", "r");
    labels.record(b.value(), false, "ana", "r");
    labels.record(b.value(), true, "bob", "r");
    p.feed.catchUp();
    var projected = p.view.snapshot();
    ModelQuality before = quality.measure();

    assertThat(p.replay.rebuild()).isEqualTo(2);

    assertThat(p.view.snapshot()).isEqualTo(projected);
    assertThat(quality.measure()).isEqualTo(before);
    assertThat(before.tally().answered()).isEqualTo(new Confusion(0, 1, 0, 1));
    assertThat(p.view.image(b).orElseThrow().label().orElseThrow().label().by()).isEqualTo("bob");
  }

  @Test
  void aRedecideKeepsTheLabelAndTheQualityFollowsTheNewAnswers() throws Exception {
    ImageId id = classified(1, 0.4);
    labels.record(id.value(), false, "ana", "r");
    p.feed.catchUp();
    assertThat(quality.measure().tally().answered()).isEqualTo(new Confusion(0, 1, 0, 0));

    p.replay.redecide(0.5);
    p.feed.catchUp();

    assertThat(p.view.image(id).orElseThrow().label()).isPresent();
    assertThat(quality.measure().tally().answered()).isEqualTo(new Confusion(0, 0, 1, 0));
  }

  @Test
  void theRuntimesThresholdJoinsTheTable() {
    MeasureQuality at045 = new MeasureQuality(p.view, p.classify.model(), p.config.withThreshold(0.45));

    assertThat(at045.measure().tally().atThresholds()).extracting(r -> r.threshold())
        .containsExactly(0.3, 0.4, 0.45, 0.5, 0.6, 0.7);
    assertThat(at045.measure().threshold()).isEqualTo(0.45);
  }

  @Test
  void refusesMalformedRequestsAndUnknownImagesWithoutAppending() throws Exception {
    ImageId id = classified(1, 0.9);
    int before = p.events.all().size();

    assertThatThrownBy(() -> labels.record("nope", true, "ana", "r")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> labels.record(id.value(), true, "\t", "r"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("INVALID_PARAMETER"));
    assertThatThrownBy(() -> labels.record("f".repeat(64), true, "ana", "r")).isInstanceOf(NotFoundException.class);

    assertThat(p.events.all()).hasSize(before);
  }

  /** The pipeline's event store, with {@code append} replaced. */
  private EventStore appendingWith(Append append) {
    return new EventStore() {
      @Override
      public void append(ImageId imageId, long expectedVersion, List<? extends Event> events) {
        append.append(imageId, expectedVersion, events);
      }

      @Override
      public List<Event> read(ImageId imageId) {
        return p.events.read(imageId);
      }

      @Override
      public Page<ImageId> imageIds(PageRequest page) {
        return p.events.imageIds(page);
      }
    };
  }

  private interface Append {
    void append(ImageId imageId, long expectedVersion, List<? extends Event> events);
  }

  @Test
  void aLostRaceReadsAgainAndAppendsAfterTheWinner() throws Exception {
    ImageId id = classified(1, 0.9);
    AtomicInteger raced = new AtomicInteger();
    EventStore racing = appendingWith((imageId, expectedVersion, events) -> {
      if (raced.getAndIncrement() == 0) { // someone else labels first
        p.events.append(imageId, expectedVersion, List.of(LabelRecorded.of(imageId, expectedVersion + 1,
            p.clock.instant(), "other", new Label(true, "bob"))));
      }
      p.events.append(imageId, expectedVersion, events);
    });

    RecordLabel.Outcome outcome = new RecordLabel(racing, p.clock, p.config).record(id.value(), false, "ana", "r");

    assertThat(outcome.event().version()).isEqualTo(4);
    assertThat(ImageState.fold(id, p.events.read(id)).label()).contains(outcome.event());
  }

  @Test
  void aStreamThatNeverStopsMovingIsReportedAsAConflict() throws Exception {
    ImageId id = classified(1, 0.9);
    EventStore alwaysMoving = appendingWith((imageId, expectedVersion, events) -> {
      throw new ConcurrencyConflictException(imageId, expectedVersion);
    });

    assertThatThrownBy(() -> new RecordLabel(alwaysMoving, p.clock, p.config).record(id.value(), true, "ana", "r"))
        .isInstanceOf(ConcurrencyConflictException.class);
    assertThat(p.events.all()).noneMatch(e -> e instanceof LabelRecorded);
    assertThat(p.events.all()).anyMatch(e -> e instanceof ClassificationSucceeded);
  }
}
