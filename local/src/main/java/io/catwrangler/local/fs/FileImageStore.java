package io.catwrangler.local.fs;

import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.ImageId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Image bytes as files, content-addressed: {@code <root>/ab/cd/<sha256>} where {@code ab} and {@code cd} are the
 * first two byte pairs of the hex id (at most 256 entries per folder level). Files are never changed or deleted.
 *
 * <p>A put writes a temporary file in the target folder, renames it into place atomically: a reader sees the whole
 * image or none, and once {@code put} has returned the image survives the process being killed. With {@code fsync}
 * the file and its folder are also synced before {@code put} returns, so the image survives a power cut too (at a
 * few milliseconds per put). Two puts of the same bytes race harmlessly: both renames install identical content. A
 * file of the wrong size (cut short by a power cut without {@code fsync}) is replaced by the next put of its bytes.
 */
public final class FileImageStore implements ImageStore {
  /** Name prefix of temporary files; anything so named is an unfinished write and may be deleted at start-up. */
  static final String TEMP_PREFIX = ".incoming-";

  private static final Pattern IMAGE_FILE = Pattern.compile("[0-9a-f]{64}");

  /**
   * Temporary files are named by this process's id and a number of its own: concurrent puts of the same bytes, here
   * or in another process, write files of their own; a file of the same name is one a dead process left.
   */
  private static final long PID = ProcessHandle.current().pid();

  private static final AtomicLong TEMP_NUMBERS = new AtomicLong();

  private static final Set<StandardOpenOption> NEW_TEMP =
      EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);

  /** Image files readable by their owner only (rw-------), as {@code Files.createTempFile} made them before. */
  private static final FileAttribute<?>[] OWNER_ONLY =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
              EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
          : new FileAttribute<?>[0];

  private final Path root;
  private final String keyPrefix;
  private final boolean fsync;

  /**
   * @param root the folder that holds the images (created if missing)
   * @param keyPrefix what storage keys start with, e.g. {@code "images/"} for keys relative to the data folder
   * @param fsync sync every new file and its folder before {@code put} returns
   */
  public FileImageStore(Path root, String keyPrefix, boolean fsync) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "key prefix");
    this.fsync = fsync;
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot create the image folder " + root, e);
    }
  }

  /**
   * A store whose keys are paths relative to the folder above {@code root} ({@code images/ab/cd/<sha256>}), syncing
   * every write.
   */
  public static FileImageStore in(Path root) {
    return new FileImageStore(root, root.toAbsolutePath().getFileName() + "/", true);
  }

  public Path root() {
    return root;
  }

  @Override
  public String put(ImageId imageId, byte[] bytes) {
    Objects.requireNonNull(imageId, "image id");
    Objects.requireNonNull(bytes, "bytes");
    if (!ImageId.sha256Of(bytes).equals(imageId)) {
      throw new IllegalArgumentException("image id " + imageId + " is not the sha256 of the bytes");
    }
    Path target = path(imageId);
    if (storedWhole(target, bytes.length)) {
      return key(imageId);
    }
    Path folder = target.getParent();
    Path temp = null;
    try {
      temp = folder.resolve(TEMP_PREFIX + imageId.value() + "-" + PID + "-" + TEMP_NUMBERS.incrementAndGet() + ".tmp");
      try (FileChannel channel = createTemp(temp)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (fsync) {
          channel.force(true);
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new StorageUnavailableException("the image folder " + root + " does not support atomic renames", e);
      }
      temp = null;
      if (fsync) {
        syncFolder(folder);
      }
      return key(imageId);
    } catch (IOException e) {
      if (isNoSpace(e)) {
        throw new StorageFullException("the disk holding the image folder " + root + " is full", e);
      }
      throw new StorageUnavailableException("cannot store image " + imageId + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // an unfinished temporary file is cleaned up at the next start
        }
      }
    }
  }

  /** ENOSPC or EDQUOT, as the JDK words them on Linux and macOS. */
  static boolean isNoSpace(IOException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return message.contains("no space left on device") || message.contains("disk quota exceeded");
  }

  @Override
  public Optional<byte[]> get(ImageId imageId) {
    try {
      return Optional.of(Files.readAllBytes(path(imageId)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot read image " + imageId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(ImageId imageId) {
    return Files.isRegularFile(path(imageId));
  }

  /** Where the image's file is (or would be). */
  public Path path(ImageId imageId) {
    String hex = imageId.value();
    return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
  }

  /** The storage key recorded in events for the image. */
  public String key(ImageId imageId) {
    String hex = imageId.value();
    return keyPrefix + hex.substring(0, 2) + "/" + hex.substring(2, 4) + "/" + hex;
  }

  /**
   * A file under the root: a stored image ({@code imageId} present), an unfinished write ({@code unfinishedWrite}),
   * or something else.
   */
  public record StoredFile(Path path, Optional<ImageId> imageId, boolean unfinishedWrite) {}

  /**
   * Calls {@code action} for every file under the root. Walks the whole folder: meant for start-up checks and
   * operator tools.
   */
  public void forEachFile(Consumer<StoredFile> action) {
    try (Stream<Path> files = Files.find(root, 3, (p, attributes) -> attributes.isRegularFile())) {
      files.forEach(
          p -> {
            String name = p.getFileName().toString();
            Optional<ImageId> imageId = Optional.empty();
            if (IMAGE_FILE.matcher(name).matches() && p.equals(path(ImageId.of(name)))) {
              imageId = Optional.of(ImageId.of(name));
            }
            action.accept(new StoredFile(p, imageId, name.startsWith(TEMP_PREFIX)));
          });
    } catch (IOException | UncheckedIOException e) {
      throw new StorageUnavailableException("cannot list the image folder " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether the file is there at this size. {@code File.length} answers 0 for a missing (or unreadable) file without
   * the exception {@code Files.size} builds, stack trace and all, for every new image; an image is never empty.
   */
  private static boolean storedWhole(Path target, long size) {
    return target.toFile().length() == size;
  }

  /**
   * Creates the temporary file {@code temp} (a name no other put uses; a file a dead process left under it is
   * replaced), and its folder on the first put that needs it: the common case (the folder is there) costs no look
   * at the folders first. Not {@code Files.createTempFile}, whose random name costs a {@code SecureRandom} draw and
   * a second open.
   */
  private FileChannel createTemp(Path temp) throws IOException {
    try {
      return FileChannel.open(temp, NEW_TEMP, OWNER_ONLY);
    } catch (NoSuchFileException e) {
      createFolders(temp.getParent());
      return FileChannel.open(temp, NEW_TEMP, OWNER_ONLY);
    }
  }

  /** Creates {@code ab/cd} as needed, syncing each parent so the new folder entries are as durable as the file. */
  private void createFolders(Path folder) throws IOException {
    Path parent = folder.getParent();
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(parent);
      if (fsync) {
        syncFolder(root);
      }
    }
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder);
      if (fsync) {
        syncFolder(parent);
      }
    }
  }

  private static void syncFolder(Path folder) throws IOException {
    // makes the rename itself durable; some platforms cannot open a folder for syncing, and there it is skipped
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        return;
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }
}
