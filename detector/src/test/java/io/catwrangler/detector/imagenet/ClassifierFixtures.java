package io.catwrangler.detector.imagenet;

import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.ImageDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The classifier's golden fixtures in {@code testdata/mobilenet/golden/}: each photo's classifier input (what
 * {@link ClassifierInput} draws from it, 224 × 224 × 3 bytes, gzipped: {@code NAME.input.rgb.gz}) and TFLite's own
 * output for that input ({@code NAME.tflite.json}, written by {@code detector/golden/tflite_golden.js}). Run as a
 * program to write the inputs again: {@code ClassifierFixtures FOLDER}.
 */
final class ClassifierFixtures {
  static final String INPUT_SUFFIX = ".input.rgb.gz";
  static final String GOLDEN_SUFFIX = ".tflite.json";

  private ClassifierFixtures() {}

  static Path folder() {
    return Path.of(System.getProperty("catwrangler.testdata", "../testdata")).resolve("mobilenet/golden");
  }

  /** The photos, by file name, sorted. */
  static List<Path> photos(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.toString().matches(".*\\.(jpg|png)$")).sorted().toList();
    }
  }

  static String name(Path photo) {
    String file = photo.getFileName().toString();
    return file.substring(0, file.lastIndexOf('.'));
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

  static byte[] readInput(Path photo) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(inputFile(photo)))) {
      return in.readAllBytes();
    }
  }

  static Path inputFile(Path photo) {
    return photo.resolveSibling(name(photo) + INPUT_SUFFIX);
  }

  static Path goldenFile(Path photo) {
    return photo.resolveSibling(name(photo) + GOLDEN_SUFFIX);
  }

  public static void main(String[] args) throws IOException {
    Path folder = args.length > 0 ? Path.of(args[0]) : folder();
    for (Path photo : photos(folder)) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(inputFile(photo)))) {
        out.write(classifierInput(photo));
      }
      System.out.println("wrote " + inputFile(photo));
    }
  }
}
