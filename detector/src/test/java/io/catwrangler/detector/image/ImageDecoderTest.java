package io.catwrangler.detector.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.image.InvalidImageException;
import io.catwrangler.core.testdata.TestData;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTest {
  private final ImageInspector inspector = new ImageInspector(ImageLimits.DEFAULT);
  private final ImageDecoder decoder = new ImageDecoder(512);

  private DecodedImage decode(byte[] bytes) throws ImageRejectedException {
    ImageInfo info = inspector.inspect(bytes);
    return decoder.decode(bytes, info);
  }

  private static int at(DecodedImage img, int x, int y) {
    return img.rgb()[y * img.width() + x];
  }

  private static void assertColour(int actual, int expected) {
    for (int shift = 0; shift <= 16; shift += 8) {
      assertThat((actual >> shift) & 255).as("channel at bit %d of %06x", shift, actual)
          .isCloseTo((expected >> shift) & 255, org.assertj.core.data.Offset.offset(24));
    }
  }

  @Test
  void decodesPngExactly() throws Exception {
    DecodedImage img = decode(Images.encode(Images.quadrants(40, 20, BufferedImage.TYPE_INT_RGB), "png"));
    assertThat(img.width()).isEqualTo(40);
    assertThat(img.height()).isEqualTo(20);
    assertThat(img.subsampling()).isEqualTo(1);
    assertThat(at(img, 0, 0)).isEqualTo(0xff0000);
    assertThat(at(img, 39, 0)).isEqualTo(0x00ff00);
    assertThat(at(img, 0, 19)).isEqualTo(0x0000ff);
    assertThat(at(img, 39, 19)).isEqualTo(0xffffff);
  }

  /** Upright colour of each stored quadrant for every EXIF orientation, checked at the four upright corners. */
  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
    // orientation, upright top-left, top-right, bottom-left, bottom-right
    "1, ff0000, 00ff00, 0000ff, ffffff",
    "2, 00ff00, ff0000, ffffff, 0000ff",
    "3, ffffff, 0000ff, 00ff00, ff0000",
    "4, 0000ff, ffffff, ff0000, 00ff00",
    "5, ff0000, 0000ff, 00ff00, ffffff",
    "6, 0000ff, ff0000, ffffff, 00ff00",
    "7, ffffff, 00ff00, 0000ff, ff0000",
    "8, 00ff00, ffffff, ff0000, 0000ff"
  })
  void appliesExifOrientation(int orientation, String tl, String tr, String bl, String br) throws Exception {
    byte[] jpeg = Images.withExifOrientation(Images.jpeg(Images.quadrants(64, 32, BufferedImage.TYPE_3BYTE_BGR), 0.95f),
        orientation);
    DecodedImage img = decode(jpeg);
    boolean swapped = orientation >= 5;
    assertThat(img.width()).isEqualTo(swapped ? 32 : 64);
    assertThat(img.height()).isEqualTo(swapped ? 64 : 32);
    assertThat(img.originalWidth()).isEqualTo(img.width());
    int w = img.width() - 4;
    int h = img.height() - 4;
    assertColour(at(img, 3, 3), Integer.parseInt(tl, 16));
    assertColour(at(img, w, 3), Integer.parseInt(tr, 16));
    assertColour(at(img, 3, h), Integer.parseInt(bl, 16));
    assertColour(at(img, w, h), Integer.parseInt(br, 16));
  }

  @Test
  void decodesGrayscaleAsRawLuma() throws Exception {
    BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(5, 5, 0, 100);
    DecodedImage img = decode(Images.encode(gray, "png"));
    assertThat(at(img, 5, 5)).isEqualTo(100 << 16 | 100 << 8 | 100);
    assertThat(at(img, 0, 0)).isZero();
  }

  @Test
  void decodesSixteenBitPng() throws Exception {
    BufferedImage deep = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSample(1, 1, 0, 0xC800);
    DecodedImage img = decode(Images.encode(deep, "png"));
    assertThat(at(img, 1, 1)).isEqualTo(0xC8C8C8);
  }

  @Test
  void decodesPalettePng() throws Exception {
    byte[] r = {0, (byte) 255};
    byte[] g = {0, (byte) 128};
    byte[] b = {0, 0};
    BufferedImage palette = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    palette.getRaster().setSample(2, 3, 0, 1);
    DecodedImage img = decode(Images.encode(palette, "png"));
    assertThat(at(img, 2, 3)).isEqualTo(0xff8000);
    assertThat(at(img, 0, 0)).isZero();
  }

  @Test
  void dropsAlphaKeepingColour() throws Exception {
    BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(4, 4, 0x40123456);
    DecodedImage img = decode(Images.encode(argb, "png"));
    assertThat(at(img, 4, 4)).isEqualTo(0x123456);
  }

  @Test
  void decodesCmykJpeg() throws Exception {
    WritableRaster cmyk = WritableRaster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 32, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        // left half: no ink (white); right half: full black ink (Adobe-inverted values)
        cmyk.setPixel(x, y, x < 16 ? new int[] {255, 255, 255, 255} : new int[] {255, 255, 255, 0});
      }
    }
    DecodedImage img = decode(Images.cmykJpeg(cmyk));
    assertThat(img.width()).isEqualTo(32);
    assertThat(img.height()).isEqualTo(16);
    assertColour(at(img, 4, 8), 0xffffff);
    assertColour(at(img, 28, 8), 0x000000);
  }

  @Test
  void largeJpegIsDecodedAtReducedSizeKeepingOriginalDimensions() throws Exception {
    DecodedImage img = decode(Images.jpeg(Images.quadrants(4000, 3000, BufferedImage.TYPE_3BYTE_BGR), 0.8f));
    assertThat(img.subsampling()).isEqualTo(3);
    assertThat(img.width()).isEqualTo(1334);
    assertThat(img.height()).isEqualTo(1000);
    assertThat(img.originalWidth()).isEqualTo(4000);
    assertThat(img.originalHeight()).isEqualTo(3000);
    assertColour(at(img, 10, 10), 0xff0000);
    assertColour(at(img, 1320, 990), 0xffffff);
  }

  @Test
  void subsamplingKeepsTwiceTheInputResolution() {
    assertThat(decoder.subsamplingFor(640, 480)).isEqualTo(1);
    assertThat(decoder.subsamplingFor(2047, 100)).isEqualTo(1);
    assertThat(decoder.subsamplingFor(2048, 100)).isEqualTo(2);
    assertThat(decoder.subsamplingFor(4000, 3000)).isEqualTo(3);
    assertThat(decoder.subsamplingFor(10000, 10000)).isEqualTo(9);
  }

  @Test
  void truncatedJpegIsInvalidNotGrey() throws Exception {
    byte[] jpeg = Images.jpeg(Images.quadrants(200, 200, BufferedImage.TYPE_3BYTE_BGR), 0.9f);
    byte[] cut = Images.truncated(jpeg, jpeg.length / 2);
    ImageInfo info = inspector.inspect(cut); // the header is intact: only decoding finds the damage
    assertThatThrownBy(() -> decoder.decode(cut, info))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageContaining("JPEG");
  }

  @Test
  void truncatedPngIsInvalid() throws Exception {
    byte[] png = Images.encode(Images.quadrants(200, 200, BufferedImage.TYPE_INT_RGB), "png");
    byte[] cut = Images.truncated(png, png.length / 2);
    ImageInfo info = inspector.inspect(cut);
    assertThatThrownBy(() -> decoder.decode(cut, info)).isInstanceOf(InvalidImageException.class);
  }

  @Test
  void corruptJpegDataIsInvalid() throws Exception {
    byte[] jpeg = Images.jpeg(Images.quadrants(200, 200, BufferedImage.TYPE_3BYTE_BGR), 0.9f);
    java.util.Random random = new java.util.Random(7);
    int failures = 0;
    for (int trial = 0; trial < 50; trial++) {
      byte[] bad = jpeg.clone();
      for (int i = 0; i < 40; i++) {
        bad[jpeg.length / 3 + random.nextInt(jpeg.length / 2)] = (byte) random.nextInt(256);
      }
      try {
        decoder.decode(bad, inspector.inspect(bad));
      } catch (ImageRejectedException e) {
        failures++; // a typed rejection is the only acceptable failure
      }
    }
    assertThat(failures).as("heavily corrupted scans are reported").isGreaterThan(0);
  }

  /**
   * The bytes are decoded where they are: ImageIO's stream cache (a temporary file per image, on by default) is not
   * used, so a temporary folder that is gone or full does not stop classification (and costs no file I/O).
   */
  @Test
  void decodesWithoutTemporaryFiles(@TempDir Path temp) throws Exception {
    Path gone = Files.createDirectory(temp.resolve("cache"));
    File before = ImageIO.getCacheDirectory();
    boolean useCache = ImageIO.getUseCache();
    ImageIO.setUseCache(true);
    ImageIO.setCacheDirectory(gone.toFile());
    Files.delete(gone); // ImageIO checks the folder when it is set; a cache file would now fail to be created
    try {
      assertThat(decode(TestData.read("cat/d0061.jpg")).width()).isEqualTo(500);
      assertThat(decode(TestData.read("cat/d0110.png")).width()).isEqualTo(451);
    } finally {
      ImageIO.setCacheDirectory(before);
      ImageIO.setUseCache(useCache);
    }
  }

  /** A JPEG, an RGB PNG and an 8-bit grayscale PNG from testdata/photos, at their known sizes. */
  @ParameterizedTest
  @CsvSource({"cat/d0061.jpg, 500, 400, false", "cat/d0110.png, 451, 300, false", "not_cat/d0006.png, 512, 512, true"})
  void decodesRealPhotos(String photo, int width, int height, boolean gray) throws ImageRejectedException {
    DecodedImage img = decode(TestData.read(photo));
    assertThat(img.width()).isEqualTo(width);
    assertThat(img.height()).isEqualTo(height);
    long grayPixels = java.util.Arrays.stream(img.rgb())
        .filter(p -> (p >> 16 & 0xFF) == (p >> 8 & 0xFF) && (p >> 8 & 0xFF) == (p & 0xFF))
        .count();
    assertThat(grayPixels == img.rgb().length).as("every pixel gray").isEqualTo(gray);
  }
}
