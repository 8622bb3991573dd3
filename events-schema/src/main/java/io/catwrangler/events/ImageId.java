package io.catwrangler.events;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** An image's identity: the sha256 of its bytes, lower-case hex. The same bytes are always the same image. */
public record ImageId(String value) implements Comparable<ImageId> {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ImageId {
    Objects.requireNonNull(value, "image id");
    if (!SHA256_HEX.matcher(value).matches()) {
      throw new IllegalArgumentException("an image id is 64 lower-case hex characters (a sha256)");
    }
  }

  public static ImageId of(String value) {
    return new ImageId(value);
  }

  /** The id of these bytes. */
  public static ImageId sha256Of(byte[] bytes) {
    try {
      return new ImageId(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }

  @Override
  public int compareTo(ImageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
