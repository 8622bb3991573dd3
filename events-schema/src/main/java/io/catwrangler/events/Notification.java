package io.catwrangler.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * What a client registered to be told about, in the one JSON shape both runtimes send (a webhook body embedded, an
 * EventBridge event's {@code detail} on AWS; {@code schemas/Notification.schema.json}). The {@link #id} is a
 * name-based UUID of what happened, so a redelivery, a second sender or a re-projection carries the same id and a
 * receiver can drop duplicates by it.
 *
 * @param batch present for {@link Type#BATCH_COMPLETED}
 * @param image present for {@link Type#IMAGE_ANSWERED}
 */
public record Notification(
    UUID id, Type type, Instant occurredAt, Optional<CompletedBatch> batch, Optional<AnsweredImage> image) {

  public static final int SCHEMA_VERSION = 1;

  public enum Type {
    /** A batch has no PENDING image left. */
    BATCH_COMPLETED("batch.completed"),
    /** An image went from PENDING to CLASSIFIED or FAILED. */
    IMAGE_ANSWERED("image.answered");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** A batch with no PENDING image: how many images, how many answered, failed, yes and no. */
  public record CompletedBatch(BatchId batchId, long classified, long failed, long yes, long no) {
    public CompletedBatch {
      Objects.requireNonNull(batchId, "batch id");
      if (classified < 0 || failed < 0 || yes < 0 || no < 0 || yes + no != classified) {
        throw new IllegalArgumentException("counts are not negative and yes + no = classified");
      }
    }

    public long total() {
      return classified + failed;
    }
  }

  /** An image's outcome as the view has it after its first terminal event. */
  public record AnsweredImage(
      ImageId imageId,
      ImageStatus status,
      Optional<Boolean> isCat,
      OptionalDouble catScore,
      OptionalDouble threshold,
      Optional<DetectorModel> model,
      Optional<FailureReason> failureReason,
      List<BatchId> batchIds) {
    public AnsweredImage {
      Objects.requireNonNull(imageId, "image id");
      if (status == ImageStatus.PENDING) {
        throw new IllegalArgumentException("an answered image is CLASSIFIED or FAILED");
      }
      batchIds = List.copyOf(batchIds);
    }

    /** The image as the state says. */
    public static AnsweredImage of(ImageState state) {
      var classification = state.classification().map(ClassificationSucceeded::classification);
      return new AnsweredImage(
          state.imageId(),
          state.status(),
          state.isCat(),
          classification.map(c -> OptionalDouble.of(c.catScore())).orElse(OptionalDouble.empty()),
          classification.map(c -> OptionalDouble.of(c.threshold())).orElse(OptionalDouble.empty()),
          classification.map(Classification::model),
          state.status() == ImageStatus.FAILED
              ? state.lastFailure().map(f -> f.failure().reason())
              : Optional.empty(),
          List.copyOf(state.batchIds()));
    }
  }

  public Notification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurred at");
    Objects.requireNonNull(batch, "batch (use Optional.empty())");
    Objects.requireNonNull(image, "image (use Optional.empty())");
    if (batch.isPresent() != (type == Type.BATCH_COMPLETED) || image.isPresent() != (type == Type.IMAGE_ANSWERED)) {
      throw new IllegalArgumentException("a " + type.wireName() + " notification carries exactly its own part");
    }
  }

  /**
   * The batch has no PENDING image left. The id names the batch and its size: a batch that grows after it was
   * complete completes again, with another id; the same completion seen again has the same one.
   */
  public static Notification batchCompleted(CompletedBatch batch, Instant at) {
    UUID id = NameBasedUuid.of("notification:batch.completed:" + batch.batchId().value() + ":" + batch.total());
    return new Notification(id, Type.BATCH_COMPLETED, at, Optional.of(batch), Optional.empty());
  }

  /** The image has its first outcome; an image has one, so the image names it. */
  public static Notification imageAnswered(ImageState state, Instant at) {
    UUID id = NameBasedUuid.of("notification:image.answered:" + state.imageId().value());
    return new Notification(id, Type.IMAGE_ANSWERED, at, Optional.empty(), Optional.of(AnsweredImage.of(state)));
  }

  /** The JSON body: every field present, {@code null} where there is no value (as the API does). */
  public ObjectNode toTree() {
    ObjectNode node = Json.object();
    node.put("id", id.toString());
    node.put("type", type.wireName());
    node.put("schema_version", SCHEMA_VERSION);
    node.put("occurred_at", occurredAt.toString());
    if (batch.isPresent()) {
      CompletedBatch b = batch.get();
      ObjectNode out = node.putObject("batch");
      out.put("batch_id", b.batchId().value());
      out.put("total", b.total());
      ObjectNode counts = out.putObject("counts");
      counts.put(ImageStatus.PENDING.name(), 0);
      counts.put(ImageStatus.CLASSIFIED.name(), b.classified());
      counts.put(ImageStatus.FAILED.name(), b.failed());
      out.putObject("answers").put("yes", b.yes()).put("no", b.no());
      out.putObject("links").put("self", "/batches/" + b.batchId().value());
    } else {
      node.putNull("batch");
    }
    if (image.isPresent()) {
      AnsweredImage i = image.get();
      ObjectNode out = node.putObject("image");
      out.put("image_id", i.imageId().value());
      out.put("status", i.status().name());
      if (i.isCat().isPresent()) {
        out.put("answer", i.isCat().get() ? "yes" : "no");
      } else {
        out.putNull("answer");
      }
      putNumber(out, "cat_score", i.catScore());
      putNumber(out, "threshold", i.threshold());
      if (i.model().isPresent()) {
        out.putObject("model").put("name", i.model().get().name()).put("version", i.model().get().version());
      } else {
        out.putNull("model");
      }
      out.put("failure_reason", i.failureReason().map(Enum::name).orElse(null));
      ArrayNode batches = out.putArray("batch_ids");
      i.batchIds().forEach(b -> batches.add(b.value()));
      out.putObject("links").put("self", "/images/" + i.imageId().value());
    } else {
      node.putNull("image");
    }
    return node;
  }

  /** {@link #toTree} as compact JSON text, the bytes that are signed and sent. */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(toTree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always writes", e);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s %s", type.wireName(), id);
  }

  private static void putNumber(ObjectNode node, String name, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(name, value.getAsDouble());
    } else {
      node.putNull(name);
    }
  }
}
