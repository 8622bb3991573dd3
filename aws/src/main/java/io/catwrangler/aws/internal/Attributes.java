package io.catwrangler.aws.internal;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Building and reading DynamoDB attribute values without the builder noise. */
public final class Attributes {
  private Attributes() {}

  public static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  public static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  public static AttributeValue n(double value) {
    return AttributeValue.fromN(Double.toString(value));
  }

  public static Optional<String> string(Map<String, AttributeValue> item, String name) {
    return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
  }

  public static String requiredString(Map<String, AttributeValue> item, String name) {
    return string(item, name).orElseThrow(() -> new IllegalStateException("item has no string attribute " + name));
  }

  public static Optional<Long> number(Map<String, AttributeValue> item, String name) {
    return Optional.ofNullable(item.get(name)).map(AttributeValue::n).map(Long::parseLong);
  }

  public static long requiredNumber(Map<String, AttributeValue> item, String name) {
    return number(item, name).orElseThrow(() -> new IllegalStateException("item has no number attribute " + name));
  }
}
