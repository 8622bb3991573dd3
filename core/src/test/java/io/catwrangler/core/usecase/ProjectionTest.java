package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.fake.InMemoryResultView;
import io.catwrangler.core.projection.ProjectEvents;
import io.catwrangler.core.projection.ProjectionReport;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectionTest {
  private final TestPipeline p = new TestPipeline();
  private final List<ImageId> ids = new ArrayList<>();

  @BeforeEach
  void someHistory() throws Exception {
    for (int i = 0; i < 4; i++) {
      byte[] png = TestImages.png(100 + i);
      ids.add(ImageId.sha256Of(png));
      p.detector.score(ImageId.sha256Of(png), 0.2 * i);
      p.upload(png, "batch-" + (i % 2), "img" + i + ".png");
    }
    p.detector.failTimes(ids.get(1), 1);
    p.upload(TestImages.png(100), "batch-9", "again.png");
    p.drain();
  }

  private InMemoryResultView foldedView() {
    InMemoryResultView expected = new InMemoryResultView();
    ids.forEach(id -> expected.save(ImageState.fold(id, p.events.read(id))));
    return expected;
  }

  @Test
  void theFeedProjectorBuildsTheFoldOfEveryStream() {
    p.projectAll();

    assertThat(p.view.snapshot()).isEqualTo(foldedView().snapshot());
    assertThat(p.view.checkpoint()).isEqualTo(p.events.all().size());
    assertThat(p.feed.catchUpOnce()).isZero();
  }

  @Test
  void redeliveredShuffledAndDuplicatedEventsGiveTheSameView() {
    InMemoryResultView view = new InMemoryResultView();
    ProjectEvents project = new ProjectEvents(p.events, view);
    List<Event> all = p.events.all();

    // a stream-like delivery: per image in order, images interleaved, every batch delivered twice
    for (int from = 0; from < all.size(); from += 3) {
      List<Event> batch = all.subList(from, Math.min(all.size(), from + 3));
      project.project(batch);
      ProjectionReport again = project.project(batch);
      assertThat(again.imagesSaved()).isZero();
    }

    assertThat(view.snapshot()).isEqualTo(foldedView().snapshot());
  }

  @Test
  void aGapIsFilledFromTheStream() {
    InMemoryResultView view = new InMemoryResultView();
    ProjectEvents project = new ProjectEvents(p.events, view);
    List<Event> all = new ArrayList<>(p.events.all());
    Collections.shuffle(all, new Random(7));

    ProjectionReport report = project.project(all.subList(0, all.size() / 2));
    project.project(all.subList(all.size() / 2, all.size()));

    assertThat(report.imagesRefolded()).isPositive();
    assertThat(view.snapshot()).isEqualTo(foldedView().snapshot());
  }
}
