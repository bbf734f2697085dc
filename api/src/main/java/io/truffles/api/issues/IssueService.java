package io.truffles.api.issues;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Page;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AnalysisSource;

import io.truffles.core.documents.Issue;
import io.truffles.core.documents.IssueStatus;
import io.truffles.core.documents.Move;
import io.truffles.core.documents.Severity;
import io.truffles.core.falsealarms.FalseAlarmStore;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

@Singleton
public class IssueService {
    private final Documents documents;
    private final IssueStore issues;
    private final FalseAlarmStore falseAlarms;
    private final ObjectMapper json;

    IssueService(Documents documents, IssueStore issues, FalseAlarmStore falseAlarms, ObjectMapper json) {
        this.documents = documents;
        this.issues = issues;
        this.falseAlarms = falseAlarms;
        this.json = json;
    }

    public enum Sort {
        /** Most sessions first: the problem that hurt the most people leads. */
        occurrences,
        /** Newest first. */
        recent
    }

    public record Filter(IssueStatus status, Severity severity, AnalysisSource source) {
    }

    public Page<Issue> list(Filter filter, Sort sort, Cursor cursor, int limit) {
        List<Issue> items = query(filter, sort, cursor, limit).into(new ArrayList<>());
        String next = null;
        if (items.size() == limit) {
            Issue last = items.get(items.size() - 1);
            long value = sort == Sort.occurrences ? last.sessionCount
                    : last.createdAt == null ? 0 : last.createdAt.toEpochMilli();
            next = new Cursor(value, last.id).encode();
        }
        return new Page<>(items, next);
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
        Issue issue = documents.issues().find(eq("_id", id)).first();
        if (issue == null) {
            throw ApiError.notFound("issue", id.toHexString());
        }
        List<AgentSession> agents = documents.agentSessions().find(eq("issueId", id))
                .projection(Projections.exclude("outputLog", "lease"))
                .sort(Sorts.descending("createdAt"))
                .into(new ArrayList<>());
        ObjectNode body = json.valueToTree(issue);
        body.set("agentSessions", json.valueToTree(agents));
        return body;
    }

    /**
     * An admin's verdict that the issue is not a real problem: the issue becomes {@code false_alarm} with the reason,
     * and its pattern joins falseAlarms so screening drops the same finding next time. Both writes are keyed on the
     * issue, so repeating the call (or retrying after a crash between them) leaves one pattern and the same issue. A
     * merged issue is refused (409).
     */
    public Issue markFalseAlarm(ObjectId id, String reason, String pattern) {
        Issue issue = documents.issues().find(eq("_id", id)).first();
        if (issue == null) {
            throw ApiError.notFound("issue", id.toHexString());
        }
        String usedPattern = pattern != null && !pattern.isBlank() ? pattern.strip() : patternOf(issue);
        Move moved = issues.markFalseAlarm(id, reason);
        if (!moved.moved()) {
            throw ApiError.conflict(moved.refusal());
        }
        falseAlarms.recordAdminVerdict(id, usedPattern, reason);
        return documents.issues().find(eq("_id", id)).first();
    }

    private static String patternOf(Issue issue) {
        StringBuilder pattern = new StringBuilder(issue.title == null ? "" : issue.title);
        if (issue.description != null && !issue.description.isBlank()) {
            pattern.append(": ").append(issue.description);
        }
        return pattern.toString();
    }

}
