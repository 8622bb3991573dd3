package io.catwrangler.core.port;

import io.catwrangler.events.ImageStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many images of a batch are in each status, and how many of the answered ones are yes and no. An image in the
 * batch counts once, with its newest status and answer; a batch nobody named has every count zero.
 */
public record BatchCounts(long pending, long classified, long failed, long yes, long no) {
  public static final BatchCounts NONE = new BatchCounts(0, 0, 0, 0, 0);

  /** What one image's entry adds to its batch's counts. */
  public static BatchCounts of(BatchEntry entry) {
    return of(entry.status(), entry.isCat());
  }

  /** What one image with this status and answer adds to its batch's counts. */
  public static BatchCounts of(ImageStatus status, java.util.Optional<Boolean> isCat) {
    boolean yes = isCat.filter(Boolean::booleanValue).isPresent();
    boolean no = isCat.filter(cat -> !cat).isPresent();
    return new BatchCounts(
        status == ImageStatus.PENDING ? 1 : 0,
        status == ImageStatus.CLASSIFIED ? 1 : 0,
        status == ImageStatus.FAILED ? 1 : 0,
        yes ? 1 : 0,
        no ? 1 : 0);
  }

  public BatchCounts plus(BatchCounts other) {
    return new BatchCounts(pending + other.pending, classified + other.classified, failed + other.failed,
        yes + other.yes, no + other.no);
  }

  public BatchCounts minus(BatchCounts other) {
    return new BatchCounts(pending - other.pending, classified - other.classified, failed - other.failed,
        yes - other.yes, no - other.no);
  }

  public boolean isZero() {
    return equals(NONE);
  }

  /** How many images the batch has. */
  public long total() {
    return pending + classified + failed;
  }

  /** The counts per status, every status present. */
  public Map<ImageStatus, Long> byStatus() {
    Map<ImageStatus, Long> counts = new EnumMap<>(ImageStatus.class);
    counts.put(ImageStatus.PENDING, pending);
    counts.put(ImageStatus.CLASSIFIED, classified);
    counts.put(ImageStatus.FAILED, failed);
    return counts;
  }
}
