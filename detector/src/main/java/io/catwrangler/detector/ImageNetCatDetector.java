package io.catwrangler.detector;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.Detection;
import io.catwrangler.core.detection.ModelInfo;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The product's answer: Google's MobileNetV2 ImageNet classifier says how likely each of its 1000 classes is; the
 * probabilities of the five domestic-cat classes added up (the cat mass) go through a calibration fitted on
 * shared/train ({@value #CALIBRATION_RESOURCE}), so the cat score is a probability and the default threshold 0.5 means
 * "more likely a cat than not". CenterNet runs beside it when {@link DetectorConfig#boxes()} asks, only for the
 * detections and boxes; the image is decoded once for both. The raw output keeps the classifier's top labels and
 * cat mass and, when it ran, CenterNet's raw output, so re-deciding needs no model run. One instance per process;
 * thread-safe.
 */
public final class ImageNetCatDetector implements CatDetector {
  /** The calibration: a logistic head on the logit of the cat mass (feature {@code imagenet.cat}). */
  public static final String CALIBRATION_RESOURCE = "/io/catwrangler/detector/head/imagenet-cal-v1.txt";
  /** Central part of each side the classifier sees: 87.5 %, chosen on shared/train (decision 0016). */
  public static final double CROP = 0.875;
  /** The name under which the cat mass is a head feature: {@code imagenet.cat}. */
  public static final String FEATURE_VIEW = "imagenet";
  static final int TOP_LABELS = 5;

  private final ImageNetModel classifier;
  private final LogisticHead calibration;
  private final Optional<CenterNetCatDetector> boxes;
  private final DetectorConfig config;
  private final ModelInfo modelInfo;
  private final ImageInspector inspector;
  private final ImageDecoder decoder;

  private ImageNetCatDetector(ImageNetModel classifier, LogisticHead calibration,
      Optional<CenterNetCatDetector> boxes, DetectorConfig config) {
    this.classifier = classifier;
    this.calibration = calibration;
    this.boxes = boxes;
    this.config = config;
    this.modelInfo = new ModelInfo(ImageNetModel.MODEL_INFO.name(),
        ImageNetModel.MODEL_INFO.version() + "/" + calibration.version());
    this.inspector = new ImageInspector(config.limits());
    // one decode size whether CenterNet runs or not, so the classifier sees the same pixels (and gives the same
    // answer) under either setting, as when the calibration was fitted
    this.decoder = new ImageDecoder(CenterNetModel.INPUT_SIZE);
  }

  /** Loads the classifier and, when {@code config.boxes()} says so, CenterNet (each well under a second). */
  public static ImageNetCatDetector load(DetectorConfig config) {
    ImageNetModel classifier = ImageNetModel.load(config.intraOpThreads());
    try {
      Optional<CenterNetCatDetector> boxes = config.boxes() == Boxes.ALWAYS
          ? Optional.of(CenterNetCatDetector.load(config.withVariant(DetectorVariant.BARE)))
          : Optional.empty();
      return new ImageNetCatDetector(classifier, LogisticHead.resource(CALIBRATION_RESOURCE), boxes, config);
    } catch (RuntimeException e) {
      classifier.close();
      throw e;
    }
  }

  public DetectorConfig config() {
    return config;
  }

  /** The classifier and, after a slash, the calibration's version, e.g. {@code coral-tf1-quant/imagenet-cal-v1}. */
  @Override
  public ModelInfo model() {
    return modelInfo;
  }

  public LogisticHead calibration() {
    return calibration;
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
    double catScore = round(calibration.probability(features(catMass)));
    Map<String, Object> classifierRaw = classifierRaw(probabilities, catMass);
    long t4 = System.nanoTime();
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("decode", (t1 - t0) / 1e6);
    stages.put("preprocess", (t2 - t1) / 1e6);
    stages.put("inference", (t3 - t2) / 1e6);
    stages.put("postprocess", (t4 - t3) / 1e6);
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("classifier", classifierRaw);
    List<Detection> detections = List.of();
    if (boxes.isPresent()) {
      CenterNetCatDetector.Analysis analysis = boxes.get().analyse(image);
      detections = analysis.detections();
      analysis.millis().forEach((stage, millis) -> stages.put("boxes_" + stage, millis));
      Map<String, Object> detectorRaw = new LinkedHashMap<>(analysis.raw());
      detectorRaw.put("model", CenterNetModel.MODEL_INFO.name() + "@" + CenterNetModel.MODEL_INFO.version());
      raw.put("detector", detectorRaw);
    }
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

  /** The model, the crop, the cat mass, and the top labels as [index, label, probability]. */
  private Map<String, Object> classifierRaw(float[] probabilities, double catMass) {
    List<List<Object>> top = new ArrayList<>();
    for (int index : topIndices(probabilities, TOP_LABELS)) {
      top.add(List.of(index, ImageNetLabels.name(index), round(probabilities[index])));
    }
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("model", ImageNetModel.MODEL_INFO.name() + "@" + ImageNetModel.MODEL_INFO.version());
    raw.put("calibration", calibration.version());
    raw.put("crop", CROP);
    raw.put("cat_mass", catMass);
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
    boxes.ifPresent(CenterNetCatDetector::close);
    classifier.close();
  }
}
