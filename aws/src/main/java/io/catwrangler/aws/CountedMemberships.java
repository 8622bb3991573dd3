package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.n;
import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ImageStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Writes and deletes batch membership items together with their batch's counter ({@link DynamoDbBatchCounters}),
 * decision 0042. Each write is conditioned on the status and answer it replaces (and, for a write, on its version
 * being newer), and goes in one TransactWriteItems with the counter updates of its batches, so a counter moves
 * exactly when a membership item changes what it counts: a redelivered, repeated or reordered state changes neither.
 * A write that counts nothing new (a new file name, a new score) is a plain conditional write. Transactions hold at
 * most {@value #MAX_ITEMS} items (DynamoDB's limit): the membership writes and one counter update per batch they
 * touch, so an image in any number of batches is written in as many transactions as it needs, each complete on its
 * own. A condition that fails means the item is not what the caller assumed (newer, removed, or written by someone
 * else meanwhile): the item is read again and the write recomputed from what is there.
 */
final class CountedMemberships {
  static final int MAX_ITEMS = 100;
  private static final int MAX_ROUNDS = 8;

  /** What a membership item counts: its status and answer; absent when there is no item. */
  record Counted(ImageStatus status, Optional<Boolean> isCat) {
    BatchCounts counts() {
      return BatchCounts.of(status, isCat);
    }
  }

  enum Kind {
    /** the item written whole (a new submission names its batch) */
    WHOLE,
    /** status and answer set on an existing item, its file names kept; nothing when the item is gone */
    ANSWER,
    /** the item deleted */
    DELETE
  }

  /**
   * One membership change.
   *
   * @param item for {@link Kind#WHOLE}, the whole item; for {@link Kind#ANSWER}, the attributes to set (absent
   *     {@code is_cat}/{@code cat_score} are removed)
   * @param expected what the item counts now, as the caller believes (empty: no item)
   */
  record Change(Kind kind, BatchId batchId, Map<String, AttributeValue> key, Map<String, AttributeValue> item,
      long version, Optional<Counted> next, Optional<Counted> expected) {
    Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(next, "next");
      Objects.requireNonNull(expected, "expected");
    }

    BatchCounts delta() {
      BatchCounts after = next.map(Counted::counts).orElse(BatchCounts.NONE);
      return after.minus(expected.map(Counted::counts).orElse(BatchCounts.NONE));
    }

    Change expecting(Optional<Counted> actual) {
      return new Change(kind, batchId, key, item, version, next, actual);
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;
  private final DynamoDbBatchCounters counters;

  CountedMemberships(DynamoDbClient dynamo, String table, DynamoDbBatchCounters counters) {
    this.dynamo = dynamo;
    this.table = table;
    this.counters = counters;
  }

  /** Applies every change, each with its counter move; reads again what is not as expected, until none is left. */
  void apply(List<Change> changes) {
    List<Change> todo = changes;
    for (int round = 1; !todo.isEmpty(); round++) {
      if (round > MAX_ROUNDS) {
        throw new StorageUnavailableException(
            "batch membership items kept changing under " + MAX_ROUNDS + " attempts to count them", null);
      }
      if (round > 1) {
        pause(round);
      }
      List<Change> refused = new ArrayList<>();
      List<Change> counted = new ArrayList<>();
      for (Change change : todo) {
        if (change.delta().isZero() && change.kind() != Kind.DELETE) {
          if (!writePlain(change)) {
            refused.add(change);
          }
        } else {
          counted.add(change);
        }
      }
      for (List<Change> chunk : chunks(counted)) {
        if (!transact(chunk)) {
          refused.addAll(chunk);
        }
      }
      todo = reread(refused);
    }
  }

  /** Changes to retry, each expecting what its item holds now; those with nothing left to do are dropped. */
  List<Change> reread(List<Change> changes) {
    List<Change> again = new ArrayList<>();
    for (Change change : changes) {
      Map<String, AttributeValue> item;
      try {
        item = dynamo.getItem(g -> g.tableName(table).key(change.key()).consistentRead(true)
            .projectionExpression("#v, #st, #cat")
            .expressionAttributeNames(Map.of("#v", DynamoDbResultView.VERSION, "#st", DynamoDbResultView.STATUS,
                "#cat", DynamoDbResultView.IS_CAT))).item();
      } catch (SdkException e) {
        throw AwsFailures.failed("read batch membership " + change.key(), e);
      }
      boolean present = item != null && !item.isEmpty();
      if (!present) {
        if (change.kind() == Kind.WHOLE) {
          again.add(change.expecting(Optional.empty()));
        }
        // an answer for an item a rebuild removed (the rebuild writes it again), or a delete already done
        continue;
      }
      long version = Long.parseLong(item.get(DynamoDbResultView.VERSION).n());
      if (change.kind() != Kind.DELETE && version >= change.version()) {
        continue; // as new or newer there already, its counts moved with it
      }
      AttributeValue cat = item.get(DynamoDbResultView.IS_CAT);
      again.add(change.expecting(Optional.of(new Counted(ImageStatus.valueOf(item.get(DynamoDbResultView.STATUS).s()),
          cat == null ? Optional.empty() : Optional.of(cat.bool())))));
    }
    return again;
  }

  /** Chunks of at most {@value #MAX_ITEMS} items: the membership changes and one counter update per batch. */
  private static List<List<Change>> chunks(List<Change> changes) {
    List<List<Change>> chunks = new ArrayList<>();
    List<Change> chunk = new ArrayList<>();
    Map<BatchId, Boolean> batches = new HashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    for (Change change : changes) {
      int items = chunk.size() + batches.size() + 1 + (batches.containsKey(change.batchId()) ? 0 : 1);
      if (items > MAX_ITEMS || keys.contains(change.key())) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        batches.clear();
        keys.clear();
      }
      chunk.add(change);
      batches.put(change.batchId(), true);
      keys.add(change.key());
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  /** False when a condition failed or the transaction met another one: the chunk is read again. */
  private boolean transact(List<Change> chunk) {
    Map<BatchId, BatchCounts> deltas = new LinkedHashMap<>();
    List<TransactWriteItem> items = new ArrayList<>();
    for (Change change : chunk) {
      deltas.merge(change.batchId(), change.delta(), BatchCounts::plus);
      items.add(transactItem(change));
    }
    deltas.forEach((batch, delta) -> {
      if (!delta.isZero()) {
        items.add(TransactWriteItem.builder().update(counters.add(batch, delta)).build());
      }
    });
    try {
      dynamo.transactWriteItems(t -> t.transactItems(items));
      return true;
    } catch (TransactionCanceledException notAsExpected) {
      return false;
    } catch (SdkException e) {
      throw AwsFailures.failed("write batch memberships with their counts", e);
    }
  }

  private boolean writePlain(Change change) {
    Condition c = condition(change);
    try {
      if (change.kind() == Kind.WHOLE) {
        dynamo.putItem(p -> p.tableName(table).item(change.item()).conditionExpression(c.expression())
            .expressionAttributeNames(c.names()).expressionAttributeValues(c.values().isEmpty() ? null : c.values()));
      } else {
        Condition u = answer(change, c);
        dynamo.updateItem(p -> p.tableName(table).key(change.key()).updateExpression(u.expression())
            .conditionExpression(c.expression())
            .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()));
      }
      return true;
    } catch (ConditionalCheckFailedException notAsExpected) {
      return false;
    } catch (SdkException e) {
      throw AwsFailures.failed("write batch membership " + change.key(), e);
    }
  }

  private TransactWriteItem transactItem(Change change) {
    Condition c = condition(change);
    return switch (change.kind()) {
      case WHOLE -> TransactWriteItem.builder().put(Put.builder().tableName(table).item(change.item())
          .conditionExpression(c.expression()).expressionAttributeNames(c.names())
          .expressionAttributeValues(c.values().isEmpty() ? null : c.values()).build()).build();
      case ANSWER -> {
        Condition u = answer(change, c);
        yield TransactWriteItem.builder().update(Update.builder().tableName(table).key(change.key())
            .updateExpression(u.expression()).conditionExpression(c.expression())
            .expressionAttributeNames(u.names()).expressionAttributeValues(u.values()).build()).build();
      }
      case DELETE -> TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(change.key())
          .conditionExpression(c.expression()).expressionAttributeNames(c.names())
          .expressionAttributeValues(c.values().isEmpty() ? null : c.values()).build()).build();
    };
  }

  private record Condition(String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

  /** The item holds what the change expects, and (writes) an older version. */
  private static Condition condition(Change change) {
    Map<String, String> names = new HashMap<>(Map.of("#v", DynamoDbResultView.VERSION));
    Map<String, AttributeValue> values = new HashMap<>();
    if (change.expected().isEmpty()) {
      return new Condition("attribute_not_exists(#v)", names, values);
    }
    Counted expected = change.expected().get();
    names.put("#st", DynamoDbResultView.STATUS);
    names.put("#cat", DynamoDbResultView.IS_CAT);
    values.put(":ost", s(expected.status().name()));
    StringBuilder condition = new StringBuilder("attribute_exists(#v) AND #st = :ost");
    if (expected.isCat().isPresent()) {
      condition.append(" AND #cat = :ocat");
      values.put(":ocat", AttributeValue.fromBool(expected.isCat().get()));
    } else {
      condition.append(" AND attribute_not_exists(#cat)");
    }
    if (change.kind() != Kind.DELETE) {
      condition.append(" AND #v < :v");
      values.put(":v", n(change.version()));
    }
    return new Condition(condition.toString(), names, values);
  }

  /** The update of an answer-only change, with the condition's names and values merged in. */
  private static Condition answer(Change change, Condition condition) {
    Map<String, String> names = new HashMap<>(condition.names());
    Map<String, AttributeValue> values = new HashMap<>(condition.values());
    names.put("#v", DynamoDbResultView.VERSION);
    names.put("#st", DynamoDbResultView.STATUS);
    names.put("#cat", DynamoDbResultView.IS_CAT);
    names.put("#score", DynamoDbResultView.CAT_SCORE);
    values.put(":v", n(change.version()));
    values.put(":st", change.item().get(DynamoDbResultView.STATUS));
    StringBuilder set = new StringBuilder("SET #v = :v, #st = :st");
    List<String> remove = new ArrayList<>();
    AttributeValue cat = change.item().get(DynamoDbResultView.IS_CAT);
    if (cat != null) {
      set.append(", #cat = :cat");
      values.put(":cat", cat);
    } else {
      remove.add("#cat");
    }
    AttributeValue score = change.item().get(DynamoDbResultView.CAT_SCORE);
    if (score != null) {
      set.append(", #score = :score");
      values.put(":score", score);
    } else {
      remove.add("#score");
    }
    return new Condition(set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove)), names, values);
  }

  /** Between rounds: another writer of the same items is let through first (with jitter, not in lockstep). */
  private static void pause(int round) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L << Math.min(round + 2, 8)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while counting batch memberships", e);
    }
  }
}
