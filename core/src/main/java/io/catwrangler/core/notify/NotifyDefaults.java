package io.catwrangler.core.notify;

import io.catwrangler.events.NotifyTarget;
import java.util.Objects;
import java.util.Optional;

/**
 * The deployment's own registration ({@code serve --notify-url URL [--notify-each-image]}): where to tell about a
 * batch whose submissions named no URL of their own, and whether about every image too.
 */
public record NotifyDefaults(Optional<String> url, boolean eachImage) {
  public static final NotifyDefaults NONE = new NotifyDefaults(Optional.empty(), false);

  public NotifyDefaults {
    Objects.requireNonNull(url, "url (use Optional.empty())");
    url.ifPresent(NotifyTarget::uri);
    if (eachImage && url.isEmpty()) {
      throw new IllegalArgumentException("--notify-each-image needs --notify-url");
    }
  }
}
