package io.truffles.api.notifications;

import java.time.Duration;

/** What one POST to a channel came to. */
sealed interface SendResult {
    /** 2xx: the receiver has it. */
    record Delivered(int status) implements SendResult {
    }

    /**
     * 5xx, 429, a timeout or a connection failure: worth another attempt.
     *
     * @param retryAfter the receiver's Retry-After (429, 503), or null for our back-off
     * @param counts     whether it counts towards pausing the channel (a 429 does not: the receiver is alive)
     */
    record Retry(Integer status, String error, Duration retryAfter, boolean counts) implements SendResult {
    }

    /** Another 4xx (a bad payload, a channel gone: Slack's 404/410 {@code no_service}): retrying cannot help. */
    record Rejected(int status, String error) implements SendResult {
    }
}
