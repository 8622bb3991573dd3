package io.catwrangler.core.fake;

import io.catwrangler.core.port.contract.LabelledAnswersContract;

class InMemoryLabelledAnswersTest extends LabelledAnswersContract<InMemoryResultView> {
  @Override
  protected InMemoryResultView newView() {
    return new InMemoryResultView();
  }
}
