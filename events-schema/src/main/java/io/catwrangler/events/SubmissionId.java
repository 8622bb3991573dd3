package io.catwrangler.events;

import java.util.Objects;
import java.util.UUID;

/**
 * One arrival of an image (the same bytes sent twice are two submissions of one image). Random for uploads
 * through the API; name-based for S3 objects, so a redelivered S3 notification is recognised as the same submission.
 */
public record SubmissionId(UUID value) {
  public SubmissionId {
    Objects.requireNonNull(value, "submission id");
  }

  public static SubmissionId random() {
    return new SubmissionId(UUID.randomUUID());
  }

  /** A deterministic id for a submission identified by a stable name, e.g. an S3 object's bucket, key and version. */
  public static SubmissionId fromName(String name) {
    return new SubmissionId(NameBasedUuid.of("submission:" + Objects.requireNonNull(name, "name")));
  }

  /** @throws IllegalArgumentException not a UUID */
  public static SubmissionId of(String value) {
    return new SubmissionId(UUID.fromString(Objects.requireNonNull(value, "submission id")));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
