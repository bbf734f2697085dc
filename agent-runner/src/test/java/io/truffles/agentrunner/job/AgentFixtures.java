package io.truffles.agentrunner.job;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import java.time.Instant;
import org.bson.types.ObjectId;

/** A queued issue and its queued agentSession, as the api leaves them when someone asks for a fix. */
public final class AgentFixtures {
    private AgentFixtures() {
    }

    /** Waits (at most {@code within}) for the agent to end, and answers it as it ended. */
    static AgentSession awaitEnd(Documents documents, ObjectId id, java.time.Duration within) {
        org.awaitility.Awaitility.await().atMost(within).pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
            AgentSession s = documents.agentSessions().find(com.mongodb.client.model.Filters.eq("_id", id)).first();
            return s != null && !s.status.isLive();
        });
        return documents.agentSessions().find(com.mongodb.client.model.Filters.eq("_id", id)).first();
    }

    public static AgentSession queue(Documents documents, String title) {
        return queue(documents, title, "Users see a wrong cart total", null);
    }

    /** With the issue's description and the session it was found in (null for none). */
    static AgentSession queue(Documents documents, String title, String description, ObjectId sessionId) {
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.title = title;
        issue.description = description;
        issue.sessionId = sessionId;
        issue.severity = Severity.red;
        issue.status = IssueStatus.queued;
        issue.sessionCount = 1;
        issue.userCount = 1;
        issue.createdAt = Instant.now();
        issue.updatedAt = Instant.now();
        documents.issues().insertOne(issue);
        AgentSession agent = new AgentSession();
        agent.id = new ObjectId();
        agent.issueId = issue.id;
        agent.status = AgentStatus.queued;
        agent.createdAt = Instant.now();
        agent.updatedAt = Instant.now();
        documents.agentSessions().insertOne(agent);
        return agent;
    }
}
