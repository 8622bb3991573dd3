package io.catwrangler.detector;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.StageTimings;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.detector.centernet.CenterNetDecoder;
import io.catwrangler.detector.centernet.CenterNetModel;
import io.catwrangler.detector.centernet.CocoLabels;
import io.catwrangler.detector.centernet.Peak;
import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.ImageDecoder;
import io.catwrangler.detector.views.View;
import io.catwrangler.detector.views.ViewInput;
import io.catwrangler.detector.views.ViewRenderer;
import io.catwrangler.events.Box;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded detector: CenterNet (MobileNetV3, COCO) on ONNX Runtime. The network looks at the views of the image
 * the configured {@link DetectorVariant} asks for (the whole image first); the variant's {@link ScoreRule} turns the
 * highest score of every class under each view into the cat score; the answer is yes at or above the configured
 * threshold. One instance per process; thread-safe.
 */
public final class CenterNetCatDetector implements CatDetector {
  /** Candidate peaks kept in the raw output, so a later rule can re-decide without running the model. */
  private static final int RAW_PEAKS = 50;
  private static final float RAW_MIN_SCORE = 0.05f;
  private static final float NMS_IOU = 0.4f;

  private final CenterNetModel model;
  private final boolean ownsModel;
  private final DetectorConfig config;
  private final DetectorModel modelInfo;
  private final ImageInspector inspector;
  private final ImageDecoder decoder;

  private CenterNetCatDetector(CenterNetModel model, boolean ownsModel, DetectorConfig config) {
    this.model = model;
    this.ownsModel = ownsModel;
    this.config = config;
    this.modelInfo = new DetectorModel(CenterNetModel.MODEL_INFO.name(),
        CenterNetModel.MODEL_INFO.version() + "/" + config.variant().version());
    this.inspector = new ImageInspector(config.limits());
    // tiles are cut from the decoded pixels: decode at least twice the canvas per tile side, not per image side
    this.decoder = new ImageDecoder(decodeTarget(config.variant()));
  }

  /** Converts the packaged model and opens the ONNX Runtime session (about a second). */
  public static CenterNetCatDetector load(DetectorConfig config) {
    return new CenterNetCatDetector(CenterNetModel.load(config.intraOpThreads()), true, config);
  }

  /**
   * Another detector on this one's ONNX Runtime session, e.g. to compare variants in one process. Closing it leaves
   * the session open; close this detector after the ones made from it.
   */
  public CenterNetCatDetector sharingModel(DetectorConfig other) {
    if (other.intraOpThreads() != config.intraOpThreads()) {
      throw new IllegalArgumentException("a shared session keeps its thread count (" + config.intraOpThreads() + ")");
    }
    return new CenterNetCatDetector(model, false, other);
  }

  public DetectorConfig config() {
    return config;
  }

  /** The model, and after a slash the variant's version, e.g. {@code human-3.3.6/head-v1}. */
  @Override
  public DetectorModel model() {
    return modelInfo;
  }

  @Override
  public CatVerdict detect(byte[] bytes) throws ImageRejectedException {
    long t0 = System.nanoTime();
    ImageInfo info = inspector.inspect(bytes);
    DecodedImage image = decoder.decode(bytes, info);
    long t1 = System.nanoTime();
    Analysis analysis = analyse(image);
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("decode", (t1 - t0) / 1e6);
    stages.putAll(analysis.millis());
    return new CatVerdict(analysis.catScore() >= config.threshold(), analysis.catScore(), config.threshold(),
        analysis.detections(), model(), new StageTimings(stages), image.originalWidth(), image.originalHeight(),
        analysis.raw());
  }

  /**
   * What CenterNet makes of an image decoded elsewhere (the decoder must keep at least {@link #decodeTarget()} pixels
   * per side): the cat score under this detector's rule, the detections, the raw output and the time per stage.
   */
  public Analysis analyse(DecodedImage image) {
    long preprocess = 0;
    long inference = 0;
    long postprocess = 0;
    List<ViewOutcome> outcomes = new ArrayList<>();
    Map<String, float[]> classMax = new LinkedHashMap<>();
    for (View view : config.variant().views()) {
      long a = System.nanoTime();
      ViewInput input = ViewRenderer.render(image, view, CenterNetModel.INPUT_SIZE);
      long b = System.nanoTime();
      long[] inferred = new long[1];
      ViewOutcome outcome = model.run(input.nhwc(), output -> {
        inferred[0] = System.nanoTime();
        return new ViewOutcome(input, classMaxima(output.heat()), CenterNetDecoder.peaks(output, RAW_PEAKS,
            RAW_MIN_SCORE));
      });
      long c = inferred[0];
      outcomes.add(outcome);
      classMax.put(view.name(), outcome.classMax());
      long d = System.nanoTime();
      preprocess += b - a;
      inference += c - b;
      postprocess += d - c;
    }
    long t2 = System.nanoTime();
    double catScore = config.variant().rule().score(classMax);
    List<DetectedObject> detections = detections(outcomes, image);
    Map<String, Object> raw = raw(outcomes, image);
    long t3 = System.nanoTime();
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("preprocess", preprocess / 1e6);
    stages.put("inference", inference / 1e6);
    stages.put("postprocess", (postprocess + t3 - t2) / 1e6);
    return new Analysis(catScore, detections, raw, stages);
  }

  /**
   * CenterNet's view of one image.
   *
   * @param catScore the score under this detector's rule (variant)
   * @param detections what it found, best first, in original-image pixels
   * @param raw what is kept for re-deciding and drawing ({@link #classMaxByView} reads it back)
   * @param millis milliseconds per stage: preprocess, inference, postprocess
   */
  public record Analysis(double catScore, List<DetectedObject> detections, Map<String, Object> raw,
      Map<String, Double> millis) {}

  /** Pixels the decoder must keep on the longest side for this detector's views. */
  public int decodeTarget() {
    return decodeTarget(config.variant());
  }

  /** What one view gave: its geometry, the highest score of each class, and the candidate peaks before NMS. */
  private record ViewOutcome(ViewInput input, float[] classMax, List<Peak> candidates) {}

  /** A detection and the view it came from. */
  private record Found(DetectedObject detection, String view) {}

  /**
   * The maximum of every class's heat map, in one pass (the heat map is NHWC: classes vary fastest), rounded to the
   * five decimals the raw output keeps, so that a rule applied to the raw output later gives exactly this answer's
   * score.
   */
  static float[] classMaxima(float[] heat) {
    float[] max = new float[CocoLabels.COUNT];
    for (int i = 0; i < heat.length; i += CocoLabels.COUNT) {
      for (int c = 0; c < CocoLabels.COUNT; c++) {
        if (heat[i + c] > max[c]) {
          max[c] = heat[i + c];
        }
      }
    }
    for (int c = 0; c < max.length; c++) {
      max[c] = (float) round(max[c]);
    }
    return max;
  }

  /**
   * Each view's peaks after NMS, mapped to the original image; across views, a box that overlaps a better one found
   * under another view is the same object seen twice and is dropped. Best first, at most the configured number.
   */
  private List<DetectedObject> detections(List<ViewOutcome> outcomes, DecodedImage image) {
    List<Found> found = new ArrayList<>();
    for (ViewOutcome o : outcomes) {
      for (Peak p : CenterNetDecoder.nms(o.candidates(), NMS_IOU)) {
        if (p.score() >= config.minDetectionScore()) {
          var object = new DetectedObject(CocoLabels.name(p.classId()), p.score(), toImage(p, o.input(), image));
          found.add(new Found(object, o.input().view().name()));
        }
      }
    }
    found.sort(Comparator.comparingDouble((Found f) -> -f.detection().score()));
    List<Found> kept = new ArrayList<>();
    for (Found f : found) {
      if (kept.size() >= config.maxDetections()) {
        break;
      }
      boolean seenElsewhere = kept.stream().anyMatch(k -> !k.view().equals(f.view())
          && iou(k.detection().box(), f.detection().box()) > NMS_IOU);
      if (!seenElsewhere) {
        kept.add(f);
      }
    }
    return kept.stream().map(Found::detection).toList();
  }

  /** A box from network-input pixels to the upright original image, clipped to it. */
  static Box toImage(Peak p, ViewInput input, DecodedImage image) {
    double sx = (double) image.originalWidth() / image.width();
    double sy = (double) image.originalHeight() / image.height();
    return new Box(
        clip(input.toImageX(p.x1()) * sx, image.originalWidth()),
        clip(input.toImageY(p.y1()) * sy, image.originalHeight()),
        clip(input.toImageX(p.x2()) * sx, image.originalWidth()),
        clip(input.toImageY(p.y2()) * sy, image.originalHeight()));
  }

  private static double clip(double v, int max) {
    return Math.round(Math.max(0, Math.min(max, v)) * 10) / 10.0;
  }

  private static double iou(Box a, Box b) {
    double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
    double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double intersection = w * h;
    double union = a.width() * a.height() + b.width() * b.height() - intersection;
    return union <= 0 ? 0 : intersection / union;
  }

  /**
   * What is kept for re-deciding later. For the whole image: the maximum of every class's heat map, the candidate
   * peaks before NMS (class, score, box in input pixels) and the letterbox geometry to map them back. For every other
   * view: its class maxima and geometry, enough to compute any rule of {@link ScoreRule} again. A few kilobytes,
   * where one full heat map would be five megabytes.
   */
  private Map<String, Object> raw(List<ViewOutcome> outcomes, DecodedImage image) {
    ViewOutcome whole = outcomes.get(0);
    List<List<Object>> peaks = new ArrayList<>(whole.candidates().size());
    for (Peak p : whole.candidates()) {
      peaks.add(List.of(p.classId(), round(p.score()), round(p.x1()), round(p.y1()), round(p.x2()), round(p.y2())));
    }
    ViewInput in = whole.input();
    Map<String, Object> views = new LinkedHashMap<>();
    for (ViewOutcome o : outcomes.subList(1, outcomes.size())) {
      ViewInput v = o.input();
      views.put(v.view().name(), Map.of(
          "class_max", rounded(o.classMax()),
          "crop", List.of(v.cropX(), v.cropY(), v.cropWidth(), v.cropHeight()),
          "scale", round(v.scale()),
          "offset", List.of(v.offsetX(), v.offsetY())));
    }
    return Map.of(
        "variant", config.variant().version(),
        "class_max", rounded(whole.classMax()),
        "peaks", peaks,
        "peak_fields", List.of("class", "score", "x1", "y1", "x2", "y2"),
        "letterbox", Map.of("size", in.size(), "scale", round(in.scale()), "dx", in.offsetX(), "dy", in.offsetY(),
            "decoded_width", image.width(), "decoded_height", image.height(), "subsampling", image.subsampling()),
        "views", views);
  }

  /**
   * Reads back, from a verdict's raw output, the maximum of every class's heat map per view name ({@code whole} and
   * any other view the variant ran): the input of every {@link ScoreRule}, to score an answer again under another
   * rule or to fit a head.
   *
   * @throws IllegalArgumentException the raw output is not this detector's
   */
  public static Map<String, float[]> classMaxByView(Map<String, Object> raw) {
    Map<String, float[]> out = new LinkedHashMap<>();
    out.put(View.WHOLE.name(), floats(raw.get("class_max")));
    if (raw.get("views") instanceof Map<?, ?> views) {
      views.forEach((name, view) -> {
        if (!(view instanceof Map<?, ?> v)) {
          throw new IllegalArgumentException("raw output view " + name + " is not an object");
        }
        out.put(String.valueOf(name), floats(v.get("class_max")));
      });
    }
    return out;
  }

  private static float[] floats(Object list) {
    if (!(list instanceof List<?> values) || values.size() != CocoLabels.COUNT) {
      throw new IllegalArgumentException("raw output has no class_max list of " + CocoLabels.COUNT + " numbers");
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  private static List<Double> rounded(float[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(round(v));
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }

  /** The decoder keeps at least twice as many pixels as the network sees of the image's longest side. */
  private static int decodeTarget(DetectorVariant variant) {
    double smallestSide = variant.views().stream().mapToDouble(v -> Math.min(v.width(), v.height())).min().orElse(1);
    return (int) Math.ceil(CenterNetModel.INPUT_SIZE / smallestSide);
  }

  @Override
  public void close() {
    if (ownsModel) {
      model.close();
    }
  }
}
