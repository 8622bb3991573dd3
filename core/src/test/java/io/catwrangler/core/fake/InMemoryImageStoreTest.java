package io.catwrangler.core.fake;

import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.contract.ImageStoreContract;

class InMemoryImageStoreTest extends ImageStoreContract {
  @Override
  protected ImageStore newStore() {
    return new InMemoryImageStore();
  }
}
