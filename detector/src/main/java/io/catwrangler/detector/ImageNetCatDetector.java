package io.catwrangler.detector;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.StageTimings;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.detector.centernet.CenterNetModel;
import io.catwrangler.detector.centernet.CocoLabels;
import io.catwrangler.detector.head.LogisticHead;
import io.catwrangler.detector.image.DecodedImage;
import io.catwrangler.detector.image.ImageDecoder;
import io.catwrangler.detector.imagenet.ClassifierInput;
import io.catwrangler.detector.imagenet.ImageNetLabels;
import io.catwrangler.detector.imagenet.ImageNetModel;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product's answer: Google's MobileNetV2 ImageNet classifier says how likely each of its 1000 classes is; the
 * probabilities of the five domestic-cat classes added up (the cat mass) go through a calibration fitted on
 * shared/train ({@value #CALIBRATION_RESOURCE}), so the cat score is a probability and the default threshold 0.5 means
 * "more likely a cat than not". CenterNet runs beside it when {@link DetectorConfig#boxes()} asks, only for the
 * detections and boxes, and on its own for the few images the classifier is unsure of: a calibrated score in
 * [{@value #UNSURE_FROM}, {@value #UNSURE_TO}) is decided again by a second calibration that also reads CenterNet's cat
 * and dog scores ({@value #CASCADE_RESOURCE}; about one photo in thirty). The image is decoded once. The raw output
 * keeps the classifier's top labels, cat mass and own score and, when it ran, CenterNet's raw output, so re-deciding
 * needs no model run. One instance per process; thread-safe.
 */
public final class ImageNetCatDetector implements CatDetector {
  /** The calibration: a logistic head on the logit of the cat mass (feature {@code imagenet.cat}). */
  public static final String CALIBRATION_RESOURCE = "/io/catwrangler/detector/head/imagenet-cal-v1.txt";
  /** The second calibration, for unsure images: {@code imagenet.cat, whole.cat, whole.dog}. */
  public static final String CASCADE_RESOURCE = "/io/catwrangler/detector/head/imagenet-centernet-cal-v1.txt";
  /**
   * The classifier's calibrated scores from which CenterNet is asked too, up to but not including
   * {@link #UNSURE_TO}: the band chosen on shared/train as the fewest CenterNet runs with no left-out source worse than
   * CenterNet's own head (decision 0016).
   */
  public static final double UNSURE_FROM = 0.4;
  public static final double UNSURE_TO = 0.9;
  /** Recorded in the model version: the two calibrations and the band. */
  public static final String CASCADE_VERSION = "cascade-v1";
  /**
   * The model its answers record: the classifier and the calibrations. Terraform passes it to query-fn
   * ({@code CW_CLASSIFY_MODEL_*}) as the model {@code GET /quality} measures.
   */
  public static final DetectorModel MODEL = new DetectorModel(ImageNetModel.MODEL_INFO.name(),
      ImageNetModel.MODEL_INFO.version() + "/" + CASCADE_VERSION);
  /** Central part of each side the classifier sees: 87.5 %, chosen on shared/train (decision 0016). */
  public static final double CROP = 0.875;
  /** The name under which the cat mass is a head feature: {@code imagenet.cat}. */
  public static final String FEATURE_VIEW = "imagenet";
  static final int TOP_LABELS = 5;

  private final ImageNetModel classifier;
  private final LogisticHead calibration;
  private final LogisticHead cascade;
  private final CenterNetCatDetector centerNet;
  private final boolean boxes;
  private final double unsureFrom;
  private final double unsureTo;
  private final DetectorConfig config;
  private final DetectorModel modelInfo;
  private final ImageInspector inspector;
  private final ImageDecoder decoder;

  private ImageNetCatDetector(ImageNetModel classifier, LogisticHead calibration, LogisticHead cascade,
      CenterNetCatDetector centerNet, DetectorConfig config, double unsureFrom, double unsureTo) {
    this.unsureFrom = unsureFrom;
    this.unsureTo = unsureTo;
    this.classifier = classifier;
    this.calibration = calibration;
    this.cascade = cascade;
    this.centerNet = centerNet;
    this.boxes = config.boxes() == Boxes.ALWAYS;
    this.config = config;
    this.modelInfo = MODEL;
    this.inspector = new ImageInspector(config.limits());
    // one decode size whether CenterNet runs or not, so the classifier sees the same pixels (and gives the same
    // answer) under either setting, as when the calibration was fitted
    this.decoder = new ImageDecoder(CenterNetModel.INPUT_SIZE);
  }

  /** Loads the classifier and CenterNet (each well under a second). */
  public static ImageNetCatDetector load(DetectorConfig config) {
    return load(config, UNSURE_FROM, UNSURE_TO);
  }

  /** With another unsure band: for tests of the cascade on photos the classifier is sure of. */
  static ImageNetCatDetector load(DetectorConfig config, double unsureFrom, double unsureTo) {
    ImageNetModel classifier = ImageNetModel.load(config.intraOpThreads());
    try {
      return new ImageNetCatDetector(classifier, LogisticHead.resource(CALIBRATION_RESOURCE),
          LogisticHead.resource(CASCADE_RESOURCE), CenterNetCatDetector.load(config.withVariant(DetectorVariant.BARE)),
          config, unsureFrom, unsureTo);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
  }

  public DetectorConfig config() {
    return config;
  }

  /** The classifier and, after a slash, the decision rule's version, e.g. {@code coral-tf1-quant/cascade-v1}. */
  @Override
  public DetectorModel model() {
    return modelInfo;
  }

  public LogisticHead calibration() {
    return calibration;
  }

  /** The second calibration, for scores in the unsure band. */
  public LogisticHead cascade() {
    return cascade;
  }

  @Override
  public CatVerdict detect(byte[] bytes) throws ImageRejectedException {
    long t0 = System.nanoTime();
    ImageInfo info = inspector.inspect(bytes);
    DecodedImage image = decoder.decode(bytes, info);
    long t1 = System.nanoTime();
    float[] input = ClassifierInput.render(image, CROP, ImageNetModel.INPUT_SIZE);
    long t2 = System.nanoTime();
    float[] probabilities = classifier.classify(input);
    long t3 = System.nanoTime();
    double catMass = round(catMass(probabilities));
    double alone = round(calibration.probability(features(catMass)));
    boolean unsure = alone >= unsureFrom && alone < unsureTo;
    Map<String, Object> classifierRaw = classifierRaw(probabilities, catMass, alone);
    long t4 = System.nanoTime();
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("decode", (t1 - t0) / 1e6);
    stages.put("preprocess", (t2 - t1) / 1e6);
    stages.put("inference", (t3 - t2) / 1e6);
    stages.put("postprocess", (t4 - t3) / 1e6);
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("classifier", classifierRaw);
    List<DetectedObject> detections = List.of();
    double catScore = alone;
    if (boxes || unsure) {
      CenterNetCatDetector.Analysis analysis = centerNet.analyse(image);
      detections = analysis.detections();
      analysis.millis().forEach((stage, millis) -> stages.put("boxes_" + stage, millis));
      Map<String, Object> detectorRaw = new LinkedHashMap<>(analysis.raw());
      detectorRaw.put("model", CenterNetModel.MODEL_INFO.name() + "@" + CenterNetModel.MODEL_INFO.version());
      raw.put("detector", detectorRaw);
      if (unsure) {
        Map<String, float[]> scores = new HashMap<>(features(catMass));
        scores.putAll(CenterNetCatDetector.classMaxByView(analysis.raw()));
        catScore = round(cascade.probability(scores));
      }
    }
    raw.put("cascade", Map.of("version", CASCADE_VERSION, "unsure_from", unsureFrom, "unsure_to", unsureTo,
        "calibration", cascade.version(), "used", unsure));
    return new CatVerdict(catScore >= config.threshold(), catScore, config.threshold(), detections, model(),
        new StageTimings(stages), image.originalWidth(), image.originalHeight(), raw);
  }

  /** The summed probability of ImageNet's domestic-cat classes. */
  public static double catMass(float[] probabilities) {
    double mass = 0;
    for (int c : ImageNetLabels.DOMESTIC_CAT) {
      mass += probabilities[c];
    }
    return Math.min(1, mass);
  }

  /** The calibration's input map: the cat mass as the cat entry of the {@value #FEATURE_VIEW} "view". */
  public static Map<String, float[]> features(double catMass) {
    float[] classes = new float[CocoLabels.COUNT];
    classes[CocoLabels.CAT] = (float) catMass;
    return Map.of(FEATURE_VIEW, classes);
  }

  /**
   * Reads the cat mass back from a verdict's raw output, e.g. to calibrate again.
   *
   * @throws IllegalArgumentException the raw output is not this detector's
   */
  public static double catMass(Map<String, Object> raw) {
    if (raw.get("classifier") instanceof Map<?, ?> c && c.get("cat_mass") instanceof Number mass) {
      return mass.doubleValue();
    }
    throw new IllegalArgumentException("raw output has no classifier.cat_mass");
  }

  /** The model, the crop, the cat mass, its calibrated score, and the top labels as [index, label, probability]. */
  private Map<String, Object> classifierRaw(float[] probabilities, double catMass, double alone) {
    List<List<Object>> top = new ArrayList<>();
    for (int index : topIndices(probabilities, TOP_LABELS)) {
      top.add(List.of(index, ImageNetLabels.name(index), round(probabilities[index])));
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("model", ImageNetModel.MODEL_INFO.name() + "@" + ImageNetModel.MODEL_INFO.version());
    raw.put("calibration", calibration.version());
    raw.put("crop", CROP);
    raw.put("cat_mass", catMass);
    raw.put("cat_score", alone);
    raw.put("top", top);
    raw.put("top_fields", List.of("class", "label", "probability"));
    return raw;
  }

  static int[] topIndices(float[] values, int k) {
    int[] top = new int[Math.min(k, values.length)];
    java.util.Arrays.fill(top, -1);
    for (int i = 0; i < values.length; i++) {
      for (int slot = 0; slot < top.length; slot++) {
        if (top[slot] < 0 || values[i] > values[top[slot]]) {
          System.arraycopy(top, slot, top, slot + 1, top.length - slot - 1);
          top[slot] = i;
          break;
        }
      }
    }
    return top;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  @Override
  public void close() {
    centerNet.close();
    classifier.close();
  }
}
