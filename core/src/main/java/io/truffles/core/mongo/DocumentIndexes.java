package io.truffles.core.mongo;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

/**
 * The indexes the queries and the idempotency of Truffles rely on. Creating an index that exists is a no-op, so
 * every service ensures them at start-up.
 */
public final class DocumentIndexes {
    private DocumentIndexes() {
    }

    public static void ensure(Documents documents) {
        // the unique index is what makes importing a recording idempotent
        documents.sessions().createIndex(Indexes.ascending("posthogSessionId"),
                new IndexOptions().unique(true).name("posthogSessionId_unique"));
        // equality on status, then the claim's oldest-first sort
        documents.sessions().createIndex(Indexes.ascending("status", "createdAt"));
        // due retries: the claim's nextAttemptAt filter and the worker's "when is the next one due"
        documents.sessions().createIndex(Indexes.ascending("status", "nextAttemptAt"));
        documents.sessions().createIndex(Indexes.descending("createdAt"));
        documents.issues().createIndex(Indexes.ascending("fingerprint"));
        documents.issues().createIndex(Indexes.ascending("status", "severity"));
        documents.issues().createIndex(Indexes.ascending("sessionId"));
        // the api's issue lists: most sessions first, or newest first, paged by a cursor on (key, _id)
        documents.issues().createIndex(Indexes.descending("sessionCount", "_id"));
        documents.issues().createIndex(Indexes.descending("createdAt", "_id"));
        documents.agentSessions().createIndex(Indexes.ascending("status", "createdAt"));
        documents.agentSessions().createIndex(Indexes.ascending("status", "nextAttemptAt"));
        documents.agentSessions().createIndex(Indexes.ascending("issueId"));
    }
}
