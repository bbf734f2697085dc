package io.truffles.agentrunner.github;

/** A GitHub call failed; {@code retryable} is false when retrying cannot help (bad token, missing repository). */
public class GitHubException extends RuntimeException {
    private final boolean retryable;

    public GitHubException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
