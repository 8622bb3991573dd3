package io.catwrangler.detector.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.Letterbox;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ViewRendererTest {

  /** Every pixel a different colour: red = x, green = y, blue = 7. */
  private static DecodedImage gradient(int w, int h) {
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = (x & 255) << 16 | (y & 255) << 8 | 7;
      }
    }
    return new DecodedImage(px, w, h, w, h, 1);
  }

  private static float[] pixel(ViewInput v, int x, int y) {
    int o = (y * v.size() + x) * 3;
    return new float[] {v.nhwc()[o], v.nhwc()[o + 1], v.nhwc()[o + 2]};
  }

  @Test
  void theWholeViewIsTheReferenceLetterbox() {
    DecodedImage image = gradient(200, 120);
    ViewInput whole = ViewRenderer.render(image, View.WHOLE, 512);
    Letterbox reference = Letterbox.of(image, 512);
    assertThat(Arrays.equals(whole.nhwc(), reference.nhwc())).as("same pixels as the reference letterbox").isTrue();
    assertThat(whole.scale()).isEqualTo(reference.scale());
    assertThat(whole.offsetX()).isEqualTo(reference.dx());
    assertThat(whole.offsetY()).isEqualTo(reference.dy());
    assertThat(whole.toImageX(100)).isCloseTo(reference.toImageX(100), within(1e-4));
    assertThat(whole.toImageY(300)).isCloseTo(reference.toImageY(300), within(1e-4));
  }

  @Test
  void zoomOutCentresTheImageInASmallerSquareOnBlack() {
    // 200 × 100 at fill 0.5: a 256 square in the middle of 512, the image 256 × 128 inside it
    ViewInput zoom = ViewRenderer.render(gradient(200, 100), new View("zoom50", 0, 0, 1, 1, 0.5), 512);
    assertThat(zoom.scale()).isEqualTo(1.28f);
    assertThat(zoom.offsetX()).isEqualTo(128);
    assertThat(zoom.offsetY()).isEqualTo(128 + 64);
    assertThat(pixel(zoom, 127, 256)).containsExactly(0f, 0f, 0f);
    assertThat(pixel(zoom, 128, 256)[2]).isEqualTo(7f);
    assertThat(pixel(zoom, 383, 256)[2]).isEqualTo(7f);
    assertThat(pixel(zoom, 384, 256)).containsExactly(0f, 0f, 0f);
    assertThat(pixel(zoom, 256, 191)).containsExactly(0f, 0f, 0f);
    assertThat(pixel(zoom, 256, 192)[2]).isEqualTo(7f);
    assertThat(pixel(zoom, 256, 319)[2]).isEqualTo(7f);
    assertThat(pixel(zoom, 256, 320)).containsExactly(0f, 0f, 0f);
    // the square's corners map back to the image's corners
    assertThat(zoom.toImageX(128)).isCloseTo(0, within(1e-6));
    assertThat(zoom.toImageX(384)).isCloseTo(200, within(1e-4));
    assertThat(zoom.toImageY(192)).isCloseTo(0, within(1e-6));
    assertThat(zoom.toImageY(320)).isCloseTo(100, within(1e-4));
  }

  @Test
  void aTileShowsItsPartOfTheImageFullSize() {
    DecodedImage image = gradient(200, 100);
    View bottomRight = new View("tile11", 0.4, 0.4, 0.6, 0.6, 1);
    ViewInput tile = ViewRenderer.render(image, bottomRight, 512);
    assertThat(tile.cropX()).isEqualTo(80);
    assertThat(tile.cropY()).isEqualTo(40);
    assertThat(tile.cropWidth()).isEqualTo(120);
    assertThat(tile.cropHeight()).isEqualTo(60);
    assertThat(tile.scale()).isCloseTo(512f / 120, within(1e-5f));
    // the tile's top-left canvas pixel shows image pixel (80, 40): red 80, green 40
    float[] first = pixel(tile, tile.offsetX(), tile.offsetY());
    assertThat(first[0]).isCloseTo(80f, within(0.5f));
    assertThat(first[1]).isCloseTo(40f, within(0.5f));
    // a canvas point maps back into the tile's part of the image
    assertThat(tile.toImageX(tile.offsetX())).isCloseTo(80, within(1e-6));
    assertThat(tile.toImageX(512)).isCloseTo(200, within(1e-3));
    assertThat(tile.toImageY(tile.offsetY() + 60 * tile.scale())).isCloseTo(100, within(1e-3));
  }

  @Test
  void everyTileMapsItsCentreToTheMatchingImagePoint() {
    DecodedImage image = gradient(300, 200);
    for (View v : java.util.List.of(new View("tile00", 0, 0, 0.6, 0.6, 1), new View("tile11", 0.4, 0.4, 0.6, 0.6, 1))) {
      ViewInput tile = ViewRenderer.render(image, v, 512);
      double cx = tile.toImageX(tile.offsetX() + tile.cropWidth() * tile.scale() / 2);
      double cy = tile.toImageY(tile.offsetY() + tile.cropHeight() * tile.scale() / 2);
      assertThat(cx).isCloseTo((v.left() + v.width() / 2) * 300, within(0.01));
      assertThat(cy).isCloseTo((v.top() + v.height() / 2) * 200, within(0.01));
    }
  }
}
