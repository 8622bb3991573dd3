package io.catwrangler.core.port;

import io.catwrangler.events.ImageId;
import java.util.Optional;

/**
 * Image bytes, content-addressed by their sha256 and kept (filesystem folder embedded, {@code images/{sha256}} in
 * S3 on AWS).
 */
public interface ImageStore {

  /**
   * Stores the bytes under their id. Idempotent: storing the same bytes again changes nothing and returns the same
   * key; concurrent puts of the same bytes are harmless. A reader never sees a partly written image.
   *
   * @return the storage key recorded in {@code ImageReceived} (stable for the id)
   * @throws IllegalArgumentException {@code imageId} is not the sha256 of {@code bytes}
   */
  String put(ImageId imageId, byte[] bytes);

  /** The bytes, or empty when the image was never stored. */
  Optional<byte[]> get(ImageId imageId);

  boolean exists(ImageId imageId);
}
