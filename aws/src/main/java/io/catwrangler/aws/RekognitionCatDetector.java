package io.catwrangler.aws;

import io.catwrangler.aws.internal.SdkJson;
import io.catwrangler.core.detection.CatDetector;
import io.catwrangler.core.detection.CatVerdict;
import io.catwrangler.core.detection.DetectorUnavailableException;
import io.catwrangler.core.detection.StageTimings;
import io.catwrangler.core.image.ImageInfo;
import io.catwrangler.core.image.ImageInspector;
import io.catwrangler.core.image.ImageLimits;
import io.catwrangler.core.image.ImageRejectedException;
import io.catwrangler.core.image.ImageTooLargeException;
import io.catwrangler.core.image.InvalidImageException;
import io.catwrangler.events.Box;
import io.catwrangler.events.DetectedObject;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.ImageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.Instance;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.rekognition.model.Parent;

/**
 * Amazon Rekognition {@code DetectLabels} as a {@link CatDetector}.
 *
 * <ul>
 *   <li>The image is the S3 object {@code images/{sha256}} of the image bucket (the classify step stores it there
 *       before detecting), so its bytes are not sent again; without a bucket the bytes go inline (at most 5 MB).
 *   <li>No {@code MaxLabels}: a cat ranked below other labels is still seen. {@code MinConfidence} is the configured
 *       floor (never above the threshold), so the raw response keeps weaker labels for re-deciding later.
 *   <li>Cat score: the highest confidence (as a fraction) of a label named {@code Cat} or with {@code Cat} among its
 *       parents ({@code Kitten}, say); {@code is_cat} when it reaches the threshold.
 *   <li>Detections: every label instance with a bounding box, the box's ratios turned into pixels with the width
 *       and height from the image header, best first. (Boxes of a JPEG with an EXIF rotation of 90° or 270° are
 *       relative to the rotated frame, which the header does not tell; they are kept as Rekognition gave them.)
 *   <li>The whole response, in Rekognition's own field names, is kept as {@link CatVerdict#raw()}.
 *   <li>Throttling ({@code ThrottlingException}, {@code ProvisionedThroughputExceededException}) and server errors
 *       are retried by the client's retry strategy with exponential backoff ({@link AwsClients#rekognition}); when
 *       it gives up, {@link DetectorUnavailableException}. An image Rekognition refuses is an
 *       {@link ImageRejectedException}.
 * </ul>
 */
public final class RekognitionCatDetector implements CatDetector {
  public static final String DETECTOR_NAME = "amazon-rekognition-detect-labels";
  /** Rekognition's limit for an image sent inline. */
  public static final long MAX_INLINE_BYTES = 5L * 1024 * 1024;
  /** Rekognition's limit for an image in S3. */
  public static final long MAX_S3_BYTES = 15L * 1024 * 1024;
  private static final String CAT = "Cat";

  private final RekognitionClient rekognition;
  private final Optional<String> bucket;
  private final double threshold;
  private final float minConfidence;
  private final DetectorModel model;
  private final ImageInspector inspector;
  private final boolean ownsClient;

  /**
   * @param bucket the image bucket holding {@code images/{sha256}}; empty to send bytes inline
   * @param threshold the cat-score threshold in [0, 1]
   * @param minConfidence DetectLabels' {@code MinConfidence} in [0, 100]; lowered to the threshold if above it
   * @param modelVersion the version recorded with every answer, e.g. "3.0" (Rekognition's label model version)
   */
  public RekognitionCatDetector(
      RekognitionClient rekognition,
      Optional<String> bucket,
      double threshold,
      double minConfidence,
      String modelVersion,
      ImageLimits limits) {
    this(rekognition, bucket, threshold, minConfidence, modelVersion, limits, false);
  }

  private RekognitionCatDetector(
      RekognitionClient rekognition,
      Optional<String> bucket,
      double threshold,
      double minConfidence,
      String modelVersion,
      ImageLimits limits,
      boolean ownsClient) {
    this.ownsClient = ownsClient;
    this.rekognition = Objects.requireNonNull(rekognition, "rekognition");
    this.bucket = Objects.requireNonNull(bucket, "bucket (use Optional.empty())");
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
    }
    if (!(minConfidence >= 0 && minConfidence <= 100)) {
      throw new IllegalArgumentException("min confidence must be in [0, 100], was " + minConfidence);
    }
    this.threshold = threshold;
    this.minConfidence = (float) Math.min(minConfidence, threshold * 100);
    this.model = new DetectorModel(DETECTOR_NAME, modelVersion);
    this.inspector = new ImageInspector(Objects.requireNonNull(limits, "limits"));
  }

  /** The detector {@code config} asks for, with its own client. */
  public static RekognitionCatDetector create(AwsConfig config) {
    return new RekognitionCatDetector(
        AwsClients.rekognition(config.detectorMaxAttempts(), Duration.ofMillis(500), Duration.ofSeconds(10)),
        Optional.of(config.bucket()),
        config.threshold(),
        config.rekognitionMinConfidence(),
        config.rekognitionModelVersion(),
        config.imageLimits(),
        true);
  }

  /** Closes the client if {@link #create} made it; a client handed in belongs to the caller. */
  @Override
  public void close() {
    if (ownsClient) {
      rekognition.close();
    }
  }

  @Override
  public DetectorModel model() {
    return model;
  }

  /**
   * Checks the bytes (format, size, header dimensions), then asks Rekognition about the stored copy of the image
   * (or the bytes themselves when no bucket is configured).
   */
  @Override
  public CatVerdict detect(byte[] image) throws ImageRejectedException {
    ImageInfo info = inspector.inspect(image);
    if (bucket.isPresent()) {
      return detect(S3ImageStore.imageKey(ImageId.sha256Of(image)), info);
    }
    if (image.length > MAX_INLINE_BYTES) {
      throw new ImageTooLargeException(image.length, MAX_INLINE_BYTES);
    }
    return run(Image.builder().bytes(SdkBytes.fromByteArray(image)).build(), info, MAX_INLINE_BYTES);
  }

  /**
   * Asks Rekognition about an object of the image bucket whose header was already read.
   *
   * @throws IllegalStateException no bucket is configured
   */
  public CatVerdict detect(String key, ImageInfo info) throws ImageRejectedException {
    String in = bucket.orElseThrow(() -> new IllegalStateException("no image bucket configured"));
    if (info.byteSize() > MAX_S3_BYTES) {
      throw new ImageTooLargeException(info.byteSize(), MAX_S3_BYTES);
    }
    return run(Image.builder().s3Object(o -> o.bucket(in).name(key)).build(), info, MAX_S3_BYTES);
  }

  private CatVerdict run(Image image, ImageInfo info, long sizeLimit) throws ImageRejectedException {
    long started = System.nanoTime();
    DetectLabelsResponse response;
    try {
      response = rekognition.detectLabels(r -> r.image(image).minConfidence(minConfidence));
    } catch (InvalidImageFormatException e) {
      throw new InvalidImageException("Rekognition cannot read the image: " + message(e), e);
    } catch (software.amazon.awssdk.services.rekognition.model.ImageTooLargeException e) {
      throw new ImageTooLargeException(info.byteSize(), sizeLimit);
    } catch (InvalidParameterException e) {
      // e.g. an image below Rekognition's minimum dimensions
      throw new InvalidImageException("Rekognition refuses the image: " + message(e), e);
    } catch (SdkException e) {
      throw new DetectorUnavailableException("Rekognition DetectLabels failed: " + message(e), e);
    }
    double millis = (System.nanoTime() - started) / 1e6;
    double catScore = 0;
    List<DetectedObject> detections = new ArrayList<>();
    for (Label label : response.labels()) {
      double confidence = fraction(label.confidence());
      if (isCat(label)) {
        catScore = Math.max(catScore, confidence);
      }
      for (Instance instance : label.instances()) {
        if (instance.boundingBox() != null) {
          detections.add(
              new DetectedObject(
                  label.name().toLowerCase(Locale.ROOT),
                  fraction(instance.confidence() != null ? instance.confidence() : label.confidence()),
                  box(instance, info.width(), info.height())));
        }
      }
    }
    detections.sort(Comparator.comparingDouble(DetectedObject::score).reversed());
    return new CatVerdict(
        catScore >= threshold,
        catScore,
        threshold,
        detections,
        model,
        new StageTimings(Map.of("rekognition", millis)),
        info.width(),
        info.height(),
        SdkJson.toMap(response));
  }

  private static boolean isCat(Label label) {
    return CAT.equalsIgnoreCase(label.name())
        || label.parents().stream().map(Parent::name).anyMatch(CAT::equalsIgnoreCase);
  }

  private static Box box(Instance instance, int width, int height) {
    var b = instance.boundingBox();
    double left = clamp(orZero(b.left()));
    double top = clamp(orZero(b.top()));
    double right = clamp(left + orZero(b.width()));
    double bottom = clamp(top + orZero(b.height()));
    return new Box(left * width, top * height, right * width, bottom * height);
  }

  private static double fraction(Float percent) {
    return clamp(orZero(percent) / 100.0);
  }

  /** The float as the decimal Rekognition wrote (0.1f is 0.1, not 0.10000000149011612). */
  private static double orZero(Float value) {
    return value == null ? 0 : Double.parseDouble(Float.toString(value));
  }

  private static double clamp(double value) {
    return Math.max(0, Math.min(1, value));
  }

  private static String message(SdkException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
