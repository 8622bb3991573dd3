package io.catwrangler.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux); -1 where that is not available. */
public final class ProcessMemory {
  private ProcessMemory() {}

  public static long peakRssMegabytes() {
    return statusKilobytes("VmHWM:") / 1024;
  }

  private static long statusKilobytes(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or /proc not mounted
    }
    return -1024;
  }
}
