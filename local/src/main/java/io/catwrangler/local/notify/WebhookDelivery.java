package io.catwrangler.local.notify;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delivery thread: takes what is due from the {@link NotificationOutbox}, POSTs each body with its signature
 * ({@link WebhookSignature}) to its URL, up to {@value #BATCH} at once, and records the outcome: 2xx delivered;
 * anything else (another status, a redirect — never followed —, a refused connection, a timeout) is retried after
 * an exponential backoff with jitter, and dead-lettered after the last attempt. A URL that is neither the default
 * nor on the allow-list any more (the operator changed it since it was registered) is dead-lettered unsent.
 */
public final class WebhookDelivery implements Runnable {
  static final int BATCH = 32;
  private static final String COMPLETED = io.catwrangler.events.Notification.Type.BATCH_COMPLETED.wireName();
  private static final System.Logger LOG = System.getLogger(WebhookDelivery.class.getName());
  private static final Duration POLL = Duration.ofMillis(250);

  private final NotificationOutbox outbox;
  private final NotifyConfig config;
  private final Clock clock;
  private final HttpClient http;
  private final Object bell = new Object();
  private long rung;
  private volatile boolean running = true;

  public WebhookDelivery(NotificationOutbox outbox, NotifyConfig config, Clock clock) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (config.secret().isEmpty()) {
      throw new IllegalArgumentException("webhook delivery needs the signing secret");
    }
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(config.requestTimeout())
        .build();
  }

  /** Something may be due: look now rather than at the next poll. */
  public void wake() {
    synchronized (bell) {
      rung++;
      bell.notifyAll();
    }
  }

  public void stop() {
    running = false;
    wake();
  }

  @Override
  public void run() {
    while (running) {
      long seen;
      synchronized (bell) {
        seen = rung;
      }
      int sent;
      try {
        sent = deliverDue();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "notification delivery failed; retrying: " + e.getMessage());
        sent = 0;
      }
      if (sent == 0 && !pause(seen)) {
        return;
      }
    }
  }

  /** Sends what is due now, once; returns how many it looked at. */
  public int deliverDue() {
    List<NotificationOutbox.Pending> found = outbox.due(BATCH);
    List<NotificationOutbox.Pending> due = new ArrayList<>();
    for (NotificationOutbox.Pending p : found) {
      // a batch completion is sent on its first attempt only if the batch is still complete at that size
      NotificationOutbox.Settled settled = p.attempts() == 0 && p.type().equals(COMPLETED)
          ? outbox.settle(p) : NotificationOutbox.Settled.SEND;
      switch (settled) {
        case SEND -> due.add(p);
        case SUPERSEDED -> outbox.superseded(p.id());
        case UNSURE -> outbox.postpone(p.id(), config.batchSettle());
      }
    }
    List<CompletableFuture<Optional<String>>> attempts = new ArrayList<>();
    for (NotificationOutbox.Pending p : due) {
      attempts.add(send(p));
    }
    for (int i = 0; i < due.size(); i++) {
      NotificationOutbox.Pending p = due.get(i);
      Optional<String> error;
      try {
        error = attempts.get(i).join();
      } catch (CompletionException e) {
        error = Optional.of(describe(e.getCause()));
      }
      if (error.isEmpty()) {
        outbox.delivered(p.id());
        continue;
      }
      int attempt = p.attempts() + 1;
      boolean allowed = config.mayCall(p.url());
      Optional<Duration> again = allowed && attempt < config.maxAttempts()
          ? Optional.of(config.backoffAfter(attempt, ThreadLocalRandom.current().nextDouble()))
          : Optional.empty();
      outbox.failed(p.id(), error.get(), again);
      if (again.isEmpty()) {
        LOG.log(Level.WARNING, "notification " + p.notificationId() + " (" + p.type() + ") to "
            + NotificationOutbox.withoutQuery(p.url()) + " dead-lettered after " + attempt + " attempt(s): "
            + error.get());
      }
    }
    return found.size();
  }

  /** The attempt: empty on success, else what went wrong. */
  private CompletableFuture<Optional<String>> send(NotificationOutbox.Pending p) {
    if (!config.mayCall(p.url())) {
      return CompletableFuture.completedFuture(Optional.of("the destination is not on the allow-list any more"));
    }
    byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
    Instant now = clock.instant();
    HttpRequest request = HttpRequest.newBuilder(URI.create(p.url()))
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "catwrangler-webhook/1")
        .header("Catwrangler-Notification-Id", p.notificationId())
        .header("Catwrangler-Notification-Type", p.type())
        .header(WebhookSignature.HEADER, WebhookSignature.sign(config.secret().orElseThrow(), now, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(r -> r.statusCode() / 100 == 2
            ? Optional.<String>empty()
            : Optional.of("HTTP " + r.statusCode()
                + (r.statusCode() / 100 == 3 ? " (redirects are not followed)" : "")))
        .exceptionally(e -> Optional.of(describe(e instanceof CompletionException ? e.getCause() : e)));
  }

  private static String describe(Throwable e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof IOException) {
      return "connection failed: " + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private boolean pause(long seen) {
    Duration wait = POLL;
    Optional<Instant> next = outbox.nextDue();
    if (next.isPresent()) {
      Duration until = Duration.between(clock.instant(), next.get());
      wait = until.isNegative() ? Duration.ZERO : (until.compareTo(POLL) < 0 ? until : POLL);
    }
    synchronized (bell) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (rung == seen && running) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          bell.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return running;
  }
}
