package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.truffles.core.mongo.DuplicateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * At most one message per issue per channel per quiet period. The right to send is a slot document
 * ({@code notificationQuiet}, {@code _id} = channel/issue) a delivery takes in one write: free, expired, or already its
 * own (a retry or a resend after a crash keeps it). Of two senders racing, the unique {@code _id} lets one win, so the
 * rule holds across api instances; a delivery that fails for good gives its slot back.
 */
final class QuietRule {
    static final String COLLECTION = "notificationQuiet";

    private final MongoCollection<Document> slots;
    private final Clock clock;
    private final Duration period;

    QuietRule(MongoCollection<Document> slots, Clock clock, Duration period) {
        this.slots = slots;
        this.clock = clock;
        this.period = period;
    }

    /** Empty when {@code delivery} may send; else the delivery that holds the slot (it is then quieted). */
    Optional<String> take(ObjectId channelId, String issueId, String delivery) {
        Instant now = clock.instant();
        String slot = channelId.toHexString() + "/" + issueId;
        try {
            slots.updateOne(and(eq("_id", slot), or(lte("until", now), eq("delivery", delivery))),
                    Updates.combine(Updates.set("delivery", delivery), Updates.set("until", now.plus(period))),
                    new UpdateOptions().upsert(true));
            return Optional.empty();
        } catch (MongoException taken) {
            if (!DuplicateKey.is(taken)) {
                throw taken;
            }
            Document holder = slots.find(eq("_id", slot)).first();
            return Optional.of(holder == null ? "another delivery" : holder.getString("delivery"));
        }
    }

    /** Gives the slot back when {@code delivery} holds it (it failed for good: the next message may go). */
    void release(ObjectId channelId, String issueId, String delivery) {
        slots.deleteOne(and(eq("_id", channelId.toHexString() + "/" + issueId), eq("delivery", delivery)));
    }
}
