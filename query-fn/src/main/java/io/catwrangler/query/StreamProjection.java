package io.catwrangler.query;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.core.projection.ProjectEvents;
import io.catwrangler.events.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Projects the records of one DynamoDB Streams batch of the event table into the results view, in order.
 *
 * <p>Only INSERT records carry news (events are appended, never changed): MODIFY and REMOVE (a TTL deletion, say) are
 * skipped. Each event goes through {@link ProjectEvents}, whose view writes are conditional on the version, so a
 * record delivered twice or after a newer one changes nothing. The first record that fails stops the batch: its
 * sequence number is returned, and Lambda delivers the batch again from there (records before it are done).
 */
public final class StreamProjection {
  private static final Logger LOG = LoggerFactory.getLogger(StreamProjection.class);

  private final DynamoDbEventStore events;
  private final ProjectEvents projection;

  public StreamProjection(DynamoDbEventStore events, ProjectEvents projection) {
    this.events = Objects.requireNonNull(events, "events");
    this.projection = Objects.requireNonNull(projection, "projection");
  }

  /** The sequence number of the first record that failed; empty when the whole batch is done. */
  public Optional<String> project(List<DynamodbEvent.DynamodbStreamRecord> records) {
    for (DynamodbEvent.DynamodbStreamRecord record : records) {
      if (!"INSERT".equals(record.getEventName())) {
        continue;
      }
      String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
      try {
        Event event = events.decode(sdkItem(record.getDynamodb().getNewImage()));
        MDC.put("correlation_id", event.imageId().value());
        projection.project(List.of(event));
      } catch (RuntimeException e) {
        LOG.error("projection stopped", entry("sequence_number", sequence), entry("event_id", record.getEventID()), e);
        return Optional.of(sequence == null ? "" : sequence);
      } finally {
        MDC.remove("correlation_id");
      }
    }
    return Optional.empty();
  }

  /** The stream record's image in the SDK's attribute types (only strings and numbers are stored). */
  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> sdkItem(
      Map<String, AttributeValue> image) {
    if (image == null) {
      throw new IllegalArgumentException("an INSERT record without NewImage: the stream must be NEW_IMAGE");
    }
    Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>();
    image.forEach((name, value) -> {
      if (value.getS() != null) {
        item.put(name, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(value.getS()));
      } else if (value.getN() != null) {
        item.put(name, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(value.getN()));
      }
    });
    return item;
  }
}
