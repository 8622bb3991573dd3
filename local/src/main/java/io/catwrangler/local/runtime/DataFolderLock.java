package io.catwrangler.local.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runtime per data folder: an OS file lock on {@code catwrangler.lock}, released when the process ends however
 * it ends. Holding it is what lets start-up treat every lease in the queue as abandoned.
 */
final class DataFolderLock implements AutoCloseable {
  static final String FILE_NAME = "catwrangler.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws IllegalStateException another runtime (this process or another) has the folder */
  static DataFolderLock acquire(Path dataDir) throws IOException {
    FileChannel channel =
        FileChannel.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("the data folder " + dataDir + " is in use by another catwrangler runtime");
    }
    return new DataFolderLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
