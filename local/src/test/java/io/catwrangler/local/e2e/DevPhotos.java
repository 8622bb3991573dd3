package io.catwrangler.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The labelled photos in {@code shared/eval/dev}, found through the system property {@code catwrangler.shared}
 * (surefire sets it to the folder beside the checkout). Missing data fails the test: an acceptance test that
 * cannot run must not pass as skipped.
 */
final class DevPhotos {
  /** A cat the embedded detector finds (cat score about 0.59). */
  static final String CAT = "cat/d0007.jpg";
  /** A dog the embedded detector does not take for a cat (cat score about 0.04). */
  static final String DOG = "not_cat/d0027.jpg";

  private DevPhotos() {}

  static Path dir() {
    String shared = System.getProperty("catwrangler.shared");
    assertThat(shared).as("system property catwrangler.shared (set by surefire to <repo>/../shared)").isNotBlank();
    Path dev = Path.of(shared, "eval", "dev");
    assertThat(dev).as("the dev photos").isDirectory();
    return dev;
  }

  static byte[] read(String relative) {
    Path file = dir().resolve(relative);
    assertThat(file).as("dev photo").isRegularFile();
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every dev photo, in a stable order. */
  static List<Path> all() {
    try (Stream<Path> files = Files.walk(dir())) {
      List<Path> photos = files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png"))
          .sorted()
          .toList();
      assertThat(photos).as("dev photos").hasSizeGreaterThanOrEqualTo(100);
      return photos;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
