package io.catwrangler.core.port;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Calls to several ports made one atomic step, where the stores behind them can do that: embedded, one SQLite write
 * transaction (each port's own transaction joins it). Where they cannot (DynamoDB, SQS and S3 are separate services)
 * it is {@link #EACH_ON_ITS_OWN}, and the use case's order of calls is what keeps its guarantees, as it must anyway.
 */
public interface UnitOfWork {

  /** Each port's call is its own step: the work just runs. */
  UnitOfWork EACH_ON_ITS_OWN = new UnitOfWork() {
    @Override
    public <T> T atomically(Supplier<T> work) {
      return Objects.requireNonNull(work, "work").get();
    }
  };

  /**
   * Runs {@code work}; its calls to the ports of this store take effect together or, if it throws, not at all.
   *
   * @throws StorageUnavailableException the step could not be started or committed
   */
  <T> T atomically(Supplier<T> work);
}
