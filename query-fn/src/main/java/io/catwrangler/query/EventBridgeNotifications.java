package io.catwrangler.query;

import io.catwrangler.core.notify.NotificationPublisher;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Notifications as EventBridge events on the deployment's bus: {@code source} {@value #SOURCE}, {@code detail-type}
 * the notification's type ({@code batch.completed}, {@code image.answered}), {@code detail} its JSON (the same body
 * the embedded server posts to webhooks). Ten entries per {@code PutEvents}; any entry that fails makes the whole
 * call throw, so the stream batch is delivered again and everything is published again with the same ids (at least
 * once; subscribers drop duplicates by {@code detail.id}).
 */
public final class EventBridgeNotifications implements NotificationPublisher {
  public static final String SOURCE = "catwrangler";
  static final int ENTRIES_PER_CALL = 10;

  private final EventBridgeClient client;
  private final String busName;

  public EventBridgeNotifications(EventBridgeClient client, String busName) {
    this.client = Objects.requireNonNull(client, "client");
    this.busName = Objects.requireNonNull(busName, "bus name");
    if (busName.isBlank()) {
      throw new IllegalArgumentException("the notification bus name is empty");
    }
  }

  @Override
  public void publish(List<Notification> notifications) {
    for (int from = 0; from < notifications.size(); from += ENTRIES_PER_CALL) {
      List<PutEventsRequestEntry> entries = new ArrayList<>();
      for (Notification n : notifications.subList(from, Math.min(notifications.size(), from + ENTRIES_PER_CALL))) {
        entries.add(PutEventsRequestEntry.builder()
            .eventBusName(busName)
            .source(SOURCE)
            .detailType(n.type().wireName())
            .time(n.occurredAt())
            .detail(n.toJson())
            .build());
      }
      PutEventsResponse response;
      try {
        response = client.putEvents(PutEventsRequest.builder().entries(entries).build());
      } catch (SdkException e) {
        throw new StorageUnavailableException("EventBridge PutEvents failed: " + e.getMessage(), e);
      }
      if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
        String first = response.entries().stream().map(PutEventsResultEntry::errorCode).filter(Objects::nonNull)
            .findFirst().orElse("unknown");
        throw new StorageUnavailableException("EventBridge refused " + response.failedEntryCount() + " of "
            + entries.size() + " notification(s) (" + first + ")", null);
      }
    }
  }
}
