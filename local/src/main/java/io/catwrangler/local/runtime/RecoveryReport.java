package io.catwrangler.local.runtime;

/**
 * What start-up recovery found and did (see docs/operations.md, "Start-up recovery").
 *
 * @param leasesReleased requests a previous run had leased and not finished, made visible again at once
 * @param requeued images with a submission but no final answer and no queued request, queued again (-1 until the
 *     projector has caught up and the check ran)
 * @param unfinishedWritesDeleted temporary image files of writes a crash interrupted (-1 until the scan is done)
 * @param orphanImages image files no event and no request refers to: uploads that died before they were
 *     accepted; kept and only counted (-1 until the scan is done)
 */
public record RecoveryReport(long leasesReleased, long requeued, long unfinishedWritesDeleted, long orphanImages) {

  /** True when every step has run. */
  public boolean complete() {
    return requeued >= 0 && unfinishedWritesDeleted >= 0 && orphanImages >= 0;
  }
}
