package io.truffles.core.documents;

import java.time.Instant;

/**
 * Held by the worker that claimed a document. {@code token} is unique per claim, so a worker whose
 * lease expired cannot overwrite its successor even when both run under the same {@code owner}.
 */
public class Lease {
    /** {@code service@host:pid}, for people reading the document. */
    public String owner;
    /** Random per claim; the fence every heartbeat, finish and fail is filtered on. */
    public String token;
    /** Not claimable by anyone else before this. */
    public Instant until;

    public Lease() {
    }

    public Lease(String owner, String token, Instant until) {
        this.owner = owner;
        this.token = token;
        this.until = until;
    }
}
