package io.catwrangler.core.fake;

import io.catwrangler.core.port.ImageStore;
import io.catwrangler.events.ImageId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Content-addressed bytes in memory, for use-case tests. */
public final class InMemoryImageStore implements ImageStore {
  private final ConcurrentMap<ImageId, byte[]> images = new ConcurrentHashMap<>();

  @Override
  public String put(ImageId imageId, byte[] bytes) {
    if (!ImageId.sha256Of(bytes).equals(imageId)) {
      throw new IllegalArgumentException("the bytes are not image " + imageId);
    }
    images.putIfAbsent(imageId, bytes.clone());
    return "images/" + imageId.value();
  }

  @Override
  public Optional<byte[]> get(ImageId imageId) {
    return Optional.ofNullable(images.get(imageId)).map(byte[]::clone);
  }

  @Override
  public boolean exists(ImageId imageId) {
    return images.containsKey(imageId);
  }

  public int size() {
    return images.size();
  }

  /** Loses an image, as a broken disk or a wrong lifecycle rule would. */
  public void lose(ImageId imageId) {
    images.remove(imageId);
  }
}
