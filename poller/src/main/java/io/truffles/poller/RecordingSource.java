package io.truffles.poller;

import java.time.Duration;

/** Where recordings come from: PostHog, or the inbox folder of the embedded default. */
public interface RecordingSource {
    /** {@code posthog} or {@code inbox}, for logs and health. */
    String name();

    /** Imports what is ready; returns how many recordings were processed. */
    int pollOnce() throws Exception;

    /** How long to wait before the next poll; read before each wait, so a live setting change applies. */
    Duration interval();
}
