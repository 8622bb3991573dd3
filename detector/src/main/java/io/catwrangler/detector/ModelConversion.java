package io.catwrangler.detector;

import io.catwrangler.detector.centernet.CenterNetModel;
import io.catwrangler.detector.centernet.TfjsGraphModel;
import io.catwrangler.detector.centernet.TfjsToOnnx;
import io.catwrangler.detector.imagenet.ImageNetModel;
import io.catwrangler.detector.tflite.TfliteToOnnx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build's model step (detector/pom.xml, phase process-classes): converts CenterNet's TFJS files and the MobileNetV2
 * TFLite file into the ONNX files the jar carries, so no process converts anything when it starts. Each input is
 * checked against its SHA-256 first, and each output against the SHA-256 committed for it: the conversion is
 * deterministic, so a different output means the converter (or a dependency) changed what the model computes, and
 * the build stops until someone looks at why and updates {@code detector/models/converted.sha256}.
 *
 * <p>Arguments: {@code TFJS_DIR TFLITE_FILE LABELS_FILE OUTPUT_DIR SHA256_DIR}. {@code SHA256_DIR} holds
 * {@code sources.sha256} (the inputs, by file name) and {@code converted.sha256} (the outputs).
 */
public final class ModelConversion {

  private ModelConversion() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: ModelConversion TFJS_DIR TFLITE_FILE LABELS_FILE OUTPUT_DIR SHA256_DIR");
    }
    Path tfjs = Path.of(args[0]);
    Path tflite = Path.of(args[1]);
    Path labels = Path.of(args[2]);
    Path out = Path.of(args[3]);
    Path sums = Path.of(args[4]);
    Map<String, String> sourceSums = readSums(sums.resolve("sources.sha256"));
    verify(tflite, sourceSums);
    verify(labels, sourceSums);

    Files.createDirectories(out);
    long start = System.nanoTime();
    Map<String, byte[]> outputs = new LinkedHashMap<>();
    TfjsGraphModel graph;
    try (InputStream json = Files.newInputStream(tfjs.resolve("centernet.json"))) {
      graph = TfjsGraphModel.read(json, file -> Files.newInputStream(tfjs.resolve(file)));
    }
    outputs.put(CenterNetModel.ONNX_FILE, TfjsToOnnx.convert(graph,
        List.of(CenterNetModel.HEAT_OUTPUT, CenterNetModel.BOX_OUTPUT)));
    outputs.put(ImageNetModel.ONNX_FILE, TfliteToOnnx.convert(Files.readAllBytes(tflite), ImageNetModel.CONVERSION));
    outputs.put(ImageNetModel.LABELS_FILE, Files.readAllBytes(labels));

    Map<String, String> expected = readSums(sums.resolve("converted.sha256"));
    StringBuilder mismatches = new StringBuilder();
    for (Map.Entry<String, byte[]> output : outputs.entrySet()) {
      String actual = sha256(output.getValue());
      if (!actual.equals(expected.get(output.getKey()))) {
        mismatches.append("\n  ").append(actual).append("  ").append(output.getKey());
      }
      Files.write(out.resolve(output.getKey()), output.getValue());
    }
    if (!mismatches.isEmpty()) {
      throw new IllegalStateException("converted models differ from " + sums.resolve("converted.sha256")
          + " (the conversion changed what a model computes: check why, then commit the new sums):" + mismatches);
    }
    System.out.printf("models: %s converted and verified (sha256) in %.1f s -> %s%n", String.join(", ",
        outputs.keySet()), (System.nanoTime() - start) / 1e9, out);
  }

  private static void verify(Path file, Map<String, String> sums) throws IOException {
    String name = file.getFileName().toString();
    String actual = sha256(Files.readAllBytes(file));
    if (!actual.equals(sums.get(name))) {
      throw new IllegalStateException(file + " has sha256 " + actual + ", not the committed " + sums.get(name)
          + ": the model file changed; do not use it");
    }
  }

  /** {@code sha256sum} format: hex digest, two spaces, file name. */
  private static Map<String, String> readSums(Path file) throws IOException {
    Map<String, String> sums = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        String[] parts = trimmed.split("\\s+\\*?", 2);
        sums.put(parts[1], parts[0]);
      }
    }
    return sums;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
