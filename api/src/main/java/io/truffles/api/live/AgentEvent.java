package io.truffles.api.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The messages of {@code /ws/agents}; {@code type} tells them apart. */
public final class AgentEvent {
    private AgentEvent() {
    }

    /** An agent as the live view shows it: no log, but how long its log is and the last entries of it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgentSummary(String _id, String issueId, String status, String issueTitle, Instant startedAt,
            Instant createdAt, Double costUsd, int outputCount, List<Output> recentOutput) {
    }

    /** First message on every connection: the agents queued or working now. Output after it has seq >= outputCount. */
    public record Snapshot(String type, List<AgentSummary> active, List<AgentSummary> queued) {
        public Snapshot(List<AgentSummary> active, List<AgentSummary> queued) {
            this("snapshot", active, queued);
        }
    }

    /** An agent appeared or changed status; {@code outputCount} entries of its log came before this. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String type, String agentId, String issueId, String status, String previousStatus,
            int outputCount, String error, String prUrl) {
        public Status(String agentId, String issueId, String status, String previousStatus, int outputCount,
                String error, String prUrl) {
            this("status", agentId, issueId, status, previousStatus, outputCount, error, prUrl);
        }
    }

    /** One entry of an agent's output log; {@code seq} is its index in the log, so per agent 0, 1, 2, ... */
    public record Output(String type, String agentId, int seq, Instant timestamp, String phase, String content) {
        public Output(String agentId, int seq, Instant timestamp, String phase, String content) {
            this("output", agentId, seq, timestamp, phase, content);
        }
    }
}
