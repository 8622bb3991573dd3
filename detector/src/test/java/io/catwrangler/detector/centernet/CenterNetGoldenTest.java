package io.catwrangler.detector.centernet;

import static io.catwrangler.detector.centernet.CenterNetModel.CLASS_COUNT;
import static io.catwrangler.detector.centernet.CenterNetModel.GRID_SIZE;
import static io.catwrangler.detector.centernet.CenterNetModel.INPUT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.centernet.CenterNetModel.RawOutput;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The converted model and the decoder against TensorFlow.js running the original TFJS model on the same input
 * ({@code testdata/centernet/golden/}, made by {@code testdata/centernet/tfjs_golden.js}). When the folder is
 * missing these tests fail rather than skip.
 */
class CenterNetGoldenTest {

  /** TFJS's own decode, as recorded in the golden detections, keeps peaks of at least this score. */
  private static final float GOLDEN_MIN_SCORE = 0.2f;

  private static CenterNetModel model;

  @BeforeAll
  static void loadModel() {
    model = CenterNetModel.load(2);
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  static Stream<String> goldenImages() throws IOException {
    Path folder = goldenFolder();
    assertThat(folder).as("golden data folder (testdata/centernet/golden)").isDirectory();
    try (Stream<Path> files = Files.list(folder)) {
      List<String> names = files.map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".letterbox512.png"))
          .map(name -> name.substring(0, name.indexOf('.')))
          .sorted()
          .toList();
      assertThat(names).as("golden images in %s", folder).isNotEmpty();
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenImages")
  void catHeatMapMatchesTensorFlowJs(String image) throws IOException {
    float[] heat = model.run(letterboxedPixels(image)).heat();
    float[] expected = floatsLittleEndian(goldenFolder().resolve(image + ".cat_heat128.f32"));

    assertThat(expected).hasSize(GRID_SIZE * GRID_SIZE);
    int worstCell = 0;
    float worstError = 0;
    for (int cell = 0; cell < expected.length; cell++) {
      float error = Math.abs(heat[cell * CLASS_COUNT + CocoLabels.CAT] - expected[cell]);
      // a NaN error must fail too, hence !(error <= worst) rather than error > worst
      if (!(error <= worstError)) {
        worstError = error;
        worstCell = cell;
      }
    }
    // the ONNX path has matched TFJS to about 1e-6 so far; 1e-4 leaves room for other CPUs' kernels
    assertThat(worstError)
        .as("largest |ONNX - TFJS| in %s's cat heat map, at row %d column %d", image, worstCell / GRID_SIZE,
            worstCell % GRID_SIZE)
        .isLessThanOrEqualTo(1e-4f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenImages")
  void peaksMatchTensorFlowJsDetections(String image) throws IOException {
    List<Peak> peaks = CenterNetDecoder.peaks(model.run(letterboxedPixels(image)), CenterNetDecoder.MAX_PEAKS,
        GOLDEN_MIN_SCORE);
    List<Peak> expected = goldenDetections(image);

    assertThat(peaks).as("peaks of %s", image).hasSameSizeAs(expected);
    SoftAssertions softly = new SoftAssertions();
    for (int i = 0; i < expected.size(); i++) {
      Peak actual = peaks.get(i);
      Peak golden = expected.get(i);
      String which = image + " detection " + i;
      softly.assertThat(actual.classId()).as(which + " class").isEqualTo(golden.classId());
      softly.assertThat(actual.score()).as(which + " score").isCloseTo(golden.score(), within(1e-3f));
      // the golden file rounds boxes to 0.01 px
      float[] box = {actual.x1(), actual.y1(), actual.x2(), actual.y2()};
      float[] goldenBox = {golden.x1(), golden.y1(), golden.x2(), golden.y2()};
      softly.assertThat(box).as(which + " box").containsExactly(goldenBox, within(0.05f));
    }
    softly.assertAll();
  }

  /** TFJS keeps every peak (chelsea: three cat boxes and two dog boxes on one cat); NMS reports the cat once. */
  @Test
  void nmsReportsOneAnimalOnce() throws IOException {
    List<Peak> peaks = CenterNetDecoder.peaks(model.run(letterboxedPixels("chelsea")), CenterNetDecoder.MAX_PEAKS,
        GOLDEN_MIN_SCORE);

    assertThat(peaks).hasSize(5);
    assertThat(CenterNetDecoder.nms(peaks, CenterNetDecoder.NMS_IOU))
        .singleElement()
        .satisfies(peak -> assertThat(CocoLabels.name(peak.classId())).isEqualTo("cat"));
  }

  @Test
  void concurrentRunsGiveTheSameOutputAsSequentialOnes() throws Exception {
    float[] chelsea = letterboxedPixels("chelsea");
    float[] dogs = letterboxedPixels("d2l_dog2");
    RawOutput chelseaAlone = model.run(chelsea);
    RawOutput dogsAlone = model.run(dogs);

    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<RawOutput> chelseaTogether = threads.submit(() -> model.run(chelsea));
      Future<RawOutput> dogsTogether = threads.submit(() -> model.run(dogs));
      // isEqualTo compares arrays element by element in one pass (containsExactly would diff 1.3 M elements)
      assertThat(chelseaTogether.get().heat()).isEqualTo(chelseaAlone.heat());
      assertThat(dogsTogether.get().wh()).isEqualTo(dogsAlone.wh());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theBorrowingRunSeesTheSameOutputAndRunGivesCopiesTheNextInferenceCannotOverwrite() throws IOException {
    float[] chelsea = letterboxedPixels("chelsea");
    float[] dogs = letterboxedPixels("d2l_dog2");
    RawOutput kept = model.run(chelsea);
    float keptCatMax = CenterNetDecoder.classMax(kept.heat(), 15);
    // the borrowing form on the same thread reuses the pinned buffers: the dogs' output replaces the cat's there
    float dogsCatMax = model.run(dogs, borrowed -> CenterNetDecoder.classMax(borrowed.heat(), 15));
    float chelseaAgain = model.run(chelsea, borrowed -> {
      assertThat(borrowed.heat()).isEqualTo(kept.heat());
      assertThat(borrowed.wh()).isEqualTo(kept.wh());
      return CenterNetDecoder.classMax(borrowed.heat(), 15);
    });
    assertThat(chelseaAgain).isEqualTo(keptCatMax);
    assertThat(dogsCatMax).as("a different image gave a different cat score").isNotEqualTo(keptCatMax);
    // the copy handed out by run(float[]) was not touched by the inferences after it
    assertThat(CenterNetDecoder.classMax(kept.heat(), 15)).isEqualTo(keptCatMax);
  }

  @Test
  void describesItselfAndItsOutputShapes() throws IOException {
    RawOutput output = model.run(letterboxedPixels("d2l_cat1"));

    assertThat(output.heat()).hasSize(128 * 128 * 80);
    assertThat(output.wh()).hasSize(128 * 128 * 4);
    assertThat(CenterNetModel.MODEL_INFO.name()).isEqualTo("centernet-mobilenetv3-coco");
    assertThat(CenterNetModel.MODEL_INFO.version()).isEqualTo("human-3.3.6");
    assertThat(model.loadTimings().read()).isPositive();
    assertThat(model.loadTimings().sessionCreation()).isPositive();
  }

  @Test
  void rejectsInputOfTheWrongSize() {
    assertThatThrownBy(() -> model.run(new float[INPUT_SIZE * INPUT_SIZE]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** testdata/centernet/golden in the repository (see its README: cases, photos, how they were made). */
  private static Path goldenFolder() {
    return TestData.centerNetGolden();
  }

  /** The golden network input: 512×512 RGB, fed as floats 0–255, NHWC, without any further resizing. */
  private static float[] letterboxedPixels(String image) throws IOException {
    BufferedImage png = ImageIO.read(goldenFolder().resolve(image + ".letterbox512.png").toFile());
    assertThat(png.getWidth()).isEqualTo(INPUT_SIZE);
    assertThat(png.getHeight()).isEqualTo(INPUT_SIZE);
    int[] argb = png.getRGB(0, 0, INPUT_SIZE, INPUT_SIZE, null, 0, INPUT_SIZE);
    float[] nhwc = new float[argb.length * 3];
    for (int i = 0; i < argb.length; i++) {
      nhwc[3 * i] = (argb[i] >> 16) & 0xFF;
      nhwc[3 * i + 1] = (argb[i] >> 8) & 0xFF;
      nhwc[3 * i + 2] = argb[i] & 0xFF;
    }
    return nhwc;
  }

  private static float[] floatsLittleEndian(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] floats = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(floats);
    return floats;
  }

  /** Lines "class score x1 y1 x2 y2" after a '#' header. */
  private static List<Peak> goldenDetections(String image) throws IOException {
    return Files.readAllLines(goldenFolder().resolve(image + ".detections.txt")).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> {
          String[] fields = line.trim().split("\\s+");
          return new Peak(Integer.parseInt(fields[0]), Float.parseFloat(fields[1]), Float.parseFloat(fields[2]),
              Float.parseFloat(fields[3]), Float.parseFloat(fields[4]), Float.parseFloat(fields[5]));
        })
        .toList();
  }
}
