package io.catwrangler.core.query;

import io.catwrangler.events.ImageId;
import java.util.Objects;

/**
 * An image's bytes as they were uploaded, for the web page to show it again later.
 *
 * @param mediaType {@code image/jpeg} or {@code image/png}, from the bytes' signature
 */
public record StoredImage(ImageId imageId, String mediaType, byte[] bytes) {
  public StoredImage {
    Objects.requireNonNull(imageId, "image id");
    Objects.requireNonNull(mediaType, "media type");
    Objects.requireNonNull(bytes, "bytes");
  }
}
