package io.catwrangler.local.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.detector.head.HeadFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadValidationTest {
  private static final List<HeadFeature> FEATURES =
      List.of(HeadFeature.parse("whole.cat"), HeadFeature.parse("whole.dog"));

  private static final List<HeadFeature> REFERENCE = List.of(HeadFeature.parse("whole.cat"));

  private final List<SourcedImage> images = new ArrayList<>();
  private double[][] x;
  private double[][] weaker;

  HeadValidationTest() {
    Random r = new Random(1);
    x = new double[300][];
    weaker = new double[300][];
    for (int i = 0; i < 300; i++) {
      boolean cat = i % 2 == 0;
      String source = "source-" + (i % 3);
      // every 30 photos of a source form one "individual"
      images.add(new SourcedImage(Path.of("p" + i), cat, source, source + ":" + (i / 30)));
      double c = (cat ? 0.5 : -1.5) + r.nextGaussian();
      x[i] = new double[] {c, r.nextGaussian()};
      // the reference sees the same signal through twice the noise
      weaker[i] = new double[] {c + 2 * r.nextGaussian()};
    }
  }

  @Test
  void leavesEachSourceOutOnce() {
    List<HeadValidation.Split> splits = HeadValidation.leaveOneSourceOut(images, reference(), candidate(), 1.0);
    assertThat(splits).extracting(HeadValidation.Split::name).containsExactly("source-0", "source-1", "source-2");
    assertThat(splits).allSatisfy(s -> {
      assertThat(s.candidate().n()).isEqualTo(100);
      assertThat(s.reference().n()).isEqualTo(100);
    });
    assertThat(splits.stream().mapToInt(HeadValidation.Split::gain).sum()).as("the cleaner signal wins").isPositive();
  }

  @Test
  void groupFoldsNeverSplitAGroupAndCoverEveryPhotoOnce() {
    int[] fold = HeadValidation.foldOf(images);
    Map<String, Integer> foldOfGroup = new HashMap<>();
    for (int i = 0; i < images.size(); i++) {
      Integer previous = foldOfGroup.putIfAbsent(images.get(i).group(), fold[i]);
      assertThat(previous == null || previous == fold[i]).as("group %s in one fold", images.get(i).group()).isTrue();
    }
    assertThat(HeadValidation.foldOf(images)).containsExactly(fold);
    HeadValidation.Split total = HeadValidation.groupFolds(images, reference(), candidate(), 1.0);
    assertThat(total.candidate().n()).isEqualTo(300);
    assertThat(total.candidate().accuracy()).isGreaterThan(0.7);
    assertThat(total.candidate().accuracy()).isGreaterThan(total.reference().accuracy());
  }

  @Test
  void outOfFoldProbabilitiesComeOnePerPhoto() {
    List<ScoredImage> p = HeadValidation.outOfFoldProbabilities(images, candidate(), 1.0);
    assertThat(p).hasSize(300).allSatisfy(s -> assertThat(s.score()).isBetween(0.0, 1.0));
    assertThat(ThresholdSearch.bestOnGrid(p, 0.5).threshold()).isBetween(0.01, 0.99);
  }

  private HeadValidation.Candidate candidate() {
    return new HeadValidation.Candidate(FEATURES, x);
  }

  private HeadValidation.Candidate reference() {
    return new HeadValidation.Candidate(REFERENCE, weaker);
  }
}
