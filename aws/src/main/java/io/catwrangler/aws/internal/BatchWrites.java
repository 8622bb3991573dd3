package io.catwrangler.aws.internal;

import io.catwrangler.core.port.StorageUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** {@code BatchWriteItem} deletes in chunks of 25, sending unprocessed items again with a growing pause. */
public final class BatchWrites {
  private static final int CHUNK = 25;
  private static final int MAX_ROUNDS = 8;

  private final DynamoDbClient dynamo;
  private final String table;

  public BatchWrites(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public void delete(List<Map<String, AttributeValue>> keys) {
    List<WriteRequest> requests = new ArrayList<>(keys.size());
    keys.forEach(k -> requests.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build()));
    for (int from = 0; from < requests.size(); from += CHUNK) {
      write(requests.subList(from, Math.min(from + CHUNK, requests.size())));
    }
  }

  private void write(List<WriteRequest> chunk) {
    List<WriteRequest> pending = chunk;
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == MAX_ROUNDS) {
        throw new StorageUnavailableException(pending.size() + " writes to " + table + " left unprocessed", null);
      }
      if (round > 0) {
        try {
          Thread.sleep(Math.min(1000L, 25L << round));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StorageUnavailableException("interrupted", e);
        }
      }
      List<WriteRequest> send = pending;
      BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, send)));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
    }
  }
}
