package io.catwrangler.detector;

import io.catwrangler.detector.head.LogisticHead;
import io.catwrangler.detector.views.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One way of getting a cat score out of CenterNet alone, as the service answered before the ImageNet classifier took
 * over (decision 0016): which views of the image the network sees (the whole image), how their outputs make one score,
 * and the threshold chosen for that score on shared/train. Kept for {@code eval}'s comparison and for the boxes; the
 * zoom and tile variants were retired (decision 0017, measured in 0006).
 *
 * @param name what the command line calls it, e.g. {@code head}
 * @param version recorded with every answer (after the model's version, e.g. {@code human-3.3.6/head-v1}); changes
 *     whenever the views, the rule or its parameters change
 * @param views the views run, the whole image first
 * @param rule how the views' outputs make the cat score
 * @param defaultThreshold cat score at or above which the answer is yes, chosen on shared/train: for a head, the
 *     threshold its training chose; for a maximum, the most accurate threshold on shared/train rounded to 0.01
 */
public record DetectorVariant(String name, String version, List<View> views, ScoreRule rule, double defaultThreshold) {

  /** The reference: the highest cat score on the whole image. */
  public static final DetectorVariant BARE =
      new DetectorVariant("bare", "bare-v1", List.of(View.WHOLE), new ScoreRule.MaxCatScore(), 0.20);

  /**
   * The default: the same single inference, its cat and dog scores weighed by a logistic head fitted on shared/train,
   * which takes back most cat-like dogs and lets a lower cat score count when nothing looks like a dog.
   */
  public static final DetectorVariant HEAD = headVariant("head", "/io/catwrangler/detector/head/head-v1.txt");

  /** Every variant, the default first. */
  public static final List<DetectorVariant> ALL = List.of(HEAD, BARE);

  public static final DetectorVariant DEFAULT = HEAD;

  public DetectorVariant {
    if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("variant name must be lower-case words, got " + name);
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("variant " + name + " needs a version");
    }
    views = List.copyOf(views);
    if (views.isEmpty() || !views.get(0).equals(View.WHOLE)) {
      throw new IllegalArgumentException("variant " + name + " must look at the whole image first");
    }
    if (views.stream().map(View::name).distinct().count() != views.size()) {
      throw new IllegalArgumentException("variant " + name + " names two views alike");
    }
    if (rule instanceof ScoreRule.Head h && !views.stream().map(View::name).toList().containsAll(h.head().viewNames())) {
      throw new IllegalArgumentException("variant " + name + " does not run every view its head needs");
    }
    if (!(defaultThreshold > 0 && defaultThreshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + defaultThreshold);
    }
  }

  /** A variant that runs the views a head needs and answers with the head's probability at the head's threshold. */
  public static DetectorVariant withHead(String name, LogisticHead head) {
    List<View> views = new ArrayList<>(List.of(View.WHOLE));
    head.viewNames().stream().filter(v -> !v.equals(View.WHOLE.name())).map(View::named).forEach(views::add);
    return new DetectorVariant(name, head.version(), views, new ScoreRule.Head(head), head.threshold());
  }

  /** The variant the command line calls {@code name}. */
  public static DetectorVariant named(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(v -> v.name().equals(n)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown detector variant '" + name + "'; known: "
            + String.join(", ", ALL.stream().map(DetectorVariant::name).toList())));
  }

  /** Inferences per image. */
  public int inferences() {
    return views.size();
  }

  private static DetectorVariant headVariant(String name, String resource) {
    return withHead(name, LogisticHead.resource(resource));
  }
}
