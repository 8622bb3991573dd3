package io.catwrangler.core.port;

import java.util.List;

/**
 * The embedded change feed: every event of every stream in commit order, read by position. The SQLite event store
 * implements it (a global sequence column); on AWS, DynamoDB Streams plays this part and nothing implements it.
 */
public interface EventFeed {

  /**
   * Up to {@code limit} events with a sequence greater than {@code sequence}, in increasing sequence order.
   * Sequences are strictly increasing in commit order (gaps allowed), so a reader that remembers the last sequence
   * it handled misses nothing and sees nothing twice.
   */
  List<SequencedEvent> readAfter(long sequence, int limit);
}
