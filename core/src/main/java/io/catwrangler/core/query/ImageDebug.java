package io.catwrangler.core.query;

import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.DetectedObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evidence behind an answer ({@code ?debug=true}, or a submission made with {@code X-Debug: true}).
 *
 * @param detections boxes in original pixels after EXIF orientation, best first; empty without a classification
 * @param orientedWidth the frame the boxes refer to; 0 without a classification
 * @param timingsMs milliseconds per stage of the newest classification
 * @param attempts detector runs recorded (successes and failures)
 * @param lastFailure the newest failure, retryable or not
 * @param raw the detector's raw output for the newest classification
 */
public record ImageDebug(
    String contentType,
    long byteSize,
    int width,
    int height,
    List<DetectedObject> detections,
    int orientedWidth,
    int orientedHeight,
    Map<String, Double> timingsMs,
    int attempts,
    Optional<ClassificationFailed> lastFailure,
    Map<String, Object> raw) {}
