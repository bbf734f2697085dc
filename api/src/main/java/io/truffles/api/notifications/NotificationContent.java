package io.truffles.api.notifications;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * What one message says, whatever the channel: the event, its key, and its subject as it is now (read at send time)
 * with the entry's {@code facts} for what was true at the event (the threshold crossed, the cap and the spend). Each
 * channel type writes it its own way ({@link WebhookMessage}, {@link SlackMessage}).
 *
 * @param event the wire name ({@code issue.red}…, or {@code test})
 */
record NotificationContent(String event, String key, Instant at, Map<String, Object> facts, Issue issue, Agent agent,
        PullRequest pullRequest, Budget budget) {

    /** @param sessionUrl the dashboard's session at the moment ({@code /sessions/<id>?t=<seconds>}); null if none */
    record Issue(@JsonProperty("_id") String id, String title, String severity, String status, int usersAffected, int sessionCount,
            String url, String sessionUrl, String thumbnailUrl) {
    }

    record Agent(@JsonProperty("_id") String id, String error, String url) {
    }

    record PullRequest(String url, Integer number) {
    }

    /** @param cap which cap ({@code models}, {@code agents}, …) as the budget's writer names it */
    record Budget(String cap, Double limitUsd, Double spentUsd, String day) {
    }

    static NotificationContent test(String key, Instant at) {
        return new NotificationContent("test", key, at, Map.of(), null, null, null, null);
    }
}
