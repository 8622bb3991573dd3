package io.catwrangler.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Scan bombs are refused at inspection, before anything is stored or decoded; real progressive JPEGs pass. */
class JpegScanLimitTest {
  private final ImageInspector inspector = new ImageInspector(ImageLimits.DEFAULT);
  private final byte[] progressive = ScanBombs.progressive(96, 64);

  @Test
  void countsTheScansOfRealJpegs() {
    assertThat(JpegHeader.countScans(TestImages.jpeg(64, 48), 1000)).isEqualTo(1);
    assertThat(JpegHeader.countScans(progressive, 1000))
        .isEqualTo(ScanBombs.scanSpans(progressive).size())
        .isBetween(6, 12);
  }

  @Test
  void acceptsExactlyTheLimit() throws Exception {
    byte[] atLimit = ScanBombs.withScans(progressive, ImageInspector.MAX_JPEG_SCANS);

    assertThat(JpegHeader.countScans(atLimit, 1000)).isEqualTo(ImageInspector.MAX_JPEG_SCANS);
    assertThat(inspector.inspect(atLimit).width()).isEqualTo(96);
  }

  @Test
  void refusesOneScanMoreThanTheLimit() {
    byte[] bomb = ScanBombs.withScans(progressive, ImageInspector.MAX_JPEG_SCANS + 1);

    assertThatThrownBy(() -> inspector.inspect(bomb))
        .isInstanceOf(InvalidImageException.class)
        .hasMessage("JPEG has more than 100 scans at 96×64; the limit is 100 scans, and 1,000 megapixel-scans in"
            + " all (20 scans at 50 megapixels); cameras write about 10. Every scan adds a decoding pass over the whole"
            + " image");
  }

  @Test
  void largeImagesMayHaveFewerScans() {
    assertThat(ImageInspector.maxScans(96, 64)).isEqualTo(100);
    assertThat(ImageInspector.maxScans(3_000, 3_000)).isEqualTo(100); // 9 megapixels
    assertThat(ImageInspector.maxScans(4_000, 3_000)).isEqualTo(83);
    assertThat(ImageInspector.maxScans(10_000, 5_000)).isEqualTo(20);
    // the same scans in a frame header that claims 5,000 × 5,000: 25 megapixels allow 40 scans
    byte[] fortyOne = ScanBombs.withScans(progressive, 41);
    byte[] claimsLarge = withDimensions(fortyOne, 5_000, 5_000);
    assertThatThrownBy(() -> inspector.inspect(claimsLarge))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageStartingWith("JPEG has more than 40 scans at 5000×5000");
    assertThat(JpegHeader.countScans(withDimensions(ScanBombs.withScans(progressive, 40), 5_000, 5_000), 1000))
        .isEqualTo(40);
  }

  /** The same bytes with another width and height in the frame header (nothing is decoded at inspection). */
  private static byte[] withDimensions(byte[] jpeg, int width, int height) {
    byte[] out = jpeg.clone();
    int sof = TestImages.frameHeaderStart(out);
    out[sof + 5] = (byte) (height >> 8);
    out[sof + 6] = (byte) height;
    out[sof + 7] = (byte) (width >> 8);
    out[sof + 8] = (byte) width;
    return out;
  }

  @Test
  void stopsCountingPastTheLimit() {
    byte[] bomb = ScanBombs.withScans(progressive, 3_000);

    assertThat(JpegHeader.countScans(bomb, ImageInspector.MAX_JPEG_SCANS)).isEqualTo(ImageInspector.MAX_JPEG_SCANS + 1);
  }

  @Test
  void ignoresMarkerLikeBytesInsideScanDataAndStopsAtEndOfImage() {
    // FF 00 (stuffed) and FF D0-D7 (restart) inside entropy data are not markers; nothing after EOI counts
    byte[] scan = {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, (byte) 0xFF, 0, 0x34, (byte) 0xFF,
        (byte) 0xD3, 0x56};
    byte[] jpeg = TestImages.concat(Arrays.copyOf(TestImages.jpeg(8, 8), 2), scan, scan,
        new byte[] {(byte) 0xFF, (byte) 0xD9}, scan, scan, scan);

    assertThat(JpegHeader.countScans(jpeg, 1000)).isEqualTo(2);
  }
}
