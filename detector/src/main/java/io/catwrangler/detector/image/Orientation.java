package io.catwrangler.detector.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * EXIF orientation (tag 0x0112, values 1–8): how the stored pixels must be turned to appear upright. Phones store
 * photos sideways and set this tag; a detector fed the stored pixels sees a cat lying on its side.
 */
public enum Orientation {
  NORMAL(1, false),
  FLIP_HORIZONTAL(2, false),
  ROTATE_180(3, false),
  FLIP_VERTICAL(4, false),
  TRANSPOSE(5, true),
  ROTATE_90_CW(6, true),
  TRANSVERSE(7, true),
  ROTATE_270_CW(8, true);

  private final int exifValue;
  private final boolean swapsAxes;

  Orientation(int exifValue, boolean swapsAxes) {
    this.exifValue = exifValue;
    this.swapsAxes = swapsAxes;
  }

  public int exifValue() {
    return exifValue;
  }

  /** True when the upright image is the stored one turned by a quarter: width and height swap. */
  public boolean swapsAxes() {
    return swapsAxes;
  }

  public static Orientation ofExif(int value) {
    for (Orientation o : values()) {
      if (o.exifValue == value) {
        return o;
      }
    }
    return NORMAL; // out-of-range values are common in the wild; treat them as "no rotation"
  }

  /** Reads the orientation tag; absent, unreadable or invalid metadata means NORMAL (metadata never rejects an image). */
  public static Orientation read(byte[] image) {
    try {
      Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(image), image.length);
      ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
        return ofExif(ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION));
      }
    } catch (ImageProcessingException | IOException | RuntimeException | com.drew.metadata.MetadataException e) {
      // broken EXIF is not a broken image
    }
    return NORMAL;
  }

  /**
   * Index into the stored pixel array (width {@code w}, height {@code h}) of the upright pixel (x, y), where the
   * upright image is {@code h×w} when {@link #swapsAxes()} and {@code w×h} otherwise.
   */
  int storedIndex(int x, int y, int w, int h) {
    return switch (this) {
      case NORMAL -> y * w + x;
      case FLIP_HORIZONTAL -> y * w + (w - 1 - x);
      case ROTATE_180 -> (h - 1 - y) * w + (w - 1 - x);
      case FLIP_VERTICAL -> (h - 1 - y) * w + x;
      case TRANSPOSE -> x * w + y;
      case ROTATE_90_CW -> (h - 1 - x) * w + y;
      case TRANSVERSE -> (h - 1 - x) * w + (w - 1 - y);
      case ROTATE_270_CW -> x * w + (w - 1 - y);
    };
  }
}
