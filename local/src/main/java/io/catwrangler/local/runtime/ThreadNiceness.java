package io.catwrangler.local.runtime;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Gives the calling thread a lower CPU priority (a higher Linux nice value), so that inference yields the cores to
 * the HTTP threads whenever both want them: an upload is acknowledged, and a status answered, without waiting behind
 * a classification, while the classifications still get every cycle nobody else wants. Threads a lowered thread
 * creates inherit its nice value (ONNX Runtime's inference threads, created with the model's session, do).
 *
 * <p>Linux only, through {@code renice} on the thread's id ({@code /proc/thread-self}); elsewhere, or if that fails,
 * the thread keeps its priority and a warning says so. Lowering needs no privilege.
 */
public final class ThreadNiceness {
  private static final System.Logger LOG = System.getLogger(ThreadNiceness.class.getName());
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");

  /** Highest nice value Linux allows. */
  public static final int MAX = 19;

  private ThreadNiceness() {}

  /**
   * Sets the calling thread's nice value to {@code nice} (0 leaves it alone). Returns whether it was set.
   *
   * @throws IllegalArgumentException {@code nice} outside 0..{@value #MAX}
   */
  public static boolean lowerCurrentThread(int nice) {
    requireValid(nice);
    if (nice == 0) {
      return false;
    }
    Optional<String> tid = currentThreadId();
    if (tid.isEmpty()) {
      LOG.log(Level.WARNING, "cannot lower the priority of thread " + Thread.currentThread().getName()
          + ": no /proc/thread-self (not Linux?)");
      return false;
    }
    try {
      Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid.get())
          .redirectErrorStream(true).start();
      renice.getOutputStream().close();
      String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
        renice.destroyForcibly();
        LOG.log(Level.WARNING, "renice of thread " + Thread.currentThread().getName() + " failed: " + output);
        return false;
      }
      return true;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot run renice for thread " + Thread.currentThread().getName() + ": "
          + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The calling thread's nice value, read from {@code /proc}; empty when not on Linux. */
  public static Optional<Integer> ofCurrentThread() {
    try {
      // field 19 of stat, counted after the command name in brackets (which may hold spaces)
      String stat = Files.readString(THREAD_SELF.resolve("stat"), StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Integer.parseInt(fields[16]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static void requireValid(int nice) {
    if (nice < 0 || nice > MAX) {
      throw new IllegalArgumentException("worker nice value must be 0 to " + MAX + ", got " + nice);
    }
  }

  private static Optional<String> currentThreadId() {
    try {
      // "<pid>/task/<tid>"
      return Optional.of(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
