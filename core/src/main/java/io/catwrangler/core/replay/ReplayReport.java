package io.catwrangler.core.replay;

/**
 * What a replay pass did.
 *
 * @param images streams looked at
 * @param eventsAppended new events (re-decisions, re-classifications, failures)
 * @param answersChanged images whose yes/no answer is different now
 * @param retryLater images left for another pass (detector, store or queue unavailable, too many lost races)
 * @param queued re-classifications handed to the classify queue, answered later by the classifier that reads it
 *     (AWS: classify-fn); 0 where the replay runs the detector itself
 */
public record ReplayReport(long images, long eventsAppended, long answersChanged, long retryLater, long queued) {
  /** A report of a pass that queued nothing. */
  public ReplayReport(long images, long eventsAppended, long answersChanged, long retryLater) {
    this(images, eventsAppended, answersChanged, retryLater, 0);
  }

  ReplayReport plus(ReplayReport other) {
    return new ReplayReport(
        images + other.images,
        eventsAppended + other.eventsAppended,
        answersChanged + other.answersChanged,
        retryLater + other.retryLater,
        queued + other.queued);
  }
}
