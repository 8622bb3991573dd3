package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.n;
import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.notify.AnnouncedBatches;
import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.events.BatchId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The counter item of each batch in the results view table ({@code pk = counts#{batch id}}, {@code sk = counts}):
 * {@code pending}, {@code classified}, {@code failed}, {@code yes}, {@code no} and {@code announced_total}. The counts
 * move only in the transaction that writes or deletes one of the batch's membership items ({@link CountedMemberships},
 * decision 0042), by the difference between the item's old and new status and answer, so they always equal a recount
 * of the membership items. Outside the batch's own partition, so a batch listing never meets it.
 */
public final class DynamoDbBatchCounters implements AnnouncedBatches {
  static final String PENDING = "pending";
  static final String CLASSIFIED = "classified";
  static final String FAILED = "failed";
  static final String YES = "yes";
  static final String NO = "no";
  static final String ANNOUNCED_TOTAL = "announced_total";
  private static final String COUNTS_PREFIX = "counts#";
  private static final String COUNTS_SK = "counts";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbBatchCounters(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** The batch's counts, eventually consistent (half a read unit): what {@code GET /batches/{id}} shows. */
  BatchCounts counts(BatchId batchId) {
    return counts(item(batchId, false));
  }

  /**
   * One strongly consistent GetItem: the projector decides right after its own transaction moved the counts, and an
   * eventually consistent read could miss the move that completes the batch (nothing would ever announce it then).
   */
  @Override
  public Tally tally(BatchId batchId) {
    Map<String, AttributeValue> item = item(batchId, true);
    return new Tally(counts(item), number(item, ANNOUNCED_TOTAL));
  }

  @Override
  public void announced(BatchId batchId, long total) {
    try {
      dynamo.updateItem(u -> u.tableName(table).key(key(batchId))
          .updateExpression("SET #a = :t")
          .expressionAttributeNames(Map.of("#a", ANNOUNCED_TOTAL))
          .expressionAttributeValues(Map.of(":t", n(total))));
    } catch (SdkException e) {
      throw AwsFailures.failed("record the announced completion of batch " + batchId, e);
    }
  }

  /** The counter update that moves the batch's counts by {@code delta}, for a transaction. */
  Update add(BatchId batchId, BatchCounts delta) {
    return Update.builder().tableName(table).key(key(batchId))
        .updateExpression("ADD #p :p, #c :c, #f :f, #y :y, #n :n")
        .expressionAttributeNames(Map.of("#p", PENDING, "#c", CLASSIFIED, "#f", FAILED, "#y", YES, "#n", NO))
        .expressionAttributeValues(Map.of(":p", n(delta.pending()), ":c", n(delta.classified()),
            ":f", n(delta.failed()), ":y", n(delta.yes()), ":n", n(delta.no())))
        .build();
  }

  static Map<String, AttributeValue> key(BatchId batchId) {
    return Map.of(DynamoDbResultView.PK, s(COUNTS_PREFIX + batchId.value()), DynamoDbResultView.SK, s(COUNTS_SK));
  }

  private Map<String, AttributeValue> item(BatchId batchId, boolean consistent) {
    try {
      Map<String, AttributeValue> item =
          dynamo.getItem(g -> g.tableName(table).key(key(batchId)).consistentRead(consistent)).item();
      return item == null ? Map.of() : new HashMap<>(item);
    } catch (SdkException e) {
      throw AwsFailures.failed("read the counts of batch " + batchId, e);
    }
  }

  private static BatchCounts counts(Map<String, AttributeValue> item) {
    return new BatchCounts(number(item, PENDING), number(item, CLASSIFIED), number(item, FAILED), number(item, YES),
        number(item, NO));
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
  }
}
