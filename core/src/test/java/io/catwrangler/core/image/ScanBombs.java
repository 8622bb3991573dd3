package io.catwrangler.core.image;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * JPEGs with many scans, made from a progressive JPEG by repeating its smallest scan before the end marker. Decoders
 * accept repeated scans (libjpeg warns "inconsistent progression sequence" and goes on) and spend time on each over
 * the whole image: the shape of a scan bomb, at any scan count a test needs.
 */
public final class ScanBombs {
  private ScanBombs() {}

  /** A progressive JPEG of {@code width × height} (about 10 scans, the JDK's libjpeg script). */
  public static byte[] progressive(int width, int height) {
    return TestImages.progressiveJpeg(width, height);
  }

  /** {@code jpeg} with its smallest scan repeated until it has {@code scans} scans in all. */
  public static byte[] withScans(byte[] jpeg, int scans) {
    List<int[]> spans = scanSpans(jpeg);
    if (spans.isEmpty() || scans < spans.size()) {
      throw new IllegalArgumentException("the JPEG has " + spans.size() + " scans already");
    }
    int[] smallest = spans.stream().min(Comparator.comparingInt(s -> s[1] - s[0])).orElseThrow();
    int end = endOfImage(jpeg);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(jpeg.length + (scans - spans.size()) * (smallest[1] - smallest[0]));
    out.write(jpeg, 0, end);
    for (int i = spans.size(); i < scans; i++) {
      out.write(jpeg, smallest[0], smallest[1] - smallest[0]);
    }
    out.write(jpeg, end, jpeg.length - end);
    return out.toByteArray();
  }

  /** The scans of a well-formed JPEG: [start of the SOS marker, start of the next marker). */
  public static List<int[]> scanSpans(byte[] b) {
    List<int[]> spans = new ArrayList<>();
    int pos = 2;
    while (pos + 4 <= b.length) {
      int marker = b[pos + 1] & 0xFF;
      if (marker == 0xD9) {
        break;
      }
      int end = pos + 2 + (((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF));
      if (marker == 0xDA) {
        while (end + 1 < b.length && !isMarker(b[end], b[end + 1])) {
          end++;
        }
        spans.add(new int[] {pos, end});
      }
      pos = end;
    }
    return spans;
  }

  private static int endOfImage(byte[] b) {
    List<int[]> spans = scanSpans(b);
    return spans.get(spans.size() - 1)[1];
  }

  private static boolean isMarker(byte first, byte second) {
    int m = second & 0xFF;
    return (first & 0xFF) == 0xFF && m != 0 && m != 0xFF && (m < 0xD0 || m > 0xD7);
  }
}
