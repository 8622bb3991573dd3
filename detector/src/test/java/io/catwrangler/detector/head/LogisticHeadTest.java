package io.catwrangler.detector.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogisticHeadTest {
  private static final LogisticHead HEAD = new LogisticHead("head-test", List.of(HeadFeature.parse("whole.cat"),
      HeadFeature.parse("zoom65.dog")), new double[] {-1, -2}, new double[] {2, 0.5}, new double[] {3, -1}, 0.25, 0.4);

  private static float[] scores(int classId, float score, int otherId, float other) {
    float[] s = new float[80];
    s[classId] = score;
    s[otherId] = other;
    return s;
  }

  @Test
  void featuresNameAViewAndACocoClass() {
    HeadFeature f = HeadFeature.parse("zoom65.teddy bear");
    assertThat(f.view()).isEqualTo("zoom65");
    assertThat(f.classId()).isEqualTo(77);
    assertThat(f).hasToString("zoom65.teddy bear");
    assertThatThrownBy(() -> HeadFeature.parse("whole.unicorn")).hasMessageContaining("unicorn");
    assertThatThrownBy(() -> HeadFeature.parse("cat")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFeatureIsTheClampedLogOddsOfTheClassMaximum() {
    Map<String, float[]> views = Map.of("whole", scores(15, 0.75f, 16, 0f));
    assertThat(HeadFeature.parse("whole.cat").value(views)).isCloseTo(Math.log(3), within(1e-6));
    assertThat(HeadFeature.parse("whole.dog").value(views)).isCloseTo(Math.log(1e-4 / (1 - 1e-4)), within(1e-9));
    assertThatThrownBy(() -> HeadFeature.parse("zoom50.cat").value(views)).hasMessageContaining("zoom50");
  }

  @Test
  void probabilityIsTheLogisticOfTheStandardisedWeightedSum() {
    Map<String, float[]> views = Map.of(
        "whole", scores(15, 0.5f, 16, 0.9f),
        "zoom65", scores(15, 0.2f, 16, 0.5f));
    // whole.cat = logit 0.5 = 0 → (0 + 1) / 2 = 0.5; zoom65.dog = 0 → (0 + 2) / 0.5 = 4
    double z = 0.25 + 3 * 0.5 - 1 * 4;
    assertThat(HEAD.probability(views)).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-7));
    assertThat(HEAD.viewNames()).containsExactly("whole", "zoom65");
  }

  @Test
  void theFileFormReadsBackToTheSameHeadAndTheSameBytes() {
    String text = HEAD.format(List.of("a comment"));
    LogisticHead back = LogisticHead.parse(text);
    assertThat(back).isEqualTo(HEAD);
    assertThat(back.format(List.of("a comment"))).isEqualTo(text);
    assertThat(text).contains("version=head-test\n", "features=whole.cat,zoom65.dog\n", "weights=3.000000,-1.000000\n",
        "threshold=0.400000\n", "# a comment\n");
  }

  @Test
  void aBrokenFileIsRefused() {
    assertThatThrownBy(() -> LogisticHead.parse("version=v1\nfeatures=whole.cat\n"))
        .hasMessageContaining("mean");
    assertThatThrownBy(() -> LogisticHead.parse(HEAD.format(List.of()).replace("scale=2.000000", "scale=0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogisticHead.parse(HEAD.format(List.of()).replace("weights=3.000000,", "weights=")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBundledHeadsLoad() {
    LogisticHead head = LogisticHead.resource("/io/catwrangler/detector/head/head-v1.txt");
    assertThat(head.version()).isEqualTo("head-v1");
    assertThat(head.features()).extracting(HeadFeature::toString).containsExactly("whole.cat", "whole.dog");
    assertThat(head.weights()[0]).as("more cat, more likely a cat").isPositive();
    assertThat(head.weights()[1]).as("more dog, less likely a cat").isNegative();
    LogisticHead calibration = LogisticHead.resource("/io/catwrangler/detector/head/imagenet-cal-v1.txt");
    assertThat(calibration.features()).extracting(HeadFeature::toString).containsExactly("imagenet.cat");
    assertThat(calibration.weights()[0]).as("more cat mass, more likely a cat").isPositive();
    assertThat(calibration.threshold()).isEqualTo(0.5);
    // retired with the zoom variants (decision 0017)
    assertThat(LogisticHead.class.getResource("/io/catwrangler/detector/head/zoom65-head-v1.txt")).isNull();
  }
}
