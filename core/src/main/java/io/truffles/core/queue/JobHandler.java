package io.truffles.core.queue;

import io.truffles.core.documents.Queued;

/**
 * One stage's work on one claimed document. Return where the document goes next; throw
 * {@link io.truffles.core.error.UnrecoverableJobException} when retrying cannot help, anything else to retry with
 * back-off. Long work should call {@link JobContext#ensureLease()} between steps.
 */
@FunctionalInterface
public interface JobHandler<T extends Queued> {
    JobOutcome handle(JobContext<T> job) throws Exception;
}
