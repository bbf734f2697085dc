package io.truffles.poller.posthog;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.truffles.core.mongo.Documents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The poller's place in a PostHog project, in MongoDB ({@code pollerCursors}, one document per project): the start
 * time up to which every recording is done, so a restart resumes there. The same document is a lease: one poller at a
 * time works a project, so several pollers never import (or spend rate limit on) the same recording.
 */
public final class PollCursor {
    public static final String COLLECTION = "pollerCursors";

    private final MongoCollection<Document> cursors;
    private final String projectId;
    private final String owner;
    private final Clock clock;
    private final Duration ttl;

    public PollCursor(Documents documents, String projectId, String owner, Clock clock, Duration ttl) {
        this.cursors = documents.database().getCollection(COLLECTION);
        this.projectId = projectId;
        this.owner = owner;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** How long a hold lasts unless renewed. */
    public Duration ttl() {
        return ttl;
    }

    /** Takes or renews the project for {@code ttl}; {@code false} while another live poller holds it. */
    public boolean acquire() {
        Instant now = clock.instant();
        try {
            cursors.insertOne(new Document("_id", projectId).append("owner", owner)
                    .append("leaseUntil", Date.from(now.plus(ttl))).append("updatedAt", Date.from(now)));
            return true;
        } catch (MongoWriteException exists) {
            if (ErrorCategory.fromErrorCode(exists.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                throw exists;
            }
        }
        Bson free = Filters.and(Filters.eq("_id", projectId), Filters.or(Filters.eq("owner", owner),
                Filters.lt("leaseUntil", Date.from(now)), Filters.eq("leaseUntil", null)));
        return cursors.updateOne(free, Updates.combine(Updates.set("owner", owner),
                Updates.set("leaseUntil", Date.from(now.plus(ttl))))).getMatchedCount() == 1;
    }

    /** Lets another poller take over at once (shutdown). */
    public void release() {
        cursors.updateOne(Filters.and(Filters.eq("_id", projectId), Filters.eq("owner", owner)),
                Updates.set("leaseUntil", Date.from(Instant.EPOCH)));
    }

    /** Start time (inclusive) from which the next poll lists recordings; {@code null} before the first. */
    public Instant position() {
        Document cursor = cursors.find(Filters.eq("_id", projectId)).first();
        Date date = cursor == null ? null : cursor.getDate("dateFrom");
        return date == null ? null : date.toInstant();
    }

    /** Moves forward (never back), only while this poller holds the lease; {@code false} if it lost it. */
    public boolean advance(Instant dateFrom) {
        Instant now = clock.instant();
        Bson mine = Filters.and(Filters.eq("_id", projectId), Filters.eq("owner", owner));
        Bson notBehind = Filters.or(Filters.eq("dateFrom", null), Filters.lt("dateFrom", Date.from(dateFrom)));
        cursors.updateOne(Filters.and(mine, notBehind), Updates.combine(Updates.set("dateFrom", Date.from(dateFrom)),
                Updates.set("updatedAt", Date.from(now))));
        return cursors.updateOne(mine, Updates.set("leaseUntil", Date.from(now.plus(ttl)))).getMatchedCount() == 1;
    }
}
