package io.catwrangler.core.fake;

import io.catwrangler.core.classify.ClassifyAttempt;
import io.catwrangler.core.classify.ClassifyImages;
import io.catwrangler.core.classify.ClassifyOutcome;
import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.core.port.contract.MutableClock;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.port.Lease;
import io.catwrangler.core.port.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A queue in memory with SQS's rules (visibility timeout, receive count, dead letters after the last attempt),
 * timed by an injected clock. Messages are kept as JSON, like a real queue.
 */
public final class InMemoryWorkQueue implements WorkQueue {
  private final ClassifyRequestCodec codec = new ClassifyRequestCodec();
  private final int maxAttempts;
  private final Clock clock;
  private final Map<Long, Message> messages = new LinkedHashMap<>();
  private final Map<Long, DeadLetter> deadLetters = new LinkedHashMap<>();
  private long nextId = 1;
  private long nextLease = 1;

  public InMemoryWorkQueue(int maxAttempts, Clock clock) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private static final class Message {
    final long id;
    final String body;
    int attempts;
    Instant visibleAt;
    long leaseToken;

    Message(long id, String body, Instant visibleAt) {
      this.id = id;
      this.body = body;
      this.visibleAt = visibleAt;
    }
  }

  @Override
  public synchronized void enqueue(ClassifyRequest request) {
    long id = nextId++;
    messages.put(id, new Message(id, codec.encode(request), clock.instant()));
  }

  @Override
  public synchronized List<Lease> lease(int max, Duration visibilityTimeout) {
    if (max < 1) {
      throw new IllegalArgumentException("lease at least one message");
    }
    Instant now = clock.instant();
    List<Lease> leased = new ArrayList<>();
    Iterator<Message> it = messages.values().iterator();
    while (it.hasNext() && leased.size() < max) {
      Message m = it.next();
      if (m.visibleAt.isAfter(now)) {
        continue;
      }
      if (m.attempts >= maxAttempts) {
        it.remove();
        deadLetters.put(m.id, new DeadLetter(Long.toString(m.id), codec.decode(m.body), m.attempts,
            "max attempts reached", now));
        continue;
      }
      m.attempts++;
      m.leaseToken = nextLease++;
      m.visibleAt = now.plus(visibilityTimeout);
      leased.add(new Lease(m.id + ":" + m.leaseToken, codec.decode(m.body), m.attempts));
    }
    return leased;
  }

  @Override
  public synchronized void ack(Lease lease) {
    current(lease).ifPresent(m -> messages.remove(m.id));
  }

  @Override
  public synchronized void release(Lease lease, Duration delay) {
    current(lease).ifPresent(m -> m.visibleAt = clock.instant().plus(delay));
  }

  @Override
  public synchronized void deadLetter(Lease lease, String reason) {
    current(lease).ifPresent(m -> {
      messages.remove(m.id);
      deadLetters.put(m.id, new DeadLetter(Long.toString(m.id), codec.decode(m.body), m.attempts, reason,
          clock.instant()));
    });
  }

  @Override
  public synchronized List<DeadLetter> deadLetters(int limit) {
    return deadLetters.values().stream().limit(limit).toList();
  }

  @Override
  public synchronized boolean retry(String deadLetterId) {
    DeadLetter dead;
    try {
      dead = deadLetters.remove(Long.parseLong(deadLetterId));
    } catch (NumberFormatException e) {
      return false;
    }
    if (dead == null) {
      return false;
    }
    enqueue(dead.request());
    return true;
  }

  @Override
  public synchronized int retryAll() {
    List<String> ids = deadLetters.values().stream().map(DeadLetter::id).toList();
    ids.forEach(this::retry);
    return ids.size();
  }

  /** Messages not yet acked or dead (visible or leased). */
  public synchronized int depth() {
    return messages.size();
  }

  /** The message the lease is for, if the lease is still the current one. */
  private java.util.Optional<Message> current(Lease lease) {
    String[] parts = lease.receipt().split(":");
    Message m = messages.get(Long.parseLong(parts[0]));
    if (m == null || m.leaseToken != Long.parseLong(parts[1])) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(m);
  }

  /**
   * Works this queue like the embedded worker until it is empty: settled outcomes are acked, the others released
   * for a retry at once, the clock one second on after each round. Returns every outcome in order.
   */
  public List<ClassifyOutcome> drainWith(ClassifyImages classify, MutableClock clock) {
    List<ClassifyOutcome> outcomes = new ArrayList<>();
    for (int round = 0; round < 100; round++) {
      List<Lease> leases = lease(10, Duration.ofMinutes(5));
      if (leases.isEmpty()) {
        return outcomes;
      }
      List<ClassifyOutcome> results =
          classify.classify(leases.stream().map(l -> new ClassifyAttempt(l.request(), l.attempt())).toList());
      for (int i = 0; i < leases.size(); i++) {
        if (results.get(i).settled()) {
          ack(leases.get(i));
        } else {
          release(leases.get(i), Duration.ZERO);
        }
      }
      outcomes.addAll(results);
      clock.advance(Duration.ofSeconds(1));
    }
    throw new AssertionError("the queue never drained");
  }
}
