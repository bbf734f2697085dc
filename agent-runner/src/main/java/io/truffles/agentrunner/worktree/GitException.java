package io.truffles.agentrunner.worktree;

/** A git operation on the product's clone or an agent's checkout failed; the message says which and why. */
public class GitException extends RuntimeException {
    public GitException(String message) {
        super(message);
    }

    public GitException(String message, Throwable cause) {
        super(message, cause);
    }
}
