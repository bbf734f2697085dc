package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.truffles.core.mongo.Documents;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * The one writer of {@code notificationChannels}: channels added and removed by admins, and each delivery's outcome,
 * which pauses a channel that keeps failing ({@link NotificationsConfig#pauseAfterFailures()} attempts in a row, or
 * failing for {@link NotificationsConfig#pauseAfterFailingFor()}) until an admin resumes it.
 */
@Singleton
public class ChannelStore {
    public static final String COLLECTION = "notificationChannels";
    private static final Logger LOG = Logger.getLogger(ChannelStore.class);

    private final MongoCollection<Document> channels;
    private final NotificationsConfig config;
    private final Clock clock;

    ChannelStore(Documents documents, NotificationsConfig config, Clock clock) {
        this.channels = documents.database().getCollection(COLLECTION);
        this.config = config;
        this.clock = clock;
    }

    Channel create(ChannelType type, String name, String url, String secret, List<String> events, boolean quiet) {
        Instant now = clock.instant();
        Document channel = new Document("_id", new ObjectId()).append("type", type.name()).append("name", name)
                .append("url", url).append("secret", secret).append("events", events).append("quiet", quiet)
                .append("paused", false)
                .append("consecutiveFailures", 0).append("createdAt", now).append("updatedAt", now);
        channels.insertOne(channel);
        // read back: dates come out of the database as dates
        return Channel.from(channels.find(eq("_id", channel.getObjectId("_id"))).first());
    }

    List<Channel> list() {
        List<Channel> all = new ArrayList<>();
        channels.find().sort(Sorts.ascending("createdAt", "_id")).forEach(doc -> all.add(Channel.from(doc)));
        return all;
    }

    Optional<Channel> find(ObjectId id) {
        return Optional.ofNullable(channels.find(eq("_id", id)).first()).map(Channel::from);
    }

    /**
     * Sets the quiet rule and/or the events (null: unchanged) in one write. New events apply to what is relayed from
     * now on; deliveries already made keep going. Empty when the channel is unknown.
     */
    Optional<Channel> change(ObjectId id, Boolean quiet, List<String> events) {
        List<Bson> changes = new ArrayList<>();
        if (quiet != null) {
            changes.add(Updates.set("quiet", quiet));
        }
        if (events != null) {
            changes.add(Updates.set("events", events));
        }
        changes.add(Updates.set("updatedAt", clock.instant()));
        Document after = channels.findOneAndUpdate(eq("_id", id), Updates.combine(changes),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(after).map(Channel::from);
    }

    boolean delete(ObjectId id) {
        return channels.deleteOne(eq("_id", id)).getDeletedCount() == 1;
    }

    /** The channels an event goes to, read when it is relayed (paused ones too: their deliveries wait). */
    List<ObjectId> subscribedTo(String event) {
        List<ObjectId> ids = new ArrayList<>();
        channels.find(eq("events", event)).sort(Sorts.ascending("createdAt", "_id"))
                .forEach(doc -> ids.add(doc.getObjectId("_id")));
        return ids;
    }

    List<ObjectId> pausedIds() {
        List<ObjectId> ids = new ArrayList<>();
        channels.find(eq("paused", true)).forEach(doc -> ids.add(doc.getObjectId("_id")));
        return ids;
    }

    void recordSuccess(ObjectId id, int status) {
        Instant now = clock.instant();
        channels.updateOne(eq("_id", id), Updates.combine(Updates.set("consecutiveFailures", 0),
                Updates.unset("failingSince"), Updates.set("lastDelivery", last(now, true, status, null)),
                Updates.set("updatedAt", now)));
    }

    /**
     * Records a failed attempt; one that {@code counts} (anything but a 429) may pause the channel. Returns whether
     * this call paused it.
     */
    boolean recordFailure(ObjectId id, Integer status, String error, boolean counts) {
        Instant now = clock.instant();
        channels.updateOne(and(eq("_id", id), eq("failingSince", null)), Updates.set("failingSince", now));
        Document after = channels.findOneAndUpdate(eq("_id", id), Updates.combine(
                        Updates.inc("consecutiveFailures", counts ? 1 : 0),
                        Updates.set("lastDelivery", last(now, false, status, error)), Updates.set("updatedAt", now)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        if (after == null || !counts) {
            return false;
        }
        Channel channel = Channel.from(after);
        boolean tooMany = channel.consecutiveFailures() >= config.pauseAfterFailures();
        boolean tooLong = channel.failingSince() != null
                && !channel.failingSince().plus(config.pauseAfterFailingFor()).isAfter(now);
        if (channel.paused() || !(tooMany || tooLong)) {
            return false;
        }
        String reason = (tooMany ? channel.consecutiveFailures() + " failed attempts in a row"
                : "failing since " + channel.failingSince()) + "; last error: " + error
                + ". Its messages wait; fix the receiver and resume the channel.";
        boolean paused = channels.updateOne(and(eq("_id", id), ne("paused", true)), Updates.combine(
                Updates.set("paused", true), Updates.set("pausedReason", reason), Updates.set("pausedAt", now),
                Updates.set("updatedAt", now))).getModifiedCount() == 1;
        if (paused) {
            LOG.warnf("Notification channel %s (%s, %s) paused: %s", id, channel.type(), channel.name(), reason);
        }
        return paused;
    }

    /** Unpauses the channel and starts its failure count again; its waiting deliveries go out. Empty when unknown. */
    Optional<Channel> resume(ObjectId id) {
        Document after = channels.findOneAndUpdate(eq("_id", id), Updates.combine(Updates.set("paused", false),
                        Updates.unset("pausedReason"), Updates.unset("pausedAt"), Updates.set("consecutiveFailures", 0),
                        Updates.unset("failingSince"), Updates.set("updatedAt", clock.instant())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(after).map(Channel::from);
    }

    private static Document last(Instant at, boolean ok, Integer status, String error) {
        return new Document("at", at).append("ok", ok).append("status", status).append("error", error);
    }
}
