package io.catwrangler.local.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder laid out as {@code cat/} and {@code not_cat/} subfolders of JPEG and PNG files (as shared/eval/dev); a
 * {@code manifest.csv} beside them with {@code file} and {@code category} columns gives each photo its category.
 */
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
    Map<String, String> categories = categories(dir);
    return images.stream().map(i -> {
      String relative = dir.relativize(i.path()).toString().replace('\\', '/');
      return new LabelledImage(i.path(), i.isCat(), categories.getOrDefault(relative, i.category()));
    }).toList();
  }

  /** File (relative to the folder) to category, from manifest.csv when it has both columns. */
  private static Map<String, String> categories(Path dir) throws IOException {
    Path manifest = dir.resolve("manifest.csv");
    Map<String, String> out = new HashMap<>();
    if (!Files.isRegularFile(manifest)) {
      return out;
    }
    List<String> lines = Files.readAllLines(manifest);
    if (lines.isEmpty()) {
      return out;
    }
    List<String> header = TrainingSet.Csv.fields(lines.get(0));
    int file = header.indexOf("file");
    int category = header.indexOf("category");
    if (file < 0 || category < 0) {
      return out;
    }
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = TrainingSet.Csv.fields(line);
      if (f.size() > Math.max(file, category) && !f.get(category).isBlank()) {
        out.put(f.get(file), f.get(category));
      }
    }
    return out;
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

  /** A .jpg, .jpeg or .png file, by its name. */
  public static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }
}
