package io.catwrangler.detector;

import java.util.Arrays;
import java.util.Locale;

/**
 * When {@link ImageNetCatDetector} also runs CenterNet, whose only job is now the boxes (detections, the page's
 * drawing): for every image, or never. The answer is the classifier's either way. Figures and the defaults per
 * runtime: docs/decisions/0016-imagenet-classifier.md.
 */
public enum Boxes {
  /** CenterNet runs on every image: detections and boxes in every answer. */
  ALWAYS,
  /** The classifier alone: no detections, about five times the throughput. */
  NEVER;

  /** Embedded: a new user's page shows boxes; bulk users turn them off with {@code --boxes never}. */
  public static final Boxes DEFAULT = ALWAYS;

  /** {@code always} or {@code never}, any case. */
  public static Boxes parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(b -> b.name().equals(t)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("boxes must be always or never, got '" + text + "'"));
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
