package io.catwrangler.detector.centernet;

import static io.catwrangler.detector.centernet.CenterNetModel.CLASS_COUNT;
import static io.catwrangler.detector.centernet.CenterNetModel.GRID_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.catwrangler.detector.centernet.CenterNetModel.RawOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder on synthetic network outputs; {@link CenterNetGoldenTest} holds it against TensorFlow.js. */
class CenterNetDecoderTest {

  private final float[] heat = new float[GRID_SIZE * GRID_SIZE * CLASS_COUNT];
  private final float[] wh = new float[GRID_SIZE * GRID_SIZE * 4];
  private final RawOutput output = new RawOutput(heat, wh);

  @Test
  void classMaxLooksAtOneChannelOnly() {
    score(3, 4, CocoLabels.DOG, 0.9f);
    score(100, 7, CocoLabels.CAT, 0.4f);
    score(100, 8, CocoLabels.CAT, 0.3f);

    assertThat(CenterNetDecoder.classMax(heat, CocoLabels.CAT)).isEqualTo(0.4f);
    assertThat(CenterNetDecoder.classMax(heat, CocoLabels.DOG)).isEqualTo(0.9f);
    assertThat(CenterNetDecoder.classMax(heat, 0)).isZero();
  }

  @Test
  void peakBoxIsCellCentreTimesStrideMinusAndPlusTheFourDistances() {
    score(10, 20, CocoLabels.CAT, 0.5f);
    distances(10, 20, 5, 6, 7, 8);

    // centre (20·4, 10·4) = (80, 40)
    assertThat(CenterNetDecoder.peaks(output, 100, 0.2f))
        .containsExactly(new Peak(CocoLabels.CAT, 0.5f, 75, 34, 87, 48));
  }

  @Test
  void aHigherNeighbourOfTheSameClassSuppressesACell() {
    score(50, 50, CocoLabels.CAT, 0.6f);
    score(51, 51, CocoLabels.CAT, 0.5f); // diagonal neighbour: not a peak
    score(50, 53, CocoLabels.CAT, 0.4f); // outside the 3×3 of both: a peak of its own
    score(50, 51, CocoLabels.DOG, 0.3f); // another class does not compete with cats

    assertThat(CenterNetDecoder.peaks(output, 100, 0.2f))
        .extracting(Peak::classId, Peak::score)
        .containsExactly(
            tuple(CocoLabels.CAT, 0.6f),
            tuple(CocoLabels.CAT, 0.4f),
            tuple(CocoLabels.DOG, 0.3f));
  }

  @Test
  void equalNeighboursAreBothPeaksInRowMajorOrder() {
    // the TFJS graph marks a cell whose score equals its 3×3 max-pool, so a plateau yields every cell of it
    score(5, 6, CocoLabels.CAT, 0.5f);
    score(5, 5, CocoLabels.CAT, 0.5f);

    assertThat(CenterNetDecoder.peaks(output, 100, 0.2f))
        .extracting(Peak::x1)
        .containsExactly(20f, 24f);
  }

  @Test
  void cellsOnTheBorderOfTheGridArePeaksToo() {
    score(0, 0, 0, 0.7f);
    score(GRID_SIZE - 1, GRID_SIZE - 1, CLASS_COUNT - 1, 0.6f);

    assertThat(CenterNetDecoder.peaks(output, 100, 0.2f))
        .extracting(Peak::classId, Peak::x1, Peak::y1)
        .containsExactly(
            tuple(0, 0f, 0f),
            tuple(CLASS_COUNT - 1, 508f, 508f));
  }

  @Test
  void keepsTheBestPeaksAtOrAboveTheMinimumScore() {
    score(10, 10, 1, 0.2f);
    score(20, 20, 2, 0.9f);
    score(30, 30, 3, 0.5f);
    score(40, 40, 4, 0.19f);

    assertThat(CenterNetDecoder.peaks(output, 100, 0.2f)).extracting(Peak::classId).containsExactly(2, 3, 1);
    assertThat(CenterNetDecoder.peaks(output, 2, 0.2f)).extracting(Peak::classId).containsExactly(2, 3);
  }

  @Test
  void rejectsAZeroMinimumScoreAndOutputsOfTheWrongSize() {
    assertThatThrownBy(() -> CenterNetDecoder.peaks(output, 100, 0f)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CenterNetDecoder.peaks(new RawOutput(new float[10], wh), 100, 0.2f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("heat");
    assertThatThrownBy(() -> CenterNetDecoder.classMax(heat, CLASS_COUNT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nmsDropsOverlappingBoxesWhateverTheirClass() {
    Peak cat = new Peak(CocoLabels.CAT, 0.5f, 0, 0, 100, 100);
    Peak dogOnTheSameAnimal = new Peak(CocoLabels.DOG, 0.3f, 5, 5, 100, 100);
    Peak secondCat = new Peak(CocoLabels.CAT, 0.4f, 200, 0, 300, 100);

    assertThat(CenterNetDecoder.nms(List.of(dogOnTheSameAnimal, secondCat, cat), CenterNetDecoder.NMS_IOU))
        .containsExactly(cat, secondCat);
  }

  @Test
  void nmsKeepsABoxOverlappingExactlyAtTheThreshold() {
    Peak big = new Peak(0, 0.9f, 0, 0, 10, 10);
    Peak strip = new Peak(0, 0.8f, 0, 0, 10, 4); // IoU 40 / 100

    assertThat(CenterNetDecoder.nms(List.of(big, strip), 0.4f)).containsExactly(big, strip);
    assertThat(CenterNetDecoder.nms(List.of(big, strip), 0.39f)).containsExactly(big);
  }

  @Test
  void iouOfBoxes() {
    Peak box = new Peak(0, 1, 0, 0, 10, 10);

    assertThat(box.iou(box)).isEqualTo(1f);
    assertThat(box.iou(new Peak(0, 1, 5, 0, 15, 10))).isEqualTo(50f / 150f);
    assertThat(box.iou(new Peak(0, 1, 10, 0, 20, 10))).as("touching edges").isZero();
    assertThat(box.iou(new Peak(0, 1, 5, 5, 5, 5))).as("empty box").isZero();
  }

  private void score(int row, int column, int classId, float score) {
    heat[(row * GRID_SIZE + column) * CLASS_COUNT + classId] = score;
  }

  private void distances(int row, int column, float left, float top, float right, float bottom) {
    int offset = (row * GRID_SIZE + column) * 4;
    wh[offset] = left;
    wh[offset + 1] = top;
    wh[offset + 2] = right;
    wh[offset + 3] = bottom;
  }
}
