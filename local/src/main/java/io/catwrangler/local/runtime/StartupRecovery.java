package io.catwrangler.local.runtime;

import io.catwrangler.core.port.ClassifyRequest;
import io.catwrangler.events.ImageId;
import io.catwrangler.events.ImageReceived;
import io.catwrangler.events.ImageState;
import io.catwrangler.events.ImageStatus;
import io.catwrangler.local.fs.FileImageStore;
import io.catwrangler.local.sqlite.SqliteEventStore;
import io.catwrangler.local.sqlite.SqliteResultView;
import io.catwrangler.local.sqlite.SqliteWorkQueue;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Start-up recovery: work that was accepted but not finished is picked up again.
 *
 * <ol>
 *   <li>At open, before the workers start: every lease in the queue belongs to a dead process (the runtime holds
 *       the data folder's lock), so all are released at once, attempt counts kept.
 *   <li>Once the projector has caught up: every image the view shows PENDING with no request queued or
 *       dead-lettered, and still PENDING by its own stream, gets its newest submission queued again. Ingest queues
 *       before it records, so this is a safety net (a queue row lost with a restored backup, say), not the normal
 *       path.
 *   <li>In the background: temporary files of interrupted image writes from before this start are deleted; image
 *       files that no event and no request refers to are counted and logged, not deleted — they are uploads that
 *       died before being accepted (no 202 was sent), the bytes carry no submission to re-ingest them with, and
 *       they do no harm (the same bytes uploaded again reuse the file).
 * </ol>
 */
final class StartupRecovery {
  private static final System.Logger LOG = System.getLogger(StartupRecovery.class.getName());
  private static final int PAGE = 500;
  private static final int ORPHANS_LOGGED = 100;

  private final SqliteEventStore events;
  private final SqliteWorkQueue queue;
  private final SqliteResultView view;
  private final FileImageStore images;
  private final Instant startedAt;
  private final AtomicLong leasesReleased = new AtomicLong();
  private final AtomicLong requeued = new AtomicLong(-1);
  private final AtomicLong unfinishedWritesDeleted = new AtomicLong(-1);
  private final AtomicLong orphanImages = new AtomicLong(-1);

  StartupRecovery(
      SqliteEventStore events, SqliteWorkQueue queue, SqliteResultView view, FileImageStore images, Instant startedAt) {
    this.events = events;
    this.queue = queue;
    this.view = view;
    this.images = images;
    this.startedAt = startedAt;
  }

  RecoveryReport report() {
    return new RecoveryReport(leasesReleased.get(), requeued.get(), unfinishedWritesDeleted.get(), orphanImages.get());
  }

  /** Step 1. */
  void releaseAbandonedLeases() {
    int released = queue.releaseAllLeases();
    leasesReleased.set(released);
    if (released > 0) {
      LOG.log(Level.INFO, "start-up: " + released + " request(s) leased by the previous run are queued again");
    }
  }

  /** Step 2; needs a caught-up view. */
  void requeueStrandedImages() {
    long count = 0;
    Optional<ImageId> after = Optional.empty();
    while (true) {
      List<ImageId> pending = view.imagesWithStatus(ImageStatus.PENDING, after, PAGE);
      for (ImageId imageId : pending) {
        if (queue.hasMessageFor(imageId)) {
          continue;
        }
        ImageState state = ImageState.fold(imageId, events.read(imageId));
        if (state.status() != ImageStatus.PENDING || state.submissions().isEmpty()) {
          continue; // settled meanwhile
        }
        ImageReceived newest = state.submissions().get(state.submissions().size() - 1);
        queue.enqueue(ClassifyRequest.of(newest));
        count++;
        LOG.log(Level.WARNING, "start-up: image " + imageId + " was PENDING with no queued request; queued again");
      }
      if (pending.size() < PAGE) {
        break;
      }
      after = Optional.of(pending.get(pending.size() - 1));
    }
    requeued.set(count);
  }

  /** Step 3; walks the whole image folder. */
  void scanImageFolder() {
    long[] counts = new long[2];
    images.forEachFile(
        file -> {
          if (!modifiedBeforeStart(file.path())) {
            return; // written by this run: an upload in progress
          }
          if (file.unfinishedWrite()) {
            try {
              Files.deleteIfExists(file.path());
              counts[0]++;
            } catch (IOException e) {
              LOG.log(Level.WARNING, "cannot delete " + file.path() + ": " + e.getMessage());
            }
            return;
          }
          ImageId imageId = file.imageId().orElse(null);
          if (imageId != null && events.version(imageId) == 0 && !queue.hasMessageFor(imageId)) {
            counts[1]++;
            if (counts[1] <= ORPHANS_LOGGED) {
              LOG.log(Level.INFO, "start-up: image file " + file.path() + " has no submission (an upload that was"
                  + " never accepted); kept");
            }
          }
        });
    unfinishedWritesDeleted.set(counts[0]);
    orphanImages.set(counts[1]);
    if (counts[0] > 0 || counts[1] > 0) {
      LOG.log(Level.INFO, "start-up: deleted " + counts[0] + " unfinished image write(s); " + counts[1]
          + " image file(s) without a submission");
    }
  }

  private boolean modifiedBeforeStart(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(startedAt);
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }
}
