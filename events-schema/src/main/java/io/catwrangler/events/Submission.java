package io.catwrangler.events;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The payload of {@link ImageReceived}: one arrival of an image and what was found out about its bytes before any
 * decoding (format by magic bytes, size, header dimensions).
 *
 * @param contentType {@code image/jpeg} or {@code image/png}, sniffed from the bytes, never taken from the request
 * @param width width from the header, before EXIF orientation
 * @param height height from the header, before EXIF orientation
 * @param storageKey where the image store keeps the bytes (content-addressed by sha256)
 * @param debug the submitter asked for debug detail (detections, timings, raw output) in answers
 * @param notifyTarget where the submitter asked to be told about the answers, if anywhere
 */
public record Submission(
    SubmissionId submissionId,
    Optional<BatchId> batchId,
    Optional<ClientId> clientId,
    Optional<FileName> fileName,
    String contentType,
    long byteSize,
    int width,
    int height,
    SubmissionSource source,
    String storageKey,
    boolean debug,
    Optional<NotifyTarget> notifyTarget) {

  public static final Set<String> CONTENT_TYPES = Set.of("image/jpeg", "image/png");

  public Submission {
    Objects.requireNonNull(submissionId, "submission id");
    Objects.requireNonNull(batchId, "batch id (use Optional.empty())");
    Objects.requireNonNull(clientId, "client id (use Optional.empty())");
    Objects.requireNonNull(fileName, "file name (use Optional.empty())");
    if (!CONTENT_TYPES.contains(contentType)) {
      throw new IllegalArgumentException("content type must be one of " + CONTENT_TYPES + ", was " + contentType);
    }
    Scores.requirePositive(byteSize, "byte size");
    Scores.requirePositive(width, "width");
    Scores.requirePositive(height, "height");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(storageKey, "storage key");
    if (storageKey.isBlank() || storageKey.length() > 1024) {
      throw new IllegalArgumentException("storage key must be 1 to 1024 characters");
    }
    Objects.requireNonNull(notifyTarget, "notify target (use Optional.empty())");
  }

  /** A submission that asked for no notification. */
  public Submission(
      SubmissionId submissionId,
      Optional<BatchId> batchId,
      Optional<ClientId> clientId,
      Optional<FileName> fileName,
      String contentType,
      long byteSize,
      int width,
      int height,
      SubmissionSource source,
      String storageKey,
      boolean debug) {
    this(submissionId, batchId, clientId, fileName, contentType, byteSize, width, height, source, storageKey, debug,
        Optional.empty());
  }
}
