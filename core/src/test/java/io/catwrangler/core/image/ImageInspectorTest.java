package io.catwrangler.core.image;

import static io.catwrangler.core.image.TestImages.APP0;
import static io.catwrangler.core.image.TestImages.APP1;
import static io.catwrangler.core.image.TestImages.DHT;
import static io.catwrangler.core.image.TestImages.EOI;
import static io.catwrangler.core.image.TestImages.SOF0;
import static io.catwrangler.core.image.TestImages.SOF2;
import static io.catwrangler.core.image.TestImages.SOS;
import static io.catwrangler.core.image.TestImages.ascii;
import static io.catwrangler.core.image.TestImages.concat;
import static io.catwrangler.core.image.TestImages.frameHeader;
import static io.catwrangler.core.image.TestImages.frameHeaderEnd;
import static io.catwrangler.core.image.TestImages.frameHeaderStart;
import static io.catwrangler.core.image.TestImages.ihdrData;
import static io.catwrangler.core.image.TestImages.insertBeforeFrameHeader;
import static io.catwrangler.core.image.TestImages.jpeg;
import static io.catwrangler.core.image.TestImages.jpegHeaderOnly;
import static io.catwrangler.core.image.TestImages.marker;
import static io.catwrangler.core.image.TestImages.png;
import static io.catwrangler.core.image.TestImages.pngChunk;
import static io.catwrangler.core.image.TestImages.pngHeaderOnly;
import static io.catwrangler.core.image.TestImages.pngSignature;
import static io.catwrangler.core.image.TestImages.segment;
import static io.catwrangler.core.image.TestImages.soi;
import static io.catwrangler.core.image.TestImages.truncated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageInspectorTest {
  private final ImageInspector inspector = new ImageInspector(ImageLimits.DEFAULT);

  private ImageInfo inspect(byte[] bytes) throws ImageRejectedException {
    return inspector.inspect(bytes);
  }

  private InvalidImageException invalid(byte[] bytes) {
    return catchThrowableOfType(InvalidImageException.class, () -> inspector.inspect(bytes));
  }

  private UnsupportedFormatException unsupported(byte[] bytes) {
    return catchThrowableOfType(UnsupportedFormatException.class, () -> inspector.inspect(bytes));
  }

  @Nested
  class Jpeg {
    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"1,1", "7,3", "17,9", "640,480", "480,640", "1920,1080", "10000,1"})
    void readsSizeOfRealJpeg(int width, int height) throws Exception {
      byte[] bytes = jpeg(width, height);

      assertThat(inspect(bytes)).isEqualTo(new ImageInfo(ImageFormat.JPEG, width, height, bytes.length));
    }

    @Test
    void readsSizeOfGrayscaleJpeg() throws Exception {
      assertThat(inspect(TestImages.grayJpeg(300, 200)))
          .extracting(ImageInfo::width, ImageInfo::height)
          .containsExactly(300, 200);
    }

    @Test
    void readsSizeOfProgressiveJpeg() throws Exception {
      byte[] bytes = TestImages.progressiveJpeg(321, 123);
      assertThat(bytes[frameHeaderStart(bytes) + 1] & 0xFF).as("frame header marker").isEqualTo(SOF2);

      assertThat(inspect(bytes)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 321, 123, bytes.length));
    }

    @ParameterizedTest(name = "SOF marker {0}")
    @ValueSource(ints = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
    void readsSizeFromEveryKindOfFrameHeader(int sofMarker) throws Exception {
      assertThat(inspect(jpegHeaderOnly(sofMarker, 800, 600)))
          .extracting(ImageInfo::width, ImageInfo::height)
          .containsExactly(800, 600);
    }

    @Test
    void skipsFillBytesAndAppSegmentBeforeFrameHeader() throws Exception {
      byte[] bytes = TestImages.jpegWithFillBytesAndAppSegment(640, 480);

      assertThat(inspect(bytes)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 640, 480, bytes.length));
    }

    @Test
    void skipsTablesThatShareTheFrameMarkerRange() throws Exception {
      // DHT (C4), JPG (C8) and DAC (CC) sit among SOF0–SOF15 but are not frame headers
      byte[] bytes =
          concat(
              soi(),
              segment(DHT, new byte[20]),
              segment(0xC8, new byte[3]),
              segment(0xCC, new byte[2]),
              frameHeader(SOF0, 1024, 768),
              marker(EOI));

      assertThat(inspect(bytes)).extracting(ImageInfo::width, ImageInfo::height).containsExactly(1024, 768);
    }

    @Test
    void skipsStandaloneMarkers() throws Exception {
      byte[] bytes =
          concat(soi(), marker(0x01), marker(0xD0), marker(0xD7), segment(APP0, new byte[14]), frameHeader(SOF0, 5, 6));

      assertThat(inspect(bytes)).extracting(ImageInfo::width, ImageInfo::height).containsExactly(5, 6);
    }

    @Test
    void readsMainImageNotTheExifThumbnail() throws Exception {
      byte[] thumbnail = jpeg(160, 120);
      byte[] exif = segment(APP1, concat(ascii("Exif\0\0"), thumbnail));

      byte[] bytes = insertBeforeFrameHeader(jpeg(1280, 960), exif);

      assertThat(inspect(bytes)).extracting(ImageInfo::width, ImageInfo::height).containsExactly(1280, 960);
    }

    @Test
    void skipsLargeAppSegments() throws Exception {
      byte[] icc = segment(0xE2, new byte[65_533]);

      byte[] bytes = insertBeforeFrameHeader(jpeg(64, 48), concat(icc, icc, icc));

      assertThat(inspect(bytes)).extracting(ImageInfo::width, ImageInfo::height).containsExactly(64, 48);
    }

    @Test
    void acceptsJpegTruncatedAfterItsHeader() throws Exception {
      // damaged pixel data is for the decoder to find; the header is all this check reads
      byte[] jpeg = jpeg(640, 480);

      assertThat(inspect(truncated(jpeg, frameHeaderEnd(jpeg)))).extracting(ImageInfo::width).isEqualTo(640);
      assertThat(inspect(truncated(jpeg, jpeg.length / 2))).extracting(ImageInfo::height).isEqualTo(480);
      assertThat(inspect(truncated(jpeg, jpeg.length - 2))).extracting(ImageInfo::format).isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void rejectsJpegTruncatedAnywhereInsideItsHeader() {
      byte[] jpeg = TestImages.jpegWithFillBytesAndAppSegment(640, 480);
      int headerEnd = frameHeaderEnd(jpeg);

      for (int length = 2; length < headerEnd; length++) {
        assertThat(invalid(truncated(jpeg, length)))
            .as("cut after %d of %d header bytes", length, headerEnd)
            .hasMessage("truncated JPEG: the file ends inside the header");
      }
    }

    @Test
    void rejectsZeroWidth() {
      assertThat(invalid(jpegHeaderOnly(SOF0, 0, 480))).hasMessage("JPEG width is 0");
    }

    @Test
    void rejectsZeroHeightThatWouldComeFromDnl() {
      assertThat(invalid(jpegHeaderOnly(SOF0, 640, 0))).hasMessageContaining("JPEG height is 0");
    }

    @Test
    void rejectsScanBeforeFrameHeader() {
      byte[] bytes = concat(soi(), segment(SOS, new byte[10]), frameHeader(SOF0, 8, 8));

      assertThat(invalid(bytes)).hasMessage("corrupt JPEG: image data starts before the frame header");
    }

    @Test
    void rejectsEndOfImageBeforeFrameHeader() {
      byte[] bytes = concat(soi(), segment(APP0, new byte[14]), marker(EOI));

      assertThat(invalid(bytes)).hasMessage("corrupt JPEG: the file ends before the frame header");
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 1})
    void rejectsSegmentLengthTooSmallToCountItself(int length) {
      byte[] bytes = concat(soi(), new byte[] {(byte) 0xFF, (byte) APP0, 0, (byte) length}, frameHeader(SOF0, 8, 8));

      assertThat(invalid(bytes)).hasMessageStartingWith("corrupt JPEG header: segment length " + length);
    }

    @Test
    void rejectsSegmentLongerThanTheFile() {
      byte[] bytes = concat(soi(), new byte[] {(byte) 0xFF, (byte) APP1, (byte) 0xFF, (byte) 0xFF}, new byte[100]);

      assertThat(invalid(bytes)).hasMessage("truncated JPEG: the file ends inside the header");
    }

    @Test
    void rejectsDataWhereMarkerShouldBe() {
      byte[] bytes = concat(soi(), segment(APP0, new byte[14]), new byte[] {0x12, 0x34}, frameHeader(SOF0, 8, 8));

      assertThat(invalid(bytes)).hasMessage("corrupt JPEG header: no marker at byte 20");
    }

    @ParameterizedTest(name = "marker {0}")
    @ValueSource(ints = {0x00, 0xD8})
    void rejectsMarkersThatCannotAppearInHeader(int marker) {
      byte[] bytes = concat(soi(), marker(marker), frameHeader(SOF0, 8, 8));

      assertThat(invalid(bytes)).hasMessageStartingWith("corrupt JPEG header: unexpected marker");
    }

    @Test
    void rejectsFrameHeaderTooShortForItsComponents() {
      byte[] noComponents = concat(soi(), segment(SOF0, new byte[] {8, 0, 8, 0, 8, 0}));
      byte[] tooShort = concat(soi(), segment(SOF0, new byte[] {8, 0, 8, 0, 8, 3, 1, 0x22, 0}));
      byte[] noSize = concat(soi(), segment(SOF0, new byte[] {8, 0, 8}));

      assertThat(invalid(noComponents)).hasMessageStartingWith("corrupt JPEG frame header");
      assertThat(invalid(tooShort)).hasMessageStartingWith("corrupt JPEG frame header");
      assertThat(invalid(noSize)).hasMessageStartingWith("corrupt JPEG frame header");
    }

    @Test
    void workStaysLinearOnAdversarialInput() {
      int size = (int) ImageLimits.DEFAULT.maxBytes();
      byte[] allFill = new byte[size];
      Arrays.fill(allFill, (byte) 0xFF);
      allFill[1] = (byte) 0xD8;
      byte[] allStandalone = new byte[size];
      for (int i = 0; i < size; i += 2) {
        allStandalone[i] = (byte) 0xFF;
        allStandalone[i + 1] = (byte) 0xD0;
      }
      allStandalone[1] = (byte) 0xD8;
      byte[] allEmptySegments = new byte[size];
      for (int i = 2; i + 4 <= size; i += 4) {
        allEmptySegments[i] = (byte) 0xFF;
        allEmptySegments[i + 1] = (byte) 0xE5;
        allEmptySegments[i + 3] = 2;
      }
      allEmptySegments[0] = (byte) 0xFF;
      allEmptySegments[1] = (byte) 0xD8;

      Assertions.assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> {
            assertThat(invalid(allFill)).hasMessageContaining("truncated");
            assertThat(invalid(allStandalone)).hasMessageContaining("truncated");
            assertThat(invalid(allEmptySegments)).hasMessageStartingWith("corrupt JPEG header: no marker");
          });
    }
  }

  @Nested
  class Png {
    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"1,1", "7,3", "640,480", "480,640", "1920,1080", "10000,1"})
    void readsSizeOfRealPng(int width, int height) throws Exception {
      byte[] bytes = png(width, height);

      assertThat(inspect(bytes)).isEqualTo(new ImageInfo(ImageFormat.PNG, width, height, bytes.length));
    }

    @Test
    void readsSizeOfGrayscaleAndAlphaPng() throws Exception {
      assertThat(inspect(TestImages.grayPng(300, 200))).extracting(ImageInfo::width).isEqualTo(300);
      assertThat(inspect(TestImages.alphaPng(30, 20))).extracting(ImageInfo::height).isEqualTo(20);
    }

    @ParameterizedTest(name = "bit depth {0}, color type {1}, interlace {2}")
    @CsvSource({"1,0,0", "16,0,0", "8,2,0", "16,2,1", "1,3,0", "8,3,0", "8,4,0", "16,6,0", "8,6,1"})
    void acceptsEveryValidHeaderVariant(int bitDepth, int colorType, int interlace) throws Exception {
      byte[] bytes = concat(pngSignature(), pngChunk("IHDR", ihdrData(90, 60, bitDepth, colorType, interlace)));

      assertThat(inspect(bytes)).extracting(ImageInfo::width, ImageInfo::height).containsExactly(90, 60);
    }

    @Test
    void acceptsPngTruncatedAfterItsHeader() throws Exception {
      byte[] png = png(640, 480);

      assertThat(inspect(truncated(png, 33))).extracting(ImageInfo::width).isEqualTo(640);
      assertThat(inspect(truncated(png, png.length / 2))).extracting(ImageInfo::height).isEqualTo(480);
    }

    @Test
    void rejectsPngTruncatedAnywhereInsideItsHeader() {
      byte[] png = png(640, 480);

      for (int length = 4; length < 33; length++) {
        assertThat(invalid(truncated(png, length)))
            .as("cut after %d bytes", length)
            .hasMessage("truncated PNG: the file ends inside the header");
      }
    }

    @Test
    void rejectsSignatureDamagedByLineEndingConversion() {
      byte[] png = png(16, 16);
      byte[] crlf =
          concat(Arrays.copyOf(png, 4), new byte[] {'\r', '\r', '\n'}, Arrays.copyOfRange(png, 6, png.length));

      assertThat(invalid(crlf)).hasMessageStartingWith("corrupt PNG signature");
    }

    @Test
    void rejectsWrongChecksum() {
      byte[] bytes = pngHeaderOnly(640, 480);
      bytes[29] ^= 1;

      assertThat(invalid(bytes)).hasMessage("corrupt PNG header: IHDR checksum mismatch");
    }

    @Test
    void rejectsFirstChunkOtherThanIhdr() {
      byte[] bytes =
          concat(
              pngSignature(), pngChunk("tEXt", ascii("Comment\0a cat")), pngChunk("IHDR", ihdrData(8, 8, 8, 2, 0)));

      assertThat(invalid(bytes)).hasMessage("corrupt PNG header: the first chunk is not IHDR");
    }

    @Test
    void rejectsIhdrOfWrongLength() {
      byte[] bytes = concat(pngSignature(), pngChunk("IHDR", Arrays.copyOf(ihdrData(8, 8, 8, 2, 0), 14)), new byte[8]);

      assertThat(invalid(bytes)).hasMessage("corrupt PNG header: IHDR length is 14, expected 13");
    }

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"0,480,width", "640,0,height"})
    void rejectsZeroDimension(long width, long height, String which) {
      assertThat(invalid(pngHeaderOnly(width, height))).hasMessage("PNG " + which + " is 0");
    }

    @Test
    void rejectsDimensionBeyondPngSpecification() {
      assertThat(invalid(pngHeaderOnly(1L << 31, 1))).hasMessageStartingWith("corrupt PNG header");
      assertThat(invalid(pngHeaderOnly(1, 0xFFFF_FFFFL))).hasMessageStartingWith("corrupt PNG header");
    }

    @ParameterizedTest(name = "bit depth {0}, color type {1}, interlace {2}")
    @CsvSource({"3,0,0", "4,2,0", "16,3,0", "8,1,0", "8,7,0", "8,2,2"})
    void rejectsInvalidHeaderFields(int bitDepth, int colorType, int interlace) {
      byte[] bytes = concat(pngSignature(), pngChunk("IHDR", ihdrData(8, 8, bitDepth, colorType, interlace)));

      assertThat(invalid(bytes)).hasMessageStartingWith("corrupt PNG header");
    }
  }

  @Nested
  class Limits {
    @Test
    void rejectsPngHeaderDeclaring30000By30000() {
      byte[] bomb = pngHeaderOnly(30_000, 30_000);
      assertThat(bomb).hasSizeLessThan(100);

      InvalidImageException rejected = invalid(bomb);

      assertThat(rejected).hasMessage("30000×30000 exceeds the 10000 px limit per side");
      assertThat(rejected.code()).isEqualTo("INVALID_IMAGE");
    }

    @Test
    void rejectsJpegHeaderDeclaringHugeSize() {
      assertThat(invalid(jpegHeaderOnly(SOF0, 65_535, 65_535)))
          .hasMessage("65535×65535 exceeds the 10000 px limit per side");
      assertThat(invalid(jpegHeaderOnly(SOF2, 10_001, 1))).hasMessage("10001×1 exceeds the 10000 px limit per side");
    }

    @Test
    void acceptsExactlyTheSideAndPixelLimits() throws Exception {
      assertThat(inspect(pngHeaderOnly(10_000, 1))).extracting(ImageInfo::width).isEqualTo(10_000);
      assertThat(inspect(pngHeaderOnly(1, 10_000))).extracting(ImageInfo::height).isEqualTo(10_000);
      assertThat(inspect(pngHeaderOnly(10_000, 5_000))).extracting(ImageInfo::height).isEqualTo(5_000);
      assertThat(inspect(jpegHeaderOnly(SOF0, 5_000, 10_000))).extracting(ImageInfo::width).isEqualTo(5_000);
    }

    @Test
    void rejectsSideJustOverTheLimit() {
      assertThat(invalid(pngHeaderOnly(10_001, 1))).hasMessage("10001×1 exceeds the 10000 px limit per side");
      assertThat(invalid(pngHeaderOnly(1, 10_001))).hasMessage("1×10001 exceeds the 10000 px limit per side");
    }

    @Test
    void rejectsTooManyPixelsEvenWhenEachSideFits() {
      assertThat(invalid(pngHeaderOnly(8_000, 8_000)))
          .hasMessage("8000×8000 is 64,000,000 pixels, more than the 50,000,000 pixel limit");
      assertThat(invalid(jpegHeaderOnly(SOF0, 10_000, 5_001)))
          .hasMessage("10000×5001 is 50,010,000 pixels, more than the 50,000,000 pixel limit");
    }

    @Test
    void appliesConfiguredLimits() throws Exception {
      ImageInspector small = new ImageInspector(new ImageLimits(1_000_000, 100, 5_000));

      assertThat(small.inspect(png(100, 50))).extracting(ImageInfo::width).isEqualTo(100);
      assertThatThrownBy(() -> small.inspect(png(101, 10)))
          .isInstanceOf(InvalidImageException.class)
          .hasMessage("101×10 exceeds the 100 px limit per side");
      assertThatThrownBy(() -> small.inspect(jpeg(100, 51)))
          .isInstanceOf(InvalidImageException.class)
          .hasMessage("100×51 is 5,100 pixels, more than the 5,000 pixel limit");
    }
  }

  @Nested
  class Size {
    @Test
    void rejectsOneByteOverTheLimit() {
      byte[] bytes = jpeg(64, 64);
      ImageInspector strict = new ImageInspector(new ImageLimits(bytes.length - 1, 10_000, 50_000_000));

      ImageTooLargeException rejected =
          catchThrowableOfType(ImageTooLargeException.class, () -> strict.inspect(bytes));

      assertThat(rejected.size()).isEqualTo(bytes.length);
      assertThat(rejected.limit()).isEqualTo(bytes.length - 1);
      assertThat(rejected.code()).isEqualTo("TOO_LARGE");
      assertThat(rejected)
          .hasMessageContaining("(" + bytes.length + " bytes), the limit is ")
          .hasMessageEndingWith("(" + (bytes.length - 1) + " bytes)");
    }

    @Test
    void acceptsExactlyMaxBytes() throws Exception {
      byte[] bytes = jpeg(64, 64);
      ImageInspector exact = new ImageInspector(new ImageLimits(bytes.length, 10_000, 50_000_000));

      assertThat(exact.inspect(bytes).byteSize()).isEqualTo(bytes.length);
    }

    @Test
    void acceptsExactlyDefaultMaxBytes() throws Exception {
      byte[] bytes = Arrays.copyOf(jpeg(64, 64), (int) ImageLimits.DEFAULT.maxBytes());

      assertThat(inspect(bytes).byteSize()).isEqualTo(15L * 1024 * 1024);
      assertThatThrownBy(() -> inspect(Arrays.copyOf(bytes, bytes.length + 1)))
          .isInstanceOf(ImageTooLargeException.class);
    }

    @Test
    void checksSizeBeforeFormat() {
      ImageInspector small = new ImageInspector(new ImageLimits(1_000, 10_000, 50_000_000));

      assertThatThrownBy(() -> small.inspect(TestImages.random(1_001, 7))).isInstanceOf(ImageTooLargeException.class);
      assertThatThrownBy(() -> small.inspect(TestImages.gif())).isInstanceOf(ImageTooLargeException.class);
    }

    @Test
    void checksSizeAloneForContentLengthOrObjectSize() {
      long max = ImageLimits.DEFAULT.maxBytes();

      assertThatCode(() -> inspector.checkSize(0)).doesNotThrowAnyException();
      assertThatCode(() -> inspector.checkSize(max)).doesNotThrowAnyException();
      assertThatThrownBy(() -> inspector.checkSize(max + 1))
          .isInstanceOf(ImageTooLargeException.class)
          .hasMessage("image is 15.0 MiB (15728641 bytes), the limit is 15.0 MiB (15728640 bytes)");
      assertThatThrownBy(() -> inspector.checkSize(Long.MAX_VALUE)).isInstanceOf(ImageTooLargeException.class);
      assertThatThrownBy(() -> inspector.checkSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Formats {
    static Stream<Arguments> notJpegOrPng() {
      return Stream.of(
          Arguments.of("WebP renamed .jpg", TestImages.webp(), "WebP"),
          Arguments.of("GIF", TestImages.gif(), "GIF"),
          Arguments.of("BMP", TestImages.bmp(), "BMP"),
          Arguments.of("TIFF (ImageIO)", TestImages.tiff(), "TIFF"),
          Arguments.of("TIFF little-endian", concat(ascii("II*\0"), TestImages.u32le(8), new byte[32]), "TIFF"),
          Arguments.of("TIFF big-endian", concat(ascii("MM\0*"), TestImages.u32be(8), new byte[32]), "TIFF"),
          Arguments.of("HEIC", TestImages.heic(), "HEIC"),
          Arguments.of("HEIC with mif1 major brand", TestImages.heicWithMif1Brand(), "HEIC"),
          Arguments.of("HEIF, no codec brand", TestImages.isoMedia("mif1", "mif1", "miaf"), "HEIF"),
          Arguments.of("AVIF", TestImages.avif(), "AVIF"),
          Arguments.of("MP4", TestImages.mp4(), "MP4"),
          Arguments.of("PDF", TestImages.pdf(), "PDF"),
          Arguments.of("PSD", concat(ascii("8BPS"), new byte[30]), "PSD"),
          Arguments.of(
              "JPEG 2000",
              concat(TestImages.u32be(12), ascii("jP  \r\n\u0087\n"), TestImages.isoMedia("jp2 ", "jp2 ")),
              "JPEG 2000"),
          Arguments.of("JPEG XL codestream", new byte[] {(byte) 0xFF, 0x0A, (byte) 0xFA, 0x7F, 0, 0}, "JPEG XL"),
          Arguments.of("SVG", TestImages.svg(), "SVG"),
          Arguments.of("HTML", TestImages.html(), "HTML"),
          Arguments.of("XML", TestImages.xml(), "XML"),
          Arguments.of("text", TestImages.text(), "text"),
          Arguments.of("text starting with BM", ascii("BMW service invoice, 3 pages, see attachment\n"), "text"),
          Arguments.of("long text", TestImages.utf8("Zoë's cat ".repeat(500)), "text"),
          Arguments.of("UTF-16 text", "a cat".getBytes(StandardCharsets.UTF_16), "text"),
          Arguments.of("empty", new byte[0], "empty"),
          Arguments.of("random bytes", TestImages.random(4_096, 42), "unknown"),
          Arguments.of("one byte FF", new byte[] {(byte) 0xFF}, "unknown"),
          Arguments.of("zeros", new byte[100], "unknown"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notJpegOrPng")
    void namesWhatWasFound(String description, byte[] bytes, String found) {
      UnsupportedFormatException rejected = unsupported(bytes);

      assertThat(rejected).as(description).isNotNull();
      assertThat(rejected.found()).isEqualTo(found);
      assertThat(rejected.code()).isEqualTo("UNSUPPORTED_FORMAT");
      assertThat(rejected.getMessage()).endsWith("only JPEG and PNG").doesNotContain("Exception");
    }

    @Test
    void messagesReadWellForUsers() {
      assertThat(unsupported(TestImages.webp())).hasMessage("WebP is not accepted, only JPEG and PNG");
      assertThat(unsupported(new byte[0])).hasMessage("an empty file is not accepted, only JPEG and PNG");
      assertThat(unsupported(TestImages.random(100, 1)))
          .hasMessage("this file format is not accepted, only JPEG and PNG");
    }

    @Test
    void jpegSignatureCutShortIsATruncatedJpegNotAnotherFormat() {
      assertThat(invalid(soi())).hasMessage("truncated JPEG: the file ends inside the header");
    }

    @Test
    void decidesByBytesNotByWhatTheyClaim() throws Exception {
      // a PNG whose tEXt says JPEG, a JPEG whose comment says PNG
      byte[] png = concat(pngHeaderOnly(10, 10), pngChunk("tEXt", ascii("format\0image/jpeg")));
      byte[] jpeg = insertBeforeFrameHeader(jpeg(10, 10), segment(0xFE, ascii("image/png")));

      assertThat(inspect(png).format()).isEqualTo(ImageFormat.PNG);
      assertThat(inspect(jpeg).format()).isEqualTo(ImageFormat.JPEG);
    }

    @Test
    void everyRejectionIsAnImageRejectedExceptionWithACode() {
      Stream.of(TestImages.webp(), new byte[0], pngHeaderOnly(30_000, 30_000), truncated(jpeg(8, 8), 5))
          .forEach(
              bytes ->
                  assertThatThrownBy(() -> inspect(bytes))
                      .isInstanceOf(ImageRejectedException.class)
                      .satisfies(e -> assertThat(((ImageRejectedException) e).code()).isNotBlank()));
    }
  }

  @Test
  void truncationSweepOfRealFilesOnlyEverRejectsOrAccepts() {
    for (byte[] image : new byte[][] {jpeg(33, 17), png(33, 17), TestImages.progressiveJpeg(33, 17)}) {
      IntStream.rangeClosed(0, image.length)
          .forEach(
              length ->
                  assertThatCode(
                          () -> {
                            try {
                              inspect(truncated(image, length));
                            } catch (ImageRejectedException expected) {
                              // rejected is a fine outcome for a cut file
                            }
                          })
                      .as("cut after %d bytes", length)
                      .doesNotThrowAnyException());
    }
  }
}
