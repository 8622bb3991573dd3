package io.catwrangler.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.core.notify.AnnouncedBatches;
import io.catwrangler.core.notify.StreamNotifications;
import io.catwrangler.core.port.StorageUnavailableException;
import io.catwrangler.events.Event;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The AWS projector's notifications, over the in-memory pipeline: what each stream-like delivery publishes. */
class StreamNotificationsTest {
  private final TestPipeline p = new TestPipeline();
  private final List<Notification> published = new ArrayList<>();

  private List<Notification> deliver(StreamNotifications notifications, List<Event> events) {
    p.project.project(events);
    return notifications.afterProjection(events);
  }

  @Test
  void theBatchIsPublishedWhenItsLastImageIsAnsweredImagesOnlyWhenAskedAndARetryPublishesTheSame()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      byte[] png = TestImages.png(900 + i);
      p.detector.score(ImageId.sha256Of(png), i == 0 ? 0.9 : 0.1);
      p.upload(png, "scans", "s" + i + ".png");
    }
    AtomicBoolean busDown = new AtomicBoolean();
    StreamNotifications quiet = new StreamNotifications(p.events, AnnouncedBatches.inMemory(p.view), n -> {
      if (busDown.get()) {
        throw new StorageUnavailableException("bus down", null);
      }
      published.addAll(n);
    }, false, p.clock);
    StreamNotifications chatty = new StreamNotifications(p.events, AnnouncedBatches.inMemory(p.view), n -> {}, true, p.clock);

    assertThat(deliver(quiet, p.events.all())).as("all pending").isEmpty();
    int received = p.events.all().size();
    p.drain();
    List<Event> answers = List.copyOf(p.events.all().subList(received, p.events.all().size()));
    assertThat(answers).hasSize(3);

    assertThat(deliver(chatty, answers.subList(0, 2))).extracting(Notification::type)
        .containsExactly(Notification.Type.IMAGE_ANSWERED, Notification.Type.IMAGE_ANSWERED);
    busDown.set(true);
    assertThatThrownBy(() -> deliver(quiet, answers.subList(2, 3))).isInstanceOf(StorageUnavailableException.class);
    busDown.set(false);
    List<Notification> completion = deliver(quiet, answers.subList(2, 3)); // the stream delivers the batch again

    assertThat(completion).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(Notification.Type.BATCH_COMPLETED);
      assertThat(n.batch().orElseThrow().total()).isEqualTo(3);
      assertThat(n.batch().orElseThrow().yes()).isEqualTo(1);
    });
    assertThat(published).containsExactlyElementsOf(completion);
    assertThat(deliver(chatty, answers.subList(2, 3))).extracting(Notification::type).as("redelivered")
        .containsExactly(Notification.Type.IMAGE_ANSWERED, Notification.Type.BATCH_COMPLETED);
    assertThat(deliver(chatty, answers.subList(0, 1)))
        .as("an earlier delivery redelivered: its image again, the batch not (announced at this size)")
        .extracting(Notification::type).containsExactly(Notification.Type.IMAGE_ANSWERED);
    assertThat(deliver(quiet, answers)).as("the completion seen again is not announced again").isEmpty();
  }

  @Test
  void aBatchIsAnnouncedOncePerSizeAndAgainWhenItGrows() throws Exception {
    StreamNotifications notifications =
        new StreamNotifications(p.events, AnnouncedBatches.inMemory(p.view), published::addAll, false, p.clock);
    int seen = 0;
    for (int i = 0; i < 3; i++) {
      p.upload(TestImages.png(700 + i), "growing", "g" + i + ".png");
      p.drain();
      List<Event> step = List.copyOf(p.events.all().subList(seen, p.events.all().size()));
      seen = p.events.all().size();
      deliver(notifications, step);
      deliver(notifications, step); // every stream batch delivered twice
    }

    assertThat(published).extracting(n -> n.batch().orElseThrow().total()).as("one completion per size")
        .containsExactly(1L, 2L, 3L);
    assertThat(published).extracting(Notification::id).doesNotHaveDuplicates();
  }
}
