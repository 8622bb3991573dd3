package io.catwrangler.core.usecase;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small real images, different per seed. */
final class TestImages {
  private TestImages() {}

  static byte[] png(int seed) {
    return encode(seed, "png");
  }

  static byte[] jpeg(int seed) {
    return encode(seed, "jpg");
  }

  private static byte[] encode(int seed, String format) {
    BufferedImage image = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(seed);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
