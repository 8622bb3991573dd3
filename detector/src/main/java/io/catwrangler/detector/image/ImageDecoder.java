package io.catwrangler.detector.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.catwrangler.core.image.DecodeBudgetExceededException;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.InvalidImageException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an inspected JPEG or PNG into upright RGB pixels, at reduced size when the image is much larger than the
 * network input: ImageIO's source subsampling skips most of the colour conversion and raster work, which is what
 * makes a 12-megapixel JPEG cost tens of milliseconds instead of hundreds. CMYK/YCCK JPEGs are read by the
 * TwelveMonkeys plug-in; grayscale, 16-bit, palette and alpha images go through {@link BufferedImage#getRGB}
 * (alpha is dropped, as the reference pipeline does). A truncated or corrupt file becomes an
 * {@link InvalidImageException}, never a grey half-image.
 *
 * <p>A decode is stopped once it has used {@link #DEFAULT_CPU_BUDGET} of the calling thread's processor time
 * ({@link DecodeBudgetExceededException}): the decoders report progress per scan of a progressive JPEG and per few
 * rows otherwise, and {@link DecodeBudget} aborts the read there. Processor time rather than wall time, so a busy
 * machine does not turn a photo into a failure; cost grows with pixels times scans, and the largest photo accepted
 * (50 megapixels, progressive, 10 scans) takes about 2 s.
 */
public final class ImageDecoder {
  /** The processor time one decode may take. */
  public static final Duration DEFAULT_CPU_BUDGET = Duration.ofSeconds(5);
  /** Keep at least this many pixels per network-input pixel, so bilinear resizing still sees the whole image. */
  private static final int OVERSAMPLING = 2;

  private final int targetSize;
  private final Duration cpuBudget;

  public ImageDecoder(int targetSize) {
    this(targetSize, DEFAULT_CPU_BUDGET);
  }

  /** @param cpuBudget processor time one decode may take before it is stopped */
  public ImageDecoder(int targetSize, Duration cpuBudget) {
    this.targetSize = targetSize;
    this.cpuBudget = Objects.requireNonNull(cpuBudget, "cpu budget");
    if (cpuBudget.isNegative() || cpuBudget.isZero()) {
      throw new IllegalArgumentException("the decode budget must be positive");
    }
  }

  /**
   * @throws InvalidImageException truncated or corrupt data; {@link DecodeBudgetExceededException} when the decode
   *     took more than its processor-time budget
   */
  public DecodedImage decode(byte[] bytes, ImageInfo info) throws InvalidImageException {
    Orientation orientation = Orientation.read(bytes);
    int subsampling = subsamplingFor(info.width(), info.height());
    BufferedImage image = read(bytes, info, subsampling, cpuBudget);
    int w = image.getWidth();
    int h = image.getHeight();
    int[] stored = packedRgb(image);
    byte[] storedAlpha = image.getColorModel().hasAlpha() ? alpha(image) : null;
    boolean swap = orientation.swapsAxes();
    int uw = swap ? h : w;
    int uh = swap ? w : h;
    int[] upright = stored;
    byte[] uprightAlpha = storedAlpha;
    if (orientation != Orientation.NORMAL) {
      upright = new int[stored.length];
      uprightAlpha = storedAlpha == null ? null : new byte[storedAlpha.length];
      for (int y = 0, o = 0; y < uh; y++) {
        for (int x = 0; x < uw; x++, o++) {
          int s = orientation.storedIndex(x, y, w, h);
          upright[o] = stored[s];
          if (uprightAlpha != null) {
            uprightAlpha[o] = storedAlpha[s];
          }
        }
      }
    }
    int ow = swap ? info.height() : info.width();
    int oh = swap ? info.width() : info.height();
    return new DecodedImage(upright, uw, uh, ow, oh, subsampling, uprightAlpha);
  }

  int subsamplingFor(int width, int height) {
    int shrink = Math.max(width, height) / targetSize; // how many source pixels fall on one input pixel
    return Math.max(1, shrink / OVERSAMPLING);
  }

  private static BufferedImage read(byte[] bytes, ImageInfo info, int subsampling, Duration cpuBudget)
      throws InvalidImageException {
    ImageReader reader = readerFor(info);
    AtomicReference<String> warning = new AtomicReference<>();
    reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
    DecodeBudget budget = DecodeBudget.start(cpuBudget);
    reader.addIIOReadProgressListener(budget);
    reader.addIIOReadUpdateListener(budget);
    // read from the array itself: ImageIO.createImageInputStream over an InputStream caches the whole image in a
    // temporary file (ImageIO's default cache), 8 KB at a time with a seek and two stats each, for every image
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      ImageReadParam param = reader.getDefaultReadParam();
      param.setSourceSubsampling(subsampling, subsampling, 0, 0);
      BufferedImage image = reader.read(0, param);
      if (budget.exceeded()) { // an aborted read returns the image as far as it got
        throw new DecodeBudgetExceededException(info.format(), cpuBudget);
      }
      if (warning.get() != null && isDataLoss(warning.get())) {
        throw new InvalidImageException("corrupt " + info.format() + " data: " + warning.get());
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (budget.exceeded()) {
        throw new DecodeBudgetExceededException(info.format(), cpuBudget);
      }
      // ImageIO reports bad data as IIOException, EOFException, or as runtime exceptions from deep in a codec
      throw new InvalidImageException("cannot decode " + info.format() + ": " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  /** The JDK's JPEG reader reports a truncated file as a warning and fills the rest with grey: treat it as an error. */
  private static boolean isDataLoss(String warning) {
    String w = warning.toLowerCase(java.util.Locale.ROOT);
    return w.contains("premature end") || w.contains("corrupt") || w.contains("bad huffman") || w.contains("truncated");
  }

  private static String describe(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static ImageReader readerFor(ImageInfo info) throws InvalidImageException {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(info.format().mediaType());
    if (!readers.hasNext()) {
      throw new InvalidImageException("no decoder for " + info.format());
    }
    return readers.next();
  }

  /** Opacity per pixel, 0–255, of an image whose colour model has alpha. */
  private static byte[] alpha(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h];
    java.awt.image.WritableRaster alpha = image.getAlphaRaster();
    if (alpha == null) {
      // a palette with transparent entries has no alpha band: ask the colour model pixel by pixel
      int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
      for (int i = 0; i < argb.length; i++) {
        out[i] = (byte) (argb[i] >>> 24);
      }
      return out;
    }
    int bits = image.getColorModel().getComponentSize(image.getColorModel().getNumComponents() - 1);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      alpha.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) (bits > 8 ? row[x] >>> (bits - 8) : bits < 8 ? row[x] * 255 / ((1 << bits) - 1)
            : row[x]);
      }
    }
    return out;
  }

  /** 0xRRGGBB per pixel, reading the raster directly for the layouts decoders produce most. */
  static int[] packedRgb(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int n = w * h;
    switch (image.getType()) {
      case BufferedImage.TYPE_3BYTE_BGR -> {
        byte[] d = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (d.length == n * 3) {
          int[] out = new int[n];
          for (int i = 0, j = 0; i < n; i++, j += 3) {
            out[i] = (d[j + 2] & 0xff) << 16 | (d[j + 1] & 0xff) << 8 | (d[j] & 0xff);
          }
          return out;
        }
      }
      case BufferedImage.TYPE_BYTE_GRAY -> {
        // raw luma, as other decoders give it: getRGB would treat it as linear gray and brighten it
        byte[] d = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (d.length == n) {
          int[] out = new int[n];
          for (int i = 0; i < n; i++) {
            int g = d[i] & 0xff;
            out[i] = g << 16 | g << 8 | g;
          }
          return out;
        }
      }
      case BufferedImage.TYPE_USHORT_GRAY -> {
        short[] d = ((java.awt.image.DataBufferUShort) image.getRaster().getDataBuffer()).getData();
        if (d.length == n) {
          int[] out = new int[n];
          for (int i = 0; i < n; i++) {
            int g = (d[i] & 0xffff) >>> 8;
            out[i] = g << 16 | g << 8 | g;
          }
          return out;
        }
      }
      case BufferedImage.TYPE_INT_RGB -> {
        int[] d = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (d.length == n) {
          return d.clone();
        }
      }
      default -> {
        // fall through to the general path below
      }
    }
    int[] out = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < n; i++) {
      out[i] &= 0xffffff;
    }
    return out;
  }
}
