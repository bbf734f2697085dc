package io.truffles.api.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.in;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.truffles.api.agents.AgentUsage;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Page;
import io.truffles.api.sessions.PresignedUrls;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AnalysisSource;

import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Move;
import io.truffles.core.documents.Occurrence;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Severity;
import io.truffles.core.falsealarms.FalseAlarmStore;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

@Singleton
public class IssueService {
    private final Documents documents;
    private final IssueStore issues;
    private final FalseAlarmStore falseAlarms;
    private final ObjectMapper json;
    private final PresignedUrls urls;

    IssueService(Documents documents, IssueStore issues, FalseAlarmStore falseAlarms, ObjectMapper json,
            PresignedUrls urls) {
        this.documents = documents;
        this.issues = issues;
        this.falseAlarms = falseAlarms;
        this.json = json;
        this.urls = urls;
    }

    public enum Sort {
        /** Most sessions first: the problem that hurt the most people leads. */
        occurrences,
        /** Newest first. */
        recent
    }

    public record Filter(IssueStatus status, Severity severity, AnalysisSource source) {
    }

    /**
     * A page of issues, each with what a board card shows beside the issue's own fields: its latest occurrence (the
     * session, the moment, and that session's thumbnail as a presigned URL) and its latest agent's status and cost.
     * Three more queries a page ({@code $in} over the page's issues, sessions and agents), never one per issue.
     */
    public Page<ObjectNode> list(Filter filter, Sort sort, Cursor cursor, int limit) {
        List<Issue> items = query(filter, sort, cursor, limit).into(new ArrayList<>());
        String next = null;
        if (items.size() == limit) {
            Issue last = items.get(items.size() - 1);
            long value = sort == Sort.occurrences ? last.sessionCount
                    : last.createdAt == null ? 0 : last.createdAt.toEpochMilli();
            next = new Cursor(value, last.id).encode();
        }
        return new Page<>(cards(items), next);
    }

    private List<ObjectNode> cards(List<Issue> items) {
        List<ObjectId> ids = items.stream().map(issue -> issue.id).toList();
        Map<ObjectId, Occurrence> latest = new HashMap<>();
        if (!ids.isEmpty()) {
            // occurrences are appended as they are seen: the last one is the latest, and only it is read; only of
            // issues that have one: the embedded server fails the whole read (and drops the connection) on a $slice
            // of a missing field, so one hand-made issue without occurrences would break the board
            for (Issue issue : documents.issues().find(and(in("_id", ids), exists("occurrences.0")))
                    .projection(Projections.fields(Projections.include("_id"), Projections.slice("occurrences", -1)))) {
                if (issue.occurrences != null && !issue.occurrences.isEmpty()
                        && issue.occurrences.get(0).sessionId != null) {
                    latest.put(issue.id, issue.occurrences.get(0));
                }
            }
        }
        Set<ObjectId> sessionIds = new HashSet<>();
        latest.values().forEach(occurrence -> sessionIds.add(occurrence.sessionId));
        Map<ObjectId, String> thumbnails = new HashMap<>();
        if (!sessionIds.isEmpty()) {
            for (Session session : documents.sessions().find(in("_id", sessionIds))
                    .projection(Projections.include("thumbnailUrl"))) {
                thumbnails.put(session.id, urls.of(session.thumbnailUrl));
            }
        }
        Map<ObjectId, AgentSession> agents = new HashMap<>();
        if (!ids.isEmpty()) {
            for (AgentSession agent : documents.agentSessions().find(in("issueId", ids))
                    .projection(Projections.include("issueId", "status", "costUsd", "createdAt"))
                    .sort(Sorts.descending("createdAt", "_id"))) {
                agents.putIfAbsent(agent.issueId, agent);
            }
        }
        List<ObjectNode> cards = new ArrayList<>(items.size());
        for (Issue issue : items) {
            ObjectNode card = json.valueToTree(issue);
            card.remove("occurrences");
            Occurrence occurrence = latest.get(issue.id);
            if (occurrence == null) {
                card.putNull("latestOccurrence");
            } else {
                ObjectNode node = card.putObject("latestOccurrence");
                node.set("sessionId", json.valueToTree(occurrence.sessionId));
                node.set("userId", json.valueToTree(occurrence.userId));
                node.set("timestamp", json.valueToTree(occurrence.timestamp));
                node.set("seenAt", json.valueToTree(occurrence.seenAt));
                node.put("thumbnailUrl", thumbnails.get(occurrence.sessionId));
            }
            AgentSession agent = agents.get(issue.id);
            if (agent == null) {
                card.putNull("agent");
            } else {
                ObjectNode node = card.putObject("agent");
                node.set("_id", json.valueToTree(agent.id));
                node.set("status", json.valueToTree(agent.status));
                node.set("costUsd", json.valueToTree(agent.costUsd));
            }
            cards.add(card);
        }
        return cards;
    }

    /** The query behind {@link #list} (the benchmark times it alone, to tell the server's part). */
    public FindIterable<Issue> query(Filter filter, Sort sort, Cursor cursor, int limit) {
        List<Bson> conditions = new ArrayList<>();
        if (filter.status() != null) {
            conditions.add(eq("status", filter.status()));
        }
        if (filter.severity() != null) {
            conditions.add(eq("severity", filter.severity()));
        }
        if (filter.source() != null) {
            conditions.add(eq("analysisSource", filter.source()));
        }
        String sortField = sort == Sort.occurrences ? "sessionCount" : "createdAt";
        if (cursor != null) {
            conditions.add(sort == Sort.occurrences ? cursor.afterNumber(sortField) : cursor.afterDate(sortField));
        }
        return documents.issues()
                .find(conditions.isEmpty() ? new org.bson.Document() : and(conditions))
                .projection(Projections.exclude("occurrences", "llmReasoning"))
                .sort(Sorts.descending(sortField, "_id"))
                .limit(limit);
    }

    /** The issue with its occurrences, screening result, PR link and every agent that worked on it (logs left out). */
    public ObjectNode get(ObjectId id) {
        Issue issue = issues.findById(id);
        if (issue == null) {
            throw ApiError.notFound("issue", id.toHexString());
        }
        List<AgentSession> agents = documents.agentSessions().find(eq("issueId", id))
                .projection(Projections.exclude("lease", "sessionContext"))
                .sort(Sorts.descending("createdAt"))
                .into(new ArrayList<>());
        ObjectNode body = json.valueToTree(issue);
        ArrayNode runs = body.putArray("agentSessions");
        for (AgentSession agent : agents) {
            // a running agent's costUsd is written only when it ends: its log's phase results are the cost so far
            runs.add(AgentUsage.withUsage(agent, json));
        }
        return body;
    }

    /**
     * An admin's verdict that the issue is not a real problem: the issue becomes {@code false_alarm} with the reason,
     * and its pattern joins falseAlarms so screening drops the same finding next time. Both writes are keyed on the
     * issue, so repeating the call (or retrying after a crash between them) leaves one pattern and the same issue. A
     * merged issue is refused (409).
     */
    public Issue markFalseAlarm(ObjectId id, String reason, String pattern) {
        Issue issue = issues.findById(id);
        if (issue == null) {
            throw ApiError.notFound("issue", id.toHexString());
        }
        String usedPattern = pattern != null && !pattern.isBlank() ? pattern.strip() : patternOf(issue);
        Move moved = issues.markFalseAlarm(id, reason);
        if (!moved.moved()) {
            throw ApiError.conflict(moved.refusal());
        }
        falseAlarms.recordAdminVerdict(id, usedPattern, reason);
        return issues.findById(id);
    }

    private static String patternOf(Issue issue) {
        StringBuilder pattern = new StringBuilder(issue.title == null ? "" : issue.title);
        if (issue.description != null && !issue.description.isBlank()) {
            pattern.append(": ").append(issue.description);
        }
        return pattern.toString();
    }

}
