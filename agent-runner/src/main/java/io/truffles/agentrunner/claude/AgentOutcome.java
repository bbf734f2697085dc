package io.truffles.agentrunner.claude;

/** How an agent's phases ended, with the summed {@code total_cost_usd} of its CLI runs. */
public sealed interface AgentOutcome {
    double costUsd();

    /** Verified, changed and reviewed; {@code summary} goes into the pull request. */
    record Fixed(String summary, double costUsd) implements AgentOutcome {
    }

    /** The verify phase decided the issue does not reproduce. */
    record FalseAlarm(String reason, double costUsd) implements AgentOutcome {
    }

    /**
     * A run failed, timed out or was stopped. {@code retryable} is false where another attempt would end the same way
     * (a stop request, a configuration error such as no model key).
     */
    record Failed(String error, ClaudeRun.Ending ending, boolean retryable, double costUsd) implements AgentOutcome {
        public Failed(String error, ClaudeRun.Ending ending, double costUsd) {
            this(error, ending, ending != ClaudeRun.Ending.STOPPED, costUsd);
        }
    }
}
