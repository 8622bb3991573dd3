package io.catwrangler.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catwrangler.core.detection.TopLabel;
import io.catwrangler.core.ingest.IngestResult;
import io.catwrangler.core.label.RecordLabel;
import io.catwrangler.core.notify.NotificationDeadLetters;
import io.catwrangler.core.port.BatchEntry;
import io.catwrangler.core.port.BatchPage;
import io.catwrangler.core.port.DeadLetter;
import io.catwrangler.core.quality.Confusion;
import io.catwrangler.core.quality.LabelTally;
import io.catwrangler.core.quality.ModelQuality;
import io.catwrangler.core.quality.Proportion;
import io.catwrangler.core.query.Answer;
import io.catwrangler.core.query.ImageAnswer;
import io.catwrangler.core.query.ImageDebug;
import io.catwrangler.core.query.SubmissionSummary;
import io.catwrangler.core.replay.ReplayReport;
import io.catwrangler.events.BatchId;
import io.catwrangler.events.ClassificationFailed;
import io.catwrangler.events.Event;
import io.catwrangler.events.EventCodec;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.events.Json;
import io.catwrangler.events.LabelRecorded;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The JSON documents of the API (docs/api.md describes each field). Field names are snake_case. */
final class ApiJson {
  private static final EventCodec CODEC = new EventCodec();

  private ApiJson() {}

  static ObjectNode object() {
    return Json.object();
  }

  static String imagePath(ImageId id) {
    return "/images/" + id.value();
  }

  static String batchPath(BatchId id) {
    return "/batches/" + id.value();
  }

  /** The 202 of {@code POST /images}. */
  static ObjectNode accepted(IngestResult result, Optional<BatchId> batchId) {
    ObjectNode node = object();
    node.put("image_id", result.imageId().value());
    node.put("submission_id", result.submissionId().toString());
    node.put("status", result.status().name());
    putAnswer(node, result.isCat().map(Answer::of));
    batchId.ifPresentOrElse(b -> node.put("batch_id", b.value()), () -> node.putNull("batch_id"));
    ObjectNode links = node.putObject("links");
    links.put("self", imagePath(result.imageId()));
    links.put("events", imagePath(result.imageId()) + "/events");
    batchId.ifPresent(b -> links.put("batch", batchPath(b)));
    return node;
  }

  /** {@code GET /images/{id}}; {@code failure} is the terminal failure of a FAILED image. */
  static ObjectNode image(ImageAnswer a, Optional<ClassificationFailed> failure) {
    ObjectNode node = object();
    node.put("image_id", a.imageId().value());
    node.put("status", a.status().name());
    putAnswer(node, a.answer());
    putNumber(node, "cat_score", a.catScore().isPresent() ? Optional.of(a.catScore().getAsDouble()) : Optional.empty());
    putNumber(node, "threshold", a.threshold().isPresent() ? Optional.of(a.threshold().getAsDouble()) : Optional.empty());
    a.model().ifPresentOrElse(m -> node.set("model", Json.model(m)), () -> node.putNull("model"));
    a.decidedBy().ifPresentOrElse(t -> node.put("decided_by", t.wireName()), () -> node.putNull("decided_by"));
    a.classifiedAt().ifPresentOrElse(t -> node.put("classified_at", t.toString()), () -> node.putNull("classified_at"));
    failure.ifPresentOrElse(f -> node.set("failure", failure(f)), () -> node.putNull("failure"));
    node.put("version", a.version());
    ArrayNode submissions = node.putArray("submissions");
    a.submissions().forEach(s -> submissions.add(submission(s)));
    a.label().ifPresentOrElse(l -> node.set("label", label(l)), () -> node.putNull("label"));
    a.debug().ifPresent(d -> node.set("debug", debug(d)));
    ObjectNode links = node.putObject("links");
    links.put("self", imagePath(a.imageId()));
    links.put("events", imagePath(a.imageId()) + "/events");
    return node;
  }

  /** A person's label as {@code GET /images/{id}} shows it beside the answer. */
  private static ObjectNode label(LabelRecorded l) {
    ObjectNode node = object();
    node.put("cat", l.label().cat());
    node.put("by", l.label().by());
    node.put("at", l.occurredAt().toString());
    node.put("version", l.version());
    return node;
  }

  /** The 201 (or 200: the same label stood already) of {@code POST /images/{id}/labels}. */
  static ObjectNode labelled(RecordLabel.Outcome outcome) {
    ObjectNode node = object();
    LabelRecorded event = outcome.event();
    node.put("image_id", event.imageId().value());
    node.set("label", label(event));
    node.put("recorded", outcome.appended());
    ObjectNode links = node.putObject("links");
    links.put("image", imagePath(event.imageId()));
    links.put("events", imagePath(event.imageId()) + "/events");
    links.put("quality", "/quality");
    return node;
  }

  /** {@code GET /quality}. */
  static ObjectNode quality(ModelQuality q) {
    ObjectNode node = object();
    node.set("model", Json.model(q.model()));
    node.put("threshold", q.threshold());
    node.put("labelled", q.labelled());
    node.put("n", q.tally().answered().n());
    ObjectNode excluded = node.putObject("excluded");
    excluded.put("unanswered", q.tally().unanswered());
    excluded.put("other_models", q.tally().otherModels());
    node.put("interval", "wilson-95");
    putMeasures(node, q.tally().answered());
    ArrayNode table = node.putArray("thresholds");
    for (LabelTally.AtThreshold row : q.tally().atThresholds()) {
      ObjectNode item = table.addObject();
      item.put("threshold", row.threshold());
      putMeasures(item, row.confusion());
      item.put("answers_changed", row.answersChanged());
    }
    return node;
  }

  private static void putMeasures(ObjectNode node, Confusion c) {
    ObjectNode counts = node.putObject("counts");
    counts.put("tp", c.tp());
    counts.put("fp", c.fp());
    counts.put("tn", c.tn());
    counts.put("fn", c.fn());
    node.set("accuracy", measure(c.accuracy()));
    node.set("precision", measure(c.precision()));
    node.set("recall", measure(c.recall()));
  }

  /** {@code {"value", "low", "high", "of"}}: the share, its Wilson 95 % interval, and the count it is a share of. */
  private static ObjectNode measure(Proportion p) {
    ObjectNode node = object();
    putNumber(node, "value", p.value().isPresent() ? Optional.of(p.value().getAsDouble()) : Optional.empty());
    Optional<Proportion.Interval> interval = p.wilson95();
    putNumber(node, "low", interval.map(Proportion.Interval::low));
    putNumber(node, "high", interval.map(Proportion.Interval::high));
    node.put("of", p.trials());
    return node;
  }

  static ObjectNode failure(ClassificationFailed failed) {
    ObjectNode node = object();
    node.put("reason", failed.failure().reason().name());
    node.put("message", failed.failure().message());
    node.put("attempt", failed.failure().attempt());
    node.put("retryable", failed.failure().retryable());
    node.put("failed_at", failed.occurredAt().toString());
    node.set("model", Json.model(failed.failure().model()));
    return node;
  }

  private static ObjectNode submission(SubmissionSummary s) {
    ObjectNode node = object();
    node.put("submission_id", s.submissionId().toString());
    s.batchId().ifPresentOrElse(b -> node.put("batch_id", b.value()), () -> node.putNull("batch_id"));
    s.clientId().ifPresentOrElse(c -> node.put("client_id", c.value()), () -> node.putNull("client_id"));
    s.fileName().ifPresentOrElse(f -> node.put("file_name", f.value()), () -> node.putNull("file_name"));
    node.put("source", s.source().wireName());
    node.put("received_at", s.receivedAt().toString());
    return node;
  }

  private static ObjectNode debug(ImageDebug d) {
    ObjectNode node = object();
    node.put("content_type", d.contentType());
    node.put("byte_size", d.byteSize());
    node.put("width", d.width());
    node.put("height", d.height());
    ArrayNode labels = node.putArray("top_labels");
    TopLabel.of(d.raw()).forEach(l -> labels.addObject().put("label", l.label()).put("probability", l.probability()));
    ArrayNode detections = node.putArray("detections");
    d.detections().forEach(o -> detections.add(Json.detection(o)));
    node.put("oriented_width", d.orientedWidth());
    node.put("oriented_height", d.orientedHeight());
    ObjectNode timings = node.putObject("timings_ms");
    d.timingsMs().forEach(timings::put);
    node.put("attempts", d.attempts());
    d.lastFailure().ifPresentOrElse(f -> node.set("last_failure", failure(f)), () -> node.putNull("last_failure"));
    node.set("raw", Json.MAPPER.valueToTree(d.raw()));
    return node;
  }

  /** {@code GET /images/{id}/events}: each event exactly as the event codec writes it (the published contract). */
  static ObjectNode history(ImageId id, List<Event> events) {
    ObjectNode node = object();
    node.put("image_id", id.value());
    node.put("count", events.size());
    ArrayNode list = node.putArray("events");
    events.forEach(e -> list.add(CODEC.toTree(e)));
    ObjectNode links = node.putObject("links");
    links.put("image", imagePath(id));
    return node;
  }

  /** {@code GET /batches/{id}}. */
  static ObjectNode batch(BatchPage page, int limit) {
    ObjectNode node = object();
    node.put("batch_id", page.batchId().value());
    node.put("total", page.total());
    ObjectNode counts = node.putObject("counts");
    page.counts().forEach((status, n) -> counts.put(status.name(), n));
    node.put("complete", page.counts().get(ImageStatus.PENDING) == 0);
    ArrayNode images = node.putArray("images");
    page.images().forEach(e -> images.add(batchEntry(e)));
    page.nextCursor().ifPresentOrElse(c -> node.put("next_cursor", c), () -> node.putNull("next_cursor"));
    ObjectNode links = node.putObject("links");
    links.put("self", batchPath(page.batchId()));
    page.nextCursor()
        .ifPresent(c -> links.put("next", batchPath(page.batchId()) + "?limit=" + limit + "&cursor=" + encode(c)));
    return node;
  }

  private static ObjectNode batchEntry(BatchEntry e) {
    ObjectNode node = object();
    node.put("image_id", e.imageId().value());
    node.put("status", e.status().name());
    putAnswer(node, e.isCat().map(Answer::of));
    putNumber(node, "cat_score", e.catScore().isPresent() ? Optional.of(e.catScore().getAsDouble()) : Optional.empty());
    ArrayNode names = node.putArray("file_names");
    e.fileNames().forEach(f -> names.add(f.value()));
    node.putObject("links").put("self", imagePath(e.imageId()));
    return node;
  }

  /** {@code POST /admin/replay}. */
  static ObjectNode replay(String action, Optional<ImageId> image, Optional<Double> threshold, ReplayReport report) {
    ObjectNode node = object();
    node.put("action", action);
    node.put("scope", image.isPresent() ? "image" : "all");
    image.ifPresent(id -> node.put("image_id", id.value()));
    threshold.ifPresent(t -> node.put("threshold", t));
    node.put("images", report.images());
    node.put("events_appended", report.eventsAppended());
    node.put("answers_changed", report.answersChanged());
    node.put("retry_later", report.retryLater());
    node.put("queued", report.queued());
    return node;
  }

  /** {@code GET /admin/dead-letters}. */
  static ObjectNode deadLetters(List<DeadLetter> letters) {
    ObjectNode node = object();
    node.put("count", letters.size());
    ArrayNode list = node.putArray("dead_letters");
    for (DeadLetter d : letters) {
      ObjectNode item = list.addObject();
      item.put("id", d.id());
      item.put("image_id", d.request().imageId().value());
      item.put("submission_id", d.request().submission().submissionId().toString());
      d.request().submission().batchId()
          .ifPresentOrElse(b -> item.put("batch_id", b.value()), () -> item.putNull("batch_id"));
      d.request().submission().fileName()
          .ifPresentOrElse(f -> item.put("file_name", f.value()), () -> item.putNull("file_name"));
      item.put("attempts", d.attempts());
      item.put("reason", d.reason());
      item.put("dead_lettered_at", d.deadLetteredAt().toString());
      item.putObject("links").put("image", imagePath(d.request().imageId()));
    }
    return node;
  }

  static ObjectNode notificationDeadLetters(List<NotificationDeadLetters.DeadNotification> letters) {
    ObjectNode node = object();
    node.put("count", letters.size());
    ArrayNode items = node.putArray("dead_letters");
    for (NotificationDeadLetters.DeadNotification d : letters) {
      items.addObject()
          .put("id", d.id())
          .put("notification_id", d.notificationId())
          .put("type", d.type())
          .put("destination", d.destination())
          .put("attempts", d.attempts())
          .put("last_error", d.lastError())
          .put("created_at", d.createdAt().toString())
          .put("dead_lettered_at", d.deadLetteredAt().toString());
    }
    return node;
  }

  static ObjectNode health(Api.Health health) {
    ObjectNode node = object();
    node.put("status", health.healthy() ? "ok" : "unavailable");
    health.details().forEach((name, value) -> node.set(name, Json.MAPPER.valueToTree(value)));
    return node;
  }

  private static void putAnswer(ObjectNode node, Optional<Answer> answer) {
    answer.ifPresentOrElse(a -> node.put("answer", a.wireName()), () -> node.putNull("answer"));
  }

  private static void putNumber(ObjectNode node, String name, Optional<Double> value) {
    value.ifPresentOrElse(v -> node.put(name, v), () -> node.putNull(name));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
