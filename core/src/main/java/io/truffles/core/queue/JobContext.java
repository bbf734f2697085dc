package io.truffles.core.queue;

import io.truffles.core.documents.Queued;
import io.truffles.core.error.LeaseLostException;

/** What a {@link JobHandler} knows about the job it is running. */
public final class JobContext<T extends Queued> {
    private final Claim<T> claim;
    private volatile boolean leaseLost;

    JobContext(Claim<T> claim) {
        this.claim = claim;
    }

    public T document() {
        return claim.document();
    }

    public Claim<T> claim() {
        return claim;
    }

    /** 1 on the first claim. */
    public int attempt() {
        return claim.attempt();
    }

    public boolean leaseLost() {
        return leaseLost;
    }

    /** Throws when another worker may own the document now; nothing more should be written for it. */
    public void ensureLease() {
        if (leaseLost) {
            throw new LeaseLostException("Lost the lease on " + claim.id() + "; another worker may hold it now");
        }
    }

    void markLeaseLost() {
        leaseLost = true;
    }
}
