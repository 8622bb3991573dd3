package io.catwrangler.core.image;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Decides the format from the first bytes alone. JPEG and PNG pass; anything else is rejected with a name the
 * user recognises ("WebP", "HEIC", "PDF", "text"...), so "why was my photo refused" has an answer. Looks at no more
 * than the first {@value #TEXT_WINDOW} bytes.
 */
final class FormatSniffer {
  static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private static final int TEXT_WINDOW = 1024;
  private static final int MAX_COMPATIBLE_BRANDS = 32;
  private static final Set<String> HEIC_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs");
  private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");
  private static final Set<Integer> BMP_INFO_HEADER_SIZES = Set.of(12, 16, 40, 52, 56, 64, 108, 124);
  private static final byte[] JP2_SIGNATURE = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n'};
  private static final byte[] J2K_CODESTREAM = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51};
  private static final byte[] JXL_CONTAINER = {0, 0, 0, 0x0C, 'J', 'X', 'L', ' ', '\r', '\n', (byte) 0x87, '\n'};
  private static final byte[] JXL_CODESTREAM = {(byte) 0xFF, 0x0A};

  private FormatSniffer() {}

  /**
   * @throws UnsupportedFormatException neither JPEG nor PNG
   * @throws InvalidImageException a JPEG or PNG signature that is cut short or damaged
   */
  static ImageFormat sniff(byte[] bytes) throws UnsupportedFormatException, InvalidImageException {
    if (startsWith(bytes, 0, JPEG_SIGNATURE)) {
      return ImageFormat.JPEG;
    }
    if (startsWith(bytes, 0, PNG_SIGNATURE)) {
      return ImageFormat.PNG;
    }
    // "FF D8" alone or "\x89PNG\r\n" is a JPEG or PNG cut short, not some other format
    if (bytes.length >= 2 && bytes.length < JPEG_SIGNATURE.length && isPrefixOf(bytes, JPEG_SIGNATURE)) {
      throw new InvalidImageException("truncated JPEG: the file ends inside the header");
    }
    if (bytes.length >= 4 && startsWith(bytes, 0, PNG_SIGNATURE, 4)) {
      throw new InvalidImageException(
          isPrefixOf(bytes, PNG_SIGNATURE)
              ? "truncated PNG: the file ends inside the header"
              // the signature is built to show line-ending conversion by a text-mode transfer
              : "corrupt PNG signature (was the file transferred as text?)");
    }
    throw new UnsupportedFormatException(nameOf(bytes));
  }

  /** What a non-JPEG, non-PNG file is, as far as cheaply knowable; "unknown" otherwise. */
  static String nameOf(byte[] b) {
    if (b.length == 0) {
      return "empty";
    }
    if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
      return "GIF";
    }
    if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
      return "WebP";
    }
    if (ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*") || ascii(b, 0, "II+\0") || ascii(b, 0, "MM\0+")) {
      return "TIFF";
    }
    if (ascii(b, 4, "ftyp")) {
      return isoMediaName(b);
    }
    if (ascii(b, 0, "BM") && b.length >= 18 && BMP_INFO_HEADER_SIZES.contains(u32le(b, 14))) {
      return "BMP";
    }
    if (ascii(b, 0, "%PDF-")) {
      return "PDF";
    }
    if (ascii(b, 0, "8BPS")) {
      return "PSD";
    }
    if (startsWith(b, 0, JP2_SIGNATURE) || startsWith(b, 0, J2K_CODESTREAM)) {
      return "JPEG 2000";
    }
    if (startsWith(b, 0, JXL_CONTAINER) || startsWith(b, 0, JXL_CODESTREAM)) {
      return "JPEG XL";
    }
    String text = textName(b);
    return text != null ? text : "unknown";
  }

  /** ISO base media (ftyp box): HEIC and AVIF photos, also MP4 and QuickTime video. */
  private static String isoMediaName(byte[] b) {
    if (b.length < 12) {
      return "unknown";
    }
    String major = latin1(b, 8, 4);
    if (HEIC_BRANDS.contains(major)) {
      return "HEIC";
    }
    if (AVIF_BRANDS.contains(major)) {
      return "AVIF";
    }
    // compatible brands run from byte 16 to the end of the ftyp box
    long boxEnd = Math.min(Math.min(u32be(b, 0), b.length), 16 + 4L * MAX_COMPATIBLE_BRANDS);
    for (int i = 16; i + 4 <= boxEnd; i += 4) {
      String brand = latin1(b, i, 4);
      if (AVIF_BRANDS.contains(brand)) {
        return "AVIF";
      }
      if (HEIC_BRANDS.contains(brand)) {
        return "HEIC";
      }
    }
    return switch (major) {
      case "mif1", "msf1" -> "HEIF";
      case "crx " -> "CR3";
      case "qt  " -> "QuickTime";
      default -> "MP4";
    };
  }

  /** "SVG", "HTML", "XML" or "text" if the start of the file decodes as text; null if it does not. */
  private static String textName(byte[] b) {
    if (ascii(b, 0, "\u00FE\u00FF") || ascii(b, 0, "\u00FF\u00FE")) {
      return "text"; // UTF-16 byte order mark
    }
    int end = Math.min(b.length, TEXT_WINDOW);
    CharBuffer chars = CharBuffer.allocate(end);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // not end of input when the window cuts the file: a character split by the cut is not an error
    CoderResult result = decoder.decode(ByteBuffer.wrap(b, 0, end), chars, end == b.length);
    if (result.isError()) {
      return null;
    }
    chars.flip();
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
        return null;
      }
    }
    String start = chars.toString().replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
    if (!start.startsWith("<")) {
      return "text";
    }
    if (start.contains("<svg")) {
      return "SVG";
    }
    if (start.contains("<html") || start.contains("<!doctype html")) {
      return "HTML";
    }
    return "XML";
  }

  private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
    return startsWith(b, offset, prefix, prefix.length);
  }

  private static boolean startsWith(byte[] b, int offset, byte[] prefix, int count) {
    if (b.length - offset < count) {
      return false;
    }
    for (int i = 0; i < count; i++) {
      if (b[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The whole of {@code b} is the beginning of {@code whole}. */
  private static boolean isPrefixOf(byte[] b, byte[] whole) {
    return b.length <= whole.length && startsWith(whole, 0, b);
  }

  /** Bytes at {@code offset} equal the ISO-8859-1 characters of {@code s}. */
  private static boolean ascii(byte[] b, int offset, String s) {
    if (b.length - offset < s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if ((b[offset + i] & 0xFF) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String latin1(byte[] b, int offset, int length) {
    return new String(b, offset, length, StandardCharsets.ISO_8859_1);
  }

  private static long u32be(byte[] b, int i) {
    return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
  }

  private static int u32le(byte[] b, int i) {
    return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | ((b[i + 3] & 0xFF) << 24);
  }
}
