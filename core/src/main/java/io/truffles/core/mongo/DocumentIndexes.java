package io.truffles.core.mongo;

import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.notifications.NotificationIndexes;
import io.truffles.core.sessions.SessionStore;

/**
 * The indexes the queries and the idempotency of Truffles rely on, each collection's defined by its store. Creating an
 * index that exists is a no-op, so every service ensures them at start-up.
 */
public final class DocumentIndexes {
    private DocumentIndexes() {
    }

    public static void ensure(Documents documents) {
        SessionStore.ensureIndexes(documents);
        IssueStore.ensureIndexes(documents);
        AgentSessionStore.ensureIndexes(documents);
        NotificationIndexes.ensure(documents);
    }
}
