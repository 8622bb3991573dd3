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
        .hasMessage("JPEG has more than 100 scans (progressive JPEGs from cameras have about 10); refused because"
            + " every scan adds decoding time");
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
