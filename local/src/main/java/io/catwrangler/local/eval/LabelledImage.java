package io.catwrangler.local.eval;

import java.nio.file.Path;

/** One photo of an evaluation folder and whether it shows a cat (decided by its folder: cat/ or not_cat/). */
public record LabelledImage(Path path, boolean isCat) {}
