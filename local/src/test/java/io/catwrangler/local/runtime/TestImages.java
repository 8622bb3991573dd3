package io.catwrangler.local.runtime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small distinct PNGs: a different image (and sha256) for every seed. */
public final class TestImages {
  private TestImages() {}

  public static byte[] png(int seed) {
    BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 32; i++) {
      image.setRGB(i % 8, i / 8 % 6, ((seed >>> (i % 32)) & 1) == 1 ? 0xffffff : (seed * 31 + i) & 0xffffff);
    }
    image.setRGB(7, 5, seed & 0xffffff);
    image.setRGB(6, 5, (seed >>> 24) & 0xff);
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
