package io.catwrangler.aws.internal;

import io.catwrangler.core.port.StoreRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB counts for an item, by its documented rules (attribute names and values as UTF-8 bytes, numbers
 * up to 21 bytes, 3 bytes of overhead per list or map plus 1 per element), checked against its 400 KB item limit
 * before a write: the write would fail with a {@code ValidationException} that says nothing about which item.
 */
public final class ItemSize {
  /** DynamoDB's limit for one item, names and values included. */
  public static final int MAX_ITEM_BYTES = 400 * 1024;

  private ItemSize() {}

  /** The item's size in bytes as DynamoDB counts it (numbers counted at their upper bound). */
  public static long of(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      bytes += utf8(e.getKey()) + value(e.getValue());
    }
    return bytes;
  }

  /**
   * @throws StoreRejectedException (code {@code ItemTooLarge}) when the item is over {@link #MAX_ITEM_BYTES}
   */
  public static void requireWithinLimit(Map<String, AttributeValue> item, String what) {
    long bytes = of(item);
    if (bytes > MAX_ITEM_BYTES) {
      throw new StoreRejectedException(
          what + " is " + bytes + " bytes, over DynamoDB's " + MAX_ITEM_BYTES + "-byte item limit", "ItemTooLarge",
          null);
    }
  }

  private static long value(AttributeValue v) {
    if (v.s() != null) {
      return utf8(v.s());
    }
    if (v.n() != null) {
      return Math.min(21, v.n().length() / 2 + 2);
    }
    if (v.b() != null) {
      return v.b().asByteArray().length;
    }
    if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
      return 1;
    }
    if (v.hasL()) {
      return 3 + v.l().stream().mapToLong(e -> 1 + value(e)).sum();
    }
    if (v.hasM()) {
      return 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
    }
    if (v.hasSs()) {
      return v.ss().stream().mapToLong(ItemSize::utf8).sum();
    }
    if (v.hasNs()) {
      return v.ns().stream().mapToLong(n -> Math.min(21, n.length() / 2 + 2)).sum();
    }
    if (v.hasBs()) {
      return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
    }
    return 0;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
