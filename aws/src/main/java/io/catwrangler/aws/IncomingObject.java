package io.catwrangler.aws;

import java.util.Map;
import java.util.Objects;

/**
 * An object that arrived under {@code incoming/}, as HeadObject found it: its size, checked against the limits
 * before anything is downloaded, its ETag, so that the bytes read and the bytes promoted are the ones checked, and its
 * user metadata ({@code x-amz-meta-*}, names without the prefix, lower case: {@link ArrivalMetadata}).
 */
public record IncomingObject(String key, long size, String eTag, Map<String, String> metadata) {
  public IncomingObject {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    Objects.requireNonNull(eTag, "etag");
    metadata = Map.copyOf(metadata);
  }
}
