package io.truffles.core.error;

/**
 * A job failure that retrying cannot fix (a malformed recording, a 401): the queue fails the document at once
 * instead of backing off. The message is what a person reads in {@code lastError}, so say what to do.
 */
public class UnrecoverableJobException extends RuntimeException {
    public UnrecoverableJobException(String message) {
        super(message);
    }

    public UnrecoverableJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
