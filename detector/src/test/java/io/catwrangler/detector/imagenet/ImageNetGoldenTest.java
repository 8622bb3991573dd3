package io.catwrangler.detector.imagenet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The converted classifier against TFLite's own kernels: for each photo in {@code testdata/mobilenet/golden/}, ONNX
 * Runtime on the build's ONNX file and TFLite's WebAssembly interpreter on the original .tflite (fixtures made by
 * {@code detector/golden/tflite_golden.js}) see the same input bytes and must agree on the five most likely classes
 * and their probabilities. TFLite's output is uint8 in steps of 1/256; ours is the float softmax over the same
 * 8-bit logits. Measured on these six photos (decision 0016): largest difference on any of the 1001 classes 0.0217,
 * on the top five 0.0217. The tolerance, {@value #TOLERANCE}, leaves room for one more output step.
 */
class ImageNetGoldenTest {
  static final double TOLERANCE = 0.03;

  private static ImageNetModel model;

  @BeforeAll
  static void load() {
    model = ImageNetModel.load(1);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static List<ClassifierFixtures.Golden> cases() {
    List<ClassifierFixtures.Golden> cases = ClassifierFixtures.cases();
    assertThat(cases).as("golden cases").hasSizeGreaterThanOrEqualTo(4);
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void preprocessingGivesTheStoredInputByteForByte(ClassifierFixtures.Golden golden) throws IOException {
    assertThat(ClassifierFixtures.classifierInput(golden.photo())).isEqualTo(ClassifierFixtures.readInput(golden));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void agreesWithTfliteOnTheTopFiveClassesAndTheirProbabilities(ClassifierFixtures.Golden golden)
      throws IOException {
    float[] ours = model.classify(floats(ClassifierFixtures.readInput(golden)));
    double[] theirs = golden(golden);

    int[] ourTop = top(ours, 5);
    int[] theirTop = top(theirs, 5);
    // a class in either top five is within tolerance in the other, so a swap can only be between near-equals
    for (int c : concat(ourTop, theirTop)) {
      assertThat((double) ours[c]).as("class %d (%s)", c, ImageNetLabels.name(c))
          .isCloseTo(theirs[c], org.assertj.core.data.Offset.offset(TOLERANCE));
    }
    // the most likely class is the same unless TFLite itself cannot tell the two apart
    assertThat(ourTop[0] == theirTop[0] || Math.abs(theirs[ourTop[0]] - theirs[theirTop[0]]) <= 1 / 256.0)
        .as("top class: ours %d, TFLite %d", ourTop[0], theirTop[0]).isTrue();
    double worst = IntStream.range(0, ours.length).mapToDouble(c -> Math.abs(ours[c] - theirs[c])).max().orElse(0);
    assertThat(worst).as("largest difference over all 1001 classes").isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void theGoldenCatsAreCatsForBoth() throws IOException {
    for (ClassifierFixtures.Golden golden : cases()) {
      double ours = catMass(model.classify(floats(ClassifierFixtures.readInput(golden))));
      double theirs = ImageNetLabels.DOMESTIC_CAT.stream().mapToDouble(c -> goldenUnchecked(golden)[c]).sum();
      boolean cat = golden.name().startsWith("cat-");
      assertThat(ours > 0.5).as("%s ours %.4f", golden, ours).isEqualTo(cat);
      assertThat(theirs > 0.5).as("%s TFLite %.4f", golden, theirs).isEqualTo(cat);
    }
  }

  private static double catMass(float[] p) {
    return ImageNetLabels.DOMESTIC_CAT.stream().mapToDouble(c -> p[c]).sum();
  }

  private static double[] goldenUnchecked(ClassifierFixtures.Golden golden) {
    try {
      return golden(golden);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static double[] golden(ClassifierFixtures.Golden golden) throws IOException {
    JsonNode json = new ObjectMapper().readTree(Files.readString(ClassifierFixtures.goldenFile(golden)));
    JsonNode q = json.get("quantized");
    assertThat(q.size()).isEqualTo(ImageNetModel.CLASS_COUNT);
    double scale = json.get("output_scale").asDouble();
    int zero = json.get("output_zero_point").asInt();
    double[] p = new double[q.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = (q.get(i).asInt() - zero) * scale;
    }
    return p;
  }

  static float[] floats(byte[] bytes) {
    float[] out = new float[bytes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes[i] & 0xff;
    }
    return out;
  }

  private static int[] top(float[] p, int k) {
    double[] d = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i];
    }
    return top(d, k);
  }

  private static int[] top(double[] p, int k) {
    return IntStream.range(0, p.length).boxed().sorted((a, b) -> Double.compare(p[b], p[a])).limit(k)
        .mapToInt(Integer::intValue).toArray();
  }

  private static int[] concat(int[] a, int[] b) {
    return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().toArray();
  }
}
