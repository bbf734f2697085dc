package io.truffles.core.queue;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.Queued;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * The MongoDB job queue of one {@link QueueStage}. Every write that follows a claim is fenced on the claim's lease
 * token, so a worker whose lease expired can never overwrite the worker that claimed the document after it.
 * Time comes from the injected {@link Clock}, so leases and back-off are testable without waiting; in the services it is
 * a {@link ServerClock}, the database server's time, so runners on hosts whose clocks differ agree on when a lease
 * ends, and a host whose clock is too far off claims nothing.
 */
public final class JobQueue<T extends Queued> {
    private static final Logger LOG = Logger.getLogger(JobQueue.class);
    private static final FindOneAndUpdateOptions CLAIM_OPTIONS = new FindOneAndUpdateOptions()
            .sort(Sorts.ascending("createdAt", "_id"))
            .returnDocument(ReturnDocument.AFTER);

    private final MongoCollection<T> collection;
    private final QueueStage stage;
    private final List<String> claimableStatuses;
    private final Clock clock;
    private final String owner;

    public JobQueue(MongoCollection<T> collection, QueueStage stage, Clock clock, String owner) {
        this.collection = collection;
        this.stage = stage;
        this.claimableStatuses = stage.claimableStatuses();
        this.clock = clock;
        this.owner = owner;
    }

    public QueueStage stage() {
        return stage;
    }

    public String owner() {
        return owner;
    }

    /**
     * Claims the oldest due document in one {@code findOneAndUpdate}: waiting in the input status, or held under an
     * expired lease (its worker died), not backing off, with attempts left. Exactly one concurrent caller wins it.
     */
    public Optional<Claim<T>> claim() {
        if (clock instanceof ServerClock server && !server.trusted()) {
            // this host's clock is too far off the server's for its leases to mean anything: claim nothing
            return Optional.empty();
        }
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        Bson claimable = and(
                in("status", claimableStatuses),
                or(eq("lease", null), lte("lease.until", now)),
                or(eq("nextAttemptAt", null), lte("nextAttemptAt", now)),
                or(eq("attempts", null), lt("attempts", stage.maxAttempts())));
        Bson update = Updates.combine(
                status(stage.workingStatus(), now),
                Updates.set("lease", leaseDocument(token, now)),
                Updates.set("updatedAt", now),
                Updates.unset("waitingReason"),
                Updates.inc("attempts", 1));
        T won = collection.findOneAndUpdate(claimable, update, CLAIM_OPTIONS);
        return Optional.ofNullable(won).map(doc -> new Claim<>(doc.id, token, doc));
    }

    /** Sets the status, and records it in the document's history where the stage keeps one. */
    private Bson status(String status, Instant at) {
        Bson set = Updates.set("status", status);
        return stage.keepsStatusHistory()
                ? Updates.combine(set, Updates.push("statusHistory", AgentStatusChange.entry(status, at)))
                : set;
    }

    /** Renews the lease. {@code false} means the lease is gone and the job must stop at once. */
    public boolean heartbeat(Claim<T> claim) {
        Instant until = clock.instant().plus(stage.leaseTtl());
        return collection.updateOne(fence(claim), Updates.set("lease.until", until)).getMatchedCount() == 1;
    }

    /**
     * Moves the document to {@code nextStatus}, releases the lease and resets the claim fields for the next stage,
     * applying {@code changes} in the same write. Fenced on the lease and on a held status: {@code false} means the
     * lease was lost or the document was moved out of the stage meanwhile, and nothing was written.
     *
     * @throws IllegalArgumentException when the stage's state machine has no move to {@code nextStatus}
     */
    public boolean finish(Claim<T> claim, String nextStatus, Bson... changes) {
        if (!stage.finishedStatuses().contains(nextStatus)) {
            throw new IllegalArgumentException("The " + stage.name() + " stage cannot finish a document to "
                    + nextStatus + ", only to " + stage.finishedStatuses());
        }
        Instant now = clock.instant();
        List<Bson> updates = new ArrayList<>(List.of(changes));
        updates.add(status(nextStatus, now));
        updates.add(Updates.set("updatedAt", now));
        updates.add(Updates.set("attempts", 0));
        updates.add(Updates.unset("lease"));
        updates.add(Updates.unset("nextAttemptAt"));
        return collection.updateOne(held(claim), Updates.combine(updates)).getMatchedCount() == 1;
    }

    /**
     * Gives a claimed document back untouched by the job: the input status again, due at {@code until}, the claim's
     * attempt handed back (waiting is not failing, so a session held for days never runs out of attempts), with
     * {@code changes} (its {@code waitingReason}) in the same write. {@code false} means the lease was lost and nothing
     * was written.
     */
    public boolean release(Claim<T> claim, Instant until, Bson... changes) {
        Instant now = clock.instant();
        List<Bson> updates = new ArrayList<>(List.of(changes));
        updates.add(status(stage.inputStatus(), now));
        updates.add(Updates.set("updatedAt", now));
        updates.add(Updates.inc("attempts", -1));
        updates.add(Updates.set("nextAttemptAt", until));
        updates.add(Updates.unset("lease"));
        return collection.updateOne(held(claim), Updates.combine(updates)).getMatchedCount() == 1;
    }

    /**
     * Makes documents that wait in the input status due now where {@code waiting} matches (a cap was raised: what it
     * held may run at once rather than at its wait's end). Returns how many were made due.
     */
    public long wakeWaiting(Bson waiting) {
        return collection.updateMany(and(eq("status", stage.inputStatus()), eq("lease", null), waiting,
                        gte("nextAttemptAt", clock.instant())),
                Updates.combine(Updates.unset("nextAttemptAt"), Updates.set("updatedAt", clock.instant())))
                .getModifiedCount();
    }

    /** Whether failing this claim ({@link #fail}) ends the document in the failed status rather than retrying it. */
    public boolean failsForGood(Claim<T> claim, boolean retryable) {
        return !retryable || claim.attempt() >= stage.maxAttempts();
    }

    /**
     * Records a failed attempt. A retryable error with attempts left goes back to the input status after the stage's
     * back-off; an unrecoverable one, or the last attempt, ends in the failed status, with {@code ending} in the same
     * write. Either way {@code lastError} holds {@code error}.
     */
    public FailResult fail(Claim<T> claim, String error, boolean retryable, Bson... ending) {
        Instant now = clock.instant();
        boolean terminal = failsForGood(claim, retryable);
        Bson update = terminal
                ? failedForGood(error, now, List.of(ending))
                : Updates.combine(
                        status(stage.inputStatus(), now),
                        Updates.set("lastError", error),
                        Updates.set("updatedAt", now),
                        Updates.set("nextAttemptAt", now.plus(stage.backoffAfter(claim.attempt()))),
                        Updates.unset("lease"));
        if (collection.updateOne(held(claim), update).getMatchedCount() != 1) {
            return FailResult.LEASE_LOST;
        }
        return terminal ? FailResult.FAILED : FailResult.RETRY_SCHEDULED;
    }

    private Bson failedForGood(String error, Instant now, List<Bson> ending) {
        List<Bson> updates = new ArrayList<>(ending);
        updates.add(status(stage.failedStatus(), now));
        updates.add(Updates.set("lastError", error));
        updates.add(Updates.set("updatedAt", now));
        updates.add(Updates.unset("lease"));
        updates.add(Updates.unset("nextAttemptAt"));
        return Updates.combine(updates);
    }

    /** Fails documents whose workers died holding them on their last attempt, with nothing more in the write. */
    public List<T> failAbandoned() {
        return failAbandoned((id, error) -> List.of());
    }

    /**
     * Fails documents whose workers died holding them on their last attempt: claim() will not take them again, so
     * without this they would sit in a held status forever. Each is first taken under a lease of this queue's own
     * (one atomic write, so of concurrent callers exactly one takes a given document), then {@code ending} is asked
     * what else the failing write carries — and may do what must happen before it, elsewhere — and then the failed
     * status is written, fenced on that lease. A process that dies between the steps leaves the document held under
     * an expiring lease, so the next call does it all again: nothing is left half ended. Returns the documents failed.
     */
    public List<T> failAbandoned(BiFunction<ObjectId, String, List<Bson>> ending) {
        String error = "The worker holding it stopped (crash, kill or lost connection) on each of its "
                + stage.maxAttempts() + " attempts; look at the " + stage.name() + " service's log around "
                + "the last attempt.";
        List<T> failed = new ArrayList<>();
        T taken;
        while ((taken = takeAbandoned()) != null) {
            Claim<T> claim = new Claim<>(taken.id, taken.lease.token, taken);
            List<Bson> changes;
            try {
                changes = ending.apply(taken.id, error);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Ending %s of %s, whose worker died, failed; tried again once its lease runs out",
                        stage.name(), taken.id);
                continue;
            }
            T ended = collection.findOneAndUpdate(held(claim), failedForGood(error, clock.instant(), changes),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (ended != null) {
                failed.add(ended);
            }
        }
        return failed;
    }

    private T takeAbandoned() {
        Instant now = clock.instant();
        Bson abandoned = and(
                in("status", stage.heldStatuses()),
                lte("lease.until", now),
                gte("attempts", stage.maxAttempts()));
        return collection.findOneAndUpdate(abandoned,
                Updates.set("lease", leaseDocument(UUID.randomUUID().toString(), now)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
    }

    /** Documents of this stage's collection in that status (for the queue-depth gauge, which caches it). */
    public long countWithStatus(String status) {
        return collection.countDocuments(eq("status", status));
    }

    /**
     * Puts a document that failed for good back into this stage's input status with fresh attempts: a person's retry
     * once the cause is mended. Fenced on the failed status, so of concurrent retries one writes and a document that
     * is not failed is left as it is. {@code true} when this call moved it.
     */
    public boolean requeueFailed(ObjectId id) {
        Instant now = clock.instant();
        Bson update = Updates.combine(
                status(stage.inputStatus(), now),
                Updates.set("attempts", 0),
                Updates.set("updatedAt", now),
                Updates.unset("lastError"),
                Updates.unset("nextAttemptAt"),
                Updates.unset("lease"));
        return collection.updateOne(and(eq("_id", id), eq("status", stage.failedStatus())), update)
                .getMatchedCount() == 1;
    }

    /**
     * Hands a claim back because the stack's own storage (the bucket, the database) was out of reach: the input status
     * again, due at {@code until}, with {@code error} as its last error and the claim's attempt handed back. An outage
     * is not the job's failure, so a restart of the storage during a job's last attempt does not fail it for good.
     * {@code false} means the lease was lost and nothing was written.
     */
    public boolean handBack(Claim<T> claim, String error, Instant until) {
        return release(claim, until, Updates.set("lastError", error));
    }

    /** The earliest time a backing-off document becomes due, so a worker need not wait longer than that. */
    public Optional<Instant> nextDueAt() {
        T next = collection.find(and(eq("status", stage.inputStatus()), lt("attempts", stage.maxAttempts()),
                        gte("nextAttemptAt", clock.instant())))
                .sort(Sorts.ascending("nextAttemptAt"))
                .limit(1)
                .first();
        return Optional.ofNullable(next).map(doc -> doc.nextAttemptAt);
    }

    private Document leaseDocument(String token, Instant now) {
        return new Document("owner", owner).append("token", token).append("until", now.plus(stage.leaseTtl()));
    }

    private static Bson fence(Claim<?> claim) {
        return and(eq("_id", claim.id()), eq("lease.token", claim.token()));
    }

    /** The fence of a status write: the claim's lease, and a status the stage holds documents in. */
    private Bson held(Claim<?> claim) {
        return and(eq("_id", claim.id()), eq("lease.token", claim.token()), in("status", stage.heldStatuses()));
    }
}
