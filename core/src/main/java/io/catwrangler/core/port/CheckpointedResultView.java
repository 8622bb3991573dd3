package io.catwrangler.core.port;

import io.catwrangler.events.ImageState;
import java.util.List;

/**
 * A result view that also remembers how far it has read an {@link EventFeed}, in the same transaction as the rows
 * it updates, so a crash can neither lose nor double an update (embedded: the SQLite view tails the events table).
 */
public interface CheckpointedResultView extends ResultView {

  /** The sequence of the last feed event projected; 0 before any (and after {@link #reset}). */
  long checkpoint();

  /**
   * Saves the states (each with the rule of {@link #save}) and moves the checkpoint to {@code checkpoint}, all in
   * one transaction.
   *
   * @throws IllegalArgumentException {@code checkpoint} is behind the stored one
   */
  void saveAll(List<ImageState> states, long checkpoint);
}
