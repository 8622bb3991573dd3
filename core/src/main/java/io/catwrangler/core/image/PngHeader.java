package io.catwrangler.core.image;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Reads width and height from a PNG's IHDR chunk, which the format requires to come first, right after the
 * signature. Only those 33 bytes are read; damage in later chunks is for the decoder to find.
 */
final class PngHeader {
  private static final int IHDR_OFFSET = 8;
  private static final int IHDR_DATA_LENGTH = 13;
  /** Signature, IHDR length and type, IHDR data, IHDR CRC. */
  private static final int HEADER_END = IHDR_OFFSET + 8 + IHDR_DATA_LENGTH + 4;
  private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);

  private PngHeader() {}

  /** @param b bytes that start with the PNG signature */
  static Dimensions read(byte[] b) throws InvalidImageException {
    if (b.length < HEADER_END) {
      throw new InvalidImageException("truncated PNG: the file ends inside the header");
    }
    for (int i = 0; i < IHDR.length; i++) {
      if (b[IHDR_OFFSET + 4 + i] != IHDR[i]) {
        throw new InvalidImageException("corrupt PNG header: the first chunk is not IHDR");
      }
    }
    long length = u32(b, IHDR_OFFSET);
    if (length != IHDR_DATA_LENGTH) {
      throw new InvalidImageException("corrupt PNG header: IHDR length is " + length + ", expected 13");
    }
    CRC32 crc = new CRC32();
    crc.update(b, IHDR_OFFSET + 4, 4 + IHDR_DATA_LENGTH); // type and data
    if (crc.getValue() != u32(b, HEADER_END - 4)) {
      throw new InvalidImageException("corrupt PNG header: IHDR checksum mismatch");
    }
    int data = IHDR_OFFSET + 8;
    long width = u32(b, data);
    long height = u32(b, data + 4);
    int bitDepth = b[data + 8] & 0xFF;
    int colorType = b[data + 9] & 0xFF;
    if (width == 0 || height == 0) {
      throw new InvalidImageException("PNG " + (width == 0 ? "width" : "height") + " is 0");
    }
    if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw new InvalidImageException("corrupt PNG header: " + width + "×" + height + " is beyond what PNG allows");
    }
    if (!isValidDepth(colorType, bitDepth)) {
      throw new InvalidImageException("corrupt PNG header: bit depth " + bitDepth + " with color type " + colorType);
    }
    if (b[data + 10] != 0 || b[data + 11] != 0 || (b[data + 12] & 0xFF) > 1) {
      throw new InvalidImageException("corrupt PNG header: unknown compression, filter or interlace method");
    }
    return new Dimensions((int) width, (int) height);
  }

  /** The combinations the PNG specification allows (table 11.1). */
  private static boolean isValidDepth(int colorType, int bitDepth) {
    return switch (colorType) {
      case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
      case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
      case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
      default -> false;
    };
  }

  private static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
  }
}
