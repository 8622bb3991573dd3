package io.catwrangler.core.image;

/**
 * Reads width and height from a JPEG's frame header (SOFn) by walking the marker segments that precede it, and
 * counts the scans (SOS markers) of the whole file without decoding them. Every step moves forward at least one
 * byte and every length is checked against the end of the array, so the work is bounded by the length of the input
 * whatever it contains. Damage in the compressed data is for the decoder to find.
 */
final class JpegHeader {
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int TEM = 0x01;
  /** Marker, precision, height, width, component count: the bytes needed before the component list. */
  private static final int FRAME_HEADER_FIXED = 8;

  private JpegHeader() {}

  /** @param b bytes that start with the JPEG signature (FF D8 FF) */
  static Dimensions read(byte[] b) throws InvalidImageException {
    int pos = 2; // after SOI
    while (true) {
      if (pos >= b.length) {
        throw truncated();
      }
      if ((b[pos] & 0xFF) != 0xFF) {
        throw new InvalidImageException("corrupt JPEG header: no marker at byte " + pos);
      }
      // any number of FF fill bytes may precede a marker
      while (pos < b.length && (b[pos] & 0xFF) == 0xFF) {
        pos++;
      }
      if (pos >= b.length) {
        throw truncated();
      }
      int marker = b[pos] & 0xFF;
      pos++;
      if (isStandalone(marker)) {
        continue;
      }
      switch (marker) {
        case 0x00, SOI ->
            throw new InvalidImageException("corrupt JPEG header: unexpected marker at byte " + (pos - 2));
        case EOI -> throw new InvalidImageException("corrupt JPEG: the file ends before the frame header");
        case SOS -> throw new InvalidImageException("corrupt JPEG: image data starts before the frame header");
        default -> {}
      }
      if (b.length - pos < 2) {
        throw truncated();
      }
      int length = u16(b, pos); // counts its own two bytes
      if (length < 2) {
        throw new InvalidImageException("corrupt JPEG header: segment length " + length + " at byte " + pos);
      }
      if (length > b.length - pos) {
        throw truncated();
      }
      if (isStartOfFrame(marker)) {
        return frame(b, pos, length);
      }
      pos += length;
    }
  }

  /**
   * The number of scans (SOS markers) before EOI or the end of the bytes, counting no further than {@code max + 1}.
   * One pass over the bytes: marker segments are skipped by their length, entropy-coded data byte by byte looking
   * for the next marker ({@code FF 00} is a stuffed data byte, {@code FF D0}–{@code D7} a restart marker). Lenient:
   * whatever does not parse is skipped, the decoder reports it.
   */
  static int countScans(byte[] b, int max) {
    int scans = 0;
    int pos = 2; // after SOI
    while (pos + 1 < b.length) {
      if ((b[pos] & 0xFF) != 0xFF) {
        pos++; // entropy-coded data
        continue;
      }
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xFF) {
        pos++; // fill byte
        continue;
      }
      if (marker == 0x00 || isStandalone(marker)) {
        pos += 2;
        continue;
      }
      if (marker == EOI) {
        break;
      }
      if (marker == SOS && ++scans > max) {
        break;
      }
      if (b.length - pos < 4) {
        break;
      }
      int length = u16(b, pos + 2);
      pos += 2 + Math.max(length, 2); // a broken length still moves forward
    }
    return scans;
  }

  /** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /** Markers without a length: TEM and the restart markers RST0–RST7. */
  private static boolean isStandalone(int marker) {
    return marker == TEM || (marker >= 0xD0 && marker <= 0xD7);
  }

  /** @param pos where the segment length starts; the whole segment is known to be in {@code b} */
  private static Dimensions frame(byte[] b, int pos, int length) throws InvalidImageException {
    if (length < FRAME_HEADER_FIXED) {
      throw new InvalidImageException("corrupt JPEG frame header: length " + length);
    }
    int height = u16(b, pos + 3);
    int width = u16(b, pos + 5);
    int components = b[pos + 7] & 0xFF;
    if (components == 0 || length < FRAME_HEADER_FIXED + 3 * components) {
      throw new InvalidImageException(
          "corrupt JPEG frame header: " + components + " components in " + length + " bytes");
    }
    if (width == 0) {
      throw new InvalidImageException("JPEG width is 0");
    }
    if (height == 0) {
      // legal in theory (a DNL marker after the first scan gives it), supported by almost no decoder
      throw new InvalidImageException("JPEG height is 0 (defined later by a DNL marker), not supported");
    }
    return new Dimensions(width, height);
  }

  private static InvalidImageException truncated() {
    return new InvalidImageException("truncated JPEG: the file ends inside the header");
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }
}
