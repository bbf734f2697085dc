package io.truffles.api.notifications;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A notification as the dashboard lists it, with the state of its delivery to each channel: {@code pending},
 * {@code paused} (pending on a paused channel), {@code sending}, {@code sent}, {@code failed} or {@code quieted}.
 */
public record NotificationView(@JsonProperty("_id") String id, String event, String subjectId, String issueId,
        Instant at, Map<String, Object> facts, Instant createdAt, List<Delivery> deliveries) {

    /** @param quietedBy the delivery that was sent about the same issue within the quiet period, when quieted */
    public record Delivery(String channelId, String channelType, String channelName, String status, int attempts,
            Integer lastStatus, String lastError, Instant sentAt, Instant nextAttemptAt, String quietedBy) {
    }
}
