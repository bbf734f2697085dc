package io.truffles.core.notifications;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.bson.Document;

/**
 * One event waiting in its subject document's {@code outbox} array, written in the same update as the change it
 * reports, so the change and the news of it are one write (MongoDB's single-document atomicity; the embedded server
 * has no transactions). The relay copies it into {@code notifications} under {@link #key} and only then pulls it.
 *
 * @param key       the idempotency key, {@code <event>:<subject id>[:<detail>]}: one event of one subject is one
 *                  notification however often it is written, relayed or sent ({@code X-Truffles-Delivery})
 * @param event     what happened
 * @param subjectId the issue's, agent's or budget day's id
 * @param at        when it happened
 * @param facts     what the message needs that the subject may no longer say when it is sent (the threshold crossed,
 *                  the cap and the spend); strings, numbers and booleans only
 */
public record OutboxEntry(String key, NotificationEvent event, String subjectId, Instant at, Map<String, Object> facts) {
    public OutboxEntry {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(at, "at");
        facts = facts == null ? Map.of() : Map.copyOf(facts);
        if (key == null) {
            key = event.wireName() + ":" + subjectId;
        }
    }

    /** The event of a subject that happens once ({@code pr.opened}, {@code issue.red}...). */
    public static OutboxEntry of(NotificationEvent event, String subjectId, Instant at, Map<String, Object> facts) {
        return new OutboxEntry(null, event, subjectId, at, facts);
    }

    /**
     * An event a subject may have several times, told apart by {@code detail}: {@code issue.users} per threshold
     * ({@code 100}), a budget event per cap ({@code agents}).
     */
    public static OutboxEntry of(NotificationEvent event, String subjectId, String detail, Instant at,
            Map<String, Object> facts) {
        return new OutboxEntry(event.wireName() + ":" + subjectId + ":" + detail, event, subjectId, at, facts);
    }

    Document toDocument() {
        return new Document("key", key).append("event", event.wireName()).append("subjectId", subjectId)
                .append("at", java.util.Date.from(at)).append("facts", new Document(facts));
    }

    static OutboxEntry fromDocument(Document document) {
        NotificationEvent event = NotificationEvent.fromWireName(document.getString("event"))
                .orElseThrow(() -> new IllegalArgumentException("Unknown event " + document.getString("event")));
        Document facts = document.get("facts", Document.class);
        return new OutboxEntry(document.getString("key"), event, document.getString("subjectId"),
                document.getDate("at").toInstant(), facts == null ? Map.of() : facts);
    }
}
