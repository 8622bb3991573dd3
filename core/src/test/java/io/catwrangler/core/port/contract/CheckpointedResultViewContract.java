package io.catwrangler.core.port.contract;

import static io.catwrangler.core.port.contract.ContractEvents.image;
import static io.catwrangler.core.port.contract.ContractEvents.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.CheckpointedResultView;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link ResultViewContract} plus the feed checkpoint, for views the embedded projector tails into. */
public abstract class CheckpointedResultViewContract extends ResultViewContract {

  @Override
  protected abstract CheckpointedResultView newView();

  private CheckpointedResultView checkpointed() {
    return (CheckpointedResultView) view;
  }

  @Test
  void theCheckpointStartsAtZero() {
    assertThat(checkpointed().checkpoint()).isZero();
  }

  @Test
  void saveAllStoresTheStatesAndMovesTheCheckpoint() {
    var a = state(image(1), "batch-a", Optional.of(true));
    var b = state(image(2), "batch-a", Optional.empty());

    checkpointed().saveAll(List.of(a, b), 17);

    assertThat(checkpointed().checkpoint()).isEqualTo(17);
    assertThat(view.image(image(1))).contains(a);
    assertThat(view.image(image(2))).contains(b);
  }

  @Test
  void saveAllSkipsOldStatesButStillMovesTheCheckpoint() {
    var newer = state(image(1), "batch-a", Optional.of(true));
    var older = state(image(1), "batch-a", Optional.empty());
    checkpointed().saveAll(List.of(newer), 5);

    checkpointed().saveAll(List.of(older), 9);

    assertThat(view.image(image(1))).contains(newer);
    assertThat(checkpointed().checkpoint()).isEqualTo(9);
  }

  @Test
  void theCheckpointNeverMovesBack() {
    checkpointed().saveAll(List.of(), 10);

    assertThatThrownBy(() -> checkpointed().saveAll(List.of(), 3)).isInstanceOf(IllegalArgumentException.class);
    assertThat(checkpointed().checkpoint()).isEqualTo(10);
  }

  @Test
  void resetStartsTheCheckpointAgain() {
    checkpointed().saveAll(List.of(state(image(1), "batch-a", Optional.of(true))), 4);

    view.reset();

    assertThat(checkpointed().checkpoint()).isZero();
    assertThat(view.image(image(1))).isEmpty();
  }
}
