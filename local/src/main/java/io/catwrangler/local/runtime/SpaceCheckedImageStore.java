package io.catwrangler.local.runtime;

import io.catwrangler.core.port.ImageStore;
import io.catwrangler.core.port.StorageFullException;
import io.catwrangler.events.ImageId;
import java.util.Optional;

/** The image store, refusing new bytes while the disk is (nearly) full: an upload fails whole, before any write. */
final class SpaceCheckedImageStore implements ImageStore {
  private final ImageStore images;
  private final DiskSpace space;

  SpaceCheckedImageStore(ImageStore images, DiskSpace space) {
    this.images = images;
    this.space = space;
  }

  @Override
  public String put(ImageId imageId, byte[] bytes) {
    Optional<String> shortage = space.shortage();
    if (shortage.isPresent() && !images.exists(imageId)) {
      throw new StorageFullException(shortage.get(), null);
    }
    return images.put(imageId, bytes);
  }

  @Override
  public Optional<byte[]> get(ImageId imageId) {
    return images.get(imageId);
  }

  @Override
  public boolean exists(ImageId imageId) {
    return images.exists(imageId);
  }
}
