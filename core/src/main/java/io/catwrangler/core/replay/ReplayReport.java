package io.catwrangler.core.replay;

/**
 * What a replay pass did.
 *
 * @param images streams looked at
 * @param eventsAppended new events (re-decisions, re-classifications, failures)
 * @param answersChanged images whose yes/no answer is different now
 * @param retryLater images left for another pass (detector or store unavailable, too many lost races)
 */
public record ReplayReport(long images, long eventsAppended, long answersChanged, long retryLater) {
  ReplayReport plus(ReplayReport other) {
    return new ReplayReport(
        images + other.images,
        eventsAppended + other.eventsAppended,
        answersChanged + other.answersChanged,
        retryLater + other.retryLater);
  }
}
