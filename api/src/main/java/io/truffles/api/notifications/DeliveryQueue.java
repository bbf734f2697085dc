package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.nin;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.truffles.core.notifications.NotificationIndexes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * {@code notificationDeliveries}: one document per notification and channel ({@code _id} = key + "/" + channel id),
 * claimed under a lease like core's job queue — but keyed by the idempotency key rather than an ObjectId, retried on
 * the receiver's Retry-After or back-off with jitter, skipped while its channel is paused, and ending quieted as well
 * as sent or failed. Every write after a claim is fenced on the claim's lease token.
 *
 * <pre>
 * pending -> sending -> sent | failed | quieted
 * sending -> pending (retry after the wait)     sending, lease run out -> claimed again (resent, same key)
 * </pre>
 */
final class DeliveryQueue {
    static final String COLLECTION = NotificationIndexes.DELIVERIES;
    static final String PENDING = "pending";
    static final String SENDING = "sending";
    static final String SENT = "sent";
    static final String FAILED = "failed";
    static final String QUIETED = "quieted";
    private static final FindOneAndUpdateOptions CLAIM = new FindOneAndUpdateOptions()
            .sort(Sorts.ascending("createdAt", "_id")).returnDocument(ReturnDocument.AFTER);

    /** A delivery this api holds: the document as claimed and the token its writes are fenced on. */
    record Claimed(Document delivery, String token) {
        String id() {
            return delivery.getString("_id");
        }

        ObjectId channelId() {
            return delivery.getObjectId("channelId");
        }

        int attempt() {
            return delivery.getInteger("attempts", 1);
        }
    }

    private final MongoCollection<Document> deliveries;
    private final Clock clock;
    private final Duration leaseTtl;
    private final String owner;

    DeliveryQueue(MongoCollection<Document> deliveries, Clock clock, Duration leaseTtl, String owner) {
        this.deliveries = deliveries;
        this.clock = clock;
        this.leaseTtl = leaseTtl;
        this.owner = owner;
    }

    /** The oldest due delivery of a channel not paused, waiting or held under a lease that ran out. */
    Optional<Claimed> claim(List<ObjectId> pausedChannels) {
        Instant now = clock.instant();
        String token = UUID.randomUUID().toString();
        Bson due = and(in("status", PENDING, SENDING), or(eq("lease", null), lte("lease.until", now)),
                or(eq("nextAttemptAt", null), lte("nextAttemptAt", now)), nin("channelId", pausedChannels));
        Document won = deliveries.findOneAndUpdate(due, Updates.combine(Updates.set("status", SENDING),
                Updates.set("lease", new Document("owner", owner).append("token", token)
                        .append("until", now.plus(leaseTtl))),
                Updates.inc("attempts", 1), Updates.set("updatedAt", now)), CLAIM);
        return Optional.ofNullable(won).map(delivery -> new Claimed(delivery, token));
    }

    boolean sent(Claimed claimed, int status) {
        Instant now = clock.instant();
        return end(claimed, SENT, Updates.set("sentAt", now), Updates.set("lastStatus", status),
                Updates.unset("lastError"));
    }

    boolean failed(Claimed claimed, Integer status, String error) {
        return end(claimed, FAILED, Updates.set("lastStatus", status), Updates.set("lastError", error));
    }

    /** Not sent: a message about the same issue went to this channel within the quiet period ({@code quietedBy}). */
    boolean quieted(Claimed claimed, String quietedBy) {
        return end(claimed, QUIETED, Updates.set("quietedBy", quietedBy));
    }

    /** Back to waiting until {@code at}, the attempt's outcome kept for the dashboard. */
    boolean retry(Claimed claimed, Instant at, Integer status, String error) {
        return write(claimed, Updates.combine(Updates.set("status", PENDING), Updates.set("nextAttemptAt", at),
                Updates.set("lastStatus", status), Updates.set("lastError", error), Updates.unset("lease"),
                Updates.set("updatedAt", clock.instant())));
    }

    /** Back to waiting without the attempt counting: its channel was paused between the claim and the send. */
    boolean release(Claimed claimed) {
        return write(claimed, Updates.combine(Updates.set("status", PENDING), Updates.inc("attempts", -1),
                Updates.unset("lease"), Updates.set("updatedAt", clock.instant())));
    }

    /** Fails what waits for a channel that was removed: nothing stays pending for nowhere. */
    void failWaiting(ObjectId channelId, String error) {
        deliveries.updateMany(and(eq("channelId", channelId), in("status", PENDING, SENDING)), Updates.combine(
                Updates.set("status", FAILED), Updates.set("lastError", error), Updates.unset("lease"),
                Updates.set("updatedAt", clock.instant())));
    }

    /** When the earliest backing-off delivery becomes due, so the sender need not wait longer. */
    Optional<Instant> nextDueAt() {
        Document next = deliveries.find(and(eq("status", PENDING), gte("nextAttemptAt", clock.instant())))
                .sort(Sorts.ascending("nextAttemptAt")).limit(1).first();
        return Optional.ofNullable(next).map(doc -> doc.getDate("nextAttemptAt").toInstant());
    }

    private boolean end(Claimed claimed, String status, Bson... changes) {
        List<Bson> updates = new ArrayList<>(List.of(changes));
        updates.add(Updates.set("status", status));
        updates.add(Updates.unset("lease"));
        updates.add(Updates.unset("nextAttemptAt"));
        updates.add(Updates.set("updatedAt", clock.instant()));
        return write(claimed, Updates.combine(updates));
    }

    private boolean write(Claimed claimed, Bson update) {
        return deliveries.updateOne(and(eq("_id", claimed.id()), eq("lease.token", claimed.token())), update)
                .getMatchedCount() == 1;
    }
}
