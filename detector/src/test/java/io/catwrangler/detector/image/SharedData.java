package io.catwrangler.detector.image;

import java.nio.file.Files;
import java.nio.file.Path;

/** The labelled photos in shared/eval/dev beside the checkout; their absence fails the test (no silent skip). */
public final class SharedData {
  private SharedData() {}

  public static Path dir() {
    Path shared = Path.of(System.getProperty("catwrangler.shared", "../../shared"));
    if (!Files.isDirectory(shared.resolve("eval/dev"))) {
      throw new IllegalStateException("shared data not found at " + shared.toAbsolutePath()
          + " (set -Dcatwrangler.shared=PATH to the shared/ folder)");
    }
    return shared;
  }

  public static Path devImage(String relative) {
    return dir().resolve("eval/dev").resolve(relative);
  }
}
