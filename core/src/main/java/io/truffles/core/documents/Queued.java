package io.truffles.core.documents;

import java.time.Instant;
import org.bson.types.ObjectId;

/** The claim fields every document that moves through the job queue carries beside its own schema. */
public abstract class Queued extends Timestamped {
    public ObjectId id;
    /** Set while a worker holds the document. */
    public Lease lease;
    /** Claims so far in the current stage. */
    public int attempts;
    /** Not claimable before this (retry back-off); {@code null} means now. */
    public Instant nextAttemptAt;
    /** The last failure, in words a person can act on. */
    public String lastError;
    /**
     * Why a worker gave the document back to wait (a spending cap reached: which cap, spent / limit, when it
     * resumes); cleared by the next claim.
     */
    public String waitingReason;
}
