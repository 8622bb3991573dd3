package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.n;
import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.aws.internal.ItemSize;
import io.catwrangler.aws.internal.BatchWrites;
import io.catwrangler.core.notify.AnnouncedBatches;
import io.catwrangler.core.port.BatchCounts;
import io.catwrangler.core.port.BatchEntry;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.core.port.Page;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.FileName;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The results view on DynamoDB, one table with a generic key ({@code pk} S, {@code sk} S):
 *
 * <ul>
 *   <li>image item, {@code pk = image#{sha256}}, {@code sk = state}: the folded state as a document ({@code state},
 *       JSON from {@link EventCodec#encodeState}; gzipped into {@code state_gz} when over 1 KB, which nearly every
 *       classified image is: write units are billed per KB, and the document compresses about threefold) plus {@code image_id}, {@code version}, {@code status}, {@code answer} (yes/no, absent while
 *       unanswered), {@code cat_score}, {@code updated_at} and {@code batch_ids} for people, filters and
 *       {@link #remove};
 *   <li>batch membership item, {@code pk = batch#{batch id}}, {@code sk = {sha256}}: the image's {@link BatchEntry}
 *       for that batch ({@code status}, {@code is_cat}, {@code cat_score}, {@code file_names}) and {@code version}, so
 *       a batch page is one Query that never touches the image items;
 *   <li>label item, {@code pk = labels}, {@code sk = {sha256}}: a labelled image's newest label and newest answer,
 *       for {@code GET /quality} ({@link DynamoDbLabelledAnswers}, decision 0045).
 * </ul>
 *
 * <p>Every item is written with {@code attribute_not_exists(version) OR version < :v}, so an older or repeated state
 * never overwrites a newer one: the batch items first (with their batch's counter, below), then the image item, a
 * plain conditional PutItem (not in the transaction, which DynamoDB bills twice: issue 14, decision 0023). A batch listing may show an image a moment
 * before its own item does; each membership item carries the entry whole, so the listing is right on its own.
 *
 * <p>Counts are kept per batch in a counter item ({@link DynamoDbBatchCounters}, {@code pk = counts#{batch id}}),
 * moved in the same transaction as the membership item whose status or answer changes ({@link CountedMemberships},
 * decision 0042): {@code GET /batches/{id}} and the projector's completion decision read one item whatever the
 * batch's size. A membership write that changes no count (a new file name, a new score) stays a plain conditional
 * write.
 *
 * <p>Cursors are the last image id of the page.
 */
public final class DynamoDbResultView implements ResultView, LabelledAnswers {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String IMAGE_ID = "image_id";
  static final String BATCH_ID = "batch_id";
  static final String VERSION = "version";
  static final String STATUS = "status";
  static final String ANSWER = "answer";
  static final String IS_CAT = "is_cat";
  static final String CAT_SCORE = "cat_score";
  static final String UPDATED_AT = "updated_at";
  static final String BATCH_IDS = "batch_ids";
  static final String FILE_NAMES = "file_names";
  static final String STATE = "state";
  static final String STATE_GZ = "state_gz";

  private static final String IMAGE_PREFIX = "image#";
  private static final String BATCH_PREFIX = "batch#";
  private static final String IMAGE_SK = "state";
  /** Above this the state document is stored gzipped (DynamoDB items are at most 400 KB, names included). */
  static final int MAX_PLAIN_STATE_BYTES = 1024;
  private static final String NEWER_ONLY = "attribute_not_exists(#v) OR #v < :v";
  /**
   * Submissions the image row keeps: the first (the API's debug shows its header) and the newest ones, so that the
   * row, and the ingest and classify reads that start from it ({@link #snapshot}), do not grow with an image's
   * submissions (decision 0030). The whole list is the image's stream ({@code GET /images/{id}/events}).
   */
  public static final int RETAINED_SUBMISSIONS = 8;
  /** File names a batch item keeps: its image's newest distinct names in that batch. */
  public static final int RETAINED_FILE_NAMES = 8;
  /** Keys per Scan page of a reset: deleted before the next page is read. */
  private static final int RESET_PAGE = 1000;
  /** Keys per BatchGetItem call: DynamoDB's limit. */
  static final int GET_BATCH = 100;

  private final DynamoDbClient dynamo;
  private final String table;
  private final EventCodec codec = new EventCodec();
  private final BatchWrites batchWrites;
  private final int resetPage;
  /** Every batch of the rows this view read last (the row keeps them all; its state only the newest submissions). */
  private final RowBatches rowBatches = new RowBatches(4096);
  private final DynamoDbLabelledAnswers labels;
  private final DynamoDbBatchCounters counters;
  private final CountedMemberships memberships;

  public DynamoDbResultView(DynamoDbClient dynamo, String table) {
    this(dynamo, table, RESET_PAGE);
  }

  /** @param resetPage keys per Scan page of {@link #reset} (tests make it small to see several pages) */
  DynamoDbResultView(DynamoDbClient dynamo, String table, int resetPage) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.batchWrites = new BatchWrites(dynamo, table);
    if (resetPage < 1) {
      throw new IllegalArgumentException("a reset page holds at least one key");
    }
    this.resetPage = resetPage;
    this.labels = new DynamoDbLabelledAnswers(dynamo, table);
    this.counters = new DynamoDbBatchCounters(dynamo, table);
    this.memberships = new CountedMemberships(dynamo, table, counters);
  }

  @Override
  public boolean save(ImageState state) {
    return save(state, Optional.empty());
  }

  /**
   * Writes a batch item whole only when a submission newer than {@code stored} names its batch, and sets only the
   * status and answer on the image's other batch items when those changed (their file names stay as they are):
   * one more submission of an image in a thousand batches writes one batch item, not a thousand, and a batch whose
   * submissions the row no longer keeps still shows the newest answer. The row lists every batch the stored row
   * listed ({@link RowBatches}) and the new ones.
   */
  @Override
  public boolean save(ImageState state, Optional<ImageState> stored) {
    return saveEach(List.of(new Save(state, stored))).get(0);
  }

  /**
   * The batch items of every state first, in as few transactions as their counters allow
   * ({@link CountedMemberships}: one counter update per batch and transaction, so the images of one batch that a
   * delivery answers move its counter once), then each image row.
   */
  @Override
  public List<Boolean> saveEach(List<Save> saves) {
    List<CountedMemberships.Change> changes = new ArrayList<>();
    List<Map<String, AttributeValue>> rows = new ArrayList<>(saves.size());
    for (Save save : saves) {
      if (save.state().version() < 1) {
        throw new IllegalArgumentException("a state to save has at least one event, version 0 has none");
      }
      changes.addAll(membershipChanges(save.state(), save.stored()));
      Map<String, AttributeValue> row = imageItem(save.state(), rowBatchIds(save.state(), save.stored()));
      ItemSize.requireWithinLimit(row, "view row of " + save.state().imageId());
      rows.add(row);
    }
    changes.sort(java.util.Comparator.comparing(c -> c.batchId().value()));
    try {
      // batch items first: a save repeated after a failure between the writes still writes them (the image
      // item, already there at this version, would refuse the repeat)
      memberships.apply(changes);
      for (Save save : saves) { // label items before the image items too, for the same reason
        Optional<Map<String, AttributeValue>> labelItem = DynamoDbLabelledAnswers.itemToWrite(save.state(), save.stored());
        if (labelItem.isPresent()) {
          putIfNewer(labelItem.get(), save.state().version());
        }
      }
      List<Boolean> written = new ArrayList<>(saves.size());
      for (int i = 0; i < saves.size(); i++) {
        written.add(putIfNewer(rows.get(i), saves.get(i).state().version()));
      }
      return written;
    } catch (SdkException e) {
      throw AwsFailures.failed("save view of " + saves.size() + " images", e);
    }
  }

  /** Every batch the row lists: the stored row's and the state's. */
  private Set<BatchId> rowBatchIds(ImageState state, Optional<ImageState> stored) {
    Set<BatchId> batches = new LinkedHashSet<>(stored.map(this::rowBatchIds).orElse(List.of()));
    batches.addAll(state.batchIds());
    return batches;
  }

  /**
   * The batch items to write: whole where a submission newer than {@code stored} names the batch (or no item is
   * known), the status and answer only where those changed, each expecting what the stored row says it counts.
   */
  private List<CountedMemberships.Change> membershipChanges(ImageState state, Optional<ImageState> stored) {
    List<BatchId> storedBatches = stored.map(this::rowBatchIds).orElse(List.of());
    long storedVersion = stored.map(ImageState::version).orElse(0L);
    boolean newAnswer = stored.map(s -> !sameAnswer(s, state)).orElse(true);
    Optional<CountedMemberships.Counted> next =
        Optional.of(new CountedMemberships.Counted(state.status(), state.isCat()));
    List<CountedMemberships.Change> changes = new ArrayList<>();
    for (BatchId batch : rowBatchIds(state, stored)) {
      // what the batch's item counts now, as the stored row says: checked by the write's condition
      Optional<CountedMemberships.Counted> expected = stored.filter(s -> storedBatches.contains(batch))
          .map(s -> new CountedMemberships.Counted(s.status(), s.isCat()));
      boolean newName = state.submissions().stream().anyMatch(r -> r.version() > storedVersion
          && r.submission().batchId().filter(batch::equals).isPresent());
      CountedMemberships.Kind kind = newName || expected.isEmpty() ? CountedMemberships.Kind.WHOLE
          : newAnswer ? CountedMemberships.Kind.ANSWER : null;
      if (kind != null) {
        changes.add(new CountedMemberships.Change(kind, batch, batchKey(batch.value(), state.imageId()),
            batchItem(state, batch, kept(BatchEntry.of(state, batch))), state.version(), next, expected));
      }
    }
    return changes;
  }

  private static boolean sameAnswer(ImageState a, ImageState b) {
    return a.status() == b.status() && a.isCat().equals(b.isCat())
        && a.classification().map(c -> c.classification().catScore())
            .equals(b.classification().map(c -> c.classification().catScore()));
  }

  /** The entry as its item keeps it: the newest {@link #RETAINED_FILE_NAMES} distinct file names. */
  private static BatchEntry kept(BatchEntry entry) {
    List<FileName> newestFirst = new ArrayList<>(entry.fileNames());
    Collections.reverse(newestFirst);
    List<FileName> names = new ArrayList<>(newestFirst.stream().distinct().limit(RETAINED_FILE_NAMES).toList());
    Collections.reverse(names);
    return new BatchEntry(entry.imageId(), entry.status(), entry.isCat(), entry.catScore(), names);
  }

  /** Every batch of the stored row: from its last read here, or read again (a save without a read first). */
  private List<BatchId> rowBatchIds(ImageState stored) {
    return rowBatches.get(stored.imageId(), stored.version()).orElseGet(() -> {
      Map<String, AttributeValue> item;
      try {
        item = dynamo.getItem(g -> g.tableName(table).key(imageKey(stored.imageId())).consistentRead(true)
            .projectionExpression("#b").expressionAttributeNames(Map.of("#b", BATCH_IDS))).item();
      } catch (SdkException e) {
        throw AwsFailures.failed("read view of " + stored.imageId(), e);
      }
      return batchIds(item);
    });
  }

  private static List<BatchId> batchIds(Map<String, AttributeValue> item) {
    AttributeValue batches = item == null ? null : item.get(BATCH_IDS);
    if (batches == null || !batches.hasL()) {
      return List.of();
    }
    return batches.l().stream().map(b -> BatchId.of(b.s())).toList();
  }

  /** True when written; false when the stored item is as new or newer (kept). */
  private boolean putIfNewer(Map<String, AttributeValue> item, long version) {
    try {
      dynamo.putItem(
          p -> p.tableName(table)
              .item(item)
              .conditionExpression(NEWER_ONLY)
              .expressionAttributeNames(Map.of("#v", VERSION))
              .expressionAttributeValues(Map.of(":v", n(version))));
      return true;
    } catch (ConditionalCheckFailedException newerThere) {
      return false;
    }
  }

  @Override
  public Optional<ImageState> image(ImageId imageId) {
    return row(imageId, true);
  }

  /**
   * The row's state read eventually consistently (half the read units): where the event store's
   * {@link DynamoDbEventStore#state} starts, reading only the events after it. Any version it returns is a fold of
   * the stream, so a stale row only means a longer tail.
   */
  public Optional<ImageState> snapshot(ImageId imageId) {
    return row(imageId, false);
  }

  private Optional<ImageState> row(ImageId imageId, boolean consistent) {
    Map<String, AttributeValue> item;
    try {
      item = dynamo.getItem(g -> g.tableName(table).key(imageKey(imageId)).consistentRead(consistent)).item();
    } catch (SdkException e) {
      throw AwsFailures.failed("read view of " + imageId, e);
    }
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    ImageState state = codec.decodeState(stateJson(item));
    rowBatches.put(imageId, state.version(), batchIds(item));
    return Optional.of(state);
  }

  /** Counted from the label items ({@link DynamoDbLabelledAnswers#tally}). */
  @Override
  public LabelTally tally(DetectorModel model, List<Double> thresholds) {
    return labels.tally(model, thresholds);
  }

  @Override
  public BatchPage batch(BatchId batchId, PageRequest page) {
    Optional<ImageId> after = page.cursor().map(DynamoDbResultView::cursorToId);
    try {
      // one more than asked for tells whether another page exists, so the last page never has a cursor
      List<BatchEntry> entries = entries(batchId, after, page.limit() + 1);
      Optional<String> next = Optional.empty();
      if (entries.size() > page.limit()) {
        entries = entries.subList(0, page.limit());
        next = Optional.of(entries.get(entries.size() - 1).imageId().value());
      }
      return new BatchPage(batchId, entries, counters.counts(batchId).byStatus(), next);
    } catch (SdkException e) {
      throw AwsFailures.failed("read batch " + batchId, e);
    }
  }

  /**
   * A page of the batch's states, for the export: one Query of the page's membership keys (never the whole
   * partition), then the image items in BatchGetItem calls of at most {@value #GET_BATCH} keys, both eventually
   * consistent. An image whose membership item is written but whose own item is not yet (the moment between the two
   * writes of {@link #save}) is left out of the page.
   */
  @Override
  public Page<ImageState> batchStates(BatchId batchId, PageRequest page) {
    Optional<ImageId> after = page.cursor().map(DynamoDbResultView::cursorToId);
    try {
      List<ImageId> ids = new ArrayList<>(entries(batchId, after, page.limit() + 1).stream()
          .map(BatchEntry::imageId).toList());
      Optional<String> next = Optional.empty();
      if (ids.size() > page.limit()) {
        ids = ids.subList(0, page.limit());
        next = Optional.of(ids.get(ids.size() - 1).value());
      }
      Map<ImageId, ImageState> states = new HashMap<>();
      for (int from = 0; from < ids.size(); from += GET_BATCH) {
        List<Map<String, AttributeValue>> keys =
            ids.subList(from, Math.min(ids.size(), from + GET_BATCH)).stream().map(DynamoDbResultView::imageKey).toList();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
        while (!request.isEmpty()) {
          Map<String, KeysAndAttributes> asked = request;
          BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(asked));
          response.responses().getOrDefault(table, List.of()).forEach(item -> {
            ImageState state = codec.decodeState(stateJson(item));
            states.put(state.imageId(), state);
          });
          request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
        }
      }
      return new Page<>(ids.stream().map(states::get).filter(Objects::nonNull).toList(), next);
    } catch (SdkException e) {
      throw AwsFailures.failed("read the states of batch " + batchId, e);
    }
  }

  private List<BatchEntry> entries(BatchId batchId, Optional<ImageId> after, int max) {
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(BATCH_PREFIX + batchId.value())));
    String condition = "#pk = :pk";
    if (after.isPresent()) {
      condition += " AND #sk > :after";
      names.put("#sk", SK);
      values.put(":after", s(after.get().value()));
    }
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .consistentRead(false) // the view trails the events by the stream anyway: half the read units
            .limit(max)
            .build();
    List<BatchEntry> entries = new ArrayList<>(max);
    for (QueryResponse response : dynamo.queryPaginator(query)) {
      for (Map<String, AttributeValue> item : response.items()) {
        entries.add(entry(item));
        if (entries.size() == max) {
          return entries;
        }
      }
    }
    return entries;
  }

  /** One GetItem of the batch's counter item, whatever the batch's size (decision 0042). */
  @Override
  public BatchCounts batchCounts(BatchId batchId) {
    return counters.counts(batchId);
  }

  /** The batches' counter items, with the sizes last announced complete: the AWS projector's notifications. */
  public AnnouncedBatches announcedBatches() {
    return counters;
  }

  @Override
  public void remove(ImageId imageId) {
    try {
      Map<String, AttributeValue> item =
          dynamo.getItem(g -> g.tableName(table).key(imageKey(imageId)).consistentRead(true)).item();
      if (item == null || item.isEmpty()) {
        return;
      }
      // each membership item deleted with its batch's counter moved back, in the same transaction
      List<CountedMemberships.Change> deletes = batchIds(item).stream()
          .map(b -> new CountedMemberships.Change(CountedMemberships.Kind.DELETE, b, batchKey(b.value(), imageId),
              Map.of(), 0, Optional.empty(), Optional.empty()))
          .toList();
      memberships.apply(memberships.reread(deletes));
      // deleting a label item that is not there is no error
      batchWrites.delete(List.of(DynamoDbLabelledAnswers.key(imageId), imageKey(imageId)));
    } catch (SdkException e) {
      throw AwsFailures.failed("remove view of " + imageId, e);
    }
  }

  /**
   * Deletes every item, a Scan page at a time: the first step of a full rebuild ({@code POST /admin/replay} on the admin
   * function). It runs within one Lambda call; for a table too large for that, a rebuild fills a new table.
   */
  @Override
  public void reset() {
    ScanRequest scan =
        ScanRequest.builder()
            .tableName(table)
            .projectionExpression("#pk, #sk")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
            .consistentRead(true)
            .limit(resetPage)
            .build();
    try {
      // page by page: the keys of a large table are never all in memory (a Scan may go on past deleted items)
      dynamo.scanPaginator(scan).forEach(page -> batchWrites.delete(page.items()));
    } catch (SdkException e) {
      throw AwsFailures.failed("reset view", e);
    }
  }

  private Map<String, AttributeValue> imageItem(ImageState state, Set<BatchId> batches) {
    Map<String, AttributeValue> item = new HashMap<>(imageKey(state.imageId()));
    item.put(IMAGE_ID, s(state.imageId().value()));
    item.put(VERSION, n(state.version()));
    item.put(STATUS, s(state.status().name()));
    state.isCat().ifPresent(cat -> item.put(ANSWER, s(cat ? "yes" : "no")));
    state.classification().ifPresent(c -> item.put(CAT_SCORE, n(c.classification().catScore())));
    state.updatedAt().ifPresent(at -> item.put(UPDATED_AT, s(at.toString())));
    if (!batches.isEmpty()) {
      item.put(BATCH_IDS, AttributeValue.fromL(batches.stream().map(b -> s(b.value())).toList()));
    }
    byte[] json = codec.encodeState(retained(state)).getBytes(StandardCharsets.UTF_8);
    if (json.length <= MAX_PLAIN_STATE_BYTES) {
      item.put(STATE, s(new String(json, StandardCharsets.UTF_8)));
    } else {
      item.put(STATE_GZ, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(gzip(json))));
    }
    return item;
  }

  /** The state with the submissions a row keeps: the first and the newest, {@link #RETAINED_SUBMISSIONS} in all. */
  static ImageState retained(ImageState state) {
    List<ImageReceived> all = state.submissions();
    if (all.size() <= RETAINED_SUBMISSIONS) {
      return state;
    }
    List<ImageReceived> kept = new ArrayList<>(RETAINED_SUBMISSIONS);
    kept.add(all.get(0));
    kept.addAll(all.subList(all.size() - (RETAINED_SUBMISSIONS - 1), all.size()));
    return new ImageState(state.imageId(), state.version(), state.status(), state.updatedAt(), kept,
        state.classification(), state.classifiedBy(), state.attempts(), state.lastFailure(), state.label());
  }

  private Map<String, AttributeValue> batchItem(ImageState state, BatchId batchId, BatchEntry entry) {
    Map<String, AttributeValue> item = new HashMap<>(batchKey(batchId.value(), state.imageId()));
    item.put(IMAGE_ID, s(state.imageId().value()));
    item.put(BATCH_ID, s(batchId.value()));
    item.put(VERSION, n(state.version()));
    item.put(STATUS, s(entry.status().name()));
    entry.isCat().ifPresent(cat -> item.put(IS_CAT, AttributeValue.fromBool(cat)));
    entry.catScore().ifPresent(score -> item.put(CAT_SCORE, n(score)));
    item.put(FILE_NAMES, AttributeValue.fromL(entry.fileNames().stream().map(f -> s(f.value())).toList()));
    return item;
  }

  private static BatchEntry entry(Map<String, AttributeValue> item) {
    AttributeValue isCat = item.get(IS_CAT);
    AttributeValue score = item.get(CAT_SCORE);
    AttributeValue names = item.get(FILE_NAMES);
    return new BatchEntry(
        ImageId.of(item.get(IMAGE_ID).s()),
        ImageStatus.valueOf(item.get(STATUS).s()),
        isCat == null ? Optional.empty() : Optional.of(isCat.bool()),
        score == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(score.n())),
        names == null ? List.of() : names.l().stream().map(v -> new FileName(v.s())).toList());
  }

  private static String stateJson(Map<String, AttributeValue> item) {
    AttributeValue plain = item.get(STATE);
    if (plain != null && plain.s() != null) {
      return plain.s();
    }
    AttributeValue zipped = item.get(STATE_GZ);
    if (zipped != null && zipped.b() != null) {
      return new String(gunzip(zipped.b().asByteArrayUnsafe()), StandardCharsets.UTF_8);
    }
    throw new StorageUnavailableException("view item " + item.get(PK).s() + " has no state document", null);
  }

  private static Map<String, AttributeValue> imageKey(ImageId imageId) {
    return Map.of(PK, s(IMAGE_PREFIX + imageId.value()), SK, s(IMAGE_SK));
  }

  private static Map<String, AttributeValue> batchKey(String batchId, ImageId imageId) {
    return Map.of(PK, s(BATCH_PREFIX + batchId), SK, s(imageId.value()));
  }

  private static ImageId cursorToId(String cursor) {
    try {
      return ImageId.of(cursor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a cursor of this view: " + cursor, e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip in memory", e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] bytes) {
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return zip.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("gunzip a stored state", e);
    }
  }
}
