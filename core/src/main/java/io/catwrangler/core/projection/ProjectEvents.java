package io.catwrangler.core.projection;

import io.catwrangler.core.port.EventStore;
import io.catwrangler.core.port.ResultView;
import io.catwrangler.events.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Brings the result view up to date with events that were delivered to it (AWS: a batch of DynamoDB Stream
 * records). At-least-once delivery is harmless: for each image the row's version says what it has seen, older and
 * duplicate events are skipped, and the view's {@code save} is conditional on the version. Events may arrive in any
 * order; a gap (an event missing before the ones handed in) is filled by folding the image's stream again.
 */
public final class ProjectEvents {
  private final ResultView view;
  private final Projector projector;

  public ProjectEvents(EventStore events, ResultView view) {
    this.view = Objects.requireNonNull(view, "view");
    this.projector = new Projector(Objects.requireNonNull(events, "events"));
  }

  public ProjectionReport project(List<? extends Event> events) {
    int skipped = 0;
    int refolded = 0;
    List<ResultView.Save> saves = new ArrayList<>();
    for (Projector.Advance advance : projector.advance(events, view::image).values()) {
      if (advance.refolded()) {
        refolded++;
      }
      if (advance.next().isPresent()) {
        saves.add(new ResultView.Save(advance.next().get(), advance.stored()));
      } else {
        skipped++;
      }
    }
    // all at once: an adapter may share writes between the images (DynamoDB: a batch's counter moved once for all)
    int saved = 0;
    for (boolean written : saves.isEmpty() ? List.<Boolean>of() : view.saveEach(saves)) {
      if (written) {
        saved++;
      } else {
        skipped++;
      }
    }
    return new ProjectionReport(events.size(), saved, skipped, refolded);
  }
}
