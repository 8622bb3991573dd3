package io.catwrangler.local.sqlite;

/**
 * How hard a commit waits for the disk (SQLite {@code PRAGMA synchronous} in WAL mode; the runtime applies the same
 * choice to image files).
 *
 * <p>Both survive the process being killed ({@code kill -9}, an OOM kill, a JVM crash): a committed transaction is
 * in the WAL file, which the operating system keeps once {@code write()} has returned. They differ on a power cut or
 * an operating-system crash. See docs/operations.md, "Durability".
 */
public enum Durability {
  /**
   * Every commit fsyncs the WAL (and every image file is fsynced with its folder): an answered upload survives a
   * power cut too. Costs an fsync per commit, serialised behind SQLite's single writer: on a disk with slow flushes
   * (6 ms measured on the development VM) it caps commits at a few hundred a second and adds tens of ms to uploads.
   */
  FULL,
  /**
   * The runtime's default. The WAL is fsynced at checkpoints only: safe against a killed process, but a power cut
   * or OS crash may lose the last transactions (never corrupting the database).
   */
  NORMAL
}
