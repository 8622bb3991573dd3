package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.port.ReplayCheckpoints;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Replay checkpoints as one item per replay in the results view table ({@code pk = replay#{name}},
 * {@code sk = checkpoint}; {@code cursor}, {@code updated_at}), which the admin function already writes: no table
 * of its own. A rebuild's reset deletes it with everything else, so the next re-classification starts at the first
 * image (harmless: it queues more than needed, never less).
 *
 * <p>A checkpoint older than {@link #RESUME_WITHIN} is not resumed: an interrupted run is called again within
 * minutes, while a checkpoint days old belongs to a run an operator gave up on, perhaps for another model.
 */
public final class DynamoDbReplayCheckpoints implements ReplayCheckpoints {
  private static final System.Logger LOG = System.getLogger(DynamoDbReplayCheckpoints.class.getName());
  /** An unfinished run is resumed when it last got further less than this ago. */
  public static final Duration RESUME_WITHIN = Duration.ofHours(24);

  private static final String CURSOR = "cursor";
  private static final String UPDATED_AT = "updated_at";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDbReplayCheckpoints(DynamoDbClient dynamo, String viewTable, Clock clock) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(viewTable, "view table");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<String> resumeAfter(String replay) {
    Map<String, AttributeValue> item;
    try {
      item = dynamo.getItem(g -> g.tableName(table).key(key(replay)).consistentRead(true)).item();
    } catch (SdkException e) {
      throw AwsFailures.failed("read checkpoint of " + replay, e);
    }
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    String cursor = item.get(CURSOR).s();
    Instant updated = Instant.parse(item.get(UPDATED_AT).s());
    if (updated.isBefore(clock.instant().minus(RESUME_WITHIN))) {
      LOG.log(Level.INFO, "replay " + replay + ": checkpoint of " + updated + " too old, starting at the first image");
      return Optional.empty();
    }
    LOG.log(Level.INFO, "replay " + replay + ": resuming after image " + cursor + " (checkpoint of " + updated + ")");
    return Optional.of(cursor);
  }

  @Override
  public void reached(String replay, String cursor) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(key(replay));
    item.put(CURSOR, s(cursor));
    item.put(UPDATED_AT, s(clock.instant().toString()));
    try {
      dynamo.putItem(p -> p.tableName(table).item(item));
    } catch (SdkException e) {
      throw AwsFailures.failed("write checkpoint of " + replay, e);
    }
    LOG.log(Level.INFO, "replay " + replay + ": done up to image " + cursor);
  }

  @Override
  public void finished(String replay) {
    try {
      dynamo.deleteItem(d -> d.tableName(table).key(key(replay)));
    } catch (SdkException e) {
      throw AwsFailures.failed("delete checkpoint of " + replay, e);
    }
  }

  private static Map<String, AttributeValue> key(String replay) {
    return Map.of("pk", s("replay#" + replay), "sk", s("checkpoint"));
  }
}
