package io.catwrangler.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Object keys as S3 event notifications spell them. */
public final class S3Keys {
  private S3Keys() {}

  /**
   * The real key of an S3 event record's {@code s3.object.key}, which S3 sends URL-encoded with {@code +} for a
   * space ({@code incoming/my+cat%281%29.jpg} is {@code incoming/my cat(1).jpg}).
   *
   * @throws IllegalArgumentException a broken escape ({@code %zz}, a lone {@code %}): not a key S3 sent
   */
  public static String decode(String eventKey) {
    Objects.requireNonNull(eventKey, "event key");
    return URLDecoder.decode(eventKey, StandardCharsets.UTF_8);
  }
}
