package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.image.ImageTooLargeException;
import io.catwrangler.core.image.InvalidImageException;
import io.catwrangler.core.image.UnsupportedFormatException;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.Lease;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestImageTest {
  private final TestPipeline p = new TestPipeline();

  @Test
  void storesRecordsAndQueuesAnAcceptedUpload() throws Exception {
    byte[] png = TestImages.png(1);

    IngestResult result =
        p.ingest.ingest(
            Upload.of(png, SubmissionSource.API)
                .withBatchId("batch-1")
                .withClientId("upstream")
                .withFileName("../secret/\u202eCAT.png")
                .withDebug(true)
                .withCorrelationId("req-42"));

    assertThat(result.imageId()).isEqualTo(ImageId.sha256Of(png));
    assertThat(result.status()).isEqualTo(ImageStatus.PENDING);
    assertThat(result.isCat()).isEmpty();
    assertThat(p.images.get(result.imageId())).hasValueSatisfying(b -> assertThat(b).isEqualTo(png));
    assertThat(p.stream(result.imageId())).singleElement().isInstanceOfSatisfying(ImageReceived.class, r -> {
      assertThat(r.version()).isEqualTo(1);
      assertThat(r.correlationId()).isEqualTo("req-42");
      var s = r.submission();
      assertThat(s.submissionId()).isEqualTo(result.submissionId());
      assertThat(s.contentType()).isEqualTo("image/png");
      assertThat(s.width()).isEqualTo(16);
      assertThat(s.height()).isEqualTo(12);
      assertThat(s.byteSize()).isEqualTo(png.length);
      assertThat(s.fileName()).map(Object::toString).contains("CAT.png");
      assertThat(s.storageKey()).isEqualTo("images/" + result.imageId());
      assertThat(s.debug()).isTrue();
    });
    List<Lease> queued = p.queue.lease(10, Duration.ofMinutes(1));
    assertThat(queued).singleElement().satisfies(l -> assertThat(l.request().imageId()).isEqualTo(result.imageId()));
  }

  @Test
  void aRejectedUploadStoresAndRecordsNothing() {
    byte[] gif = "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
    byte[] truncatedHeader = Arrays.copyOf(TestImages.png(2), 20);
    byte[] tooLarge = Arrays.copyOf(TestImages.png(3), (int) p.config.imageLimits().maxBytes() + 1);

    assertThatThrownBy(() -> p.upload(gif, "b", "cat.jpg")).isInstanceOf(UnsupportedFormatException.class);
    assertThatThrownBy(() -> p.upload(truncatedHeader, "b", "cat.png")).isInstanceOf(InvalidImageException.class);
    assertThatThrownBy(() -> p.upload(tooLarge, "b", "cat.png")).isInstanceOf(ImageTooLargeException.class);

    assertThat(p.images.size()).isZero();
    assertThat(p.events.all()).isEmpty();
    assertThat(p.queue.depth()).isZero();
  }

  @Test
  void aMalformedBatchIdIsABadRequestAndStoresNothing() {
    assertThatThrownBy(() -> p.upload(TestImages.png(1), "../../etc", "cat.png"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("INVALID_ID"));

    assertThat(p.images.size()).isZero();
    assertThat(p.events.all()).isEmpty();
  }

  @Test
  void theSameBytesTwiceAreTwoSubmissionsOfOneImage() throws Exception {
    byte[] jpeg = TestImages.jpeg(4);

    IngestResult first = p.upload(jpeg, "batch-1", "a.jpg");
    IngestResult second = p.upload(jpeg, "batch-2", "b.jpg");

    assertThat(second.imageId()).isEqualTo(first.imageId());
    assertThat(second.submissionId()).isNotEqualTo(first.submissionId());
    assertThat(p.images.size()).isEqualTo(1);
    assertThat(p.stream(first.imageId())).hasSize(2).allMatch(ImageReceived.class::isInstance);
  }

  @Test
  void anAlreadyClassifiedImageIsAnsweredAtOnce() throws Exception {
    byte[] png = TestImages.png(5);
    p.detector.score(ImageId.sha256Of(png), 0.9);
    p.upload(png, "batch-1", "a.png");
    p.drain();

    IngestResult again = p.upload(png, "batch-2", "b.png");

    assertThat(again.status()).isEqualTo(ImageStatus.CLASSIFIED);
    assertThat(again.isCat()).contains(true);
  }

  @Test
  void aRedeliveredSubmissionIsRecordedOnce() throws Exception {
    byte[] png = TestImages.png(6);
    SubmissionId s3Object = SubmissionId.fromName("bucket/incoming/cat.png#v1");
    Upload upload = Upload.of(png, SubmissionSource.S3).withSubmissionId(s3Object);

    p.ingest.ingest(upload);
    p.ingest.ingest(upload);

    assertThat(p.stream(ImageId.sha256Of(png))).hasSize(1);
  }

  @Test
  void admitStoresButLeavesRecordingToTheClassifier() throws Exception {
    byte[] png = TestImages.png(7);

    ClassifyRequest request = p.ingest.admit(Upload.of(png, SubmissionSource.S3).withFileName("incoming/x/y.png"));

    assertThat(p.images.exists(request.imageId())).isTrue();
    assertThat(p.events.all()).isEmpty();
    assertThat(p.queue.depth()).isZero();
    assertThat(request.submission().fileName()).map(Object::toString).contains("y.png");
    assertThat(request.correlationId()).isEqualTo(request.submission().submissionId().toString());
  }
}
