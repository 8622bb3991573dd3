package io.catwrangler.detector.centernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CocoLabelsTest {

  @Test
  void namesTheClassesInTheModelsChannelOrder() {
    assertThat(CocoLabels.name(0)).isEqualTo("person");
    assertThat(CocoLabels.name(CocoLabels.CAT)).isEqualTo("cat");
    assertThat(CocoLabels.name(CocoLabels.DOG)).isEqualTo("dog");
    assertThat(CocoLabels.name(CocoLabels.COUNT - 1)).isEqualTo("toothbrush");
  }

  @Test
  void rejectsIdsOutsideTheEightyClasses() {
    assertThatThrownBy(() -> CocoLabels.name(CocoLabels.COUNT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CocoLabels.name(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
