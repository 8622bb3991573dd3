package io.catwrangler.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.catwrangler.detector.centernet.Peak;
import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.views.View;
import io.catwrangler.detector.views.ViewInput;
import io.catwrangler.detector.views.ViewRenderer;
import io.catwrangler.events.Box;
import org.junit.jupiter.api.Test;

/** Boxes found under any view come back in the pixels of the original, full-size image. */
class BoxMappingTest {
  /** A 1000 × 600 photo decoded at half size (500 × 300). */
  private static final DecodedImage HALF = new DecodedImage(new int[500 * 300], 500, 300, 1000, 600, 2);

  private static Peak canvasBox(ViewInput v, double x1, double y1, double x2, double y2) {
    // a box given in decoded-image pixels, put on the view's canvas
    return new Peak(15, 0.9f, (float) (v.offsetX() + (x1 - v.cropX()) * v.scale()),
        (float) (v.offsetY() + (y1 - v.cropY()) * v.scale()), (float) (v.offsetX() + (x2 - v.cropX()) * v.scale()),
        (float) (v.offsetY() + (y2 - v.cropY()) * v.scale()));
  }

  @Test
  void aBoxUnderTheWholeViewScalesToTheOriginal() {
    ViewInput whole = ViewRenderer.render(HALF, View.WHOLE, 512);
    Box box = CenterNetCatDetector.toImage(canvasBox(whole, 100, 50, 300, 250), whole, HALF);
    assertThat(box.x1()).isCloseTo(200, within(0.2));
    assertThat(box.y1()).isCloseTo(100, within(0.2));
    assertThat(box.x2()).isCloseTo(600, within(0.2));
    assertThat(box.y2()).isCloseTo(500, within(0.2));
  }

  @Test
  void aBoxUnderTheZoomedOutViewLandsInTheSamePlace() {
    ViewInput zoom = ViewRenderer.render(HALF, new View("zoom65", 0, 0, 1, 1, 0.65), 512);
    Box box = CenterNetCatDetector.toImage(canvasBox(zoom, 100, 50, 300, 250), zoom, HALF);
    assertThat(box.x1()).isCloseTo(200, within(0.2));
    assertThat(box.y2()).isCloseTo(500, within(0.2));
  }

  @Test
  void aBoxUnderATileIsShiftedByTheTilesPlace() {
    View bottomRight = new View("tile11", 0.4, 0.4, 0.6, 0.6, 1);
    ViewInput tile = ViewRenderer.render(HALF, bottomRight, 512);
    assertThat(tile.cropX()).isEqualTo(200);
    assertThat(tile.cropY()).isEqualTo(120);
    // the whole tile canvas is the image's bottom-right 60%: from (400, 240) to (1000, 600) in original pixels
    Peak everything = new Peak(15, 0.9f, tile.offsetX(), tile.offsetY(),
        (float) (tile.offsetX() + tile.cropWidth() * tile.scale()),
        (float) (tile.offsetY() + tile.cropHeight() * tile.scale()));
    Box box = CenterNetCatDetector.toImage(everything, tile, HALF);
    assertThat(box.x1()).isCloseTo(400, within(0.2));
    assertThat(box.y1()).isCloseTo(240, within(0.2));
    assertThat(box.x2()).isCloseTo(1000, within(0.2));
    assertThat(box.y2()).isCloseTo(600, within(0.2));
  }

  @Test
  void boxesReachingPastTheImageAreClipped() {
    ViewInput zoom = ViewRenderer.render(HALF, new View("zoom50", 0, 0, 1, 1, 0.5), 512);
    Box box = CenterNetCatDetector.toImage(new Peak(15, 0.9f, 0, 0, 512, 512), zoom, HALF);
    assertThat(box).isEqualTo(new Box(0, 0, 1000, 600));
  }
}
