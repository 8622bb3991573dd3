package io.catwrangler.core.image;

/** Not JPEG or PNG; {@link #found()} names what the bytes are (WebP, GIF, BMP, HEIC, TIFF, PDF, text, empty, unknown). */
public final class UnsupportedFormatException extends ImageRejectedException {
  private final String found;

  public UnsupportedFormatException(String found) {
    super(message(found));
    this.found = found;
  }

  /**
   * What the bytes are: "WebP", "GIF", "BMP", "TIFF", "HEIC", "HEIF", "AVIF", "PDF", "SVG", "HTML", "XML", "text",
   * "empty", "unknown", or another format name (PSD, JPEG 2000, JPEG XL, MP4...).
   */
  public String found() {
    return found;
  }

  @Override
  public String code() {
    return "UNSUPPORTED_FORMAT";
  }

  private static String message(String found) {
    return switch (found) {
      case "empty" -> "an empty file is not accepted, only JPEG and PNG";
      case "unknown" -> "this file format is not accepted, only JPEG and PNG";
      default -> found + " is not accepted, only JPEG and PNG";
    };
  }
}
