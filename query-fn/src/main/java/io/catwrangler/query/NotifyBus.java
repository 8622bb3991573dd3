package io.catwrangler.query;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Where the projector publishes notifications: the EventBridge bus named by {@code NOTIFY_BUS_NAME} (unset: no
 * notifications) and whether every image's first outcome is published too ({@code NOTIFY_EACH_IMAGE=true}), as
 * Terraform's notifications module sets them.
 */
public record NotifyBus(EventBridgeClient client, String name, boolean eachImage) {
  public static final String BUS_NAME = "NOTIFY_BUS_NAME";
  public static final String EACH_IMAGE = "NOTIFY_EACH_IMAGE";

  public NotifyBus {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(name, "name");
  }

  public static Optional<NotifyBus> fromEnvironment() {
    return from(System.getenv(), () -> EventBridgeClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build());
  }

  static Optional<NotifyBus> from(Map<String, String> env, java.util.function.Supplier<EventBridgeClient> client) {
    String name = env.getOrDefault(BUS_NAME, "").strip();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String each = env.getOrDefault(EACH_IMAGE, "false").strip();
    if (!each.equals("true") && !each.equals("false")) {
      throw new IllegalArgumentException(EACH_IMAGE + " is true or false, not " + each);
    }
    return Optional.of(new NotifyBus(client.get(), name, each.equals("true")));
  }
}
