package io.catwrangler.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.InvalidImageException;
import io.catwrangler.core.image.UnsupportedFormatException;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.image.Images;
import io.catwrangler.events.DetectedObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CenterNetCatDetectorTest {
  private static CenterNetCatDetector detector;

  @BeforeAll
  static void load() {
    detector = CenterNetCatDetector.load(DetectorConfig.defaults());
  }

  @AfterAll
  static void close() {
    detector.close();
  }

  static byte[] dev(String name) throws Exception {
    return TestData.read(name);
  }

  @Test
  void findsTheCatInACatPhotoWithABoxInsideTheImage() throws Exception {
    CatVerdict v = detector.detect(dev("cat/d0061.jpg"));
    assertThat(v.isCat()).isTrue();
    assertThat(v.catScore()).isGreaterThan(DetectorConfig.DEFAULT_THRESHOLD);
    assertThat(v.width()).isEqualTo(500);
    assertThat(v.height()).isEqualTo(400);
    DetectedObject cat = v.detections().stream().filter(d -> d.label().equals("cat")).findFirst().orElseThrow();
    assertThat(cat.score()).as("the CenterNet cat detection itself").isGreaterThan(0.2);
    assertThat(cat.box().x1()).isBetween(0.0, 500.0);
    assertThat(cat.box().x2()).isBetween(cat.box().x1(), 500.0);
    assertThat(cat.box().y2()).isBetween(cat.box().y1(), 400.0);
    assertThat(cat.box().width() * cat.box().height()).as("the cat fills much of this photo").isGreaterThan(500 * 400 * 0.3);
    assertThat(v.model().name()).isEqualTo("centernet-mobilenetv3-coco");
    assertThat(v.model().version()).isEqualTo("human-3.3.6/head-v1");
    assertThat(v.timings().millis()).containsOnlyKeys("decode", "preprocess", "inference", "postprocess");
    assertThat(v.timings().millis().values()).allMatch(ms -> ms >= 0);
  }

  @Test
  void saysNoForADog() throws Exception {
    CatVerdict v = detector.detect(dev("not_cat/d0024.jpg"));
    assertThat(v.isCat()).isFalse();
    assertThat(v.detections()).extracting(DetectedObject::label).contains("dog");
  }

  @Test
  void keepsTheRawOutputNeededToReDecide() throws Exception {
    CatVerdict v = detector.detect(dev("cat/d0061.jpg"));
    @SuppressWarnings("unchecked")
    List<Double> classMax = (List<Double>) v.raw().get("class_max");
    assertThat(classMax).hasSize(80);
    double bestCatDetection = v.detections().stream().filter(d -> d.label().equals("cat"))
        .mapToDouble(DetectedObject::score).max().orElseThrow();
    assertThat(classMax.get(15)).as("the cat heat-map maximum is the best cat peak").isCloseTo(bestCatDetection, within(1e-4));
    assertThat(v.raw()).containsKeys("peaks", "letterbox", "views");
    assertThat(v.raw().get("variant")).isEqualTo("head-v1");
    // the raw output is enough to score the answer again, exactly
    assertThat(DetectorVariant.HEAD.rule().score(CenterNetCatDetector.classMaxByView(v.raw()))).isEqualTo(v.catScore());
  }

  @Test
  void theBareVariantAnswersWithTheHighestCatScore() throws Exception {
    try (CenterNetCatDetector bare = detector.sharingModel(DetectorConfig.defaults().withVariant(DetectorVariant.BARE))) {
      CatVerdict v = bare.detect(dev("cat/d0061.jpg"));
      @SuppressWarnings("unchecked")
      List<Double> classMax = (List<Double>) v.raw().get("class_max");
      assertThat(v.catScore()).isCloseTo(classMax.get(15), within(1e-6));
      assertThat(v.threshold()).isEqualTo(DetectorVariant.BARE.defaultThreshold());
      assertThat(v.model().version()).isEqualTo("human-3.3.6/bare-v1");
      assertThat(v.raw().get("views")).isEqualTo(Map.of());
      assertThat(v.timings().millis()).containsOnlyKeys("decode", "preprocess", "inference", "postprocess");
    }
    // closing a detector that shares the session leaves the session to its owner
    assertThat(detector.detect(dev("cat/d0061.jpg")).isCat()).isTrue();
  }

  @Test
  void appliesExifOrientationBeforeDetecting() throws Exception {
    byte[] upright = dev("cat/d0061.jpg");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(upright));
    // store the photo turned a quarter anticlockwise and tag it "rotate 90° clockwise to display" (EXIF 6)
    BufferedImage stored = new BufferedImage(img.getHeight(), img.getWidth(), BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        stored.setRGB(y, img.getWidth() - 1 - x, img.getRGB(x, y));
      }
    }
    byte[] tagged = Images.withExifOrientation(jpeg(stored), 6);
    CatVerdict v = detector.detect(tagged);
    CatVerdict reference = detector.detect(upright);
    assertThat(v.width()).isEqualTo(500);
    assertThat(v.height()).isEqualTo(400);
    assertThat(v.catScore()).isCloseTo(reference.catScore(), within(0.05));
    assertThat(v.isCat()).isTrue();
  }

  @Test
  void mapsBoxesOfALargePhotoToItsFullSize() throws Exception {
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(dev("cat/d0061.jpg")));
    BufferedImage large = new BufferedImage(4000, 3200, BufferedImage.TYPE_3BYTE_BGR);
    var g = large.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, 4000, 3200, null);
    g.dispose();
    CatVerdict big = detector.detect(jpeg(large));
    CatVerdict reference = detector.detect(dev("cat/d0061.jpg"));
    assertThat(big.width()).isEqualTo(4000);
    assertThat(big.isCat()).isTrue();
    DetectedObject bigCat = big.detections().get(0);
    DetectedObject smallCat = reference.detections().get(0);
    assertThat(bigCat.label()).isEqualTo("cat");
    assertThat(bigCat.box().x2() / 8).isCloseTo(smallCat.box().x2(), within(15.0));
    assertThat(bigCat.box().y2() / 8).isCloseTo(smallCat.box().y2(), within(15.0));
  }

  @Test
  void refusesWhatIsNotAnAcceptedImage() throws Exception {
    byte[] webp = {'R', 'I', 'F', 'F', 30, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' ', 0, 0, 0, 0};
    assertThatThrownBy(() -> detector.detect(webp))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("WebP");
    byte[] photo = dev("cat/d0061.jpg");
    byte[] truncated = Arrays.copyOf(photo, photo.length / 2);
    assertThatThrownBy(() -> detector.detect(truncated)).isInstanceOf(InvalidImageException.class);
  }

  @Test
  void givesTheSameAnswerFromManyThreads() throws Exception {
    byte[] photo = dev("cat/d0061.jpg");
    double expected = detector.detect(photo).catScore();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<CatVerdict>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        results.add(pool.submit(() -> detector.detect(photo)));
      }
      for (Future<CatVerdict> r : results) {
        assertThat(r.get().catScore()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static byte[] jpeg(BufferedImage img) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }
}
