package io.catwrangler.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.detector.head.HeadFeature;
import io.catwrangler.detector.head.LogisticHead;
import io.catwrangler.detector.views.View;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorVariantTest {

  @Test
  void centerNetsDefaultIsTheHeadOnOneInferenceAtTheThresholdChosenOnTrain() {
    assertThat(DetectorVariant.DEFAULT).isSameAs(DetectorVariant.HEAD);
    assertThat(DetectorVariant.HEAD.views()).containsExactly(View.WHOLE);
    assertThat(DetectorVariant.HEAD.version()).isEqualTo("head-v1");
    assertThat(DetectorVariant.HEAD.defaultThreshold()).isEqualTo(0.5);
    DetectorConfig defaults = DetectorConfig.defaults();
    assertThat(defaults.variant()).isSameAs(DetectorVariant.DEFAULT);
    assertThat(defaults.threshold()).isEqualTo(DetectorConfig.DEFAULT_THRESHOLD);
    assertThat(defaults.boxes()).isEqualTo(Boxes.ALWAYS);
  }

  @Test
  void variantsAreChosenByName() {
    assertThat(DetectorVariant.ALL).extracting(DetectorVariant::name).containsExactly("head", "bare");
    assertThat(DetectorVariant.named("Bare ")).isSameAs(DetectorVariant.BARE);
    // retired with decision 0017
    assertThatThrownBy(() -> DetectorVariant.named("zoom")).hasMessageContaining("head, bare");
  }

  @Test
  void eachVariantRunsOneInferenceOnTheWholeImage() {
    assertThat(DetectorVariant.ALL).allSatisfy(v -> assertThat(v.views()).containsExactly(View.WHOLE));
    assertThat(DetectorVariant.ALL).extracting(DetectorVariant::version).doesNotHaveDuplicates();
  }

  @Test
  void switchingVariantSwitchesToItsThreshold() {
    DetectorConfig bare = DetectorConfig.defaults().withVariant(DetectorVariant.BARE);
    assertThat(bare.variant()).isSameAs(DetectorVariant.BARE);
    assertThat(bare.threshold()).isEqualTo(DetectorVariant.BARE.defaultThreshold());
    assertThat(bare.withThreshold(0.3).variant()).isSameAs(DetectorVariant.BARE);
  }

  @Test
  void aHeadVariantRunsTheViewsItsHeadReads() {
    LogisticHead head = new LogisticHead("h-v9", List.of(HeadFeature.parse("whole.cat"), HeadFeature.parse("whole.dog")),
        new double[] {0, 0}, new double[] {1, 1}, new double[] {1, 1}, 0, 0.3);
    DetectorVariant v = DetectorVariant.withHead("mine", head);
    assertThat(v.views()).containsExactly(View.WHOLE);
    assertThat(v.defaultThreshold()).isEqualTo(0.3);
    assertThat(v.version()).isEqualTo("h-v9");
    LogisticHead elsewhere = new LogisticHead("h-v8", List.of(HeadFeature.parse("tile00.cat")),
        new double[] {0}, new double[] {1}, new double[] {1}, 0, 0.3);
    assertThatThrownBy(() -> new DetectorVariant("broken", "x", List.of(View.WHOLE), new ScoreRule.Head(elsewhere), 0.5))
        .hasMessageContaining("every view its head needs");
    assertThatThrownBy(() -> new DetectorVariant("late", "x", List.of(new View("zoom50", 0, 0, 1, 1, 0.5)),
        new ScoreRule.MaxCatScore(), 0.5)).hasMessageContaining("whole image first");
  }

  @Test
  void theMaxRuleTakesTheBestCatScoreOfAnyView() {
    float[] a = new float[80];
    float[] b = new float[80];
    a[15] = 0.2f;
    b[15] = 0.6f;
    b[16] = 0.9f;
    assertThat(new ScoreRule.MaxCatScore().score(Map.of("whole", a, "zoom80", b))).isEqualTo(0.6f);
  }
}
