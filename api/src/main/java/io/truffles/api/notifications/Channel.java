package io.truffles.api.notifications;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * A {@code notificationChannels} document: where messages go, which events, and how its deliveries fare. The URL and
 * secret are secrets: they leave the process only towards the receiver itself ({@link ChannelView} masks them).
 *
 * @param consecutiveFailures failed attempts since the last success (429s not counted: the receiver is alive)
 * @param quiet               whether the quiet rule holds news of a problem to one message an hour; channels written
 *                            before it was a setting have no field and keep the rule
 * @param failingSince        the first failure of the current run of failures, null while the channel works
 */
record Channel(ObjectId id, ChannelType type, String name, String url, String secret, List<String> events,
        boolean quiet, boolean paused, String pausedReason, int consecutiveFailures, Instant failingSince,
        Document lastDelivery, Instant createdAt) {

    static Channel from(Document document) {
        return new Channel(document.getObjectId("_id"), ChannelType.valueOf(document.getString("type")),
                document.getString("name"), document.getString("url"), document.getString("secret"),
                document.getList("events", String.class, List.of()), document.getBoolean("quiet", true),
                document.getBoolean("paused", false),
                document.getString("pausedReason"), document.getInteger("consecutiveFailures", 0),
                instant(document.getDate("failingSince")), document.get("lastDelivery", Document.class),
                instant(document.getDate("createdAt")));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
