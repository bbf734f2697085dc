package io.truffles.core.error;

/** The worker no longer holds the document it was working on (its lease expired and another worker may own it). */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String message) {
        super(message);
    }
}
