package io.truffles.core.queue;

import io.truffles.core.documents.Queued;
import java.util.List;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * One stage's work on one claimed document. Return where the document goes next; throw
 * {@link io.truffles.core.error.UnrecoverableJobException} when retrying cannot help, anything else to retry with
 * back-off. Long work should call {@link JobContext#ensureLease()} between steps.
 */
@FunctionalInterface
public interface JobHandler<T extends Queued> {
    JobOutcome handle(JobContext<T> job) throws Exception;

    /**
     * Asked while the document is still held, just before it is written failed for good (an unrecoverable error, its
     * last attempt failing, or its worker dying on its last attempt): returns what else that write sets, and does what
     * must not be lost when the process dies right after (it is asked again then, so it must be idempotent). A failure
     * here leaves the document held; it is failed for good once its lease runs out.
     */
    default List<Bson> endingForGood(ObjectId id, String lastError) {
        return List.of();
    }

    /**
     * Told once a document has ended in the stage's failed status for good — an unrecoverable error, its last
     * attempt failing, or its worker dying on its last attempt — after {@code lastError} was written, for what that
     * failure means beyond the document itself. A failure here is logged, never retried.
     */
    default void failedForGood(ObjectId id, String lastError) {
    }
}
