package io.catwrangler.local.notify;

import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.notify.NotifyDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the embedded runtime sends webhook notifications ({@code serve --notify-allow --notify-url
 * --notify-each-image --notify-secret-file}), validated when built.
 *
 * @param allowList the hosts requests may name ({@code X-Notify-Url}); the default URL needs no entry
 * @param defaults the deployment's own registration, for batches that named no URL
 * @param secret the HMAC-SHA256 key every body is signed with (at least 16 bytes); required once anything can be
 *     sent, so a receiver can always tell our notifications from forgeries
 * @param maxAttempts deliveries before a notification is dead-lettered (1 to 100)
 * @param backoff the delay after the first failed attempt, doubled per attempt up to {@code maxBackoff}, with jitter
 * @param requestTimeout how long one delivery may take, connecting included
 * @param batchSettle how long a batch's completion waits before it is sent; a completion of the same batch with more
 *     images made meanwhile replaces it, so a batch whose images are answered as fast as they arrive is announced
 *     once, when its uploads stop, rather than after every image
 */
public record NotifyConfig(
    NotifyAllowList allowList,
    NotifyDefaults defaults,
    Optional<byte[]> secret,
    int maxAttempts,
    Duration backoff,
    Duration maxBackoff,
    Duration requestTimeout,
    Duration batchSettle) {

  public static final int MIN_SECRET_BYTES = 16;
  public static final NotifyConfig DISABLED = new NotifyConfig(NotifyAllowList.NONE, NotifyDefaults.NONE,
      Optional.empty(), 8, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(10),
      Duration.ofSeconds(1));

  public NotifyConfig {
    Objects.requireNonNull(allowList, "allow-list");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(secret, "secret (use Optional.empty())");
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("notification attempts must be 1 to 100, was " + maxAttempts);
    }
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException("notification backoff must be at least 0 and at most its maximum");
    }
    if (batchSettle.isNegative() || batchSettle.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("the batch settle time must be 0 to 10 minutes, was " + batchSettle);
    }
    if (requestTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("the notification request timeout must be at least 100 ms");
    }
    if ((!allowList.isEmpty() || defaults.url().isPresent()) && secret.isEmpty()) {
      throw new IllegalArgumentException("webhook notifications need --notify-secret-file (the key their signature"
          + " is made with)");
    }
    if (secret.isPresent() && secret.get().length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the notification secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
  }

  /** Webhooks with these settings and the default attempts, backoff and timeout. */
  public static NotifyConfig of(NotifyAllowList allowList, NotifyDefaults defaults, byte[] secret) {
    return new NotifyConfig(allowList, defaults, Optional.of(secret.clone()), DISABLED.maxAttempts, DISABLED.backoff,
        DISABLED.maxBackoff, DISABLED.requestTimeout, DISABLED.batchSettle);
  }

  /** The secret from a file: its bytes, without a trailing line break (as {@code echo} or an editor leaves it). */
  public static byte[] readSecret(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.replaceAll("[\\r\\n]+$", "").getBytes(StandardCharsets.UTF_8);
  }

  /** True when anything can be sent: an allow-list or a default URL. */
  public boolean enabled() {
    return !allowList.isEmpty() || defaults.url().isPresent();
  }

  /** True when a stored destination may still be called: the default URL, or a URL on the allow-list. */
  public boolean mayCall(String url) {
    return defaults.url().filter(url::equals).isPresent() || allowList.allows(url);
  }

  public NotifyConfig withRetries(int attempts, Duration firstBackoff, Duration maximum) {
    return new NotifyConfig(allowList, defaults, secret, attempts, firstBackoff, maximum, requestTimeout, batchSettle);
  }

  public NotifyConfig withRequestTimeout(Duration timeout) {
    return new NotifyConfig(allowList, defaults, secret, maxAttempts, backoff, maxBackoff, timeout, batchSettle);
  }

  public NotifyConfig withBatchSettle(Duration settle) {
    return new NotifyConfig(allowList, defaults, secret, maxAttempts, backoff, maxBackoff, requestTimeout, settle);
  }

  /** The delay before attempt {@code attempts + 1}: doubled per attempt, capped, between half of it and all of it. */
  public Duration backoffAfter(int attempts, double random) {
    Duration delay = backoff;
    for (int i = 1; i < attempts && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(maxBackoff) > 0) {
      delay = maxBackoff;
    }
    long millis = delay.toMillis();
    return Duration.ofMillis(millis / 2 + (long) (random * (millis - millis / 2)));
  }

  @Override
  public String toString() {
    return "NotifyConfig[allow=" + allowList + ", default=" + defaults.url().orElse("none") + ", attempts="
        + maxAttempts + "]";
  }
}
