package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.events.DetectorModel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsConfigTest {
  private static Map<String, String> required() {
    Map<String, String> env = new HashMap<>();
    env.put("CW_EVENT_TABLE", "cw-events");
    env.put("CW_VIEW_TABLE", "cw-view");
    env.put("CW_IDEMPOTENCY_TABLE", "cw-idempotency");
    env.put("CW_BUCKET", "cw-images");
    return env;
  }

  @Test
  void theRequiredNamesAreEnoughAndEverythingElseHasItsDefault() {
    AwsConfig config = AwsConfig.from(required());

    assertThat(config.eventTable()).isEqualTo("cw-events");
    assertThat(config.viewTable()).isEqualTo("cw-view");
    assertThat(config.idempotencyTable()).isEqualTo("cw-idempotency");
    assertThat(config.bucket()).isEqualTo("cw-images");
    assertThat(config.classifyQueueUrl()).isEmpty();
    assertThat(config.detector()).isEqualTo(AwsConfig.DetectorChoice.EMBEDDED);
    assertThat(config.threshold()).isEqualTo(PipelineConfig.DEFAULT_THRESHOLD);
    assertThat(config.rekognitionMinConfidence()).isEqualTo(50.0);
    assertThat(config.rekognitionModelVersion()).isEqualTo("3.0");
    assertThat(config.imageLimits()).isEqualTo(ImageLimits.DEFAULT);
    assertThat(config.maxAttempts()).isEqualTo(PipelineConfig.DEFAULTS.maxAttempts());
    assertThat(config.idempotencyExpiresAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(config.pipeline().imageLimits()).isEqualTo(ImageLimits.DEFAULT);
  }

  @Test
  void readsEverySetting() {
    Map<String, String> env = required();
    env.put("CW_CLASSIFY_QUEUE_URL", "http://localhost/000000000000/classify");
    env.put("CW_DETECTOR", "Rekognition");
    env.put("CW_THRESHOLD", "0.8");
    env.put("CW_REKOGNITION_MIN_CONFIDENCE", "55");
    env.put("CW_REKOGNITION_MODEL_VERSION", "3.1");
    env.put("CW_DETECTOR_MAX_ATTEMPTS", "6");
    env.put("CW_MAX_BYTES", "1048576");
    env.put("CW_MAX_SIDE", "4000");
    env.put("CW_MAX_PIXELS", "12000000");
    env.put("CW_MAX_ATTEMPTS", "3");
    env.put("CW_IDEMPOTENCY_EXPIRES_SECONDS", "600");

    AwsConfig config = AwsConfig.from(env);

    assertThat(config.classifyQueueUrl()).contains("http://localhost/000000000000/classify");
    assertThat(config.detector()).isEqualTo(AwsConfig.DetectorChoice.REKOGNITION);
    assertThat(config.threshold()).isEqualTo(0.8);
    assertThat(config.rekognitionMinConfidence()).isEqualTo(55.0);
    assertThat(config.rekognitionModelVersion()).isEqualTo("3.1");
    assertThat(config.detectorMaxAttempts()).isEqualTo(6);
    assertThat(config.imageLimits()).isEqualTo(new ImageLimits(1_048_576, 4000, 12_000_000));
    assertThat(config.pipeline().maxAttempts()).isEqualTo(3);
    assertThat(config.pipeline().threshold()).isEqualTo(0.8);
    assertThat(config.idempotencyExpiresAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void listsEveryProblemAtOnce() {
    Map<String, String> env = new HashMap<>();
    env.put("CW_DETECTOR", "opencv");
    env.put("CW_THRESHOLD", "1.5");
    env.put("CW_MAX_BYTES", "lots");

    assertThatThrownBy(() -> AwsConfig.from(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll(
            "CW_EVENT_TABLE is required",
            "CW_VIEW_TABLE is required",
            "CW_IDEMPOTENCY_TABLE is required",
            "CW_BUCKET is required",
            "CW_DETECTOR must be embedded or rekognition, was opencv",
            "CW_THRESHOLD must be in [0, 1], was 1.5",
            "CW_MAX_BYTES must be a number, was lots");
  }

  @Test
  void boxesAreOffUnlessAskedFor() {
    assertThat(AwsConfig.from(required()).boxes()).isFalse();
    Map<String, String> env = required();
    env.put("CW_BOXES", "Always");
    assertThat(AwsConfig.from(env).boxes()).isTrue();
    env.put("CW_BOXES", "never");
    assertThat(AwsConfig.from(env).boxes()).isFalse();
    env.put("CW_BOXES", "sometimes");
    assertThatThrownBy(() -> AwsConfig.from(env)).hasMessageContaining("CW_BOXES must be always or never, was sometimes");
  }

  @Test
  void blankValuesCountAsMissing() {
    Map<String, String> env = required();
    env.put("CW_BUCKET", "  ");

    assertThatThrownBy(() -> AwsConfig.from(env)).hasMessageContaining("CW_BUCKET is required");
  }

  @Test
  void refusesLimitsThatAreNotPositive() {
    Map<String, String> env = required();
    env.put("CW_MAX_SIDE", "0");

    assertThatThrownBy(() -> AwsConfig.from(env)).hasMessageContaining("must be positive");
  }

  @Test
  void theClassifyModelIsGivenWholeOrNotAtAllAndRequiredOnlyWhereAsked() {
    AwsConfig without = AwsConfig.from(required());
    assertThat(without.classifyModel()).isEmpty();
    assertThatThrownBy(without::requireClassifyModel)
        .hasMessageContaining("CW_CLASSIFY_MODEL_NAME and CW_CLASSIFY_MODEL_VERSION are required");

    Map<String, String> env = required();
    env.put("CW_CLASSIFY_MODEL_NAME", "mobilenet-v2-imagenet");
    assertThatThrownBy(() -> AwsConfig.from(env)).hasMessageContaining("give both or neither");
    env.put("CW_CLASSIFY_MODEL_VERSION", "coral-tf1-quant/cascade-v1");
    assertThat(AwsConfig.from(env).requireClassifyModel())
        .isEqualTo(new DetectorModel("mobilenet-v2-imagenet", "coral-tf1-quant/cascade-v1"));
    env.put("CW_CLASSIFY_MODEL_VERSION", "v".repeat(129));
    assertThatThrownBy(() -> AwsConfig.from(env)).hasMessageContaining("1 to 128 characters");
  }
}
