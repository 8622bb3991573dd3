package io.catwrangler.classify;

import io.catwrangler.aws.S3ImageStore;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.events.ImageId;
import java.util.Objects;
import java.util.Optional;

/**
 * The image store as the use cases see it while classify handles one S3 arrival: the arrival's bytes were read once
 * and copied to {@code images/{sha256}} inside S3, so storing them again (ingest's {@code put}) and reading them
 * back (the classifier's {@code get}) are answered from memory instead of a HeadObject and a second download.
 * Every other image goes to S3. Held per thread, for the duration of one arrival ({@link #hold}).
 */
final class ImageInHand implements ImageStore {
  private final S3ImageStore s3;
  private final ThreadLocal<Held> held = new ThreadLocal<>();

  private record Held(ImageId imageId, byte[] bytes, String key) {}

  ImageInHand(S3ImageStore s3) {
    this.s3 = Objects.requireNonNull(s3, "s3");
  }

  /** While {@code work} runs on this thread, {@code imageId} is the stored object {@code key} with these bytes. */
  <T> T hold(ImageId imageId, byte[] bytes, String key, java.util.function.Supplier<T> work) {
    held.set(new Held(imageId, bytes, key));
    try {
      return work.get();
    } finally {
      held.remove();
    }
  }

  @Override
  public String put(ImageId imageId, byte[] bytes) {
    Held h = held.get();
    return h != null && h.imageId().equals(imageId) ? h.key() : s3.put(imageId, bytes);
  }

  @Override
  public Optional<byte[]> get(ImageId imageId) {
    Held h = held.get();
    return h != null && h.imageId().equals(imageId) ? Optional.of(h.bytes()) : s3.get(imageId);
  }

  @Override
  public boolean exists(ImageId imageId) {
    Held h = held.get();
    return (h != null && h.imageId().equals(imageId)) || s3.exists(imageId);
  }
}
