package io.catwrangler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/** The load test's CPU accounting, read from {@code /proc/PID/stat}. */
class LoadTestCpuTest {

  @Test
  void aProcesssCpuTimeGrowsByWhatItsThreadsSpent() {
    long pid = ProcessHandle.current().pid();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = LoadTestCommand.cpuMillis(pid);
    long threadStart = threads.getCurrentThreadCpuTime();
    long sink = 0;
    while (threads.getCurrentThreadCpuTime() - threadStart < 300_000_000L) { // 300 ms of this thread's CPU
      sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
    }
    long after = LoadTestCommand.cpuMillis(pid);

    assertThat(sink).isNotNegative();
    assertThat(before).isPositive();
    assertThat(after - before).isGreaterThanOrEqualTo(250); // ticks are 10 ms; other threads only add
  }

  @Test
  void aProcessThatIsNotThereHasNoFigure() {
    assertThat(LoadTestCommand.cpuMillis(Long.MAX_VALUE)).isEqualTo(-1);
    assertThat(LoadTestCommand.compilerMillis(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void theJitCompilerThreadsOfThisJvmAreFound() {
    long pid = ProcessHandle.current().pid();

    assertThat(LoadTestCommand.compilerThreads(pid)).get().asList().isNotEmpty();
    assertThat(LoadTestCommand.compilerMillis(pid)).isBetween(0L, LoadTestCommand.cpuMillis(pid));
  }
}
