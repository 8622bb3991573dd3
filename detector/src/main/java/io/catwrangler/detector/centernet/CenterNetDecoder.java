package io.catwrangler.detector.centernet;

import static io.catwrangler.detector.centernet.CenterNetModel.CLASS_COUNT;
import static io.catwrangler.detector.centernet.CenterNetModel.GRID_SIZE;
import static io.catwrangler.detector.centernet.CenterNetModel.STRIDE;

import io.catwrangler.detector.centernet.CenterNetModel.RawOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns CenterNet's {@link RawOutput} into objects. {@link #peaks} is what the original TFJS graph's
 * own tail computes (3×3 local maxima of each class channel, the highest {@value #MAX_PEAKS}, one box per peak),
 * with no suppression of overlapping boxes (the same object often peaks in several classes, or twice in one);
 * {@link #nms} then keeps one box per object, under its best-scoring class.
 */
public final class CenterNetDecoder {

  /** The TFJS graph's tail keeps this many peaks ({@code TopKV2} with k = 100). */
  public static final int MAX_PEAKS = 100;
  /** A box overlapping a better one by more than this is the same object seen again. */
  public static final float NMS_IOU = 0.4f;

  private static final int HEAT_LENGTH = GRID_SIZE * GRID_SIZE * CLASS_COUNT;
  private static final int WH_LENGTH = GRID_SIZE * GRID_SIZE * 4;

  private CenterNetDecoder() {}

  /**
   * The highest score of one class anywhere in the heat map, e.g. how sure the model is that a cat is present.
   * It equals the score of that class's best peak, since a global maximum is always a local one.
   */
  public static float classMax(float[] heat, int classId) {
    checkLength("heat", heat, HEAT_LENGTH);
    if (classId < 0 || classId >= CLASS_COUNT) {
      throw new IllegalArgumentException("class id must be 0–" + (CLASS_COUNT - 1) + ", was " + classId);
    }
    float max = 0;
    for (int i = classId; i < heat.length; i += CLASS_COUNT) {
      max = Math.max(max, heat[i]);
    }
    return max;
  }

  /**
   * Heat-map peaks with a score of at least {@code minScore}, best first (ties: first in row-major order), at most
   * {@code maxPeaks}. A cell is a peak of its class when no cell of its 3×3 neighbourhood scores higher, as in
   * the graph's max-pool-and-compare. Its box is {@code (cx - wh0, cy - wh1, cx + wh2, cy + wh3)} with the cell
   * centre at {@code (column · 4, row · 4)}, in input pixels; the arithmetic is float, like the graph's.
   */
  public static List<Peak> peaks(RawOutput output, int maxPeaks, float minScore) {
    float[] heat = output.heat();
    float[] wh = output.wh();
    checkLength("heat", heat, HEAT_LENGTH);
    checkLength("wh", wh, WH_LENGTH);
    if (!(minScore > 0)) {
      // a zero threshold would make every empty cell (score 0 among zeros) a peak
      throw new IllegalArgumentException("minScore must be above 0, was " + minScore);
    }
    if (maxPeaks < 0) {
      throw new IllegalArgumentException("maxPeaks must not be negative, was " + maxPeaks);
    }
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < heat.length; i++) {
      if (heat[i] >= minScore && isLocalMaximum(heat, i)) {
        candidates.add(i);
      }
    }
    candidates.sort(Comparator.<Integer>comparingDouble(i -> -heat[i]).thenComparingInt(i -> i));
    List<Peak> peaks = new ArrayList<>();
    for (int index : candidates.subList(0, Math.min(maxPeaks, candidates.size()))) {
      int cell = index / CLASS_COUNT;
      float centreX = (cell % GRID_SIZE) * (float) STRIDE;
      float centreY = (cell / GRID_SIZE) * (float) STRIDE;
      int box = cell * 4;
      peaks.add(new Peak(index % CLASS_COUNT, heat[index], centreX - wh[box], centreY - wh[box + 1],
          centreX + wh[box + 2], centreY + wh[box + 3]));
    }
    return peaks;
  }

  /**
   * Greedy non-maximum suppression across classes: going from the best score down, a peak is kept unless its box
   * overlaps an already kept one by an IoU above {@code iouThreshold}. Returns the kept peaks, best first.
   */
  public static List<Peak> nms(List<Peak> peaks, float iouThreshold) {
    List<Peak> byScore = new ArrayList<>(peaks);
    byScore.sort(Comparator.comparingDouble(Peak::score).reversed());
    List<Peak> kept = new ArrayList<>();
    for (Peak candidate : byScore) {
      if (kept.stream().allMatch(better -> candidate.iou(better) <= iouThreshold)) {
        kept.add(candidate);
      }
    }
    return kept;
  }

  private static boolean isLocalMaximum(float[] heat, int index) {
    int classId = index % CLASS_COUNT;
    int cell = index / CLASS_COUNT;
    int row = cell / GRID_SIZE;
    int column = cell % GRID_SIZE;
    float score = heat[index];
    for (int y = Math.max(0, row - 1); y <= Math.min(GRID_SIZE - 1, row + 1); y++) {
      for (int x = Math.max(0, column - 1); x <= Math.min(GRID_SIZE - 1, column + 1); x++) {
        if (heat[(y * GRID_SIZE + x) * CLASS_COUNT + classId] > score) {
          return false;
        }
      }
    }
    return true;
  }

  private static void checkLength(String name, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(name + " must have " + expected + " values, has " + values.length);
    }
  }
}
