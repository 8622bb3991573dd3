package io.catwrangler.core.fake;

import io.catwrangler.core.port.CheckpointedResultView;
import io.catwrangler.core.port.contract.CheckpointedResultViewContract;

class InMemoryResultViewTest extends CheckpointedResultViewContract {
  @Override
  protected CheckpointedResultView newView() {
    return new InMemoryResultView();
  }
}
