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

    public static AgentSession queue(Documents documents, String title) {
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.title = title;
        issue.description = "Users see a wrong cart total";
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
