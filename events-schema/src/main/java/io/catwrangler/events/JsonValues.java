package io.catwrangler.events;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of JSON-shaped values (maps with string keys, lists, strings, booleans, numbers, null).
 * Numbers are brought to one representation per kind (integers as {@code Long}, fractions as {@code Double}) so a
 * value equals itself after a trip through JSON, whatever a detector or a decoder put in.
 */
final class JsonValues {
  private JsonValues() {}

  static Map<String, Object> copyObject(Map<String, ?> source) {
    Map<String, Object> copy = new LinkedHashMap<>();
    source.forEach((key, value) -> {
      if (key == null) {
        throw new IllegalArgumentException("JSON object keys must not be null");
      }
      copy.put(key, copyValue(value));
    });
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, inner) -> {
        if (!(key instanceof String name)) {
          throw new IllegalArgumentException("JSON object keys must be strings, found " + key);
        }
        copy.put(name, copyValue(inner));
      });
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(inner -> copy.add(copyValue(inner)));
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
    }
    if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
      double number = ((Number) value).doubleValue();
      if (!Double.isFinite(number)) {
        throw new IllegalArgumentException("JSON has no NaN or infinity");
      }
      return number;
    }
    if (value instanceof double[] numbers) {
      List<Object> copy = new ArrayList<>(numbers.length);
      for (double number : numbers) {
        copy.add(copyValue(number));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof float[] numbers) {
      List<Object> copy = new ArrayList<>(numbers.length);
      for (float number : numbers) {
        copy.add(copyValue(number));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
  }
}
