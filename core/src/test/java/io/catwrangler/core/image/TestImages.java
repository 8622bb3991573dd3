package io.catwrangler.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image bytes for tests, made in the test so no binary fixture is needed: real files written by ImageIO, and
 * headers crafted byte by byte (a PNG declaring 30000×30000, a WebP, a HEIC ftyp box...). Deterministic: the
 * same call gives the same bytes.
 */
public final class TestImages {
  public static final int SOF0 = 0xC0;
  public static final int SOF2 = 0xC2;
  public static final int DHT = 0xC4;
  public static final int SOS = 0xDA;
  public static final int EOI = 0xD9;
  public static final int APP0 = 0xE0;
  public static final int APP1 = 0xE1;

  private TestImages() {}

  // ---- real files written by ImageIO

  /** A baseline (SOF0) colour JPEG. */
  public static byte[] jpeg(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
  }

  /** A one-component JPEG. */
  public static byte[] grayJpeg(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_BYTE_GRAY), "jpeg");
  }

  /** A progressive (SOF2) JPEG. */
  public static byte[] progressiveJpeg(int width, int height) {
    return progressiveJpeg(picture(width, height, BufferedImage.TYPE_INT_RGB));
  }

  /** {@code image} as a progressive JPEG with the JDK's libjpeg script (10 scans in colour). */
  public static byte[] progressiveJpeg(BufferedImage image) {
    ImageWriter writer = writer("jpeg");
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    return write(writer, param, image);
  }

  public static byte[] png(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_INT_RGB), "png");
  }

  public static byte[] grayPng(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_BYTE_GRAY), "png");
  }

  public static byte[] alphaPng(int width, int height) {
    return write(picture(width, height, BufferedImage.TYPE_INT_ARGB), "png");
  }

  public static byte[] gif() {
    return write(picture(32, 24, BufferedImage.TYPE_BYTE_INDEXED), "gif");
  }

  public static byte[] bmp() {
    return write(picture(32, 24, BufferedImage.TYPE_INT_RGB), "bmp");
  }

  public static byte[] tiff() {
    return write(picture(32, 24, BufferedImage.TYPE_INT_RGB), "tiff");
  }

  // ---- crafted headers

  /** A PNG with a valid signature, IHDR (8-bit RGB, correct CRC) and IEND, and no pixel data at all. */
  public static byte[] pngHeaderOnly(long width, long height) {
    return concat(
        pngSignature(), pngChunk("IHDR", ihdrData(width, height, 8, 2, 0)), pngChunk("IEND", new byte[0]));
  }

  public static byte[] pngSignature() {
    return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  }

  /** Length, type, data and a correct CRC over type and data. */
  public static byte[] pngChunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return concat(u32be(data.length), typeBytes, data, u32be(crc.getValue()));
  }

  public static byte[] ihdrData(long width, long height, int bitDepth, int colorType, int interlace) {
    return concat(u32be(width), u32be(height), new byte[] {(byte) bitDepth, (byte) colorType, 0, 0, (byte) interlace});
  }

  /** SOI, a frame header with the given SOFn marker and dimensions (three components), EOI. */
  public static byte[] jpegHeaderOnly(int sofMarker, int width, int height) {
    return concat(soi(), frameHeader(sofMarker, width, height), marker(EOI));
  }

  public static byte[] frameHeader(int sofMarker, int width, int height) {
    byte[] payload = {
      8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1
    };
    return segment(sofMarker, payload);
  }

  public static byte[] soi() {
    return new byte[] {(byte) 0xFF, (byte) 0xD8};
  }

  /** A marker without a length (SOI, EOI, RSTn, TEM). */
  public static byte[] marker(int marker) {
    return new byte[] {(byte) 0xFF, (byte) marker};
  }

  /** A marker segment: FF, marker, a length that counts itself, the payload. */
  public static byte[] segment(int marker, byte[] payload) {
    int length = payload.length + 2;
    if (length > 0xFFFF) {
      throw new IllegalArgumentException("a JPEG segment holds at most 65533 bytes");
    }
    return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length}, payload);
  }

  /** A real JPEG with an APP1 segment and FF fill bytes between the segments before its frame header. */
  public static byte[] jpegWithFillBytesAndAppSegment(int width, int height) {
    byte[] jpeg = jpeg(width, height);
    byte[] app1 = segment(APP1, "Exif\0\0not really exif, just bytes to skip".getBytes(StandardCharsets.US_ASCII));
    byte[] fill = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    return insertBeforeFrameHeader(jpeg, concat(fill, app1, fill));
  }

  /** {@code insert} placed just before the FF of the first frame header (SOFn) of a well-formed JPEG. */
  public static byte[] insertBeforeFrameHeader(byte[] jpeg, byte[] insert) {
    int at = frameHeaderStart(jpeg);
    return concat(Arrays.copyOfRange(jpeg, 0, at), insert, Arrays.copyOfRange(jpeg, at, jpeg.length));
  }

  /** Offset of the FF just before the first frame header marker in a well-formed JPEG. */
  public static int frameHeaderStart(byte[] jpeg) {
    int pos = 2;
    while (pos + 4 <= jpeg.length) {
      int marker = jpeg[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        return pos;
      }
      pos += 2 + (((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF));
    }
    throw new IllegalArgumentException("no frame header");
  }

  /** Offset just past the first frame header of a well-formed JPEG: the shortest prefix that has the size. */
  public static int frameHeaderEnd(byte[] jpeg) {
    int at = frameHeaderStart(jpeg);
    return at + 2 + (((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF));
  }

  /** RIFF/WEBP with a lossy VP8 key-frame header: what a WebP saved as "photo.jpg" starts with. */
  public static byte[] webp() {
    int width = 320;
    int height = 240;
    byte[] vp8 =
        concat(
            new byte[] {0x50, 0x09, 0x00, (byte) 0x9D, 0x01, 0x2A},
            new byte[] {(byte) width, (byte) (width >> 8), (byte) height, (byte) (height >> 8)},
            new byte[64]);
    byte[] chunk = concat(ascii("VP8 "), u32le(vp8.length), vp8);
    return concat(ascii("RIFF"), u32le(4 + chunk.length), ascii("WEBP"), chunk);
  }

  /** An iPhone-style HEIC start: ftyp box with major brand heic, then the beginning of a meta box. */
  public static byte[] heic() {
    return isoMedia("heic", "mif1", "heic");
  }

  /** A HEIC whose major brand is the generic mif1, with heic among the compatible brands. */
  public static byte[] heicWithMif1Brand() {
    return isoMedia("mif1", "mif1", "heic");
  }

  public static byte[] avif() {
    return isoMedia("avif", "avif", "mif1", "miaf");
  }

  public static byte[] mp4() {
    return isoMedia("isom", "isom", "iso2", "mp41");
  }

  /** An ftyp box with the given major and compatible brands, then an empty meta box. */
  public static byte[] isoMedia(String majorBrand, String... compatibleBrands) {
    byte[] brands = new byte[0];
    for (String brand : compatibleBrands) {
      brands = concat(brands, ascii(brand));
    }
    byte[] ftyp = concat(u32be(16 + brands.length), ascii("ftyp"), ascii(majorBrand), u32be(0), brands);
    return concat(ftyp, u32be(12), ascii("meta"), u32be(0));
  }

  public static byte[] pdf() {
    return concat(
        ascii("%PDF-1.7\n"),
        new byte[] {'%', (byte) 0xE2, (byte) 0xE3, (byte) 0xCF, (byte) 0xD3, '\n'},
        ascii("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"));
  }

  public static byte[] text() {
    return utf8("Dear support, here is the photo of my cat Mimi. Best regards, Zoë\n");
  }

  public static byte[] svg() {
    return utf8(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle r=\"4\"/></svg>\n");
  }

  public static byte[] html() {
    return utf8("\uFEFF  <!DOCTYPE html>\n<html><body><img src=\"cat.jpg\"></body></html>\n");
  }

  public static byte[] xml() {
    return utf8("<?xml version=\"1.0\"?>\n<cats><cat name=\"Mimi\"/></cats>\n");
  }

  /** Bytes from a seeded generator: the same seed gives the same bytes. */
  public static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The first {@code length} bytes. */
  public static byte[] truncated(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }

  // ---- byte plumbing

  public static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] result = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, result, at, part.length);
      at += part.length;
    }
    return result;
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] u32be(long value) {
    return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
  }

  public static byte[] u32le(long value) {
    return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
  }

  /** Gradients plus a little seeded noise, so the encoders have something photo-like to compress. */
  private static BufferedImage picture(int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Random noise = new Random(width * 31L + height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = (x * 255 / Math.max(1, width - 1)) ^ (noise.nextInt(16));
        int g = (y * 255 / Math.max(1, height - 1)) ^ (noise.nextInt(16));
        int b = ((x + y) * 4) & 0xFF;
        image.setRGB(x, y, (0x80 << 24) | (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private static byte[] write(BufferedImage image, String format) {
    ImageWriter writer = writer(format);
    return write(writer, writer.getDefaultWriteParam(), image);
  }

  private static byte[] write(ImageWriter writer, ImageWriteParam param, BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static ImageWriter writer(String format) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    return writers.next();
  }
}
