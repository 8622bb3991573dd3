package io.catwrangler.detector.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ViewTest {

  @Test
  void aViewStaysInsideTheImage() {
    assertThatThrownBy(() -> new View("x", 0.5, 0, 0.6, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new View("x", 0, 0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new View("x", 0, 0, 1, 1, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesLeadBackToTheirViews() {
    assertThat(View.named("whole")).isEqualTo(View.WHOLE);
    // the zoom and tile views were retired with their variants (decision 0017)
    assertThatThrownBy(() -> View.named("zoom80")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> View.named("tile00")).isInstanceOf(IllegalArgumentException.class);
  }
}
