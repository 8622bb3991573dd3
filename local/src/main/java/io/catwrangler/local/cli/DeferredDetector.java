package io.catwrangler.local.cli;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.events.DetectorModel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A detector still loading: {@code serve} opens the database and starts HTTP while the model converts and loads on
 * another core, instead of one after the other. Calls wait for the model; a model that failed to load makes every
 * call a {@link DetectorUnavailableException} (the serve command stops before that matters).
 */
final class DeferredDetector implements CatDetector {
  private final CompletableFuture<? extends CatDetector> loading;

  DeferredDetector(CompletableFuture<? extends CatDetector> loading) {
    this.loading = loading;
  }

  private CatDetector loaded() {
    try {
      return loading.join();
    } catch (CompletionException e) {
      throw new DetectorUnavailableException("the model did not load: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public CatVerdict detect(byte[] image) throws ImageRejectedException {
    return loaded().detect(image);
  }

  @Override
  public DetectorModel model() {
    return loaded().model();
  }

  @Override
  public void close() {
    loading.thenAccept(CatDetector::close);
  }
}
