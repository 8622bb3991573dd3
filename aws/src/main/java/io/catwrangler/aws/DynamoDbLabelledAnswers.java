package io.catwrangler.aws;

import static io.catwrangler.aws.internal.Attributes.n;
import static io.catwrangler.aws.internal.Attributes.s;

import io.catwrangler.aws.internal.AwsFailures;
import io.catwrangler.core.port.LabelledAnswers;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.events.Classification;
import io.catwrangler.events.ClassificationSucceeded;
import io.catwrangler.events.DetectorModel;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The labelled images of the DynamoDB results view (decision 0045): one small item per labelled image in a partition
 * of its own, {@code pk = labels}, {@code sk = {sha256}}, holding the newest label ({@code label}, BOOL) and the
 * newest answer as it stands ({@code model_name}, {@code model_version}, {@code is_cat}, {@code cat_score}; absent
 * while the image has no answer) and the {@code version} of the state it was made from. {@link DynamoDbResultView}
 * writes it in the same save as the image item and under the same rule (newer version only), so a redelivered or
 * older state never brings an old label or answer back, and deletes it with the image's other items.
 *
 * <p>{@link #tally} reads that partition page by page (eventually consistent, projecting only what it counts) and
 * counts in the function: its cost grows with the labelled images, never with the images or the events. An item is
 * 179 bytes with the embedded model's names (measured), so 4 KB, half a read unit eventually consistent, covers some
 * 23 labelled images.
 */
public final class DynamoDbLabelledAnswers implements LabelledAnswers {
  static final String PARTITION = "labels";
  static final String LABEL = "label";
  static final String MODEL_NAME = "model_name";
  static final String MODEL_VERSION = "model_version";
  /** Items per Query page of a tally unless told otherwise: DynamoDB's 1 MB page is the real bound. */
  static final int DEFAULT_PAGE = 5000;

  private final DynamoDbClient dynamo;
  private final String table;
  private final int page;

  /** Reads the labelled images of the view table {@code table}. */
  public DynamoDbLabelledAnswers(DynamoDbClient dynamo, String table) {
    this(dynamo, table, DEFAULT_PAGE);
  }

  /** @param page items per Query call (tests make it small to see several pages) */
  DynamoDbLabelledAnswers(DynamoDbClient dynamo, String table, int page) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    if (page < 1) {
      throw new IllegalArgumentException("a page holds at least one item");
    }
    this.page = page;
  }

  static Map<String, AttributeValue> key(ImageId imageId) {
    return Map.of(DynamoDbResultView.PK, s(PARTITION), DynamoDbResultView.SK, s(imageId.value()));
  }

  /**
   * The label item {@code state} needs written, if it has a label and its item would differ from the one
   * {@code stored} made: a new submission of a labelled image writes no label item, a new label or a new answer
   * does. Without a stored state (a rebuild, a save without a read) it is written whenever there is a label.
   */
  static Optional<Map<String, AttributeValue>> itemToWrite(ImageState state, Optional<ImageState> stored) {
    if (state.label().isEmpty()) {
      return Optional.empty(); // a label, once given, stays: an unlabelled state has no item to remove
    }
    if (stored.isPresent() && stored.get().label().isPresent() && sameCounts(stored.get(), state)) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = new HashMap<>(key(state.imageId()));
    item.put(DynamoDbResultView.VERSION, n(state.version()));
    item.put(LABEL, AttributeValue.fromBool(state.label().get().label().cat()));
    state.classification().map(ClassificationSucceeded::classification).ifPresent(answer -> {
      item.put(MODEL_NAME, s(answer.model().name()));
      item.put(MODEL_VERSION, s(answer.model().version()));
      item.put(DynamoDbResultView.IS_CAT, AttributeValue.fromBool(answer.isCat()));
      item.put(DynamoDbResultView.CAT_SCORE, n(answer.catScore()));
    });
    return Optional.of(item);
  }

  /** Same label, same answer (model, yes/no, score): the same item. */
  private static boolean sameCounts(ImageState a, ImageState b) {
    Optional<Classification> x = a.classification().map(ClassificationSucceeded::classification);
    Optional<Classification> y = b.classification().map(ClassificationSucceeded::classification);
    return a.label().get().label().cat() == b.label().get().label().cat()
        && x.map(Classification::model).equals(y.map(Classification::model))
        && x.map(Classification::isCat).equals(y.map(Classification::isCat))
        && x.map(Classification::catScore).equals(y.map(Classification::catScore));
  }

  @Override
  public LabelTally tally(DetectorModel model, List<Double> thresholds) {
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk")
            .projectionExpression("#label, #name, #version, #cat, #score")
            .expressionAttributeNames(Map.of("#pk", DynamoDbResultView.PK, "#label", LABEL, "#name", MODEL_NAME,
                "#version", MODEL_VERSION, "#cat", DynamoDbResultView.IS_CAT, "#score", DynamoDbResultView.CAT_SCORE))
            .expressionAttributeValues(Map.of(":pk", s(PARTITION)))
            .consistentRead(false) // the view trails the events by the stream anyway: half the read units
            .limit(page)
            .build();
    Counts counts = new Counts(model, thresholds);
    try {
      dynamo.queryPaginator(query).items().forEach(counts::add);
    } catch (SdkException e) {
      throw AwsFailures.failed("count the labelled images", e);
    }
    return counts.tally();
  }

  /** The cells of the answers and of each threshold's re-decision, filled one item at a time. */
  private static final class Counts {
    private final DetectorModel model;
    private final List<Double> thresholds;
    private final long[] answered = new long[4];
    private final long[][] at;
    private long unanswered;
    private long otherModels;

    Counts(DetectorModel model, List<Double> thresholds) {
      this.model = Objects.requireNonNull(model, "model");
      this.thresholds = List.copyOf(thresholds);
      this.at = new long[thresholds.size()][5];
    }

    void add(Map<String, AttributeValue> item) {
      boolean cat = item.get(LABEL).bool();
      AttributeValue name = item.get(MODEL_NAME);
      if (name == null) {
        unanswered++;
        return;
      }
      if (!new DetectorModel(name.s(), item.get(MODEL_VERSION).s()).equals(model)) {
        otherModels++;
        return;
      }
      boolean said = item.get(DynamoDbResultView.IS_CAT).bool();
      double score = Double.parseDouble(item.get(DynamoDbResultView.CAT_SCORE).n());
      answered[cell(said, cat)]++;
      for (int i = 0; i < thresholds.size(); i++) {
        boolean yes = score >= thresholds.get(i); // as POST /admin/replay with a threshold decides
        at[i][cell(yes, cat)]++;
        if (yes != said) {
          at[i][4]++;
        }
      }
    }

    LabelTally tally() {
      List<LabelTally.AtThreshold> rows = new ArrayList<>(thresholds.size());
      for (int i = 0; i < thresholds.size(); i++) {
        rows.add(new LabelTally.AtThreshold(thresholds.get(i), confusion(at[i]), at[i][4]));
      }
      return new LabelTally(confusion(answered), rows, unanswered, otherModels);
    }

    private static int cell(boolean said, boolean truth) {
      return said ? (truth ? 0 : 1) : (truth ? 3 : 2);
    }

    private static Confusion confusion(long[] cells) {
      return new Confusion(cells[0], cells[1], cells[2], cells[3]);
    }
  }
}
