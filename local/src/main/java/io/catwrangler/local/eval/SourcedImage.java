package io.catwrangler.local.eval;

import java.nio.file.Path;

/**
 * A labelled training photo and where it came from.
 *
 * @param path the file
 * @param isCat its label
 * @param source the collection it was taken from (manifest column {@code source_repo}); photos of one source share a
 *     camera, a crop and a kind of subject, which a learned rule can pick up instead of cats
 * @param group photos that must stay on the same side of a cross-validation split (e.g. one individual cat)
 */
public record SourcedImage(Path path, boolean isCat, String source, String group) {}
