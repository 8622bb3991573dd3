package io.catwrangler.local.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.TopLabel;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.detector.ImageNetCatDetector;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code catwrangler detect FILE…}: the answer and the detections for each file, straight from the detector. */
@Command(name = "detect", description = "Run the detector on image files and print the answer and detections.")
final class DetectCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "JPEG or PNG files.")
  List<Path> files;

  @Option(names = "--json", description = "One JSON object per file, one per line.")
  boolean json;

  @Mixin DetectorOptions detectorOptions = new DetectorOptions();

  @Spec CommandSpec spec;


  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int failed = 0;
    try (ImageNetCatDetector detector = detectorOptions.load()) {
      for (Path file : files) {
        try {
          CatVerdict v = detector.detect(Files.readAllBytes(file));
          out.println(json ? Json.MAPPER.writeValueAsString(toJson(file, v)) : describe(file, v));
        } catch (ImageRejectedException e) {
          failed++;
          out.println(json ? rejectionJson(file, e.code(), e.getMessage()) : file + ": rejected, " + e.getMessage());
        } catch (IOException e) {
          failed++;
          out.println(json ? rejectionJson(file, "UNREADABLE", e.toString()) : file + ": cannot read, " + e);
        }
        out.flush();
      }
    }
    return failed == 0 ? 0 : 1;
  }

  static String describe(Path file, CatVerdict v) {
    StringBuilder b = new StringBuilder();
    b.append(file).append(": ").append(v.isCat() ? "YES, a cat" : "NO cat")
        .append(String.format(" (cat score %.3f, threshold %.2f, %dx%d, %.0f ms)",
            v.catScore(), v.threshold(), v.width(), v.height(), v.timings().total()));
    List<TopLabel> top = TopLabel.of(v.raw());
    if (!top.isEmpty()) {
      b.append(String.format("%n  ImageNet: %s", TopLabel.describe(top)));
    }
    for (DetectedObject d : v.detections()) {
      b.append(String.format("%n  %-14s %.3f  [%.0f, %.0f, %.0f, %.0f]", d.label(), d.score(),
          d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2()));
    }
    return b.toString();
  }

  static ObjectNode toJson(Path file, CatVerdict v) {
    ObjectNode o = Json.object();
    o.put("file", file.toString());
    o.put("answer", v.isCat() ? "yes" : "no");
    o.put("is_cat", v.isCat());
    o.put("cat_score", v.catScore());
    o.put("threshold", v.threshold());
    o.put("width", v.width());
    o.put("height", v.height());
    o.put("model", v.model().name() + "@" + v.model().version());
    ArrayNode labels = o.putArray("top_labels");
    for (TopLabel l : TopLabel.of(v.raw())) {
      labels.addObject().put("label", l.label()).put("probability", l.probability());
    }
    ArrayNode dets = o.putArray("detections");
    for (DetectedObject d : v.detections()) {
      ObjectNode n = dets.addObject();
      n.put("label", d.label());
      n.put("score", d.score());
      n.putArray("box").add(d.box().x1()).add(d.box().y1()).add(d.box().x2()).add(d.box().y2());
    }
    ObjectNode t = o.putObject("timings_ms");
    v.timings().millis().forEach(t::put);
    return o;
  }

  private static String rejectionJson(Path file, String code, String message) {
    ObjectNode o = Json.object();
    o.put("file", file.toString());
    o.put("error", code);
    o.put("message", message);
    return o.toString();
  }
}
