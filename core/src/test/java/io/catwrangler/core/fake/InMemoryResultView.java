package io.catwrangler.core.fake;

import io.catwrangler.core.port.BatchEntry;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.CheckpointedResultView;
import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.core.port.PageRequest;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.Classification;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** The result view in memory; rows kept as the JSON documents a real view would store. */
public final class InMemoryResultView implements CheckpointedResultView, LabelledAnswers {
  private final EventCodec codec = new EventCodec();
  private final Map<ImageId, String> rows = new HashMap<>();
  private final Map<ImageId, Long> versions = new HashMap<>();
  private final TreeMap<BatchId, TreeSet<ImageId>> batches = new TreeMap<>();
  private long checkpoint;

  @Override
  public synchronized boolean save(ImageState state) {
    if (versions.getOrDefault(state.imageId(), 0L) >= state.version()) {
      return false;
    }
    rows.put(state.imageId(), codec.encodeState(state));
    versions.put(state.imageId(), state.version());
    state.batchIds().forEach(b -> batches.computeIfAbsent(b, id -> new TreeSet<>()).add(state.imageId()));
    return true;
  }

  @Override
  public synchronized Optional<ImageState> image(ImageId imageId) {
    return Optional.ofNullable(rows.get(imageId)).map(codec::decodeState);
  }

  @Override
  public synchronized BatchPage batch(BatchId batchId, PageRequest page) {
    NavigableSet<ImageId> members = batches.getOrDefault(batchId, new TreeSet<>());
    Map<ImageStatus, Long> counts = new EnumMap<>(ImageStatus.class);
    for (ImageId id : members) {
      counts.merge(image(id).orElseThrow().status(), 1L, Long::sum);
    }
    NavigableSet<ImageId> from =
        page.cursor().map(c -> members.tailSet(ImageId.of(c), false)).orElse(members);
    List<ImageId> ids = from.stream().limit(page.limit() + 1L).toList();
    Optional<String> next = Optional.empty();
    if (ids.size() > page.limit()) {
      ids = ids.subList(0, page.limit());
      next = Optional.of(ids.get(ids.size() - 1).value());
    }
    List<BatchEntry> entries = ids.stream().map(id -> BatchEntry.of(image(id).orElseThrow(), batchId)).toList();
    return new BatchPage(batchId, entries, counts, next);
  }

  @Override
  public synchronized void remove(ImageId imageId) {
    rows.remove(imageId);
    versions.remove(imageId);
    batches.values().forEach(members -> members.remove(imageId));
  }

  @Override
  public synchronized void reset() {
    rows.clear();
    versions.clear();
    batches.clear();
    checkpoint = 0;
  }

  @Override
  public synchronized long checkpoint() {
    return checkpoint;
  }

  @Override
  public synchronized void saveAll(List<ImageState> states, long newCheckpoint) {
    if (newCheckpoint < checkpoint) {
      throw new IllegalArgumentException("checkpoint " + newCheckpoint + " is behind " + checkpoint);
    }
    states.forEach(this::save);
    checkpoint = newCheckpoint;
  }

  /** Counted by decoding every row: the reference the SQL of the real view is held against. */
  @Override
  public synchronized LabelTally tally(DetectorModel model, List<Double> thresholds) {
    long[] answered = new long[4];
    long[][] at = new long[thresholds.size()][5];
    long unanswered = 0;
    long otherModels = 0;
    for (ImageId id : rows.keySet()) {
      ImageState state = image(id).orElseThrow();
      if (state.label().isEmpty()) {
        continue;
      }
      boolean cat = state.label().get().label().cat();
      if (state.classification().isEmpty()) {
        unanswered++;
        continue;
      }
      Classification c = state.classification().get().classification();
      if (!c.model().equals(model)) {
        otherModels++;
        continue;
      }
      answered[cell(c.isCat(), cat)]++;
      for (int i = 0; i < thresholds.size(); i++) {
        boolean yes = c.catScore() >= thresholds.get(i);
        at[i][cell(yes, cat)]++;
        if (yes != c.isCat()) {
          at[i][4]++;
        }
      }
    }
    List<LabelTally.AtThreshold> rowsAt = new ArrayList<>();
    for (int i = 0; i < thresholds.size(); i++) {
      rowsAt.add(new LabelTally.AtThreshold(thresholds.get(i), confusion(at[i]), at[i][4]));
    }
    return new LabelTally(confusion(answered), rowsAt, unanswered, otherModels);
  }

  private static int cell(boolean said, boolean truth) {
    return said ? (truth ? 0 : 1) : (truth ? 3 : 2);
  }

  private static Confusion confusion(long[] cells) {
    return new Confusion(cells[0], cells[1], cells[2], cells[3]);
  }

  /** Every row, for comparing two views. */
  public synchronized Map<ImageId, ImageState> snapshot() {
    Map<ImageId, ImageState> all = new TreeMap<>();
    rows.keySet().forEach(id -> all.put(id, image(id).orElseThrow()));
    return all;
  }
}
