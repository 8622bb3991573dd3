package io.catwrangler.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.TopLabel;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.imagenet.ImageNetLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The product's detector on real photos (testdata/mobilenet/golden), with and without CenterNet's boxes. */
class ImageNetCatDetectorTest {
  private static ImageNetCatDetector withBoxes;
  private static ImageNetCatDetector alone;

  @BeforeAll
  static void load() {
    withBoxes = ImageNetCatDetector.load(DetectorConfig.defaults().withThreads(1).withBoxes(Boxes.ALWAYS));
    alone = ImageNetCatDetector.load(DetectorConfig.defaults().withThreads(1).withBoxes(Boxes.NEVER));
  }

  @AfterAll
  static void close() {
    withBoxes.close();
    alone.close();
  }

  /** A golden case's photo, e.g. {@code cat-chelsea} (testdata/mobilenet/golden/manifest.csv). */
  static byte[] photo(String name) throws IOException {
    return Files.readAllBytes(TestData.classifierGolden().get(name));
  }

  @Test
  void catsAreCatsAndTheOthersAreNotAtTheCalibratedThreshold() throws Exception {
    for (String cat : List.of("cat-chelsea", "cat-d2l", "cat-coco-599")) {
      CatVerdict v = alone.detect(photo(cat));
      assertThat(v.isCat()).as(cat).isTrue();
      assertThat(v.catScore()).as(cat).isGreaterThan(0.9);
    }
    for (String other : List.of("dog-d2l", "raccoon-scipy", "coffee-skimage")) {
      CatVerdict v = alone.detect(photo(other));
      assertThat(v.isCat()).as(other).isFalse();
      assertThat(v.catScore()).as(other).isLessThan(0.5);
    }
  }

  @Test
  void theAnswerIsTheClassifiersWithOrWithoutBoxes() throws Exception {
    CatVerdict a = alone.detect(photo("cat-d2l"));
    CatVerdict b = withBoxes.detect(photo("cat-d2l"));
    assertThat(b.catScore()).isEqualTo(a.catScore());
    assertThat(b.model()).isEqualTo(a.model());
    assertThat(a.model().name()).isEqualTo("mobilenet-v2-imagenet");
    assertThat(a.model().version()).isEqualTo("coral-tf1-quant/cascade-v1");
    assertThat(a.threshold()).isEqualTo(0.5);

    // a sure cat: the classifier alone decides, CenterNet does not run without --boxes always
    assertThat(a.detections()).isEmpty();
    assertThat(a.raw()).containsOnlyKeys("classifier", "cascade");
    assertThat(a.timings().millis()).containsOnlyKeys("decode", "preprocess", "inference", "postprocess");

    assertThat(b.detections()).anySatisfy(d -> assertThat(d.label()).isEqualTo("cat"));
    assertThat(b.raw()).containsOnlyKeys("classifier", "detector", "cascade");
    assertThat(b.timings().millis()).containsKeys("boxes_preprocess", "boxes_inference", "boxes_postprocess");
    @SuppressWarnings("unchecked")
    Map<String, Object> detector = (Map<String, Object>) b.raw().get("detector");
    assertThat(detector.get("model")).isEqualTo("centernet-mobilenetv3-coco@human-3.3.6");
    assertThat(CenterNetCatDetector.classMaxByView(detector)).containsOnlyKeys("whole");
  }

  @Test
  void theRawOutputKeepsTheTopLabelsAndTheCatMassSoTheScoreCanBeRecomputed() throws Exception {
    CatVerdict v = alone.detect(photo("cat-chelsea"));
    List<TopLabel> top = TopLabel.of(v.raw());
    assertThat(top).hasSize(5);
    assertThat(top.get(0).classIndex()).isEqualTo(286);
    assertThat(top.get(0).label()).isEqualTo(ImageNetLabels.name(286)).isEqualTo("Egyptian cat");
    assertThat(top).isSortedAccordingTo((x, y) -> Double.compare(y.probability(), x.probability()));
    double mass = ImageNetCatDetector.catMass(v.raw());
    assertThat(mass).isBetween(0.9, 1.0);
    double again = alone.calibration().probability(ImageNetCatDetector.features(mass));
    assertThat(again).isCloseTo(v.catScore(), org.assertj.core.data.Offset.offset(1e-6));
    assertThatThrownBy(() -> ImageNetCatDetector.catMass(Map.of("class_max", List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCalibrationMakesHalfMeanMoreLikelyACatThanNot() {
    // a cat mass near the boundary fitted on shared/train: about 0.5 %
    double low = alone.calibration().probability(ImageNetCatDetector.features(0.0005));
    double high = alone.calibration().probability(ImageNetCatDetector.features(0.05));
    assertThat(low).isLessThan(0.5);
    assertThat(high).isGreaterThan(0.5);
    assertThat(alone.calibration().probability(ImageNetCatDetector.features(0.9))).isGreaterThan(0.99);
  }

  @Test
  void outsideTheUnsureBandTheScoreIsTheClassifiersOwn() throws Exception {
    // the 48 test photos: the classifier is sure of each of them (measured), so CenterNet never runs here
    assertCascade(alone, ImageNetCatDetector.UNSURE_FROM, ImageNetCatDetector.UNSURE_TO);
  }

  @Test
  void insideTheUnsureBandCenterNetsScoresDecideWithTheCatMass() throws Exception {
    // every score "unsure": the second calibration decides every photo, from the stored inputs exactly
    try (ImageNetCatDetector everything = ImageNetCatDetector.load(
        DetectorConfig.defaults().withThreads(1).withBoxes(Boxes.NEVER), 0.0, 1.1)) {
      int unsure = assertCascade(everything, 0.0, 1.1);
      assertThat(unsure).isEqualTo(TestData.allPhotos().size());
    }
  }

  /** Checks every test photo's answer against the rule; returns how many the second calibration decided. */
  private static int assertCascade(ImageNetCatDetector detector, double from, double to) throws Exception {
    int unsure = 0;
    for (Path photo : TestData.allPhotos()) {
      CatVerdict v = detector.detect(Files.readAllBytes(photo));
      @SuppressWarnings("unchecked")
      Map<String, Object> classifier = (Map<String, Object>) v.raw().get("classifier");
      @SuppressWarnings("unchecked")
      Map<String, Object> cascade = (Map<String, Object>) v.raw().get("cascade");
      double own = ((Number) classifier.get("cat_score")).doubleValue();
      double mass = ImageNetCatDetector.catMass(v.raw());
      assertThat(own).as("%s", photo).isCloseTo(
          detector.calibration().probability(ImageNetCatDetector.features(mass)),
          org.assertj.core.data.Offset.offset(1e-6));
      boolean inBand = own >= from && own < to;
      assertThat(cascade.get("used")).as("%s", photo).isEqualTo(inBand);
      if (inBand) {
        unsure++;
        @SuppressWarnings("unchecked")
        Map<String, Object> centerNet = (Map<String, Object>) v.raw().get("detector");
        assertThat(centerNet).as("CenterNet ran for %s", photo).isNotNull();
        Map<String, float[]> scores = new java.util.HashMap<>(ImageNetCatDetector.features(mass));
        scores.putAll(CenterNetCatDetector.classMaxByView(centerNet));
        assertThat(v.catScore()).isCloseTo(detector.cascade().probability(scores),
            org.assertj.core.data.Offset.offset(1e-6));
        assertThat(v.timings().millis()).containsKey("boxes_inference");
      } else {
        assertThat(v.raw()).doesNotContainKey("detector");
        assertThat(v.catScore()).isEqualTo(own);
      }
    }
    return unsure;
  }

  @Test
  void badBytesAreRejectedBeforeAnyModelRuns() {
    assertThatThrownBy(() -> alone.detect("not an image".getBytes()))
        .isInstanceOf(ImageRejectedException.class);
  }

  @Test
  void topIndicesAreTheLargestFirst() {
    assertThat(ImageNetCatDetector.topIndices(new float[] {0.1f, 0.5f, 0.2f, 0.9f, 0.0f}, 3))
        .containsExactly(3, 1, 2);
  }
}
