package io.catwrangler.core.detection;

/** Which detector and model produced an answer: {@code name} e.g. "centernet-mobilenetv3", {@code version} e.g. "human-3.3.6". */
public record ModelInfo(String name, String version) {
  public ModelInfo {
    if (name == null || name.isBlank() || version == null || version.isBlank()) {
      throw new IllegalArgumentException("model name and version are required");
    }
  }
}
