package io.catwrangler.core.notify;

import io.catwrangler.events.Notification;
import java.util.List;

/**
 * Where notifications go when a runtime has a message bus rather than webhooks of its own (AWS: EventBridge).
 * Publishing is at least once: a failure throws, and the caller's retry publishes again with the same ids.
 */
public interface NotificationPublisher {

  /** Publishes all of them, or throws {@link io.catwrangler.core.port.StorageUnavailableException}. */
  void publish(List<Notification> notifications);
}
