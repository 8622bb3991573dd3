package io.catwrangler.core.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's {@code testdata/} folder: the labelled photos ({@code photos/cat}, {@code photos/not_cat},
 * {@code photos/manifest.csv}) and the detector's golden outputs ({@code centernet/golden}). Surefire passes its
 * path as the system property {@code catwrangler.testdata}; run without it (an IDE), the folder is looked for
 * upwards from the working directory. A missing file fails the test that asked for it, never skips it.
 */
public final class TestData {
  public static final String PROPERTY = "catwrangler.testdata";

  private TestData() {}

  public static Path dir() {
    String configured = System.getProperty(PROPERTY);
    Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : lookUpwards();
    if (!Files.isRegularFile(dir.resolve("photos/manifest.csv"))) {
      throw new IllegalStateException("test data not found at " + dir.toAbsolutePath()
          + " (the repository's testdata/ folder; set -D" + PROPERTY + "=PATH)");
    }
    return dir;
  }

  /** The labelled photos: {@code cat/} and {@code not_cat/} subfolders and {@code manifest.csv}. */
  public static Path photos() {
    return dir().resolve("photos");
  }

  /** One photo by its path under {@code photos/}, e.g. {@code cat/d0061.jpg}; it must exist. */
  public static Path photo(String relative) {
    Path file = photos().resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no test photo " + file.toAbsolutePath());
    }
    return file;
  }

  public static byte[] read(String relative) {
    try {
      return Files.readAllBytes(photo(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The photos of the classifier's golden data ({@code mobilenet/golden/manifest.csv}): golden name → path under
   * {@code photos/}, in the manifest's order (cats first).
   */
  public static java.util.Map<String, Path> classifierGolden() {
    try {
      java.util.Map<String, Path> out = new java.util.LinkedHashMap<>();
      List<String> lines = Files.readAllLines(dir().resolve("mobilenet/golden/manifest.csv"));
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          String[] fields = line.split(",");
          out.put(fields[0], photo(fields[1]));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every labelled photo (JPEG and PNG under {@code photos/}), sorted by path. */
  public static List<Path> allPhotos() {
    try (Stream<Path> files = Files.walk(photos())) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CenterNet golden data made by TensorFlow.js (see its README). */
  public static Path centerNetGolden() {
    return dir().resolve("centernet/golden");
  }

  private static Path lookUpwards() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("testdata/photos"))) {
        return p.resolve("testdata");
      }
    }
    return Path.of("testdata");
  }
}
