package io.truffles.poller.importing;

/** A recording nothing can be made of (no events at all, not JSON): retrying will not help. */
public class UnusableRecordingException extends Exception {
    public UnusableRecordingException(String message) {
        super(message);
    }
}
