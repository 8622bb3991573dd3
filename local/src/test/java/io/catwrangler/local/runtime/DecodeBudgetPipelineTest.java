package io.catwrangler.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.image.TestImages;
import io.catwrangler.core.ingest.Upload;
import io.catwrangler.core.query.ImageAnswer;
import io.catwrangler.detector.image.ImageDecoder;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.FailureReason;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.SubmissionSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image whose decode passes its processor-time budget ends FAILED at once, with the reason, not retried: never
 * PENDING, never a second worker. The budget is made tiny instead of the image costly (the decoder's own test shows
 * the same stop on a real decode); the pipeline is the real embedded one.
 */
class DecodeBudgetPipelineTest {
  @TempDir Path dataDir;

  /** The detector's decode step alone, with a 1 ms budget. */
  private static final class DecodingDetector implements CatDetector {
    private final ImageInspector inspector = new ImageInspector(ImageLimits.DEFAULT);
    private final ImageDecoder decoder = new ImageDecoder(512, Duration.ofMillis(1));
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CatVerdict detect(byte[] image) throws ImageRejectedException {
      calls.incrementAndGet();
      decoder.decode(image, inspector.inspect(image));
      throw new AssertionError("the decode should have been stopped");
    }

    @Override
    public DetectorModel model() {
      return new DetectorModel("decode-only", "1");
    }

    @Override
    public void close() {}
  }

  @Test
  void aDecodeOverItsBudgetEndsFailedAtOnceWithItsReason() throws Exception {
    DecodingDetector detector = new DecodingDetector();
    byte[] costly = TestImages.progressiveJpeg(2000, 1500);
    LocalConfig config = LocalConfig.defaults(dataDir).withWorkers(2).withMaxAttempts(3)
        .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    try (LocalRuntime runtime = LocalRuntime.open(config, detector)) {
      runtime.ingest().ingest(Upload.of(costly, SubmissionSource.API));
      assertThat(runtime.awaitIdle(Duration.ofSeconds(30))).isTrue();

      ImageAnswer answer = runtime.query().image(ImageId.sha256Of(costly).value(), false);
      assertThat(answer.status()).isEqualTo(ImageStatus.FAILED);
      ClassificationFailed failed = runtime.query().history(ImageId.sha256Of(costly).value()).stream()
          .filter(ClassificationFailed.class::isInstance).map(ClassificationFailed.class::cast)
          .reduce((a, b) -> b).orElseThrow();
      assertThat(failed.failure().reason()).isEqualTo(FailureReason.INVALID_IMAGE);
      assertThat(failed.failure().retryable()).isFalse();
      assertThat(failed.failure().attempt()).isEqualTo(1);
      assertThat(failed.failure().message()).startsWith("decoding this JPEG was stopped after 0.0 s of processor time");
      assertThat(detector.calls.get()).isEqualTo(1);
    }
  }
}
