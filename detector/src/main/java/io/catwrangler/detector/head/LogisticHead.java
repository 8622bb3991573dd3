package io.catwrangler.detector.head;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A logistic regression on a few class scores (CenterNet's, or the ImageNet classifier's cat mass, which is how the
 * classifier's score is calibrated): {@code P(cat) = σ(bias + Σ wᵢ · (xᵢ − meanᵢ) / scaleᵢ)} with {@code xᵢ} the value
 * of {@link HeadFeature} i. It is fitted by {@code catwrangler train} and stored as a small text
 * file (key=value lines, {@code #} comments) so that a diff shows what changed:
 *
 * <pre>
 * version=head-v1
 * features=whole.cat,whole.dog
 * mean=-1.604187,-2.485867
 * scale=1.781382,1.166448
 * weights=5.451509,-0.788085
 * bias=0.188210
 * threshold=0.500000
 * </pre>
 *
 * @param version recorded with every answer (in the model version), so answers of different heads are told apart
 * @param features the inputs, in order
 * @param mean subtracted from each input
 * @param scale each centred input is divided by this
 * @param weights one per input
 * @param bias the intercept
 * @param threshold probability at or above which the answer is yes, chosen on the training data
 */
public record LogisticHead(String version, List<HeadFeature> features, double[] mean, double[] scale,
    double[] weights, double bias, double threshold) {

  public LogisticHead {
    if (version == null || !version.matches("[A-Za-z0-9][A-Za-z0-9._+-]*")) {
      throw new IllegalArgumentException("head version must be a word such as head-v1, got " + version);
    }
    features = List.copyOf(features);
    int n = features.size();
    if (n == 0 || mean.length != n || scale.length != n || weights.length != n) {
      throw new IllegalArgumentException("a head needs one mean, scale and weight per feature (" + n + " features)");
    }
    for (int i = 0; i < n; i++) {
      if (!(scale[i] > 0) || !Double.isFinite(mean[i]) || !Double.isFinite(weights[i])) {
        throw new IllegalArgumentException("invalid parameters for head feature " + features.get(i));
      }
    }
    if (!Double.isFinite(bias) || !(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("head bias must be finite and threshold in (0, 1)");
    }
    mean = mean.clone();
    scale = scale.clone();
    weights = weights.clone();
  }

  /** The probability of a cat, from the maximum of every class's heat map per view name. */
  public double probability(Map<String, float[]> classMaxByView) {
    return probability(values(classMaxByView));
  }

  /** The probability of a cat, from the features' values in order. */
  public double probability(double[] values) {
    if (values.length != features.size()) {
      throw new IllegalArgumentException("expected " + features.size() + " feature values, got " + values.length);
    }
    double z = bias;
    for (int i = 0; i < values.length; i++) {
      z += weights[i] * (values[i] - mean[i]) / scale[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** The features' values, in order. */
  public double[] values(Map<String, float[]> classMaxByView) {
    return values(features, classMaxByView);
  }

  /** The values of {@code features}, in order. */
  public static double[] values(List<HeadFeature> features, Map<String, float[]> classMaxByView) {
    double[] values = new double[features.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = features.get(i).value(classMaxByView);
    }
    return values;
  }

  /** The names of the views the features need, in first-use order. */
  public List<String> viewNames() {
    return features.stream().map(HeadFeature::view).distinct().toList();
  }

  /** The file form; the same head always gives the same text, byte for byte. */
  public String format(List<String> comments) {
    StringBuilder b = new StringBuilder();
    b.append("# cat-wrangler detector head: logistic regression on class scores (see LogisticHead)\n");
    comments.forEach(c -> b.append("# ").append(c.replace('\n', ' ')).append('\n'));
    b.append("version=").append(version).append('\n');
    b.append("features=").append(String.join(",", features.stream().map(HeadFeature::toString).toList()))
        .append('\n');
    b.append("mean=").append(join(mean)).append('\n');
    b.append("scale=").append(join(scale)).append('\n');
    b.append("weights=").append(join(weights)).append('\n');
    b.append("bias=").append(number(bias)).append('\n');
    b.append("threshold=").append(number(threshold)).append('\n');
    return b.toString();
  }

  public static LogisticHead parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("head file line is not key=value: " + l);
      }
      values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    List<HeadFeature> features = new ArrayList<>();
    for (String f : required(values, "features").split(",")) {
      features.add(HeadFeature.parse(f.strip()));
    }
    return new LogisticHead(required(values, "version"), features, numbers(values, "mean"), numbers(values, "scale"),
        numbers(values, "weights"), Double.parseDouble(required(values, "bias")),
        Double.parseDouble(required(values, "threshold")));
  }

  /** Reads a head bundled on the classpath, e.g. {@code /io/catwrangler/detector/head/head-v1.txt}. */
  public static LogisticHead resource(String path) {
    try (InputStream in = LogisticHead.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("detector head " + path + " is not on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read detector head " + path, e);
    }
  }

  private static String required(Map<String, String> values, String key) {
    String v = values.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("head file has no " + key + "=");
    }
    return v;
  }

  private static double[] numbers(Map<String, String> values, String key) {
    return Arrays.stream(required(values, key).split(",")).map(String::strip).mapToDouble(Double::parseDouble)
        .toArray();
  }

  private static String join(double[] values) {
    return String.join(",", Arrays.stream(values).mapToObj(LogisticHead::number).toList());
  }

  private static String number(double v) {
    String s = String.format(Locale.ROOT, "%.6f", v);
    return s.equals("-0.000000") ? "0.000000" : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogisticHead h && version.equals(h.version) && features.equals(h.features)
        && Arrays.equals(mean, h.mean) && Arrays.equals(scale, h.scale) && Arrays.equals(weights, h.weights)
        && bias == h.bias && threshold == h.threshold;
  }

  @Override
  public int hashCode() {
    return version.hashCode() * 31 + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "LogisticHead[" + version + " " + features + "]";
  }
}
