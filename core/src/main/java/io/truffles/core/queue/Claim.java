package io.truffles.core.queue;

import io.truffles.core.documents.Queued;
import org.bson.types.ObjectId;

/**
 * A document this worker won, with the lease token every later write is fenced on.
 *
 * @param document the document as it was right after the claim
 */
public record Claim<T extends Queued>(ObjectId id, String token, T document) {

    public int attempt() {
        return document.attempts;
    }
}
