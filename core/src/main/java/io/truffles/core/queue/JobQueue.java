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
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * The MongoDB job queue of one {@link QueueStage}. Every write that follows a claim is fenced on the claim's lease
 * token, so a worker whose lease expired can never overwrite the worker that claimed the document after it.
 * Time comes from the injected {@link Clock}, so leases and back-off are testable without waiting; in the services it is
 * a {@link ServerClock}, the database server's time, so runners on hosts whose clocks differ agree on when a lease
 * ends, and a host whose clock is too far off claims nothing.
 */
public final class JobQueue<T extends Queued> {
    private static final FindOneAndUpdateOptions CLAIM_OPTIONS = new FindOneAndUpdateOptions()
            .sort(Sorts.ascending("createdAt", "_id"))
            .returnDocument(ReturnDocument.AFTER);

    private final MongoCollection<T> collection;
    private final QueueStage stage;
    private final Clock clock;
    private final String owner;

    public JobQueue(MongoCollection<T> collection, QueueStage stage, Clock clock, String owner) {
        this.collection = collection;
        this.stage = stage;
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
                in("status", statuses()),
                or(eq("lease", null), lte("lease.until", now)),
                or(eq("nextAttemptAt", null), lte("nextAttemptAt", now)),
                or(eq("attempts", null), lt("attempts", stage.maxAttempts())));
        Bson update = Updates.combine(
                status(stage.workingStatus(), now),
                Updates.set("lease", leaseDocument(token, now)),
                Updates.set("updatedAt", now),
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
     * applying {@code changes} in the same write. {@code false} means the lease was lost and nothing was written.
     */
    public boolean finish(Claim<T> claim, String nextStatus, Bson... changes) {
        Instant now = clock.instant();
        List<Bson> updates = new ArrayList<>(List.of(changes));
        updates.add(status(nextStatus, now));
        updates.add(Updates.set("updatedAt", now));
        updates.add(Updates.set("attempts", 0));
        updates.add(Updates.unset("lease"));
        updates.add(Updates.unset("nextAttemptAt"));
        return collection.updateOne(fence(claim), Updates.combine(updates)).getMatchedCount() == 1;
    }

    /**
     * Records a failed attempt. A retryable error with attempts left goes back to the input status after the stage's
     * back-off; an unrecoverable one, or the last attempt, ends in the failed status. Either way {@code lastError}
     * holds {@code error}.
     */
    public FailResult fail(Claim<T> claim, String error, boolean retryable) {
        Instant now = clock.instant();
        boolean terminal = !retryable || claim.attempt() >= stage.maxAttempts();
        Bson update = terminal
                ? Updates.combine(
                        status(stage.failedStatus(), now),
                        Updates.set("lastError", error),
                        Updates.set("updatedAt", now),
                        Updates.unset("lease"),
                        Updates.unset("nextAttemptAt"))
                : Updates.combine(
                        status(stage.inputStatus(), now),
                        Updates.set("lastError", error),
                        Updates.set("updatedAt", now),
                        Updates.set("nextAttemptAt", now.plus(stage.backoffAfter(claim.attempt()))),
                        Updates.unset("lease"));
        if (collection.updateOne(fence(claim), update).getMatchedCount() != 1) {
            return FailResult.LEASE_LOST;
        }
        return terminal ? FailResult.FAILED : FailResult.RETRY_SCHEDULED;
    }

    /**
     * Fails documents whose workers died holding them on their last attempt: claim() will not take them again, so
     * without this they would sit in the working status forever. Returns them as failed, one atomic write each, so
     * of concurrent callers exactly one returns a given document.
     */
    public List<T> failAbandoned() {
        Instant now = clock.instant();
        Bson abandoned = and(
                in("status", statuses()),
                lte("lease.until", now),
                gte("attempts", stage.maxAttempts()));
        Bson update = Updates.combine(
                status(stage.failedStatus(), now),
                Updates.set("lastError", "The worker holding it stopped (crash, kill or lost connection) on each of its "
                        + stage.maxAttempts() + " attempts; look at the " + stage.name() + " service's log around "
                        + "the last attempt."),
                Updates.set("updatedAt", now),
                Updates.unset("lease"));
        List<T> failed = new ArrayList<>();
        T next;
        while ((next = collection.findOneAndUpdate(abandoned, update,
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))) != null) {
            failed.add(next);
        }
        return failed;
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

    /** The earliest time a backing-off document becomes due, so a worker need not wait longer than that. */
    public Optional<Instant> nextDueAt() {
        T next = collection.find(and(eq("status", stage.inputStatus()), lt("attempts", stage.maxAttempts()),
                        gte("nextAttemptAt", clock.instant())))
                .sort(Sorts.ascending("nextAttemptAt"))
                .limit(1)
                .first();
        return Optional.ofNullable(next).map(doc -> doc.nextAttemptAt);
    }

    private List<String> statuses() {
        return stage.inputStatus().equals(stage.workingStatus())
                ? List.of(stage.inputStatus())
                : List.of(stage.inputStatus(), stage.workingStatus());
    }

    private Document leaseDocument(String token, Instant now) {
        return new Document("owner", owner).append("token", token).append("until", now.plus(stage.leaseTtl()));
    }

    private static Bson fence(Claim<?> claim) {
        return and(eq("_id", claim.id()), eq("lease.token", claim.token()));
    }
}
