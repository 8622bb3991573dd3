package io.catwrangler.local.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The photos to fit a head on: a folder with {@code cat/} and {@code not_cat/}, described by a {@code manifest.csv}
 * (columns {@code file,label,…,source_repo,source_path,…}, as shared/train) when there is one; without it every photo
 * is its own source and group.
 *
 * <p>Groups keep photos of one individual together: a source folder of at most {@value #INDIVIDUAL_FOLDER_MAX} photos
 * (shared/train's home photos come 7–8 per cat and folder) is one group; in larger folders, which are collections of
 * many animals, each photo is its own group.
 */
public final class TrainingSet {
  static final int INDIVIDUAL_FOLDER_MAX = 12;

  private TrainingSet() {}

  public static List<SourcedImage> read(Path dir) throws IOException {
    Path manifest = dir.resolve("manifest.csv");
    if (!Files.isRegularFile(manifest)) {
      return LabelledFolder.read(dir).stream()
          .map(i -> new SourcedImage(i.path(), i.isCat(), "all", i.path().toString()))
          .toList();
    }
    List<String> lines = Files.readAllLines(manifest);
    if (lines.isEmpty()) {
      throw new IOException(manifest + " is empty");
    }
    List<String> header = Csv.fields(lines.get(0));
    int file = column(header, "file", manifest);
    int label = column(header, "label", manifest);
    int source = column(header, "source_repo", manifest);
    int sourcePath = column(header, "source_path", manifest);
    List<String[]> rows = new ArrayList<>();
    Map<String, Integer> folderSizes = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      List<String> f = Csv.fields(line);
      if (f.size() < header.size()) {
        throw new IOException(manifest + ": too few fields in line: " + line);
      }
      String folder = f.get(source) + ":" + parent(f.get(sourcePath));
      rows.add(new String[] {f.get(file), f.get(label), f.get(source), folder});
      folderSizes.merge(folder, 1, Integer::sum);
    }
    List<SourcedImage> images = new ArrayList<>(rows.size());
    for (String[] r : rows) {
      if (!r[1].equals("cat") && !r[1].equals("not_cat")) {
        throw new IOException(manifest + ": label must be cat or not_cat, was " + r[1]);
      }
      Path p = dir.resolve(r[0]);
      if (!Files.isRegularFile(p)) {
        throw new IOException(manifest + " lists " + r[0] + ", which is not in " + dir);
      }
      String group = folderSizes.get(r[3]) <= INDIVIDUAL_FOLDER_MAX ? r[3] : r[2] + ":" + r[0];
      images.add(new SourcedImage(p, r[1].equals("cat"), r[2], group));
    }
    return images;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static int column(List<String> header, String name, Path manifest) throws IOException {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new IOException(manifest + " has no column " + name);
    }
    return i;
  }

  /** RFC 4180 fields of one line: commas separate, double quotes enclose, a doubled quote is a quote. */
  static final class Csv {
    private Csv() {}

    static List<String> fields(String line) {
      List<String> out = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          out.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      out.add(field.toString());
      return out;
    }
  }
}
