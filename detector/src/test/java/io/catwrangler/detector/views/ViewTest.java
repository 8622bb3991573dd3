package io.catwrangler.detector.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTest {

  @Test
  void zoomOutShowsTheWholeImageSmaller() {
    View zoom = View.zoomOut(0.65);
    assertThat(zoom.name()).isEqualTo("zoom65");
    assertThat(zoom.left()).isZero();
    assertThat(zoom.top()).isZero();
    assertThat(zoom.width()).isEqualTo(1);
    assertThat(zoom.height()).isEqualTo(1);
    assertThat(zoom.fill()).isEqualTo(0.65);
  }

  @Test
  void twoByTwoTilesTouchTheCornersAndOverlapInTheMiddle() {
    List<View> tiles = View.tiles(2, 0.6);
    assertThat(tiles).extracting(View::name).containsExactly("tile00", "tile10", "tile01", "tile11");
    View topLeft = tiles.get(0);
    View bottomRight = tiles.get(3);
    assertThat(topLeft.left()).isZero();
    assertThat(topLeft.top()).isZero();
    assertThat(bottomRight.left() + bottomRight.width()).isCloseTo(1, within(1e-12));
    assertThat(bottomRight.top() + bottomRight.height()).isCloseTo(1, within(1e-12));
    // neighbours share the middle fifth of the image
    assertThat(tiles.get(1).left()).isCloseTo(0.4, within(1e-12));
    assertThat(topLeft.left() + topLeft.width() - tiles.get(1).left()).isCloseTo(0.2, within(1e-12));
    assertThat(tiles).allSatisfy(t -> assertThat(t.fill()).isEqualTo(1));
  }

  @Test
  void threeByThreeTilesAreSpreadEvenly() {
    List<View> tiles = View.tiles(3, 0.4);
    assertThat(tiles).hasSize(9);
    assertThat(tiles.subList(0, 3)).extracting(View::left).containsExactly(0.0, 0.3, 0.6);
  }

  @Test
  void tilesMustCoverTheImage() {
    assertThatThrownBy(() -> View.tiles(2, 0.4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> View.tiles(1, 0.9)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aViewStaysInsideTheImage() {
    assertThatThrownBy(() -> new View("x", 0.5, 0, 0.6, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new View("x", 0, 0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new View("x", 0, 0, 1, 1, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesLeadBackToTheirViews() {
    assertThat(View.named("whole")).isEqualTo(View.WHOLE);
    assertThat(View.named("zoom80")).isEqualTo(View.zoomOut(0.8));
    assertThatThrownBy(() -> View.named("tile00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> View.named("zoom00")).isInstanceOf(IllegalArgumentException.class);
  }
}
