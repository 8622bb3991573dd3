package io.catwrangler.detector.imagenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.detector.image.DecodedImage;
import org.junit.jupiter.api.Test;

class ClassifierInputTest {

  private static DecodedImage uniform(int w, int h, int rgb, byte[] alpha) {
    int[] px = new int[w * h];
    java.util.Arrays.fill(px, rgb);
    return new DecodedImage(px, w, h, w, h, 1, alpha);
  }

  @Test
  void givesWholeNumbersFrom0To255ForEveryPixelOfThe224Square() {
    float[] in = ClassifierInput.render(uniform(640, 480, 0x102030, null), 0.875, 224);
    assertThat(in).hasSize(224 * 224 * 3);
    for (int i = 0; i < in.length; i += 3) {
      assertThat(new float[] {in[i], in[i + 1], in[i + 2]}).containsExactly(16f, 32f, 48f);
    }
  }

  @Test
  void theCentralCropLeavesTheBorderOut() {
    // a 400 × 400 image, white with a 25-pixel black frame: 87.5 % keeps 350 × 350 from (25, 25), no black left
    int[] px = new int[400 * 400];
    for (int y = 0; y < 400; y++) {
      for (int x = 0; x < 400; x++) {
        boolean frame = x < 25 || y < 25 || x >= 375 || y >= 375;
        px[y * 400 + x] = frame ? 0 : 0xffffff;
      }
    }
    DecodedImage framed = new DecodedImage(px, 400, 400, 400, 400, 1);
    float[] cropped = ClassifierInput.render(framed, 0.875, 224);
    for (float v : cropped) {
      assertThat(v).isEqualTo(255f);
    }
    float[] whole = ClassifierInput.render(framed, 1.0, 224);
    assertThat(whole[0]).as("the frame is there without the crop").isEqualTo(0f);
  }

  @Test
  void downscalingAveragesInsteadOfSampling() {
    // one-pixel black and white stripes: sampling would give stripes, averaging gives grey
    int[] px = new int[1792 * 1792];
    for (int y = 0; y < 1792; y++) {
      for (int x = 0; x < 1792; x++) {
        px[y * 1792 + x] = x % 2 == 0 ? 0 : 0xffffff;
      }
    }
    float[] in = ClassifierInput.render(new DecodedImage(px, 1792, 1792, 1792, 1792, 1), 1.0, 224);
    for (int i = 0; i < in.length; i++) {
      assertThat(in[i]).isBetween(120f, 135f);
    }
  }

  @Test
  void transparentAreasAreLaidOnWhite() {
    byte[] transparent = new byte[300 * 300];
    float[] in = ClassifierInput.render(uniform(300, 300, 0x000000, transparent), 0.875, 224);
    assertThat(in[0]).isEqualTo(255f);
    byte[] half = new byte[300 * 300];
    java.util.Arrays.fill(half, (byte) 128);
    float[] grey = ClassifierInput.render(uniform(300, 300, 0x000000, half), 0.875, 224);
    assertThat(grey[0]).isEqualTo(127f);
    byte[] opaque = new byte[300 * 300];
    java.util.Arrays.fill(opaque, (byte) 255);
    assertThat(ClassifierInput.render(uniform(300, 300, 0x000000, opaque), 0.875, 224)[0]).isEqualTo(0f);
  }

  @Test
  void aTinyImageIsStretchedNotRefused() {
    float[] in = ClassifierInput.render(uniform(1, 1, 0xff0000, null), 0.875, 224);
    assertThat(in[0]).isEqualTo(255f);
    assertThat(in[in.length - 1]).isEqualTo(0f);
  }

  @Test
  void theCropMustBeAFraction() {
    assertThatThrownBy(() -> ClassifierInput.render(uniform(10, 10, 0, null), 0, 224))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClassifierInput.render(uniform(10, 10, 0, null), 1.5, 224))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
