package io.catwrangler.local.runtime;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Free space on the disk holding the data folder, asked before the runtime writes anything large: uploads are
 * refused (507) and the workers wait while it is below {@link #DEFAULT_MIN_FREE}, instead of failing halfway through
 * a write and retrying every second. What one upload and its events need is far less; the margin leaves SQLite room
 * to checkpoint and a person room to work.
 */
public final class DiskSpace {
  /** 64 MiB: four uploads of the largest size, the database's log and some air. */
  public static final long DEFAULT_MIN_FREE = 64L * 1024 * 1024;

  /** The bytes a process may still write on the disk; injectable so tests can fill a disk without filling one. */
  @FunctionalInterface
  public interface Probe {
    long usableBytes() throws IOException;
  }

  private final Path folder;
  private final long minFree;
  private final Probe probe;

  public DiskSpace(Path folder, long minFree, Probe probe) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.minFree = minFree;
    this.probe = Objects.requireNonNull(probe, "probe");
  }

  /**
   * The file system's own figure for {@code folder} ({@code statvfs}: space for unprivileged writers). The file store
   * is looked up once (on Linux that reads the mount table) and asked for its free space on every call.
   */
  public static DiskSpace of(Path folder) {
    AtomicReference<FileStore> store = new AtomicReference<>();
    return new DiskSpace(folder, DEFAULT_MIN_FREE, () -> {
      FileStore known = store.get();
      if (known == null) {
        known = Files.getFileStore(folder);
        store.set(known);
      }
      return known.getUsableSpace();
    });
  }

  /** Why nothing new should be written now, or empty when there is room. An unreadable figure counts as room. */
  public Optional<String> shortage() {
    long free;
    try {
      free = probe.usableBytes();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the writes themselves will say so if the disk is gone
    }
    if (free >= minFree) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "the disk holding %s is full: %.1f MiB free, %.0f MiB needed",
        folder, free / 1048576.0, minFree / 1048576.0));
  }

  public boolean full() {
    return shortage().isPresent();
  }
}
