package io.truffles.api.sessions;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.FindIterable;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Page;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/** Sessions as the dashboard reads them: S3 keys turned into presigned URLs ({@link PresignedUrls}) on every read. */
@Singleton
public class SessionService {
    /** What a list item leaves out: the heavy arrays the session page loads on its own. */
    private static final Bson LIST_PROJECTION = Projections.exclude("consoleErrors", "networkFailures", "metadata",
            "lease", "videoTimeline");

    private final Documents documents;
    private final PresignedUrls urls;
    private final ObjectMapper json;

    SessionService(Documents documents, PresignedUrls urls, ObjectMapper json) {
        this.documents = documents;
        this.urls = urls;
        this.json = json;
    }

    public record Filter(SessionStatus status, Boolean hasIssues, Severity severity, String user, Instant from,
            Instant to) {
    }

    public Page<Session> list(Filter filter, Cursor cursor, int limit) {
        List<Session> items = query(filter, cursor, limit).into(new ArrayList<>());
        items.forEach(session -> {
            session.thumbnailUrl = presign(session.thumbnailUrl);
            session.videoUrl = null;
            session.rrwebEventsUrl = null;
        });
        String next = null;
        if (items.size() == limit) {
            Session last = items.get(items.size() - 1);
            next = new Cursor(last.createdAt == null ? 0 : last.createdAt.toEpochMilli(), last.id).encode();
        }
        return new Page<>(items, next);
    }

    /** The query behind {@link #list}, newest first (the benchmark times it alone, to tell the server's part). */
    public FindIterable<Session> query(Filter filter, Cursor cursor, int limit) {
        List<Bson> conditions = new ArrayList<>();
        if (filter.status() != null) {
            conditions.add(eq("status", filter.status()));
        }
        if (Boolean.TRUE.equals(filter.hasIssues())) {
            conditions.add(or(gt("issueCount.red", 0), gt("issueCount.yellow", 0)));
        } else if (Boolean.FALSE.equals(filter.hasIssues())) {
            conditions.add(and(or(eq("issueCount.red", null), eq("issueCount.red", 0)),
                    or(eq("issueCount.yellow", null), eq("issueCount.yellow", 0))));
        }
        if (filter.severity() != null) {
            conditions.add(gt("issueCount." + filter.severity().name(), 0));
        }
        if (filter.user() != null && !filter.user().isBlank()) {
            conditions.add(or(eq("userId", filter.user()), eq("userEmail", filter.user())));
        }
        if (filter.from() != null) {
            conditions.add(gte("startTime", filter.from()));
        }
        if (filter.to() != null) {
            conditions.add(lt("startTime", filter.to()));
        }
        if (cursor != null) {
            conditions.add(cursor.afterDate("createdAt"));
        }
        return documents.sessions()
                .find(conditions.isEmpty() ? new org.bson.Document() : and(conditions))
                .projection(LIST_PROJECTION)
                .sort(Sorts.descending("createdAt", "_id"))
                .limit(limit);
    }

    /** The session with its issues and its video-time mapping, S3 keys replaced by presigned URLs. */
    public ObjectNode get(ObjectId id) {
        Session session = documents.sessions().find(eq("_id", id)).projection(Projections.exclude("lease")).first();
        if (session == null) {
            throw ApiError.notFound("session", id.toHexString());
        }
        session.videoUrl = presign(session.videoUrl);
        session.thumbnailUrl = presign(session.thumbnailUrl);
        session.rrwebEventsUrl = presign(session.rrwebEventsUrl);
        List<Issue> issues = documents.issues()
                .find(or(eq("sessionId", id), eq("occurrences.sessionId", id)))
                .projection(Projections.exclude("llmReasoning"))
                .sort(Sorts.ascending("timestamp"))
                .into(new ArrayList<>());
        List<VideoTimelineSegment> timeline = session.videoTimeline == null ? List.of() : session.videoTimeline;
        session.videoTimeline = null;
        ObjectNode body = json.valueToTree(session);
        body.remove("videoTimeline");
        body.set("issues", json.valueToTree(issues));
        // The renderer's segments (core's VideoTimelineSegment: session seconds -> video seconds, idle stretches
        // collapsed); the player maps a session time through them. Empty before rendering: the two times are equal.
        body.set("videoTimeMapping", json.valueToTree(timeline));
        return body;
    }

    private String presign(String key) {
        return urls.of(key);
    }
}
