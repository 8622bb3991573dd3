package io.catwrangler.detector.centernet;

/**
 * One object CenterNet found: a COCO class id (see {@link CocoLabels}), its heat-map score, and its box in pixels
 * of the 512 × 512 network input, top-left (x1, y1) to bottom-right (x2, y2). Boxes may reach past the input's
 * edges, as the network predicts them.
 */
public record Peak(int classId, float score, float x1, float y1, float x2, float y2) {

  /** Intersection over union of the two boxes; 0 when either box is empty. */
  public float iou(Peak other) {
    float width = Math.min(x2, other.x2) - Math.max(x1, other.x1);
    float height = Math.min(y2, other.y2) - Math.max(y1, other.y1);
    if (width <= 0 || height <= 0) {
      return 0;
    }
    float intersection = width * height;
    float union = area() + other.area() - intersection;
    return union <= 0 ? 0 : intersection / union;
  }

  private float area() {
    return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  }
}
