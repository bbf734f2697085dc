package io.truffles.core.queue;

import java.util.List;
import org.bson.conversions.Bson;

/** Where a finished document goes, and what else its finishing write sets (written together, fenced on the lease). */
public record JobOutcome(String nextStatus, List<Bson> changes) {

    public static JobOutcome moveTo(Enum<?> nextStatus, Bson... changes) {
        return new JobOutcome(nextStatus.name(), List.of(changes));
    }
}
