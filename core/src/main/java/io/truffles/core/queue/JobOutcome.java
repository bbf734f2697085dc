package io.truffles.core.queue;

import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.List;
import org.bson.conversions.Bson;

/**
 * Where a finished document goes, and what else its finishing write sets (written together, fenced on the lease).
 *
 * @param waitUntil {@code null} when the job finished; otherwise the job did not run and the document goes back to the
 *                  stage's input status, not claimable before then, without spending an attempt (a spending cap
 *                  reached: the work waits, it did not fail)
 */
public record JobOutcome(String nextStatus, List<Bson> changes, Instant waitUntil) {

    public static JobOutcome moveTo(Enum<?> nextStatus, Bson... changes) {
        return new JobOutcome(nextStatus.name(), List.of(changes), null);
    }

    /**
     * Puts the document back to wait until {@code until} (or until something makes it due sooner), saying why in
     * {@code waitingReason}.
     */
    public static JobOutcome waitUntil(Instant until, String reason) {
        return new JobOutcome(null, List.of(Updates.set("waitingReason", reason)), until);
    }

    public boolean waits() {
        return waitUntil != null;
    }
}
