package io.catwrangler.core.port.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.port.UnitOfWork;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UnitOfWork} does, atomic or not: runs the work once on the calling thread, returns its result and
 * lets its exception through. Atomicity itself is the store's and is tested with its adapters.
 */
public abstract class UnitOfWorkContract {

  protected abstract UnitOfWork newUnit();

  @Test
  void runsTheWorkOnceOnThisThreadAndReturnsItsResult() {
    AtomicInteger runs = new AtomicInteger();
    Thread caller = Thread.currentThread();

    String result = newUnit().atomically(() -> {
      runs.incrementAndGet();
      assertThat(Thread.currentThread()).isSameAs(caller);
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(runs).hasValue(1);
  }

  @Test
  void theWorksExceptionComesOutAsItIs() {
    IllegalStateException thrown = new IllegalStateException("from the work");

    assertThatThrownBy(() -> newUnit().atomically(() -> {
      throw thrown;
    })).isSameAs(thrown);
  }

  @Test
  void aUnitInsideAnotherRuns() {
    UnitOfWork unit = newUnit();

    assertThat(unit.atomically(() -> unit.atomically(() -> 42))).isEqualTo(42);
  }
}
