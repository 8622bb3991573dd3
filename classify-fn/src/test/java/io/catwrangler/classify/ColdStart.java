package io.catwrangler.classify;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A benchmark program, not a test: the time from this JVM's start until classify-fn's handler is constructed the way
 * the Lambda runtime constructs it ({@link ClassifyHandler#ClassifyHandler()}: configuration from the environment,
 * SDK clients, the embedded detector with its models loaded). Run it on the deployment zip's classpath with the
 * CW_* variables set (docs/benchmarks.md has the command); it needs no AWS endpoint, as construction calls none.
 */
public final class ColdStart {
  private ColdStart() {}

  public static void main(String[] args) {
    long constructStart = System.nanoTime();
    ClassifyHandler handler = new ClassifyHandler();
    double constructMs = (System.nanoTime() - constructStart) / 1e6;
    double sinceJvmStart = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.printf(Locale.ROOT, "classify-fn handler constructed: %.0f ms in the constructor, %.0f ms since JVM start"
        + " (CW_BOXES=%s) %s%n", constructMs, sinceJvmStart, System.getenv().getOrDefault("CW_BOXES", "never"),
        handler.getClass().getSimpleName());
  }
}
