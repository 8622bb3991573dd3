package io.catwrangler.core.port;

import java.util.List;

/**
 * Where classify requests go for a classifier to answer: what ingest and a re-classification need of the queue, and
 * all that the AWS runtime has of it (SQS delivers to classify-fn itself). Leasing and dead letters are the
 * embedded queue's own ({@link WorkQueue}).
 */
public interface ClassifyQueue {

  void enqueue(ClassifyRequest request);

  /**
   * Queues several requests (an operator's re-classification of every image) and returns how many were queued; a
   * request that could not be queued for a transient reason is not counted, and the caller reports it. Adapters
   * that can send several in one call do (SQS: SendMessageBatch of ten).
   */
  default int enqueueAll(List<ClassifyRequest> requests) {
    int queued = 0;
    for (ClassifyRequest request : requests) {
      try {
        enqueue(request);
        queued++;
      } catch (StorageUnavailableException notNow) {
        // not queued: counted by the caller as to retry later
      }
    }
    return queued;
  }
}
