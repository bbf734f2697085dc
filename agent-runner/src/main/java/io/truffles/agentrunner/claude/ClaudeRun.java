package io.truffles.agentrunner.claude;

/**
 * How one CLI run ended.
 *
 * @param result   the {@code result} line, or {@code null} when the CLI printed none (killed, crashed)
 * @param exitCode the process's exit code (-1 when it was killed)
 * @param ending   why it ended
 */
public record ClaudeRun(ClaudeResult result, int exitCode, Ending ending, String stderrTail) {
    public enum Ending { EXITED, TIMED_OUT, STOPPED }

    public boolean succeeded() {
        return ending == Ending.EXITED && result != null && result.succeeded();
    }

    /** Whether another run could end differently: not after a stop request, nor when the CLI has no key. */
    public boolean retryable() {
        return ending != Ending.STOPPED && !(ending == Ending.EXITED && result != null && result.notLoggedIn());
    }

    public String describeFailure() {
        return switch (ending) {
            case TIMED_OUT -> "Agent timed out; its process tree was killed";
            case STOPPED -> "Agent stopped on request; its process tree was killed";
            case EXITED -> result != null ? result.describeFailure()
                    : "Claude Code exited with code " + exitCode + " without a result"
                            + (stderrTail.isBlank() ? "" : ": " + stderrTail.strip());
        };
    }
}
