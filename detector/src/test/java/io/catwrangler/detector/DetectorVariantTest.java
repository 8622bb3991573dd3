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
  void theDefaultIsTheHeadOnOneInferenceAtTheThresholdChosenOnTrain() {
    assertThat(DetectorVariant.DEFAULT).isSameAs(DetectorVariant.HEAD);
    assertThat(DetectorVariant.HEAD.views()).containsExactly(View.WHOLE);
    assertThat(DetectorVariant.HEAD.version()).isEqualTo("head-v1");
    assertThat(DetectorVariant.HEAD.defaultThreshold()).isEqualTo(DetectorConfig.DEFAULT_THRESHOLD);
    DetectorConfig defaults = DetectorConfig.defaults();
    assertThat(defaults.variant()).isSameAs(DetectorVariant.DEFAULT);
    assertThat(defaults.threshold()).isEqualTo(DetectorConfig.DEFAULT_THRESHOLD);
  }

  @Test
  void variantsAreChosenByName() {
    assertThat(DetectorVariant.ALL).extracting(DetectorVariant::name)
        .containsExactly("head", "bare", "zoom", "zoom-head", "tiles");
    assertThat(DetectorVariant.named("Zoom-Head ")).isSameAs(DetectorVariant.ZOOM_HEAD);
    assertThatThrownBy(() -> DetectorVariant.named("flip")).hasMessageContaining("head, bare, zoom");
  }

  @Test
  void eachVariantRunsItsViewsWholeImageFirst() {
    assertThat(DetectorVariant.BARE.inferences()).isEqualTo(1);
    assertThat(DetectorVariant.ZOOM.views()).containsExactly(View.WHOLE, View.zoomOut(0.80));
    assertThat(DetectorVariant.ZOOM_HEAD.views()).containsExactly(View.WHOLE, View.zoomOut(0.65));
    assertThat(DetectorVariant.TILES.views()).hasSize(5).startsWith(View.WHOLE);
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
    LogisticHead head = new LogisticHead("h-v9", List.of(HeadFeature.parse("whole.cat"), HeadFeature.parse("zoom50.cat")),
        new double[] {0, 0}, new double[] {1, 1}, new double[] {1, 1}, 0, 0.3);
    DetectorVariant v = DetectorVariant.withHead("mine", head);
    assertThat(v.views()).containsExactly(View.WHOLE, View.zoomOut(0.5));
    assertThat(v.defaultThreshold()).isEqualTo(0.3);
    assertThat(v.version()).isEqualTo("h-v9");
    assertThatThrownBy(() -> new DetectorVariant("broken", "x", List.of(View.WHOLE), new ScoreRule.Head(head), 0.5))
        .hasMessageContaining("every view its head needs");
    assertThatThrownBy(() -> new DetectorVariant("late", "x", List.of(View.zoomOut(0.5)),
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
