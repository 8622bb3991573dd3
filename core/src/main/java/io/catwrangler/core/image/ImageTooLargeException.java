package io.catwrangler.core.image;

/** More bytes than the configured limit. */
public final class ImageTooLargeException extends ImageRejectedException {
  private final long size;
  private final long limit;

  public ImageTooLargeException(long size, long limit) {
    super("image is " + describe(size) + ", the limit is " + describe(limit));
    this.size = size;
    this.limit = limit;
  }

  /** "20.0 MiB (20971520 bytes)": readable, and exact for whoever compares with their own byte count. */
  static String describe(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB (%d bytes)", bytes / 1048576.0, bytes);
  }

  /** The size that was refused, in bytes. */
  public long size() {
    return size;
  }

  /** The limit in force, in bytes. */
  public long limit() {
    return limit;
  }

  @Override
  public String code() {
    return "TOO_LARGE";
  }
}
