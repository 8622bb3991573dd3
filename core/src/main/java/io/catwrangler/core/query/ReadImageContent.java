package io.catwrangler.core.query;

import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.image.ImageFormat;
import io.catwrangler.core.port.ImageStore;
import io.catwrangler.events.ImageId;
import java.util.Locale;
import java.util.Objects;

/**
 * The stored bytes of an image ({@code GET /images/{id}/content}): what the web page shows for an image it did not
 * upload itself. Ids arrive as the client typed them: malformed → {@link InvalidRequestException} (400), never
 * stored → {@link NotFoundException} (404).
 */
public final class ReadImageContent {
  private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final String UNKNOWN = "application/octet-stream";

  private final ImageStore images;

  public ReadImageContent(ImageStore images) {
    this.images = Objects.requireNonNull(images, "images");
  }

  public StoredImage content(String imageId) {
    ImageId id;
    try {
      id = ImageId.of(Objects.requireNonNull(imageId, "image id").toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidId("image id", e);
    }
    byte[] bytes = images.get(id).orElseThrow(() -> NotFoundException.image(id));
    return new StoredImage(id, mediaType(bytes), bytes);
  }

  /** Only JPEG and PNG are ever stored (ingest sniffs them the same way); the fallback is for a damaged file. */
  static String mediaType(byte[] bytes) {
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      return ImageFormat.JPEG.mediaType();
    }
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return ImageFormat.PNG.mediaType();
    }
    return UNKNOWN;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
