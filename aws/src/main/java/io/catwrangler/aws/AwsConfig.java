package io.catwrangler.aws;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.events.DetectorModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything the AWS runtime is configured with, read from environment variables in this one place and validated
 * at start (a Lambda with a bad setting fails its first invocation with every problem listed, not a later one
 * with the first).
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code CW_EVENT_TABLE}</td><td>event table name</td><td>required</td></tr>
 *   <tr><td>{@code CW_VIEW_TABLE}</td><td>results view table name</td><td>required</td></tr>
 *   <tr><td>{@code CW_IDEMPOTENCY_TABLE}</td><td>idempotency table name</td><td>required</td></tr>
 *   <tr><td>{@code CW_BUCKET}</td><td>image bucket ({@code incoming/}, {@code images/})</td><td>required</td></tr>
 *   <tr><td>{@code CW_CLASSIFY_QUEUE_URL}</td><td>classify queue URL</td><td>none</td></tr>
 *   <tr><td>{@code CW_DETECTOR}</td><td>{@code embedded} or {@code rekognition}</td><td>embedded</td></tr>
 *   <tr><td>{@code CW_BOXES}</td><td>embedded detector: {@code always} runs CenterNet beside the classifier for
 *       boxes, {@code never} answers with the classifier alone</td><td>never</td></tr>
 *   <tr><td>{@code CW_THRESHOLD}</td><td>cat-score threshold in [0, 1] (Rekognition)</td><td>0.30</td></tr>
 *   <tr><td>{@code CW_REKOGNITION_MIN_CONFIDENCE}</td><td>DetectLabels MinConfidence, 0–100</td><td>50</td></tr>
 *   <tr><td>{@code CW_REKOGNITION_MODEL_VERSION}</td><td>model version recorded for Rekognition answers</td>
 *       <td>3.0</td></tr>
 *   <tr><td>{@code CW_DETECTOR_MAX_ATTEMPTS}</td><td>detector calls per image when throttled</td><td>4</td></tr>
 *   <tr><td>{@code CW_MAX_BYTES}</td><td>largest image in bytes</td><td>15 MiB</td></tr>
 *   <tr><td>{@code CW_MAX_SIDE}</td><td>largest width or height in pixels</td><td>10000</td></tr>
 *   <tr><td>{@code CW_MAX_PIXELS}</td><td>largest width × height</td><td>50000000</td></tr>
 *   <tr><td>{@code CW_MAX_ATTEMPTS}</td><td>deliveries per message: the queue's {@code maxReceiveCount}</td>
 *       <td>5</td></tr>
 *   <tr><td>{@code CW_IDEMPOTENCY_EXPIRES_SECONDS}</td><td>how long a completed result is reused</td><td>3600</td></tr>
 *   <tr><td>{@code CW_UPLOAD_URL_EXPIRES_SECONDS}</td><td>lifetime of a presigned upload URL ({@code POST /uploads}),
 *       1 to 3600</td><td>300</td></tr>
 *   <tr><td>{@code CW_CLASSIFY_IMAGE_BUDGET_SECONDS}</td><td>classify-fn starts no image with less Lambda time left
 *       than this: the rest of the batch goes back to the queue instead of timing out with it</td><td>20</td></tr>
 *   <tr><td>{@code CW_CLASSIFY_MODEL_NAME}, {@code CW_CLASSIFY_MODEL_VERSION}</td><td>the model classify-fn answers
 *       with, as its answers record it: the one {@code GET /quality} measures (query-fn requires both; Terraform
 *       sets them from {@code detector})</td><td>none</td></tr>
 * </table>
 *
 * Region, credentials and endpoints are the SDK's own ({@code AWS_REGION}, the Lambda role, {@code AWS_ENDPOINT_URL}).
 */
public record AwsConfig(
    String eventTable,
    String viewTable,
    String idempotencyTable,
    String bucket,
    Optional<String> classifyQueueUrl,
    DetectorChoice detector,
    double threshold,
    double rekognitionMinConfidence,
    String rekognitionModelVersion,
    int detectorMaxAttempts,
    ImageLimits imageLimits,
    int maxAttempts,
    Duration idempotencyExpiresAfter,
    Duration uploadUrlExpiresAfter,
    Duration classifyImageBudget,
    boolean boxes,
    Optional<DetectorModel> classifyModel) {

  /** How long a presigned upload URL from {@code POST /uploads} stays valid unless configured. */
  public static final Duration DEFAULT_UPLOAD_URL_EXPIRY = Duration.ofMinutes(5);

  /**
   * The Lambda time classify-fn wants left before it starts an image: a 15 MiB, 50-megapixel JPEG read from S3,
   * decoded and run through the model, or Rekognition with its throttling retries, with room to spare.
   */
  public static final Duration DEFAULT_CLASSIFY_IMAGE_BUDGET = Duration.ofSeconds(20);

  /** Which detector classify-fn runs. */
  public enum DetectorChoice {
    EMBEDDED,
    REKOGNITION
  }

  public AwsConfig {
    List<String> problems = new ArrayList<>();
    requireName(eventTable, "CW_EVENT_TABLE", problems);
    requireName(viewTable, "CW_VIEW_TABLE", problems);
    requireName(idempotencyTable, "CW_IDEMPOTENCY_TABLE", problems);
    requireName(bucket, "CW_BUCKET", problems);
    Objects.requireNonNull(classifyQueueUrl, "classify queue url (use Optional.empty())");
    Objects.requireNonNull(detector, "detector");
    if (!(threshold >= 0 && threshold <= 1)) {
      problems.add("CW_THRESHOLD must be in [0, 1], was " + threshold);
    }
    if (!(rekognitionMinConfidence >= 0 && rekognitionMinConfidence <= 100)) {
      problems.add("CW_REKOGNITION_MIN_CONFIDENCE must be in [0, 100], was " + rekognitionMinConfidence);
    }
    requireName(rekognitionModelVersion, "CW_REKOGNITION_MODEL_VERSION", problems);
    if (detectorMaxAttempts < 1 || detectorMaxAttempts > 10) {
      problems.add("CW_DETECTOR_MAX_ATTEMPTS must be 1 to 10, was " + detectorMaxAttempts);
    }
    Objects.requireNonNull(imageLimits, "image limits");
    if (maxAttempts < 1 || maxAttempts > 1000) {
      problems.add("CW_MAX_ATTEMPTS must be 1 to 1000 (SQS maxReceiveCount), was " + maxAttempts);
    }
    Objects.requireNonNull(idempotencyExpiresAfter, "idempotency expiry");
    if (idempotencyExpiresAfter.isNegative() || idempotencyExpiresAfter.isZero()) {
      problems.add("CW_IDEMPOTENCY_EXPIRES_SECONDS must be positive");
    }
    Objects.requireNonNull(uploadUrlExpiresAfter, "upload url expiry");
    if (uploadUrlExpiresAfter.getSeconds() < 1 || uploadUrlExpiresAfter.getSeconds() > 3600) {
      problems.add("CW_UPLOAD_URL_EXPIRES_SECONDS must be 1 to 3600 (a short-lived URL), was "
          + uploadUrlExpiresAfter.getSeconds());
    }
    Objects.requireNonNull(classifyImageBudget, "classify image budget");
    if (classifyImageBudget.getSeconds() < 1 || classifyImageBudget.getSeconds() > 900) {
      problems.add("CW_CLASSIFY_IMAGE_BUDGET_SECONDS must be 1 to 900 (below classify's timeout), was "
          + classifyImageBudget.getSeconds());
    }
    Objects.requireNonNull(classifyModel, "classify model (use Optional.empty())");
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
    }
  }

  /** The configuration of this process, from its environment variables. */
  public static AwsConfig fromEnvironment() {
    return from(System.getenv());
  }

  /**
   * The configuration in {@code env} (variable name to value).
   *
   * @throws IllegalArgumentException every missing or invalid setting, in one message
   */
  public static AwsConfig from(Map<String, String> env) {
    Reader read = new Reader(env);
    ImageLimits defaults = ImageLimits.DEFAULT;
    long maxBytes = read.number("CW_MAX_BYTES", defaults.maxBytes(), Long::parseLong);
    int maxSide = read.number("CW_MAX_SIDE", defaults.maxSide(), Integer::parseInt);
    long maxPixels = read.number("CW_MAX_PIXELS", defaults.maxPixels(), Long::parseLong);
    ImageLimits limits = defaults;
    if (maxBytes > 0 && maxSide > 0 && maxPixels > 0) {
      limits = new ImageLimits(maxBytes, maxSide, maxPixels);
    } else {
      read.problems.add("CW_MAX_BYTES, CW_MAX_SIDE and CW_MAX_PIXELS must be positive");
    }
    String eventTable = read.text("CW_EVENT_TABLE").orElse("");
    String viewTable = read.text("CW_VIEW_TABLE").orElse("");
    String idempotencyTable = read.text("CW_IDEMPOTENCY_TABLE").orElse("");
    String bucket = read.text("CW_BUCKET").orElse("");
    DetectorChoice detector =
        read.text("CW_DETECTOR")
            .map(
                name -> {
                  try {
                    return DetectorChoice.valueOf(name.trim().toUpperCase(Locale.ROOT));
                  } catch (IllegalArgumentException e) {
                    read.problems.add("CW_DETECTOR must be embedded or rekognition, was " + name);
                    return DetectorChoice.EMBEDDED;
                  }
                })
            .orElse(DetectorChoice.EMBEDDED);
    double threshold = read.number("CW_THRESHOLD", PipelineConfig.DEFAULT_THRESHOLD, Double::parseDouble);
    double minConfidence = read.number("CW_REKOGNITION_MIN_CONFIDENCE", 50.0, Double::parseDouble);
    String modelVersion = read.text("CW_REKOGNITION_MODEL_VERSION").orElse("3.0");
    int detectorAttempts = read.number("CW_DETECTOR_MAX_ATTEMPTS", 4, Integer::parseInt);
    int maxAttempts = read.number("CW_MAX_ATTEMPTS", PipelineConfig.DEFAULTS.maxAttempts(), Integer::parseInt);
    long expiresSeconds =
        read.number(
            "CW_IDEMPOTENCY_EXPIRES_SECONDS",
            DynamoDbIdempotencyStore.DEFAULT_EXPIRES_AFTER.getSeconds(),
            Long::parseLong);
    boolean boxes = read.text("CW_BOXES").map(value -> switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "always" -> true;
      case "never" -> false;
      default -> {
        read.problems.add("CW_BOXES must be always or never, was " + value);
        yield false;
      }
    }).orElse(false);
    long uploadSeconds = read.number("CW_UPLOAD_URL_EXPIRES_SECONDS", DEFAULT_UPLOAD_URL_EXPIRY.getSeconds(),
        Long::parseLong);
    long budgetSeconds = read.number("CW_CLASSIFY_IMAGE_BUDGET_SECONDS", DEFAULT_CLASSIFY_IMAGE_BUDGET.getSeconds(),
        Long::parseLong);
    Optional<String> classifyName = read.text("CW_CLASSIFY_MODEL_NAME");
    Optional<String> classifyVersion = read.text("CW_CLASSIFY_MODEL_VERSION");
    Optional<DetectorModel> classifyModel = Optional.empty();
    if (classifyName.isPresent() != classifyVersion.isPresent()) {
      read.problems.add("CW_CLASSIFY_MODEL_NAME and CW_CLASSIFY_MODEL_VERSION go together: give both or neither");
    } else if (classifyName.isPresent()) {
      try {
        classifyModel = Optional.of(new DetectorModel(classifyName.get(), classifyVersion.get()));
      } catch (IllegalArgumentException e) {
        read.problems.add("CW_CLASSIFY_MODEL_NAME and CW_CLASSIFY_MODEL_VERSION must be 1 to 128 characters each");
      }
    }
    List<String> problems = new ArrayList<>(read.problems);
    try {
      AwsConfig config =
          new AwsConfig(
              eventTable,
              viewTable,
              idempotencyTable,
              bucket,
              read.text("CW_CLASSIFY_QUEUE_URL"),
              detector,
              threshold,
              minConfidence,
              modelVersion,
              detectorAttempts,
              limits,
              maxAttempts,
              Duration.ofSeconds(Math.max(expiresSeconds, 0)),
              Duration.ofSeconds(Math.max(uploadSeconds, 0)),
              Duration.ofSeconds(Math.max(budgetSeconds, 0)),
              boxes,
              classifyModel);
      if (problems.isEmpty()) {
        return config;
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage().replaceFirst("^invalid configuration: ", ""));
    }
    throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
  }

  /** The use cases' settings on AWS. */
  public PipelineConfig pipeline() {
    return new PipelineConfig(imageLimits, threshold, maxAttempts, PipelineConfig.DEFAULTS.maxConflictRetries());
  }

  /**
   * The model classify-fn answers with, for {@code GET /quality} on query-fn.
   *
   * @throws IllegalArgumentException not configured
   */
  public DetectorModel requireClassifyModel() {
    return classifyModel.orElseThrow(() -> new IllegalArgumentException("invalid configuration:"
        + " CW_CLASSIFY_MODEL_NAME and CW_CLASSIFY_MODEL_VERSION are required: GET /quality measures the model"
        + " classify-fn answers with"));
  }

  private static void requireName(String value, String variable, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add(variable + " is required");
    }
  }

  /** Reads variables, collecting every problem instead of stopping at the first. */
  private static final class Reader {
    final Map<String, String> env;
    final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "environment");
    }

    Optional<String> text(String name) {
      return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    <T> T number(String name, T fallback, Function<String, T> parse) {
      Optional<String> value = text(name);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        return parse.apply(value.get());
      } catch (NumberFormatException e) {
        problems.add(name + " must be a number, was " + value.get());
        return fallback;
      }
    }
  }
}
