package io.truffles.poller.posthog;

/** PostHog kept answering 429 / 5xx (or did not answer) through every attempt: try again at the next poll. */
public class PostHogUnavailableException extends Exception {
    public PostHogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
