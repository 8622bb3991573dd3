package io.catwrangler.detector.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.catwrangler.core.image.DecodeBudgetExceededException;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.InvalidImageException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A decode that uses more processor time than its budget is stopped and reported as
 * {@link DecodeBudgetExceededException} (an {@link InvalidImageException}, so the image ends FAILED, not retried).
 * The budget is made small here instead of the input large: the same listener stops a scan bomb at 5 s.
 */
class DecodeBudgetTest {
  private static byte[] progressive;
  private static ImageInfo info;

  @BeforeAll
  static void image() throws Exception {
    // 3000×2000, progressive (10 scans): about 100-300 ms of processor time to decode
    BufferedImage img = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
    Random noise = new Random(17);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, (x * 7 ^ y * 13) & 0xffffff ^ noise.nextInt(64));
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    progressive = out.toByteArray();
    info = new ImageInspector(ImageLimits.DEFAULT).inspect(progressive);
  }

  @Test
  void stopsADecodeThatPassesItsBudget() {
    Duration budget = Duration.ofMillis(5);
    long cpuBefore = cpuNanos();

    DecodeBudgetExceededException e =
        catchThrowableOfType(DecodeBudgetExceededException.class,
            () -> new ImageDecoder(512, budget).decode(progressive, info));

    long spent = cpuNanos() - cpuBefore;
    assertThat(e).isInstanceOf(InvalidImageException.class);
    assertThat(e.code()).isEqualTo("INVALID_IMAGE");
    assertThat(e.budget()).isEqualTo(budget);
    assertThat(e).hasMessage("decoding this JPEG was stopped after 0.0 s of processor time, the limit per image (a"
        + " 50-megapixel progressive photo takes about 2 s)");
    // stopped at a pass, not at the end: well under a full decode of the image
    long full = fullDecodeNanos();
    assertThat(spent).as("cpu spent %d ns, a full decode %d ns", spent, full).isLessThan(full);
  }

  @Test
  void theDefaultBudgetLetsTheSameImageThrough() throws Exception {
    DecodedImage decoded = new ImageDecoder(512).decode(progressive, info);

    assertThat(decoded.originalWidth()).isEqualTo(3000);
  }

  private static long fullDecodeNanos() {
    long before = cpuNanos();
    try {
      new ImageDecoder(512, Duration.ofMinutes(1)).decode(progressive, info);
    } catch (InvalidImageException e) {
      throw new AssertionError(e);
    }
    return cpuNanos() - before;
  }

  private static long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
