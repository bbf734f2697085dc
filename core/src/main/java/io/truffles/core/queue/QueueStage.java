package io.truffles.core.queue;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import java.time.Duration;
import java.util.Objects;

/**
 * One stage of a state machine that workers claim from: which collection, which status is waiting, which status a
 * held document shows, where documents go when they fail for good, and how retries back off.
 *
 * @param inputStatus   documents waiting for this stage
 * @param workingStatus the status a held document carries (may equal {@code inputStatus})
 * @param failedStatus  terminal status after {@code maxAttempts} or an unrecoverable error
 * @param leaseTtl      how long a claim lives without a heartbeat; heartbeats renew it every third of it
 */
public record QueueStage(
        String name,
        String collection,
        String inputStatus,
        String workingStatus,
        String failedStatus,
        int maxAttempts,
        Duration leaseTtl,
        Duration backoffBase,
        Duration backoffMax) {

    public static final QueueStage RENDER = new QueueStage("render", Session.COLLECTION,
            SessionStatus.pending.name(), SessionStatus.rendering.name(), SessionStatus.failed.name(),
            3, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(30));

    public static final QueueStage ANALYZE = new QueueStage("analyze", Session.COLLECTION,
            SessionStatus.analyzing.name(), SessionStatus.analyzing.name(), SessionStatus.failed.name(),
            3, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(30));

    public static final QueueStage AGENT = new QueueStage("agent", AgentSession.COLLECTION,
            AgentStatus.queued.name(), AgentStatus.starting.name(), AgentStatus.failed.name(),
            3, Duration.ofSeconds(60), Duration.ofMinutes(1), Duration.ofMinutes(30));

    public QueueStage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(collection);
        Objects.requireNonNull(inputStatus);
        Objects.requireNonNull(workingStatus);
        Objects.requireNonNull(failedStatus);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("leaseTtl must be positive, was " + leaseTtl);
        }
    }

    /** Back-off before the next claim after {@code attempts} failed claims: base·2^(attempts−1), at most {@code backoffMax}. */
    public Duration backoffAfter(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        Duration delay = backoffBase.multipliedBy(1L << doublings);
        return delay.compareTo(backoffMax) > 0 ? backoffMax : delay;
    }

    /** Agent sessions record every status they take in {@code statusHistory}, which the live feed shows. */
    public boolean keepsStatusHistory() {
        return collection.equals(AgentSession.COLLECTION);
    }

    public QueueStage withLeaseTtl(Duration ttl) {
        return new QueueStage(name, collection, inputStatus, workingStatus, failedStatus, maxAttempts, ttl, backoffBase,
                backoffMax);
    }

    public QueueStage withRetries(int maxAttempts, Duration backoffBase, Duration backoffMax) {
        return new QueueStage(name, collection, inputStatus, workingStatus, failedStatus, maxAttempts, leaseTtl,
                backoffBase, backoffMax);
    }
}
