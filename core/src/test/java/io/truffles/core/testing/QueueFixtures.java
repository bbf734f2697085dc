package io.truffles.core.testing;

import com.mongodb.client.MongoCollection;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.SessionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Sessions waiting to be rendered, as the poller leaves them. */
public final class QueueFixtures {
    private QueueFixtures() {
    }

    public static Session pendingSession(Instant createdAt) {
        Session session = new Session();
        session.posthogSessionId = "test-" + UUID.randomUUID();
        session.status = SessionStatus.pending;
        session.createdAt = createdAt;
        session.updatedAt = createdAt;
        return session;
    }

    public static List<Session> insertPending(MongoCollection<Session> sessions, int count, Instant createdAt) {
        List<Session> inserted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inserted.add(pendingSession(createdAt.plusMillis(i)));
        }
        sessions.insertMany(inserted);
        return inserted;
    }
}
