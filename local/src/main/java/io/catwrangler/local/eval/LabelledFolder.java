package io.catwrangler.local.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A folder laid out as {@code cat/} and {@code not_cat/} subfolders of JPEG and PNG files (as shared/eval/dev). */
public final class LabelledFolder {
  private LabelledFolder() {}

  public static List<LabelledImage> read(Path dir) throws IOException {
    Path cats = dir.resolve("cat");
    Path others = dir.resolve("not_cat");
    if (!Files.isDirectory(cats) || !Files.isDirectory(others)) {
      throw new IOException(dir + " must contain the subfolders cat/ and not_cat/");
    }
    List<LabelledImage> images = new ArrayList<>();
    images.addAll(list(cats, true));
    images.addAll(list(others, false));
    if (images.isEmpty()) {
      throw new IOException("no .jpg, .jpeg or .png files under " + dir);
    }
    return images;
  }

  private static List<LabelledImage> list(Path dir, boolean isCat) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(LabelledFolder::isImageName)
          .sorted()
          .map(p -> new LabelledImage(p, isCat))
          .toList();
    }
  }

  static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }
}
