package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.testdata.TestData;
import java.nio.file.Path;
import java.util.List;

/**
 * The labelled photos in the repository's {@code testdata/photos} ({@link TestData}). Missing data fails the test:
 * an acceptance test that cannot run must not pass as skipped.
 */
final class DevPhotos {
  /** A cat the embedded detector finds, one cat box (cat detection about 0.68; d2l-en {@code img/cat2.jpg}). */
  static final String CAT = "cat/d0098.jpg";
  /** A dog the embedded detector does not take for a cat (cat score about 0.01; d2l-en {@code img/dog2.jpg}). */
  static final String DOG = "not_cat/d0117.jpg";
  /** Another cat, for requests left in a queue by hand. */
  static final String OTHER_CAT = "cat/t00489.jpg";

  private DevPhotos() {}

  static Path dir() {
    return TestData.photos();
  }

  static byte[] read(String relative) {
    return TestData.read(relative);
  }

  /** Every labelled photo, in a stable order. */
  static List<Path> all() {
    List<Path> photos = TestData.allPhotos();
    assertThat(photos).as("test photos").hasSizeGreaterThanOrEqualTo(40);
    return photos;
  }
}
