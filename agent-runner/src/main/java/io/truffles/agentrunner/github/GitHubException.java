package io.truffles.agentrunner.github;

import java.time.Instant;
import java.util.Optional;

/**
 * A GitHub call failed; {@code retryable} is false when retrying cannot help (bad token, missing repository), and
 * {@code retryAt} says when GitHub's rate limit lets calls through again (from {@code retry-after} or
 * {@code x-ratelimit-reset}) when that was the failure.
 */
public class GitHubException extends RuntimeException {
    private final boolean retryable;
    private final Instant retryAt;

    public GitHubException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, cause, null);
    }

    public GitHubException(String message, boolean retryable, Throwable cause, Instant retryAt) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAt = retryAt;
    }

    public boolean retryable() {
        return retryable;
    }

    /** When the rate limit ends, if this was a rate limit. */
    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }
}
