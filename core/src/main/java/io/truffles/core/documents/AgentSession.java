package io.truffles.core.documents;

import io.quarkus.mongodb.panache.common.MongoEntity;
import java.time.Instant;
import java.util.List;
import org.bson.types.ObjectId;

/** One coding agent's attempt at an issue: claimed {@code queued} by the agent-runner and driven to its end. */
@MongoEntity(collection = AgentSession.COLLECTION)
public class AgentSession extends Queued {
    public static final String COLLECTION = "agentSessions";

    public ObjectId issueId;
    public AgentStatus status;
    public String worktreePath;
    public String branchName;
    public Instant startedAt;
    public Instant completedAt;
    public List<OutputEntry> outputLog;
    public List<String> filesModified;
    public String error;
    public Integer prNumber;
    public String prUrl;
    public String falseAlarmReason;
    public Double costUsd;
    /** Set by {@code POST /api/agents/{id}/stop}; the runner holding the agent kills it. */
    public Boolean stopRequested;
    /** False when bubblewrap was unavailable and the agent ran only scoped to its checkout. */
    public Boolean sandboxed;
    /** From {@code POST /api/agents/start}: the issue as the admin described it, for the agent's prompt. */
    public String issueTitle;
    public String issueDescription;
    public Severity severity;
    /**
     * The statuses the agent took, oldest first, for writers that record them ({@link AgentStatusChange#to}); the
     * live feed shows each one even when several happen between two of its reads.
     */
    public List<AgentStatusChange> statusHistory;
}
