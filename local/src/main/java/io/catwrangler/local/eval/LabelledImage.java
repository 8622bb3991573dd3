package io.catwrangler.local.eval;

import java.nio.file.Path;

/**
 * One photo of an evaluation folder, whether it shows a cat (decided by its folder: cat/ or not_cat/), and its
 * category (the manifest's {@code category} column, e.g. dog or other_animal; else the folder's name).
 */
public record LabelledImage(Path path, boolean isCat, String category) {
  public LabelledImage(Path path, boolean isCat) {
    this(path, isCat, isCat ? "cat" : "not_cat");
  }
}
