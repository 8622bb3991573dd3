package io.catwrangler.core.label;

import io.catwrangler.core.config.PipelineConfig;
import io.catwrangler.core.error.InvalidRequestException;
import io.catwrangler.core.error.NotFoundException;
import io.catwrangler.core.port.ConcurrencyConflictException;
import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.query.QueryResults;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.Label;
import io.catwrangler.events.LabelRecorded;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A person's correction ({@code POST /images/{id}/labels}): appends a {@link LabelRecorded} to the image's stream.
 * The answer stays the model's; the newest label stands beside it and counts in the quality figures. Any image that
 * has a stream can be labelled, answered or not (docs/decisions/0039).
 */
public final class RecordLabel {
  private final EventStore events;
  private final Clock clock;
  private final PipelineConfig config;

  public RecordLabel(EventStore events, Clock clock, PipelineConfig config) {
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * What a label request did.
   *
   * @param event the label now standing: the one appended, or the newest one when it said the same already
   * @param appended false when the image's newest label was already this one (a client's retry): nothing appended
   */
  public record Outcome(LabelRecorded event, boolean appended) {}

  /**
   * Records that {@code by} says the image is (or is not) a cat. The same label as the image's newest one (same
   * {@code cat}, same {@code by}) appends nothing, so a retried request does not pile up events.
   *
   * @param by stripped; then 1 to {@link Label#MAX_BY} characters, no control characters
   * @param correlationId the request id
   * @throws InvalidRequestException malformed image id (INVALID_ID) or {@code by} (INVALID_PARAMETER)
   * @throws NotFoundException no such image
   * @throws ConcurrencyConflictException the stream kept moving under {@link PipelineConfig#maxConflictRetries} tries
   */
  public Outcome record(String imageId, boolean cat, String by, String correlationId) {
    ImageId id = QueryResults.parseImageId(imageId);
    Label label;
    try {
      label = new Label(cat, Label.strip(Objects.requireNonNull(by, "by")));
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.invalidParameter("by", "who labelled it, 1 to " + Label.MAX_BY
          + " characters without control characters (" + e.getMessage() + ")");
    }
    ConcurrencyConflictException last = null;
    for (int round = 0; round <= config.maxConflictRetries(); round++) {
      // the store's state: on AWS the view's row and the events after it, so a label on an image sent a thousand
      // times costs what it costs on one sent once (decision 0030)
      ImageState state = events.state(id);
      if (!state.exists()) {
        throw NotFoundException.image(id);
      }
      Optional<LabelRecorded> standing = state.label().filter(l -> l.label().equals(label));
      if (standing.isPresent()) {
        return new Outcome(standing.get(), false);
      }
      LabelRecorded event = LabelRecorded.of(id, state.version() + 1, clock.instant(), correlationId, label);
      try {
        events.append(id, state.version(), List.of(event));
        return new Outcome(event, true);
      } catch (ConcurrencyConflictException e) {
        last = e; // a classification or another label got in first: read again and append after it
      }
    }
    throw last;
  }
}
