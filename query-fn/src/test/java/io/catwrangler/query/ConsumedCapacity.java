package io.catwrangler.query;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Asks DynamoDB for the capacity every single-item call and Query consumes ({@code ReturnConsumedCapacity=TOTAL},
 * added to each request) and sums what comes back per operation: the read and write units the emulator bills by
 * DynamoDB's rules (item sizes per started KB for writes, 4 KB for reads, halved when eventually consistent).
 */
final class ConsumedCapacity implements ExecutionInterceptor {
  private final Map<String, Double> units = new TreeMap<>();

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
    if (request instanceof PutItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    if (request instanceof GetItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    if (request instanceof QueryRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    if (request instanceof UpdateItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    if (request instanceof DeleteItemRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    if (request instanceof TransactWriteItemsRequest r) {
      return r.toBuilder().returnConsumedCapacity(total).build();
    }
    return request;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    var response = context.response();
    software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity consumed = null;
    if (response instanceof PutItemResponse r) {
      consumed = r.consumedCapacity();
    } else if (response instanceof GetItemResponse r) {
      consumed = r.consumedCapacity();
    } else if (response instanceof QueryResponse r) {
      consumed = r.consumedCapacity();
    } else if (response instanceof UpdateItemResponse r) {
      consumed = r.consumedCapacity();
    } else if (response instanceof DeleteItemResponse r) {
      consumed = r.consumedCapacity();
    } else if (response instanceof TransactWriteItemsResponse r && r.hasConsumedCapacity()) {
      // one entry per table: the items' sizes, each counted twice (a transactional write)
      consumed = software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity.builder()
          .capacityUnits(r.consumedCapacity().stream().mapToDouble(c -> c.capacityUnits() == null ? 0 : c.capacityUnits())
              .sum()).build();
    }
    if (consumed != null && consumed.capacityUnits() != null) {
      synchronized (units) {
        units.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), consumed.capacityUnits(),
            Double::sum);
      }
    }
  }

  /** Units consumed per operation since the last {@link #clear}. */
  Map<String, Double> units() {
    synchronized (units) {
      return new TreeMap<>(units);
    }
  }

  void clear() {
    synchronized (units) {
      units.clear();
    }
  }
}
