package io.catwrangler.query;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.catwrangler.aws.DynamoDbEventStore;
import io.catwrangler.core.notify.StreamNotifications;
import io.catwrangler.core.projection.ProjectEvents;
import io.catwrangler.events.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the records of one DynamoDB Streams batch of the event table into the results view, in order.
 *
 * <p>Only INSERT records carry news (events are appended, never changed): MODIFY and REMOVE (a TTL deletion, say) are
 * skipped. The batch's events go through {@link ProjectEvents} in one call, which reads and saves each image's row
 * once for all of that image's events in the batch (an S3 arrival's {@code ImageReceived} and its answer are
 * usually appended together, so they arrive together). View writes are conditional on the version, so a record
 * delivered twice or after a newer one changes nothing.
 *
 * <p>A record that cannot be decoded stops the batch there: the records before it are projected and its sequence
 * number is returned, so Lambda delivers the batch again from it. When the projection itself fails, the batch's
 * first sequence number is returned: everything is projected again, which the versioned view makes harmless.
 */
public final class StreamProjection {
  private static final Logger LOG = LoggerFactory.getLogger(StreamProjection.class);

  private final DynamoDbEventStore events;
  private final ProjectEvents projection;
  private final Optional<StreamNotifications> notifications;

  public StreamProjection(DynamoDbEventStore events, ProjectEvents projection) {
    this(events, projection, Optional.empty());
  }

  /** @param notifications published after each batch is projected; a failure delivers the batch again */
  public StreamProjection(
      DynamoDbEventStore events, ProjectEvents projection, Optional<StreamNotifications> notifications) {
    this.events = Objects.requireNonNull(events, "events");
    this.projection = Objects.requireNonNull(projection, "projection");
    this.notifications = Objects.requireNonNull(notifications, "notifications (use Optional.empty())");
  }

  /** The sequence number of the first record that failed; empty when the whole batch is done. */
  public Optional<String> project(List<DynamodbEvent.DynamodbStreamRecord> records) {
    List<Event> batch = new ArrayList<>(records.size());
    Optional<String> first = Optional.empty();
    Optional<String> undecodable = Optional.empty();
    for (DynamodbEvent.DynamodbStreamRecord record : records) {
      if (!"INSERT".equals(record.getEventName())) {
        continue;
      }
      String sequence = record.getDynamodb() == null ? "" : Objects.toString(record.getDynamodb().getSequenceNumber(), "");
      if (first.isEmpty()) {
        first = Optional.of(sequence);
      }
      try {
        batch.add(events.decode(sdkItem(record.getDynamodb().getNewImage())));
      } catch (RuntimeException e) {
        LOG.error("projection stopped: record not readable", entry("sequence_number", sequence),
            entry("event_id", record.getEventID()), e);
        undecodable = Optional.of(sequence);
        break;
      }
    }
    if (batch.isEmpty()) {
      return undecodable;
    }
    try {
      projection.project(batch);
      notifications.ifPresent(n -> n.afterProjection(batch));
    } catch (RuntimeException e) {
      LOG.error("projection failed; the batch is delivered again from its first record",
          entry("sequence_number", first.orElse("")), entry("events", batch.size()), e);
      return first;
    }
    return undecodable;
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
