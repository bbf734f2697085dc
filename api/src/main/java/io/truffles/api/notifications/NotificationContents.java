package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.Issue;
import io.truffles.core.mongo.Documents;
import io.truffles.core.notifications.NotificationEvent;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.ObjectId;

/** Reads a notification's subject fresh, at send time, into what its message says. */
@Singleton
class NotificationContents {
    /** The links' base when DASHBOARD_URL is unset: the dashboard behind nginx on this host. */
    private static final String LOCAL_DASHBOARD = "http://localhost";

    private final Documents documents;
    private final Optional<URI> dashboardUrl;
    /** Whether Slack can fetch images through the dashboard's address (it refuses a message whose image it cannot). */
    private final boolean publicDashboard;

    NotificationContents(Documents documents, NotificationsConfig config) {
        this.documents = documents;
        this.dashboardUrl = config.dashboardUrl();
        this.publicDashboard = dashboardUrl.map(URI::getHost).filter(NotificationContents::isPublicHost).isPresent();
    }

    /** Not this host, nor a private or link-local address: somewhere Slack's servers may reach. */
    static boolean isPublicHost(String host) {
        String name = host.toLowerCase(java.util.Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local")
                || name.endsWith(".internal")) {
            return false;
        }
        if (!name.matches("[0-9.]+") && !name.contains(":")) {
            return true;
        }
        try {
            // an address literal: parsed, no lookup
            java.net.InetAddress address = java.net.InetAddress.getByName(name);
            return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress());
        } catch (java.net.UnknownHostException unreadable) {
            return false;
        }
    }

    NotificationContent read(Document notification) {
        String event = notification.getString("event");
        NotificationEvent known = NotificationEvent.fromWireName(event)
                .orElseThrow(() -> new IllegalStateException("Unknown event " + event));
        String subjectId = notification.getString("subjectId");
        Map<String, Object> facts = notification.get("facts", Document.class) == null ? Map.of()
                : notification.get("facts", Document.class);
        Date at = notification.getDate("at");
        NotificationContent.Issue issue = null;
        NotificationContent.Agent agent = null;
        NotificationContent.PullRequest pullRequest = null;
        NotificationContent.Budget budget = null;
        switch (known) {
            case ISSUE_RED, ISSUE_USERS -> issue = issue(subjectId).orElse(null);
            case PR_OPENED, PR_MERGED -> {
                Document issueDoc = issueDocument(issueIdOf(notification)).orElse(null);
                issue = issueDoc == null ? null : issue(issueDoc);
                Object url = facts.getOrDefault("prUrl", issueDoc == null ? null : issueDoc.get("prUrl"));
                Object number = facts.getOrDefault("prNumber", issueDoc == null ? null : issueDoc.get("prNumber"));
                pullRequest = new NotificationContent.PullRequest(url == null ? null : url.toString(),
                        number instanceof Number n ? n.intValue() : null);
            }
            case AGENT_FAILED -> {
                Document agentDoc = byId(AgentSession.COLLECTION, subjectId).orElse(null);
                String error = agentDoc == null ? null
                        : Optional.ofNullable(agentDoc.getString("error")).orElse(agentDoc.getString("lastError"));
                agent = new NotificationContent.Agent(subjectId, error, link("/agents/" + subjectId));
                issue = issueDocument(issueIdOf(notification)).map(this::issue).orElse(null);
            }
            case BUDGET_WARNING, BUDGET_REACHED -> budget = new NotificationContent.Budget(
                    text(facts.get("cap")), number(facts.get("limitUsd")), number(facts.get("spentUsd")),
                    Optional.ofNullable(text(facts.get("day"))).orElse(subjectId));
        }
        return new NotificationContent(event, notification.getString("_id"), at == null ? null : at.toInstant(),
                facts, issue, agent, pullRequest, budget);
    }

    private static String issueIdOf(Document notification) {
        return notification.getString("issueId");
    }

    private Optional<NotificationContent.Issue> issue(String id) {
        return issueDocument(id).map(this::issue);
    }

    private Optional<Document> issueDocument(String id) {
        return id == null ? Optional.empty() : byId(Issue.COLLECTION, id);
    }

    private NotificationContent.Issue issue(Document issue) {
        String id = issue.getObjectId("_id").toHexString();
        ObjectId sessionId = issue.getObjectId("sessionId");
        String sessionUrl = null;
        String thumbnailUrl = null;
        if (sessionId != null) {
            Number t = issue.get("timestamp", Number.class);
            sessionUrl = link("/sessions/" + sessionId.toHexString()
                    + (t == null ? "" : "?t=" + (long) Math.max(0, Math.floor(t.doubleValue()))));
            Document session = documents.database().getCollection(io.truffles.core.documents.Session.COLLECTION)
                    .find(eq("_id", sessionId)).projection(new Document("thumbnailUrl", 1)).first();
            if (publicDashboard && session != null && session.getString("thumbnailUrl") != null) {
                thumbnailUrl = link(NotificationResource.THUMBNAILS + "/" + sessionId.toHexString() + ".jpg");
            }
        }
        return new NotificationContent.Issue(id, issue.getString("title"), issue.getString("severity"),
                issue.getString("status"), issue.getInteger("userCount", 0), issue.getInteger("sessionCount", 0),
                link("/issues/" + id), sessionUrl, thumbnailUrl);
    }

    /** Subjects are found by their id as written: an ObjectId's hex, or a string id (a budget's day). */
    private Optional<Document> byId(String collection, String id) {
        List<Object> ids = ObjectId.isValid(id) ? List.of(new ObjectId(id), id) : List.of(id);
        return Optional.ofNullable(documents.database().getCollection(collection).find(in("_id", ids)).first());
    }

    private String link(String path) {
        String base = dashboardUrl.map(URI::toString).orElse(LOCAL_DASHBOARD);
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
