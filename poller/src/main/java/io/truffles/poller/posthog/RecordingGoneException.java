package io.truffles.poller.posthog;

/** PostHog says this recording will never be readable (404, 410 deleted, 502 recording_blocks_unavailable, 400). */
public class RecordingGoneException extends Exception {
    private final int status;

    public RecordingGoneException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
