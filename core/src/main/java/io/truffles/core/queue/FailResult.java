package io.truffles.core.queue;

/** What {@link JobQueue#fail} did with a document. */
public enum FailResult {
    /** Back to its input status, claimable again after the back-off. */
    RETRY_SCHEDULED,
    /** In the stage's failed status for good, with {@code lastError}. */
    FAILED,
    /** The lease was no longer ours: another worker owns the document, nothing was written. */
    LEASE_LOST
}
