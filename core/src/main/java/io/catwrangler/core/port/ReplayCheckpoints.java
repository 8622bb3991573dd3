package io.catwrangler.core.port;

import java.util.Optional;

/**
 * How far a replay over every image got, so that the next call of an interrupted run goes on from there instead of
 * starting over (AWS: an admin call ends at its function's timeout, and a re-classification of every image queues
 * one message per image). Cursors are the event store's ({@link EventStore#imageIds}).
 */
public interface ReplayCheckpoints {

  /** The cursor after which an unfinished run of {@code replay} goes on; empty: start at the first image. */
  Optional<String> resumeAfter(String replay);

  /** Every image up to {@code cursor} (the end of a page) is done. */
  void reached(String replay, String cursor);

  /** The run went through every image: the next starts at the first again. */
  void finished(String replay);

  /** Keeps nothing: every run starts at the first image (the embedded runtime, where a run is not cut off). */
  ReplayCheckpoints NONE =
      new ReplayCheckpoints() {
        @Override
        public Optional<String> resumeAfter(String replay) {
          return Optional.empty();
        }

        @Override
        public void reached(String replay, String cursor) {}

        @Override
        public void finished(String replay) {}
      };
}
