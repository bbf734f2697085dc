package io.truffles.api.sessions;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.or;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.AggregateIterable;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Field;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Page;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.documents.Severity;
import io.truffles.core.documents.VideoTimelineSegment;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.sessions.SessionStore;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/** Sessions as the dashboard reads them: S3 keys turned into presigned URLs ({@link PresignedUrls}) on every read. */
@Singleton
public class SessionService {
    /** What a list item leaves out: the heavy arrays the session page loads on its own. */
    private static final Bson LIST_PROJECTION = Projections.exclude("consoleErrors", "networkFailures", "metadata",
            "lease", "videoTimeline", "durationSort");

    /** A list item's counts and first page, from the arrays it leaves out. */
    private static final Bson COUNTS = Aggregates.addFields(
            new Field<>("consoleErrorCount", size("$consoleErrors")),
            new Field<>("networkFailureCount", size("$networkFailures")),
            new Field<>("errorCount", new Document("$add", List.of(size("$consoleErrors"), size("$networkFailures")))),
            new Field<>("durationSort", new Document("$ifNull", List.of("$duration", 0.0))),
            new Field<>("firstUrl", new Document("$ifNull", List.of("$metadata.start_url",
                    new Document("$arrayElemAt", List.of("$consoleErrors.url", 0))))));

    private final Documents documents;
    private final PresignedUrls urls;
    private final ObjectMapper json;
    private final SessionStore sessions;

    SessionService(Documents documents, PresignedUrls urls, ObjectMapper json, SessionStore sessions) {
        this.documents = documents;
        this.urls = urls;
        this.json = json;
        this.sessions = sessions;
    }

    /**
     * What the list is narrowed to; null fields do not narrow it. Durations are in seconds; {@code hasErrors} means at
     * least one console error or failed request.
     */
    public record Filter(SessionStatus status, Boolean hasIssues, Severity severity, String user, Instant from,
            Instant to, Double minDuration, Double maxDuration, Boolean hasErrors) {

        public static Filter none() {
            return new Filter(null, null, null, null, null, null, null, null, null);
        }
    }

    public Page<SessionListItem> list(Filter filter, SessionSort sort, String cursor, int limit) {
        List<SessionListItem> items = query(filter, sort, cursor, limit).into(new ArrayList<>());
        items.forEach(session -> session.thumbnailUrl = presign(session.thumbnailUrl));
        String next = items.size() == limit ? SessionCursor.after(sort, items.get(items.size() - 1)).encode() : null;
        return new Page<>(items, next);
    }

    /**
     * The query behind {@link #list} (the benchmark times it alone, to tell the server's part): the filters, the counts
     * computed from the arrays (which never leave the server), the cursor, order and page. When neither the order nor
     * a filter needs a count (the default newest-first list), the page is cut first and only its items are counted,
     * so the stored order (an index on MongoDB) serves it.
     */
    public AggregateIterable<SessionListItem> query(Filter filter, SessionSort sort, String cursorText, int limit) {
        SessionCursor cursor = SessionCursor.parse(cursorText, sort);
        boolean countsFirst = sort != SessionSort.newest || filter.hasErrors() != null;
        List<Bson> conditions = conditions(filter);
        List<Bson> pipeline = new ArrayList<>();
        if (!countsFirst && cursor != null) {
            conditions.add(cursor.condition());
        }
        if (!conditions.isEmpty()) {
            pipeline.add(Aggregates.match(and(conditions)));
        }
        if (countsFirst) {
            pipeline.add(COUNTS);
            if (filter.hasErrors() != null) {
                pipeline.add(Aggregates.match(filter.hasErrors() ? gt("errorCount", 0) : eq("errorCount", 0)));
            }
            if (cursor != null) {
                pipeline.add(Aggregates.match(cursor.condition()));
            }
        }
        pipeline.add(Aggregates.sort(Sorts.descending(sort.field, "_id")));
        pipeline.add(Aggregates.limit(limit));
        if (!countsFirst) {
            pipeline.add(COUNTS);
        }
        pipeline.add(Aggregates.project(LIST_PROJECTION));
        return documents.sessions().aggregate(pipeline, SessionListItem.class);
    }

    private static Document size(String arrayField) {
        return new Document("$size", new Document("$ifNull", List.of(arrayField, List.of())));
    }

    private static List<Bson> conditions(Filter filter) {
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
        if (filter.minDuration() != null) {
            conditions.add(gte("duration", filter.minDuration()));
        }
        if (filter.maxDuration() != null) {
            conditions.add(lte("duration", filter.maxDuration()));
        }
        return conditions;
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

    /**
     * Queues a failed session again from the stage it failed in: rendering when it has no video yet, else analysis.
     * Idempotent: a session already back in the queue (a retry that happened, or one that never failed) is left as it
     * is; a complete session, or one whose recording was never imported, cannot be retried (409).
     */
    public ObjectNode retry(ObjectId id) {
        Session session = documents.sessions().find(eq("_id", id))
                .projection(Projections.include("status", "videoUrl", "rrwebEventsUrl", "snapshotSource")).first();
        if (session == null) {
            throw ApiError.notFound("session", id.toHexString());
        }
        if (session.status == SessionStatus.complete) {
            throw ApiError.conflict("Session " + id.toHexString() + " is complete; only a failed session can be "
                    + "retried");
        }
        if (session.status == SessionStatus.failed) {
            if (session.rrwebEventsUrl == null) {
                throw ApiError.conflict("Session " + id.toHexString() + " has no imported recording to process "
                        + "again; its lastError says why the import failed");
            }
            boolean rendered = session.videoUrl != null || "mobile".equals(session.snapshotSource);
            sessions.retry(id, rendered ? QueueStage.ANALYZE : QueueStage.RENDER);
        }
        return get(id);
    }

    private String presign(String key) {
        return urls.of(key);
    }
}
