package io.catwrangler.detector.views;

/**
 * A view drawn for the network, and the geometry that maps a point of the canvas back to the decoded image:
 * {@code canvasX = offsetX + (imageX - cropX) · scale}, and likewise for y.
 *
 * @param view what was drawn
 * @param nhwc {@code size × size × 3} floats, RGB 0–255, black outside the drawn rectangle
 * @param size canvas side in pixels
 * @param cropX left edge of the drawn rectangle in decoded-image pixels
 * @param cropY top edge of the drawn rectangle in decoded-image pixels
 * @param cropWidth width of the drawn rectangle in decoded-image pixels
 * @param cropHeight height of the drawn rectangle in decoded-image pixels
 * @param scale canvas pixels per decoded-image pixel
 * @param offsetX canvas x of the drawn rectangle's left edge
 * @param offsetY canvas y of the drawn rectangle's top edge
 */
public record ViewInput(View view, float[] nhwc, int size, int cropX, int cropY, int cropWidth, int cropHeight,
    float scale, int offsetX, int offsetY) {

  /** Canvas x to decoded-image x. */
  public double toImageX(double canvasX) {
    return cropX + (canvasX - offsetX) / scale;
  }

  /** Canvas y to decoded-image y. */
  public double toImageY(double canvasY) {
    return cropY + (canvasY - offsetY) / scale;
  }
}
