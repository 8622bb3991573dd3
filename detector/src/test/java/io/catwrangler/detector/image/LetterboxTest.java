package io.catwrangler.detector.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LetterboxTest {

  private static DecodedImage uniform(int w, int h, int rgb) {
    int[] px = new int[w * h];
    Arrays.fill(px, rgb);
    return new DecodedImage(px, w, h, w, h, 1);
  }

  private static float[] pixel(Letterbox lb, int x, int y) {
    int o = (y * lb.size() + x) * 3;
    return new float[] {lb.nhwc()[o], lb.nhwc()[o + 1], lb.nhwc()[o + 2]};
  }

  @Test
  void wideImageIsCentredVerticallyOnBlack() {
    Letterbox lb = Letterbox.of(uniform(1000, 500, 0x102030), 512);
    assertThat(lb.scale()).isCloseTo(0.512f, within(1e-6f));
    assertThat(lb.dx()).isZero();
    assertThat(lb.dy()).isEqualTo(128);
    assertThat(pixel(lb, 10, 127)).containsExactly(0f, 0f, 0f);
    assertThat(pixel(lb, 10, 128)).containsExactly(16f, 32f, 48f);
    assertThat(pixel(lb, 511, 383)).containsExactly(16f, 32f, 48f);
    assertThat(pixel(lb, 10, 384)).containsExactly(0f, 0f, 0f);
  }

  @Test
  void tallImageIsCentredHorizontally() {
    Letterbox lb = Letterbox.of(uniform(100, 400, 0xffffff), 512);
    assertThat(lb.dx()).isEqualTo(192);
    assertThat(lb.dy()).isZero();
    assertThat(pixel(lb, 191, 0)).containsExactly(0f, 0f, 0f);
    assertThat(pixel(lb, 192, 0)).containsExactly(255f, 255f, 255f);
  }

  @Test
  void smallImageIsScaledUp() {
    Letterbox lb = Letterbox.of(uniform(64, 64, 0x808080), 512);
    assertThat(lb.scale()).isEqualTo(8f);
    assertThat(pixel(lb, 0, 0)).containsExactly(128f, 128f, 128f);
    assertThat(pixel(lb, 511, 511)).containsExactly(128f, 128f, 128f);
  }

  @Test
  void bilinearWithHalfPixelCentres() {
    // 2x1 image black|white scaled to 4 wide (×2, of which 512/2=256 rows): sample points at 0.25 and 0.75 of
    // the source pixel pairs give 0, 63.75, 191.25, 255 (tf.image.resizeBilinear with halfPixelCenters=true)
    DecodedImage img = new DecodedImage(new int[] {0x000000, 0xffffff}, 2, 1, 2, 1, 1);
    Letterbox lb = Letterbox.of(img, 4);
    assertThat(lb.dy()).isEqualTo(1);
    float[] row = new float[4];
    for (int x = 0; x < 4; x++) {
      row[x] = pixel(lb, x, 1)[0];
    }
    assertThat(row).containsExactly(0f, 63.75f, 191.25f, 255f);
  }

  @Test
  void mapsInputCoordinatesBackToTheImage() {
    Letterbox lb = Letterbox.of(uniform(1000, 500, 0), 512);
    assertThat(lb.toImageX(0)).isZero();
    assertThat(lb.toImageX(512)).isCloseTo(1000f, within(1e-3f));
    assertThat(lb.toImageY(128)).isZero();
    assertThat(lb.toImageY(384)).isCloseTo(500f, within(1e-3f));
  }
}
