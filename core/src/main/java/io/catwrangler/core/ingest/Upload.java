package io.catwrangler.core.ingest;

import io.catwrangler.events.SubmissionId;
import io.catwrangler.events.SubmissionSource;
import java.util.Objects;
import java.util.Optional;

/**
 * One upload as it came in: the bytes and the untrusted metadata (headers, form fields, S3 object metadata),
 * not yet validated — {@link IngestImage} checks it.
 *
 * @param bytes the image; not copied, the caller must not change it afterwards
 * @param batchId header {@code X-Batch-Id}
 * @param clientId header {@code X-Client-Id}
 * @param fileName header {@code X-File-Name}, the form field's file name, or the last segment of the S3 key
 * @param submissionId given when the submission has a stable identity (an S3 object: {@code SubmissionId.fromName}),
 *     so a redelivery is recognised; a random one otherwise
 * @param correlationId the request id; the submission id when absent
 * @param notifyUrl header {@code X-Notify-Url}: where to be told when the batch is complete (checked against the
 *     operator's allow-list)
 * @param notifyEachImage header {@code X-Notify-Each-Image}: also one notification per image answered
 */
public record Upload(
    byte[] bytes,
    SubmissionSource source,
    Optional<String> batchId,
    Optional<String> clientId,
    Optional<String> fileName,
    boolean debug,
    Optional<SubmissionId> submissionId,
    Optional<String> correlationId,
    Optional<String> notifyUrl,
    boolean notifyEachImage) {

  public Upload {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(batchId, "batch id (use Optional.empty())");
    Objects.requireNonNull(clientId, "client id (use Optional.empty())");
    Objects.requireNonNull(fileName, "file name (use Optional.empty())");
    Objects.requireNonNull(submissionId, "submission id (use Optional.empty())");
    Objects.requireNonNull(correlationId, "correlation id (use Optional.empty())");
    Objects.requireNonNull(notifyUrl, "notify url (use Optional.empty())");
  }

  /** An upload that asks for no notification. */
  public Upload(
      byte[] bytes,
      SubmissionSource source,
      Optional<String> batchId,
      Optional<String> clientId,
      Optional<String> fileName,
      boolean debug,
      Optional<SubmissionId> submissionId,
      Optional<String> correlationId) {
    this(bytes, source, batchId, clientId, fileName, debug, submissionId, correlationId, Optional.empty(), false);
  }

  public Upload withNotify(String url, boolean eachImage) {
    return new Upload(bytes, source, batchId, clientId, fileName, debug, submissionId, correlationId,
        Optional.of(url), eachImage);
  }

  /** Bytes with no metadata. */
  public static Upload of(byte[] bytes, SubmissionSource source) {
    return new Upload(
        bytes, source, Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty());
  }

  public Upload withBatchId(String value) {
    return new Upload(bytes, source, Optional.of(value), clientId, fileName, debug, submissionId, correlationId,
        notifyUrl, notifyEachImage);
  }

  public Upload withClientId(String value) {
    return new Upload(bytes, source, batchId, Optional.of(value), fileName, debug, submissionId, correlationId,
        notifyUrl, notifyEachImage);
  }

  public Upload withFileName(String value) {
    return new Upload(bytes, source, batchId, clientId, Optional.of(value), debug, submissionId, correlationId,
        notifyUrl, notifyEachImage);
  }

  public Upload withDebug(boolean value) {
    return new Upload(bytes, source, batchId, clientId, fileName, value, submissionId, correlationId,
        notifyUrl, notifyEachImage);
  }

  public Upload withSubmissionId(SubmissionId value) {
    return new Upload(bytes, source, batchId, clientId, fileName, debug, Optional.of(value), correlationId,
        notifyUrl, notifyEachImage);
  }

  public Upload withCorrelationId(String value) {
    return new Upload(bytes, source, batchId, clientId, fileName, debug, submissionId, Optional.of(value),
        notifyUrl, notifyEachImage);
  }
}
