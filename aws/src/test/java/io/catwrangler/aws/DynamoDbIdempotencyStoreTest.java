package io.catwrangler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.aws.testing.DynoxideServer;
import io.catwrangler.core.port.contract.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** Powertools' idempotency states on Dynoxide, with a clock the tests move. */
class DynamoDbIdempotencyStoreTest {
  @RegisterExtension static final DynoxideServer DYNAMO = new DynoxideServer();

  private static final String KEY = "classify#" + "ab".repeat(32) + "#rekognition@3.0";
  private static final Duration EXPIRES = Duration.ofHours(1);

  private final MutableClock clock = MutableClock.startingAt("2025-05-01T10:00:00.123Z");
  private String table;
  private DynamoDbIdempotencyStore store;

  @BeforeEach
  void createTable() {
    table = DYNAMO.createTable(DynamoDbTables::idempotencyTable, "idempotency");
    store = new DynamoDbIdempotencyStore(DYNAMO.client(), table, EXPIRES, clock);
  }

  private Map<String, AttributeValue> item() {
    return DYNAMO.client()
        .getItem(g -> g.tableName(table).key(Map.of("id", AttributeValue.fromS(KEY))).consistentRead(true))
        .item();
  }

  @Test
  void aNewKeyIsAcquiredAsAnInProgressRecordWithPowertoolsAttributes() {
    Instant now = clock.instant();

    assertThat(store.begin(KEY, 30_000)).isEqualTo(new IdempotencyClaim.Acquired(KEY));

    Map<String, AttributeValue> item = item();
    assertThat(item.get("status").s()).isEqualTo("INPROGRESS");
    assertThat(item.get("expiration").n()).isEqualTo(Long.toString(now.plus(EXPIRES).getEpochSecond()));
    assertThat(item.get("in_progress_expiration").n()).isEqualTo(Long.toString(now.toEpochMilli() + 30_000));
    assertThat(item).doesNotContainKeys("data", "validation");
  }

  @Test
  void anInProgressRecordBlocksAnotherExecution() {
    store.begin(KEY, 30_000);
    clock.advance(Duration.ofSeconds(29));

    assertThatThrownBy(() -> store.begin(KEY, 30_000))
        .isInstanceOfSatisfying(IdempotencyAlreadyInProgressException.class, e -> assertThat(e.key()).isEqualTo(KEY));
  }

  @Test
  void aHolderThatRanOutOfLambdaTimeLetsARetryIn() {
    store.begin(KEY, 30_000);
    clock.advance(Duration.ofMillis(30_001));

    assertThat(store.begin(KEY, 60_000)).isEqualTo(new IdempotencyClaim.Acquired(KEY));
    assertThat(item().get("in_progress_expiration").n()).isEqualTo(Long.toString(clock.instant().toEpochMilli() + 60_000));
  }

  @Test
  void aCompletedRecordReturnsTheStoredResult() {
    store.begin(KEY, 30_000);
    clock.advance(Duration.ofSeconds(5));
    store.complete(KEY, "{\"is_cat\":true}");
    clock.advance(Duration.ofMinutes(59));

    assertThat(store.begin(KEY, 30_000)).isEqualTo(new IdempotencyClaim.Completed(KEY, "{\"is_cat\":true}"));
    Map<String, AttributeValue> item = item();
    assertThat(item.get("status").s()).isEqualTo("COMPLETED");
    assertThat(item.get("data").s()).isEqualTo("{\"is_cat\":true}");
    assertThat(item.get("expiration").n())
        .as("the TTL attribute counts from completion")
        .isEqualTo(Long.toString(Instant.parse("2025-05-01T10:00:05.123Z").plus(EXPIRES).getEpochSecond()));
  }

  @Test
  void anExpiredRecordIsReportedExpiredAndLetsTheWorkRunAgain() {
    store.begin(KEY, 30_000);
    store.complete(KEY, "old answer");
    clock.advance(EXPIRES.plusSeconds(2));

    assertThat(store.get(KEY)).hasValueSatisfying(r -> {
      assertThat(r.storedStatus()).isEqualTo(IdempotencyStatus.COMPLETED);
      assertThat(r.status(clock.instant())).isEqualTo(IdempotencyStatus.EXPIRED);
    });
    assertThat(store.begin(KEY, 30_000)).isEqualTo(new IdempotencyClaim.Acquired(KEY));
    assertThat(item().get("status").s()).isEqualTo("INPROGRESS");
  }

  @Test
  void deletingAfterAFailureLetsARetryIn() {
    store.begin(KEY, 30_000);

    store.delete(KEY);

    assertThat(store.get(KEY)).isEmpty();
    assertThat(store.begin(KEY, 30_000)).isEqualTo(new IdempotencyClaim.Acquired(KEY));
  }

  @Test
  void aDifferentPayloadUnderTheSameKeyFailsValidation() {
    store.begin(KEY, 30_000, Optional.of("hash-a"));
    store.complete(KEY, "answer for a");

    assertThat(store.begin(KEY, 30_000, Optional.of("hash-a")))
        .isEqualTo(new IdempotencyClaim.Completed(KEY, "answer for a"));
    assertThatThrownBy(() -> store.begin(KEY, 30_000, Optional.of("hash-b")))
        .isInstanceOf(IdempotencyValidationException.class);
    assertThat(item().get("validation").s()).isEqualTo("hash-a");
  }

  @Test
  void ofThreeConcurrentExecutionsExactlyOneRuns() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        outcomes.add(pool.submit(() -> {
          start.await();
          try {
            return store.begin(KEY, 30_000).getClass().getSimpleName();
          } catch (IdempotencyAlreadyInProgressException e) {
            return "InProgress";
          }
        }));
      }
      start.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get(30, TimeUnit.SECONDS));
      }
      assertThat(results).containsExactlyInAnyOrder("Acquired", "InProgress", "InProgress");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theTableExpiresRecordsByTheExpirationAttribute() {
    DYNAMO.client().updateTimeToLive(u -> u.tableName(table)
        .timeToLiveSpecification(DynamoDbTables.idempotencyTimeToLive()));

    var ttl = DYNAMO.client().describeTimeToLive(d -> d.tableName(table)).timeToLiveDescription();

    assertThat(ttl.attributeName()).isEqualTo("expiration");
    assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> store.begin("", 1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.begin(KEY, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DynamoDbIdempotencyStore(DYNAMO.client(), table, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
