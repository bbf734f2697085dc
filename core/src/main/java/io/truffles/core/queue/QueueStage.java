package io.truffles.core.queue;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One stage of a state machine that workers claim from: which collection, which status is waiting, which statuses a
 * held document shows, where documents go when they fail for good, whether the documents keep a status history, and
 * how retries back off.
 *
 * @param inputStatus        documents waiting for this stage
 * @param workingStatus      the status a claim sets (may equal {@code inputStatus})
 * @param heldStatuses       every status a held document may show: the working status and those its handler moves it
 *                           through while it holds it (an agent's phases). A document in one of them whose lease ran
 *                           out is claimed again (or failed for good) like one in the working status.
 * @param finishedStatuses   where a held document may go when its handler finishes it (a {@link JobOutcome}); finishing
 *                           to anything else is a programming error, and a document no longer in a held status is
 *                           left as it is
 * @param failedStatus       terminal status after {@code maxAttempts} or an unrecoverable error
 * @param keepsStatusHistory whether every status write also appends {@code {status, at}} to {@code statusHistory}
 * @param leaseTtl           how long a claim lives without a heartbeat; heartbeats renew it every third of it
 */
public record QueueStage(
        String name,
        String collection,
        String inputStatus,
        String workingStatus,
        List<String> heldStatuses,
        List<String> finishedStatuses,
        String failedStatus,
        boolean keepsStatusHistory,
        int maxAttempts,
        Duration leaseTtl,
        Duration backoffBase,
        Duration backoffMax) {

    public static final QueueStage RENDER = new QueueStage("render", Session.COLLECTION,
            SessionStatus.pending.name(), SessionStatus.rendering.name(), List.of(SessionStatus.rendering.name()),
            List.of(SessionStatus.analyzing.name()), SessionStatus.failed.name(), false, 3, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(30));

    public static final QueueStage ANALYZE = new QueueStage("analyze", Session.COLLECTION,
            SessionStatus.analyzing.name(), SessionStatus.analyzing.name(), List.of(SessionStatus.analyzing.name()),
            List.of(SessionStatus.complete.name()), SessionStatus.failed.name(), false, 3, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(30));

    /** An agent's phases are held statuses: the runner moves a held agent through them under its lease. */
    public static final QueueStage AGENT = new QueueStage("agent", AgentSession.COLLECTION,
            AgentStatus.queued.name(), AgentStatus.starting.name(),
            Stream.of(AgentStatus.starting, AgentStatus.verifying, AgentStatus.planning, AgentStatus.coding,
                    AgentStatus.reviewing).map(Enum::name).toList(),
            List.of(AgentStatus.done.name(), AgentStatus.false_alarm.name()),
            AgentStatus.failed.name(), true, 3, Duration.ofSeconds(60), Duration.ofMinutes(1), Duration.ofMinutes(30));

    public QueueStage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(collection);
        Objects.requireNonNull(inputStatus);
        Objects.requireNonNull(workingStatus);
        heldStatuses = List.copyOf(heldStatuses);
        if (!heldStatuses.contains(workingStatus)) {
            throw new IllegalArgumentException("heldStatuses must hold the working status " + workingStatus);
        }
        finishedStatuses = List.copyOf(finishedStatuses);
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

    /** The statuses a claim takes documents from: waiting, or held under a lease that may have run out. */
    public List<String> claimableStatuses() {
        return heldStatuses.contains(inputStatus) ? heldStatuses
                : Stream.concat(Stream.of(inputStatus), heldStatuses.stream()).toList();
    }

    public QueueStage withLeaseTtl(Duration ttl) {
        return new QueueStage(name, collection, inputStatus, workingStatus, heldStatuses, finishedStatuses,
                failedStatus, keepsStatusHistory, maxAttempts, ttl, backoffBase, backoffMax);
    }

    public QueueStage withRetries(int maxAttempts, Duration backoffBase, Duration backoffMax) {
        return new QueueStage(name, collection, inputStatus, workingStatus, heldStatuses, finishedStatuses,
                failedStatus, keepsStatusHistory, maxAttempts, leaseTtl, backoffBase, backoffMax);
    }
}
