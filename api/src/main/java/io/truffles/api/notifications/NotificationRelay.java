package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.Issue;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.DuplicateKey;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.NotificationIndexes;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.queue.Doorbell;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Moves outbox entries from their subject documents into {@code notifications}, one per idempotency key, with one
 * delivery per channel subscribed to the event when it is relayed, and only then takes the entry off its subject. Each
 * step is an upsert on the key, so a crash between any two (or two apis relaying at once) repeats a step without
 * doubling anything: the second relay of a key finds the notification and its channel list as the first wrote them.
 * Follows the subject collections like the live feed: change streams ring a doorbell on MongoDB, a short poll on
 * the embedded server.
 */
@Singleton
public class NotificationRelay {
    public static final String COLLECTION = NotificationIndexes.NOTIFICATIONS;
    private static final Logger LOG = Logger.getLogger(NotificationRelay.class);
    /** Subject documents read per collection per pass; the rest come next pass. */
    private static final int BATCH = 200;

    private final MongoDatabase database;
    private final MongoCollection<Document> notifications;
    private final MongoCollection<Document> deliveries;
    private final ChannelStore channels;
    private final DeliverySender sender;
    private final Clock clock;
    private final Duration poll;
    private final Doorbell doorbell = new Doorbell();
    /** Subjects whose outbox could not be read, reported once each rather than every pass. */
    private final Set<Object> reported = new HashSet<>();
    private volatile boolean running;
    private Thread thread;
    private ChangeFollow follow;

    NotificationRelay(Documents documents, ChannelStore channels, DeliverySender sender, Clock clock,
            NotificationsConfig config) {
        this.database = documents.database();
        this.notifications = database.getCollection(COLLECTION);
        this.deliveries = database.getCollection(DeliveryQueue.COLLECTION);
        this.channels = channels;
        this.sender = sender;
        this.clock = clock;
        this.poll = config.poll();
    }

    void start(@Observes StartupEvent started) {
        follow = ChangeFollow.of(database, Outbox.SUBJECTS, doorbell, poll, clock);
        running = true;
        thread = ChangeFollow.thread("notification-relay", () -> follow(follow.poll()));
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (follow != null) {
            follow.close();
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void follow(Duration wait) {
        boolean unreachable = false;
        while (running) {
            long seen = doorbell.generation();
            try {
                relayPending();
                unreachable = false;
            } catch (MongoException | IllegalStateException failed) {
                if (!running) {
                    return;
                }
                if (!unreachable) {
                    LOG.warnf("Relaying notifications failed (%s); retrying", failed.getMessage());
                    unreachable = true;
                }
            }
            try {
                doorbell.awaitRingAfter(seen, wait);
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    /** One pass over every subject collection; returns the entries relayed. */
    public int relayPending() {
        int relayed = 0;
        for (String name : Outbox.SUBJECTS) {
            MongoCollection<Document> subjects = database.getCollection(name);
            for (Document subject : subjects.find(Outbox.PENDING).limit(BATCH).into(new ArrayList<>())) {
                List<OutboxEntry> entries;
                try {
                    entries = Outbox.entries(subject);
                } catch (RuntimeException unreadable) {
                    if (reported.add(subject.get("_id"))) {
                        LOG.errorf("The outbox of %s %s cannot be read (%s); its entries wait until it is mended",
                                name, subject.get("_id"), unreadable.getMessage());
                    }
                    continue;
                }
                for (OutboxEntry entry : entries) {
                    relay(subjects, subject, entry);
                    relayed++;
                }
            }
        }
        if (relayed > 0) {
            sender.wake();
        }
        return relayed;
    }

    private void relay(MongoCollection<Document> subjects, Document subject, OutboxEntry entry) {
        Instant now = clock.instant();
        String issueId = issueIdOf(subjects.getNamespace().getCollectionName(), subject, entry.event());
        Document notification = notification(entry, subjects.getNamespace().getCollectionName(), issueId, now);
        for (ObjectId channel : notification.getList("channels", ObjectId.class, List.of())) {
            Document delivery = new Document("notification", entry.key()).append("channelId", channel)
                    .append("event", entry.event().wireName()).append("issueId", issueId)
                    .append("status", DeliveryQueue.PENDING).append("attempts", 0).append("createdAt", now)
                    .append("updatedAt", now);
            try {
                deliveries.updateOne(eq("_id", entry.key() + "/" + channel.toHexString()),
                        new Document("$setOnInsert", delivery), new UpdateOptions().upsert(true));
            } catch (MongoException raced) {
                if (!DuplicateKey.is(raced)) {
                    throw raced;
                }
            }
        }
        subjects.updateOne(eq("_id", subject.get("_id")), Outbox.remove(entry.key()));
    }

    /** The notification of the key, as its first relay wrote it (with the channels it fanned out to then). */
    private Document notification(OutboxEntry entry, String collection, String issueId, Instant now) {
        Document fields = new Document("event", entry.event().wireName()).append("subjectId", entry.subjectId())
                .append("subjectCollection", collection).append("issueId", issueId).append("at", entry.at())
                .append("facts", new Document(entry.facts()))
                .append("channels", channels.subscribedTo(entry.event().wireName())).append("createdAt", now);
        try {
            return notifications.findOneAndUpdate(eq("_id", entry.key()), new Document("$setOnInsert", fields),
                    new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        } catch (MongoException raced) {
            if (!DuplicateKey.is(raced)) {
                throw raced;
            }
            // another relay inserted it between our look and our insert: theirs stands
            return notifications.find(eq("_id", entry.key())).first();
        }
    }

    /** The issue an event is about, for the quiet rule; null for events about no issue (budgets). */
    private static String issueIdOf(String collection, Document subject, NotificationEvent event) {
        if (event == NotificationEvent.BUDGET_WARNING || event == NotificationEvent.BUDGET_REACHED) {
            return null;
        }
        if (collection.equals(Issue.COLLECTION)) {
            return hex(subject.get("_id"));
        }
        if (collection.equals(AgentSession.COLLECTION)) {
            return hex(subject.get("issueId"));
        }
        return null;
    }

    private static String hex(Object id) {
        return id instanceof ObjectId objectId ? objectId.toHexString() : id == null ? null : id.toString();
    }
}
