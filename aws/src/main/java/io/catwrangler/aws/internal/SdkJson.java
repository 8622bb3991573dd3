package io.catwrangler.aws.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * An SDK response as the JSON-shaped map the service sent (its own member names: {@code Labels},
 * {@code Confidence}, …), for keeping a detector's raw output. Walks the model's field descriptions rather than
 * capturing the HTTP body, so it works the same for every protocol and client.
 */
public final class SdkJson {
  private SdkJson() {}

  public static Map<String, Object> toMap(SdkPojo pojo) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (SdkField<?> field : pojo.sdkFields()) {
      Object value = toJson(field.getValueOrDefault(pojo));
      if (value != null) {
        map.put(field.locationName(), value);
      }
    }
    return map;
  }

  private static Object toJson(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Float f) {
      // through the decimal text, so 97.1234f stays 97.1234 and does not become 97.12339782714844
      return Double.parseDouble(Float.toString(f));
    }
    if (value instanceof Number) {
      return value;
    }
    if (value instanceof SdkPojo pojo) {
      return toMap(pojo);
    }
    if (value instanceof Collection<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(toJson(v)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toJson(v)));
      return out;
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof SdkBytes) {
      return null; // binary blobs have no place in a kept JSON record
    }
    return value.toString();
  }
}
