package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ThreadNicenessTest {

  /** Runs {@code body} on a new thread and returns what it returned. */
  private static <T> T onNewThread(java.util.function.Supplier<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(body.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    t.start();
    t.join();
    return result.get();
  }

  @Test
  void lowersOnlyTheCallingThreadAndThreadsItStartsInheritIt() throws Exception {
    assumeTrue(System.getProperty("os.name").equals("Linux"), "nice values per thread are Linux's");
    assertThat(ThreadNiceness.ofCurrentThread()).isPresent();
    int before = ThreadNiceness.ofCurrentThread().orElseThrow();
    record Seen(boolean lowered, Optional<Integer> self, Optional<Integer> child) {}
    Seen seen = onNewThread(() -> {
      boolean lowered = ThreadNiceness.lowerCurrentThread(7);
      Optional<Integer> self = ThreadNiceness.ofCurrentThread();
      try {
        return new Seen(lowered, self, onNewThread(ThreadNiceness::ofCurrentThread));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(seen.lowered()).isTrue();
    assertThat(seen.self()).contains(7);
    assertThat(seen.child()).as("a thread started by a lowered thread").contains(7);
    assertThat(ThreadNiceness.ofCurrentThread()).as("the test's own thread is untouched").contains(before);
  }

  @Test
  void zeroLeavesThePriorityAlone() throws Exception {
    assumeTrue(System.getProperty("os.name").equals("Linux"), "nice values per thread are Linux's");
    assertThat(onNewThread(() -> ThreadNiceness.lowerCurrentThread(0))).isFalse();
  }

  @Test
  void outOfRangeValuesAreRefused() {
    assertThatThrownBy(() -> ThreadNiceness.lowerCurrentThread(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 to 19");
    assertThatThrownBy(() -> ThreadNiceness.lowerCurrentThread(20)).isInstanceOf(IllegalArgumentException.class);
  }
}
