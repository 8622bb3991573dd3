package io.catwrangler.events;

import java.util.Arrays;
import java.util.Optional;

/** How the bytes arrived: the upload API, a presigned upload, or an object put straight into the bucket. */
public enum SubmissionSource {
  API("api"),
  PRESIGNED("presigned"),
  S3("s3");

  private final String wireName;

  SubmissionSource(String wireName) {
    this.wireName = wireName;
  }

  /** The value in JSON. */
  public String wireName() {
    return wireName;
  }

  public static Optional<SubmissionSource> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}
