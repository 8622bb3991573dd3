package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.query.Answer;
import io.catwrangler.core.query.ImageAnswer;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.ClassificationTrigger;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryResultsTest {
  private final TestPipeline p = new TestPipeline();

  @Test
  void answersWithStatusAnswerScoreModelAndSubmissions() throws Exception {
    byte[] png = TestImages.png(1);
    p.detector.score(ImageId.sha256Of(png), 0.75);
    IngestResult result = p.upload(png, "batch-1", "cat.png");
    p.drain();
    p.projectAll();

    ImageAnswer answer = p.query.image(result.imageId().value(), false);

    assertThat(answer.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(answer.answer()).contains(Answer.YES);
    assertThat(answer.catScore()).hasValue(0.75);
    assertThat(answer.threshold()).hasValue(TestPipeline.THRESHOLD);
    assertThat(answer.model()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo("v1"));
    assertThat(answer.decidedBy()).contains(ClassificationTrigger.INITIAL);
    assertThat(answer.submissions()).singleElement().satisfies(s -> {
      assertThat(s.submissionId()).isEqualTo(result.submissionId());
      assertThat(s.fileName()).map(Object::toString).contains("cat.png");
    });
    assertThat(answer.debug()).isEmpty();
  }

  @Test
  void debugAddsTheEvidence() throws Exception {
    byte[] png = TestImages.png(2);
    ImageId id = ImageId.sha256Of(png);
    p.detector.score(id, 0.1).failTimes(id, 1);
    p.upload(png, "batch-1", "dog.png");
    p.drain();
    p.projectAll();

    ImageAnswer answer = p.query.image(id.value(), true);

    assertThat(answer.answer()).contains(Answer.NO);
    assertThat(answer.debug()).hasValueSatisfying(d -> {
      assertThat(d.detections()).singleElement().satisfies(det -> assertThat(det.label()).isEqualTo("cat"));
      assertThat(d.timingsMs()).containsKeys("decode", "inference");
      assertThat(d.attempts()).isEqualTo(2);
      assertThat(d.lastFailure()).isPresent();
      assertThat(d.raw()).containsEntry("cat_score", 0.1);
      assertThat(d.contentType()).isEqualTo("image/png");
      assertThat(d.width()).isEqualTo(16);
    });
  }

  @Test
  void aSubmissionThatAskedForDebugGetsItWithoutAsking() throws Exception {
    byte[] png = TestImages.png(3);
    p.ingest.ingest(
        io.catwrangler.core.ingest.Upload.of(png, io.catwrangler.events.SubmissionSource.API).withDebug(true));

    assertThat(p.query.image(ImageId.sha256Of(png).value(), false).debug()).isPresent();
  }

  @Test
  void anImageTheProjectorHasNotReachedIsPendingNotMissing() throws Exception {
    IngestResult result = p.upload(TestImages.png(4), "batch-1", "cat.png");

    ImageAnswer answer = p.query.image(result.imageId().value(), false);

    assertThat(answer.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(answer.answer()).isEmpty();
    assertThat(answer.catScore()).isEmpty();
  }

  @Test
  void idsAreCheckedAndUnknownOnesAreNotFound() throws Exception {
    IngestResult result = p.upload(TestImages.png(5), "batch-1", "cat.png");

    assertThatThrownBy(() -> p.query.image("not-a-sha", false))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("INVALID_ID"));
    assertThatThrownBy(() -> p.query.history("../etc")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> p.query.batch("a b", Optional.empty(), 10)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> p.query.image("0".repeat(64), false)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> p.query.history("0".repeat(64))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> p.query.batch("nobody", Optional.empty(), 10)).isInstanceOf(NotFoundException.class);
    assertThat(p.query.image(result.imageId().value().toUpperCase(Locale.ROOT), false).imageId())
        .isEqualTo(result.imageId());
  }

  @Test
  void historyIsEveryEventOldestFirst() throws Exception {
    IngestResult result = p.upload(TestImages.png(6), "batch-1", "cat.png");
    p.drain();

    var history = p.query.history(result.imageId().value());

    assertThat(history).hasSize(2);
    assertThat(history.get(0)).isInstanceOf(ImageReceived.class);
    assertThat(history.get(1)).isInstanceOf(ClassificationSucceeded.class);
  }

  @Test
  void aBatchIsPagedWithCountsPerStatus() throws Exception {
    for (int i = 0; i < 5; i++) {
      byte[] png = TestImages.png(10 + i);
      if (i == 4) {
        p.detector.reject(ImageId.sha256Of(png));
      }
      p.upload(png, "batch-x", "img" + i + ".png");
    }
    p.drain();
    p.upload(TestImages.png(20), "batch-x", "late.png"); // still pending
    p.projectAll();

    List<ImageId> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    BatchPage page;
    do {
      page = p.query.batch("batch-x", cursor, 4);
      page.images().forEach(e -> seen.add(e.imageId()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());

    assertThat(seen).hasSize(6).doesNotHaveDuplicates();
    assertThat(page.counts())
        .containsEntry(ImageStatus.CLASSIFIED, 4L)
        .containsEntry(ImageStatus.FAILED, 1L)
        .containsEntry(ImageStatus.PENDING, 1L);
    assertThatThrownBy(() -> p.query.batch("batch-x", Optional.of("garbage"), 4))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> p.query.batch("batch-x", Optional.empty(), 0))
        .isInstanceOf(InvalidRequestException.class);
  }
}
