package io.catwrangler.detector.imagenet;

import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.testdata.TestData;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.ImageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The classifier's golden fixtures in {@code testdata/mobilenet/golden/}: for each photo its manifest names (a photo
 * of {@code testdata/photos}), the classifier input (what {@link ClassifierInput} draws from it, 224 × 224 × 3 bytes,
 * gzipped: {@code NAME.input.rgb.gz}) and TFLite's own output for that input ({@code NAME.tflite.json}, written by
 * {@code detector/golden/tflite_golden.js}). Run as a program to write the inputs again:
 * {@code ClassifierFixtures TESTDATA_DIR}.
 */
final class ClassifierFixtures {
  static final String INPUT_SUFFIX = ".input.rgb.gz";
  static final String GOLDEN_SUFFIX = ".tflite.json";

  private ClassifierFixtures() {}

  /** One golden case: its name and its photo. */
  record Golden(String name, Path photo) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Path folder() {
    return TestData.dir().resolve("mobilenet/golden");
  }

  /** The golden cases, in the manifest's order. */
  static List<Golden> cases() {
    return TestData.classifierGolden().entrySet().stream().map(e -> new Golden(e.getKey(), e.getValue())).toList();
  }

  /** What the detector feeds the classifier for this photo, as bytes 0–255. */
  static byte[] classifierInput(Path photo) throws IOException {
    byte[] bytes = Files.readAllBytes(photo);
    try {
      DecodedImage image = new ImageDecoder(io.catwrangler.detector.centernet.CenterNetModel.INPUT_SIZE)
          .decode(bytes, new ImageInspector(ImageLimits.DEFAULT).inspect(bytes));
      float[] input = ClassifierInput.render(image, ImageNetCatDetector.CROP, ImageNetModel.INPUT_SIZE);
      byte[] out = new byte[input.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) (int) input[i];
      }
      return out;
    } catch (io.catwrangler.core.image.ImageRejectedException e) {
      throw new IOException(e);
    }
  }

  static byte[] readInput(Golden golden) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(inputFile(golden)))) {
      return in.readAllBytes();
    }
  }

  static Path inputFile(Golden golden) {
    return folder().resolve(golden.name() + INPUT_SUFFIX);
  }

  static Path goldenFile(Golden golden) {
    return folder().resolve(golden.name() + GOLDEN_SUFFIX);
  }

  public static void main(String[] args) throws IOException {
    if (args.length > 0) {
      System.setProperty(TestData.PROPERTY, args[0]);
    }
    for (Golden golden : cases()) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(inputFile(golden)))) {
        out.write(classifierInput(golden.photo()));
      }
      System.out.println("wrote " + inputFile(golden));
    }
  }
}
