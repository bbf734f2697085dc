package io.truffles.poller.importing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What is known about a recording before its events are read.
 *
 * @param posthogSessionId the session's id: PostHog's, or a content hash for inbox files
 * @param source           {@code posthog} or {@code inbox}
 * @param snapshotSource   {@code web} or {@code mobile}
 * @param metadata         the metadata snapshot stored as {@code metadata.json} and on the session
 * @param startTime        when the recording started, or {@code null} to take it from the first event
 * @param durationSeconds  the recording's length, or {@code null} to take it from the events
 */
public record RecordingImport(String posthogSessionId, String source, String snapshotSource, ObjectNode metadata,
        String userId, String userEmail, Instant startTime, Double durationSeconds) {
    public static final String POSTHOG = "posthog";
    public static final String INBOX = "inbox";
    public static final String WEB = "web";
    public static final String MOBILE = "mobile";

    public boolean mobile() {
        return MOBILE.equalsIgnoreCase(snapshotSource);
    }
}
