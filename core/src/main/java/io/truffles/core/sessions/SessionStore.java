package io.truffles.core.sessions;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.DuplicateKey;
import io.truffles.core.queue.JobQueue;
import io.truffles.core.queue.QueueStage;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import org.bson.types.ObjectId;

/**
 * The one writer of {@code sessions.status} outside the job queue: a recording imported ({@code pending}, or
 * {@code analyzing} when there is nothing to render), one that can never be imported ({@code failed}), and a person's
 * retry of a failed session. The render and analysis stages move sessions through the queue ({@link QueueStage#RENDER},
 * {@link QueueStage#ANALYZE}). Also the collection's indexes.
 */
@Singleton
public class SessionStore implements PanacheMongoRepositoryBase<Session, ObjectId> {
    private final MongoCollection<Session> sessions;
    private final Clock clock;

    public SessionStore(Documents documents, Clock clock) {
        this.sessions = documents.sessions();
        this.clock = clock;
    }

    /** The indexes the claims, the dashboard's lists and the idempotent import rely on. */
    public static void ensureIndexes(Documents documents) {
        MongoCollection<Session> sessions = documents.sessions();
        // the unique index is what makes importing a recording idempotent
        sessions.createIndex(Indexes.ascending("posthogSessionId"),
                new IndexOptions().unique(true).name("posthogSessionId_unique"));
        // equality on status, then the claim's oldest-first sort
        sessions.createIndex(Indexes.ascending("status", "createdAt"));
        // due retries: the claim's nextAttemptAt filter and the worker's "when is the next one due"
        sessions.createIndex(Indexes.ascending("status", "nextAttemptAt"));
        sessions.createIndex(Indexes.descending("createdAt"));
    }

    /**
     * Inserts an imported recording: {@code pending} for the renderer, or {@code analyzing} when it has no video to
     * render (a mobile recording). Unless a session of that recording exists; {@code true} when this call inserted it.
     */
    public boolean importRecording(Session session, boolean render) {
        session.status = render ? SessionStatus.pending : SessionStatus.analyzing;
        return insert(session);
    }

    /**
     * Inserts a recording that can never be imported as {@code failed} with {@code reason}, so operators see it and it
     * is never fetched again. {@code true} when this call inserted it.
     */
    public boolean recordUnimportable(Session session, String reason) {
        session.status = SessionStatus.failed;
        session.lastError = reason;
        return insert(session);
    }

    /**
     * failed → the input of {@code stage} ({@code pending} to render again, {@code analyzing} to analyse again) with
     * fresh attempts: a person's retry once the cause is mended. {@code true} when this call moved it; a session that
     * is not failed is left as it is.
     */
    public boolean retry(ObjectId id, QueueStage stage) {
        if (stage != QueueStage.RENDER && stage != QueueStage.ANALYZE) {
            throw new IllegalArgumentException(stage.name() + " is not a session stage");
        }
        return new JobQueue<>(sessions, stage, clock, "api").requeueFailed(id);
    }

    /**
     * Sessions waiting in {@code analyzing} for a spending cap ({@code waitingReason}) become due now: an admin raised
     * the cap. The analyzer claims them as usual and holds them again if a cap still stands. Returns how many.
     */
    public long resumeWaitingForBudget() {
        return new JobQueue<>(sessions, QueueStage.ANALYZE, clock, "settings").wakeWaiting(
                Filters.exists("waitingReason"));
    }

    private boolean insert(Session session) {
        Instant now = clock.instant();
        session.createdAt = now;
        session.updatedAt = now;
        try {
            sessions.insertOne(session);
            return true;
        } catch (MongoWriteException duplicate) {
            if (DuplicateKey.is(duplicate)) {
                return false;
            }
            throw duplicate;
        }
    }
}
