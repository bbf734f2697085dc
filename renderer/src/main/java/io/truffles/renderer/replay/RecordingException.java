package io.truffles.renderer.replay;

/** A recording that cannot be replayed as it is; rendering it again will not help. */
public class RecordingException extends Exception {
    public RecordingException(String message) {
        super(message);
    }

    public RecordingException(String message, Throwable cause) {
        super(message, cause);
    }
}
