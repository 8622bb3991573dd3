package io.catwrangler.core.port.contract;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.labelled;
import static io.catwrangler.core.port.contract.ContractEvents.received;
import static io.catwrangler.core.port.contract.ContractEvents.scored;
import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every view that counts labelled answers ({@link LabelledAnswers}) must do, kept up to date by the view's own
 * {@code save}, {@code remove} and {@code reset}. Return a fresh, empty view from {@link #newView()}.
 */
public abstract class LabelledAnswersContract<V extends ResultView & LabelledAnswers> {
  private static final DetectorModel MODEL = ContractEvents.MODEL;
  private static final DetectorModel OLD_MODEL = new DetectorModel("contract-detector", "0.9");
  private static final List<Double> TABLE = List.of(0.3, 0.5, 0.7);

  protected V view;

  protected abstract V newView();

  @BeforeEach
  void createView() {
    view = newView();
  }

  /** Saves an image received, answered with {@code score} at 0.5 by {@code model}, and labelled {@code labels}. */
  private ImageState saveImage(int n, Optional<Double> score, DetectorModel model, Boolean... labels) {
    ImageId id = image(n);
    List<Event> events = new ArrayList<>();
    events.add(received(id, 1, "batch-q", "q-" + n + ".jpg"));
    score.ifPresent(s -> events.add(scored(id, 2, s, 0.5, model)));
    for (Boolean cat : labels) {
      events.add(labelled(id, events.size() + 1, cat, "person-" + events.size()));
    }
    ImageState state = ImageState.fold(id, events);
    view.save(state);
    return state;
  }

  @Test
  void anEmptyViewCountsNothing() {
    LabelTally tally = view.tally(MODEL, TABLE);

    assertThat(tally.answered()).isEqualTo(Confusion.NONE);
    assertThat(tally.unanswered()).isZero();
    assertThat(tally.otherModels()).isZero();
    assertThat(tally.atThresholds()).extracting(LabelTally.AtThreshold::threshold).containsExactlyElementsOf(TABLE);
    assertThat(tally.atThresholds()).allSatisfy(row -> assertThat(row.confusion()).isEqualTo(Confusion.NONE));
  }

  @Test
  void countsEachLabelledAnswerOnceByItsNewestLabel() {
    saveImage(1, Optional.of(0.9), MODEL, true); // tp
    saveImage(2, Optional.of(0.8), MODEL, true, false); // said cat, newest label not: fp
    saveImage(3, Optional.of(0.2), MODEL, false); // tn
    saveImage(4, Optional.of(0.1), MODEL, false, true); // fn
    saveImage(5, Optional.of(0.95), MODEL, true); // tp
    saveImage(6, Optional.of(0.6), MODEL); // not labelled: not counted
    saveImage(7, Optional.empty(), MODEL, true); // pending
    saveImage(8, Optional.of(0.9), OLD_MODEL, false); // answered by another model

    LabelTally tally = view.tally(MODEL, TABLE);

    assertThat(tally.answered()).isEqualTo(new Confusion(2, 1, 1, 1));
    assertThat(tally.unanswered()).isEqualTo(1);
    assertThat(tally.otherModels()).isEqualTo(1);
    assertThat(view.tally(OLD_MODEL, TABLE).answered()).isEqualTo(new Confusion(0, 1, 0, 0));
  }

  @Test
  void decidesAgainAtEachThresholdFromTheStoredScores() {
    saveImage(1, Optional.of(0.9), MODEL, true);
    saveImage(2, Optional.of(0.65), MODEL, false);
    saveImage(3, Optional.of(0.5), MODEL, true); // exactly at 0.5: yes there
    saveImage(4, Optional.of(0.35), MODEL, true);
    saveImage(5, Optional.of(0.1), MODEL, false);

    LabelTally tally = view.tally(MODEL, TABLE);

    assertThat(tally.answered()).isEqualTo(new Confusion(2, 1, 1, 1));
    assertThat(tally.atThresholds())
        .containsExactly(
            new LabelTally.AtThreshold(0.3, new Confusion(3, 1, 1, 0), 1),
            new LabelTally.AtThreshold(0.5, new Confusion(2, 1, 1, 1), 0),
            new LabelTally.AtThreshold(0.7, new Confusion(1, 0, 2, 2), 2));
  }

  @Test
  void followsTheAnswerAsItStandsAfterARedecision() {
    ImageId id = image(1);
    List<Event> events = new ArrayList<>();
    events.add(received(id, 1, "batch-q", "q.jpg"));
    events.add(scored(id, 2, 0.4, 0.5, MODEL));
    events.add(labelled(id, 3, true, "ana"));
    view.save(ImageState.fold(id, events));
    assertThat(view.tally(MODEL, TABLE).answered()).isEqualTo(new Confusion(0, 0, 0, 1));

    events.add(scored(id, 4, 0.4, 0.3, MODEL));
    view.save(ImageState.fold(id, events));

    assertThat(view.tally(MODEL, TABLE).answered()).isEqualTo(new Confusion(1, 0, 0, 0));
  }

  @Test
  void anOlderStateDoesNotBringAnOldLabelBack() {
    ImageState once = saveImage(1, Optional.of(0.9), MODEL, false);
    ImageState twice = ImageState.fold(image(1), List.of(
        received(image(1), 1, "batch-q", "q-1.jpg"), scored(image(1), 2, 0.9, 0.5, MODEL),
        labelled(image(1), 3, false, "person-2"), labelled(image(1), 4, true, "bob")));
    view.save(twice);

    view.save(once);

    assertThat(view.tally(MODEL, TABLE).answered()).isEqualTo(new Confusion(1, 0, 0, 0));
  }

  @Test
  void removeAndResetForgetTheLabels() {
    saveImage(1, Optional.of(0.9), MODEL, true);
    saveImage(2, Optional.of(0.9), MODEL, true);

    view.remove(image(1));
    assertThat(view.tally(MODEL, TABLE).answered().n()).isEqualTo(1);

    view.reset();
    assertThat(view.tally(MODEL, TABLE).answered()).isEqualTo(Confusion.NONE);
  }
}
