package io.catwrangler.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.testdata.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The product's accuracy, checked on every build on the 48 labelled photos in testdata/photos (24 cats, 24 others;
 * testdata/README.md): the default variant at its default threshold answers at least 42 right, finds at least 19
 * of the 24 cats and answers at least 22 of the 24 others right. Today it answers 43 (20 cats, 23 others): each
 * floor allows one photo more than today to flip and no more. Always-yes or always-no answers 24, and fails one of
 * the per-label floors; the bare cat score at its threshold answers 42 (20 cats, 22 others). The full accuracy claim
 * (94.2% on the 120 dev photos, docs/decisions/0006-detector-views-and-head.md) is measured by
 * {@code catwrangler eval DIR}: 48 photos cannot tell 94% from 90%, only a broken detector from a working one.
 */
class DevSetAccuracyTest {

  @Test
  void answersAtLeast42OfThe48TestPhotosRightAndEnoughOfEachLabel() throws Exception {
    List<String> missedCats = new ArrayList<>();
    List<String> wrongOthers = new ArrayList<>();
    int cats = 0;
    int others = 0;
    try (CenterNetCatDetector detector = CenterNetCatDetector.load(DetectorConfig.defaults())) {
      for (Path f : TestData.allPhotos()) {
        String name = TestData.photos().relativize(f).toString();
        boolean cat = name.startsWith("cat");
        CatVerdict v = detector.detect(Files.readAllBytes(f));
        if (cat) {
          cats++;
        } else {
          others++;
        }
        if (v.isCat() != cat) {
          (cat ? missedCats : wrongOthers).add(name + String.format(" (%.3f)", v.catScore()));
        }
      }
    }
    assertThat(cats).isEqualTo(24);
    assertThat(others).isEqualTo(24);
    String report = "missed cats " + missedCats + ", others taken for cats " + wrongOthers;
    assertThat(cats + others - missedCats.size() - wrongOthers.size()).as(report).isGreaterThanOrEqualTo(42);
    assertThat(cats - missedCats.size()).as(report).isGreaterThanOrEqualTo(19);
    assertThat(others - wrongOthers.size()).as(report).isGreaterThanOrEqualTo(22);
  }
}
