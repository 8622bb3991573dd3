package io.catwrangler.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/** What the benchmark programs share: photo-like test images, percentiles, and the loopback-only rule. */
final class BenchImages {
  private BenchImages() {}

  /** A 640×480 JPEG of gradients and noise, different for every seed (about 100 KB). */
  static byte[] photo(int seed) {
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    Random noise = new Random(seed);
    int hue = noise.nextInt(256);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int r = (x * 255 / 639 + hue) & 0xFF ^ noise.nextInt(24);
        int g = (y * 255 / 479) ^ noise.nextInt(24);
        int b = ((x + y + hue) / 4) & 0xFF;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The benchmarks load a server hard: they only ever talk to this machine. */
  static URI loopback(String url) {
    URI uri = URI.create(url);
    try {
      if (uri.getHost() == null || !InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException("a benchmark talks to a server on this machine only, not " + url);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host in " + url, e);
    }
    return uri;
  }

  /** "n 600, p50 2.1 ms, p99 8.4 ms, max 12.0 ms" from latencies in nanoseconds. */
  static String summary(long[] nanos) {
    if (nanos.length == 0) {
      return "n 0";
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "n %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.length,
        percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  static long percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
