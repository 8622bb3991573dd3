package io.catwrangler.local.fs;

import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.contract.ImageStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The image store contract against the filesystem. */
class FileImageStoreContractTest extends ImageStoreContract {
  @TempDir Path dataDir;

  @Override
  protected ImageStore newStore() {
    return FileImageStore.in(dataDir.resolve("images"));
  }
}
