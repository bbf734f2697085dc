package io.truffles.core.notifications;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.truffles.core.mongo.Documents;

/**
 * The notifications' collections (written by the api's relay and sender) and the indexes their queries rely on: the
 * relay's look for waiting outbox entries on every subject collection (only the few documents with one are indexed),
 * the sender's claim of a due delivery, the recent list, and a channel's deliveries.
 */
public final class NotificationIndexes {
    /** One document per event of a subject, {@code _id} the idempotency key. */
    public static final String NOTIFICATIONS = "notifications";
    /** One document per notification and channel: the sender's queue. */
    public static final String DELIVERIES = "notificationDeliveries";

    private NotificationIndexes() {
    }

    public static void ensure(Documents documents) {
        MongoDatabase database = documents.database();
        for (String subject : Outbox.SUBJECTS) {
            database.getCollection(subject).createIndex(Indexes.ascending(Outbox.FIELD + ".key"),
                    new IndexOptions().name("outbox_waiting").partialFilterExpression(Outbox.PENDING));
        }
        database.getCollection(NOTIFICATIONS).createIndex(Indexes.descending("createdAt", "_id"));
        database.getCollection(DELIVERIES).createIndex(Indexes.ascending("status", "nextAttemptAt"));
        database.getCollection(DELIVERIES).createIndex(Indexes.ascending("notification"));
        database.getCollection(DELIVERIES).createIndex(Indexes.ascending("channelId", "status"));
    }
}
