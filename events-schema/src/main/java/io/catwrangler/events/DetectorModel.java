package io.catwrangler.events;

import java.util.Objects;

/**
 * Which detector and model version produced (or failed to produce) an answer. The idempotency key of a
 * classification is the image id with this pair: one detector result per image and model.
 */
public record DetectorModel(String name, String version) {
  public DetectorModel {
    requireShortText(name, "detector name");
    requireShortText(version, "model version");
  }

  static void requireShortText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.length() > 128) {
      throw new IllegalArgumentException(what + " must be 1 to 128 characters");
    }
  }

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
