package io.catwrangler.bench;

import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.detector.Boxes;
import io.catwrangler.detector.CenterNetCatDetector;
import io.catwrangler.detector.DetectorConfig;
import io.catwrangler.detector.DetectorVariant;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.local.cli.DetectorOptions;
import io.catwrangler.local.cli.ProcessMemory;
import io.catwrangler.local.eval.LabelledFolder;
import io.catwrangler.local.eval.LabelledImage;
import io.catwrangler.local.eval.Percentiles;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench/run bench DIR}: the detectors' speed per stage, measured after a warm-up, on the photos of a
 * labelled folder and on a 12-megapixel JPEG made from one of them, in one run: the classifier alone (boxes never),
 * the default (classifier and CenterNet's boxes), and CenterNet alone as it answered before the classifier
 * (head-v1), so the ratio between them is measured on the same machine at the same time. Prints Markdown tables for
 * docs/benchmarks.md.
 */
@Command(name = "bench", description = "Benchmark the detectors per stage: classifier alone, classifier + boxes, "
    + "CenterNet head-v1.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "Folder with cat/ and not_cat/ subfolders (e.g. testdata/photos).")
  Path dir;

  @Option(names = "--rounds", description = "Measured passes over the folder (default: ${DEFAULT-VALUE}).")
  int rounds = 3;

  @Option(names = "--warmup", description = "Images classified before measuring (default: ${DEFAULT-VALUE}).")
  int warmup = 30;

  @Option(names = "--large-repeats", description = "Runs on the 12 MP JPEG (default: ${DEFAULT-VALUE}).")
  int largeRepeats = 20;

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, ImageRejectedException {
    PrintWriter out = spec.commandLine().getOut();
    List<byte[]> photos = new ArrayList<>();
    for (LabelledImage image : LabelledFolder.read(dir)) {
      photos.add(Files.readAllBytes(image.path()));
    }
    byte[] large = twelveMegapixelJpeg(photos.get(0));
    DetectorConfig base = detectorOptions.config();
    out.printf("threads per inference: %d; JVM: %s %s; cores: %d%n", base.intraOpThreads(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    Map<String, Double> totals = new LinkedHashMap<>();
    Map<String, Supplier<CatDetector>> detectors = new LinkedHashMap<>();
    detectors.put("classifier (boxes never)", () -> ImageNetCatDetector.load(base.withBoxes(Boxes.NEVER)));
    detectors.put("classifier + boxes (boxes always)", () -> ImageNetCatDetector.load(base.withBoxes(Boxes.ALWAYS)));
    detectors.put("CenterNet head-v1 (before)", () -> CenterNetCatDetector.load(base.withVariant(DetectorVariant.HEAD)));
    for (Map.Entry<String, Supplier<CatDetector>> entry : detectors.entrySet()) {
      String name = entry.getKey();
      long loadStart = System.nanoTime();
      try (CatDetector detector = entry.getValue().get()) {
        double loadMs = (System.nanoTime() - loadStart) / 1e6;
        for (int i = 0; i < warmup; i++) {
          detector.detect(photos.get(i % photos.size()));
        }
        Map<String, List<Double>> dev = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
          for (byte[] photo : photos) {
            record(dev, detector.detect(photo));
          }
        }
        double devSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, List<Double>> big = new LinkedHashMap<>();
        for (int i = 0; i < largeRepeats; i++) {
          record(big, detector.detect(large));
        }
        out.printf("%n### %s: %s %s, load %.0f ms%n", name, detector.model().name(), detector.model().version(),
            loadMs);
        out.printf("%n| images | stage | p50 ms | p95 ms |%n|---|---|---:|---:|%n");
        table(out, dir.getFileName() + " (" + photos.size() + " × " + rounds + ")", dev);
        table(out, "12 MP JPEG 4000×3000 (× " + largeRepeats + ")", big);
        out.printf("%nthroughput on %s: %.1f images/s (one at a time); peak RSS so far %d MB%n", dir.getFileName(),
            photos.size() * rounds / devSeconds, ProcessMemory.peakRssMegabytes());
        totals.put(name, Percentiles.of(dev.get("total").stream().mapToDouble(Double::doubleValue).toArray(), 50));
      }
    }
    List<Double> p50 = new ArrayList<>(totals.values());
    out.printf("%nwhole detect p50 on %s: classifier %.1f ms, classifier + boxes %.1f ms, CenterNet head-v1 %.1f ms;"
        + " classifier + boxes / head-v1 = %.2f×%n", dir.getFileName(), p50.get(0), p50.get(1), p50.get(2),
        p50.get(1) / p50.get(2));
    out.flush();
    return 0;
  }

  private static void record(Map<String, List<Double>> into, CatVerdict v) {
    v.timings().millis().forEach((stage, ms) -> into.computeIfAbsent(stage, k -> new ArrayList<>()).add(ms));
    into.computeIfAbsent("decode + preprocess", k -> new ArrayList<>())
        .add(v.timings().of("decode") + v.timings().of("preprocess"));
    into.computeIfAbsent("total", k -> new ArrayList<>()).add(v.timings().total());
  }

  private static void table(PrintWriter out, String label, Map<String, List<Double>> stages) {
    stages.forEach((stage, ms) -> {
      double[] values = ms.stream().mapToDouble(Double::doubleValue).toArray();
      out.printf("| %s | %s | %.1f | %.1f |%n", label, stage, Percentiles.of(values, 50), Percentiles.of(values, 95));
    });
  }

  /** A photo-like 4000×3000 JPEG (quality 0.9): a real photo scaled up, with sensor-like noise so it compresses like one. */
  static byte[] twelveMegapixelJpeg(byte[] photo) throws IOException {
    BufferedImage src = ImageIO.read(new ByteArrayInputStream(photo));
    BufferedImage big = new BufferedImage(4000, 3000, BufferedImage.TYPE_3BYTE_BGR);
    var g = big.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(src, 0, 0, 4000, 3000, null);
    g.dispose();
    byte[] px = ((java.awt.image.DataBufferByte) big.getRaster().getDataBuffer()).getData();
    Random noise = new Random(42);
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xff) + noise.nextInt(9) - 4));
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(big, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
