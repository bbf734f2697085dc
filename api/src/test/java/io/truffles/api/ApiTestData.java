package io.truffles.api;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AnalysisSource;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueCount;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.types.ObjectId;

/** Documents as the other services write them, for the api to read. */
public final class ApiTestData {
    public static final String ADMIN = "Bearer test-admin-password-1234";

    private ApiTestData() {
    }

    public static Session session(String posthogId, SessionStatus status, Instant createdAt, int red, int yellow) {
        Session session = new Session();
        session.id = new ObjectId();
        session.posthogSessionId = posthogId;
        session.userId = "user-" + posthogId;
        session.userEmail = posthogId + "@example.com";
        session.startTime = createdAt.minusSeconds(600);
        session.duration = 120.0;
        session.status = status;
        session.issueCount = new IssueCount(red, yellow);
        session.videoUrl = "sessions/" + posthogId + "/recording.mp4";
        session.thumbnailUrl = "sessions/" + posthogId + "/thumbnail.jpg";
        session.rrwebEventsUrl = "sessions/" + posthogId + "/rrweb-events.json";
        session.createdAt = createdAt;
        session.updatedAt = createdAt;
        return session;
    }

    public static Issue issue(ObjectId sessionId, Severity severity, IssueStatus status, int sessions,
            Instant createdAt) {
        Issue issue = new Issue();
        issue.id = new ObjectId();
        issue.sessionId = sessionId;
        issue.severity = severity;
        issue.status = status;
        issue.title = "Checkout button does nothing " + issue.id;
        issue.description = "Clicking Pay shows no response";
        issue.analysisSource = AnalysisSource.both;
        issue.timestamp = 12.5;
        issue.screeningPassed = true;
        issue.screeningReasoning = "Not a known false alarm";
        issue.sessionCount = sessions;
        issue.userCount = sessions;
        issue.occurrences = new ArrayList<>();
        Occurrence first = new Occurrence();
        first.sessionId = sessionId;
        first.userId = "u1";
        first.timestamp = 12.5;
        first.seenAt = createdAt;
        issue.occurrences.add(first);
        issue.createdAt = createdAt;
        issue.updatedAt = createdAt;
        return issue;
    }

    public static AgentSession agent(ObjectId issueId, AgentStatus status, double cost, Instant createdAt) {
        AgentSession agent = new AgentSession();
        agent.id = new ObjectId();
        agent.issueId = issueId;
        agent.status = status;
        agent.costUsd = cost;
        agent.outputLog = new ArrayList<>();
        agent.createdAt = createdAt;
        agent.updatedAt = createdAt;
        return agent;
    }

    public static void clear(Documents documents) {
        documents.sessions().deleteMany(new org.bson.Document());
        documents.issues().deleteMany(new org.bson.Document());
        documents.agentSessions().deleteMany(new org.bson.Document());
        documents.falseAlarms().deleteMany(new org.bson.Document());
    }

    /**
     * Every document of every collection, in {@code _id} order: compared before and after a refused request, it shows
     * that nothing at all was written.
     */
    public static Map<String, List<Document>> everything(Documents documents) {
        Map<String, List<Document>> all = new TreeMap<>();
        for (String name : documents.database().listCollectionNames()) {
            all.put(name, documents.database().getCollection(name).find().sort(new Document("_id", 1))
                    .into(new ArrayList<>()));
        }
        return all;
    }

    public static List<String> statuses(AgentStatus... statuses) {
        return java.util.Arrays.stream(statuses).map(Enum::name).toList();
    }
}
