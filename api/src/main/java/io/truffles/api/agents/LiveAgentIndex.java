package io.truffles.api.agents;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.runtime.StartupEvent;
import io.truffles.api.MongoServerKind;
import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.mongo.Documents;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * On a production MongoDB (6.0 or later), a unique index on {@code issueId} over live agents only
 * ({@code partialFilterExpression: {status: {$in: live}}}): the server itself then refuses a second live agent for an
 * issue, whoever inserts it. The embedded server (mongo-java-server, which reports 4.2) is skipped: it ignores
 * {@code partialFilterExpression} and would build a plain unique index on {@code issueId}, refusing every agent after
 * an issue's first (see EmbeddedIndexSupportTest); there find-and-modify is serialised per collection, which is what
 * keeps {@link AgentService#start} to one live agent.
 */
@Singleton
public class LiveAgentIndex {
    static final String NAME = "issueId_live_unique";
    private static final Logger LOG = Logger.getLogger(LiveAgentIndex.class);

    private final Documents documents;

    LiveAgentIndex(Documents documents) {
        this.documents = documents;
    }

    void ensure(@Observes StartupEvent started) {
        MongoDatabase database = documents.database();
        try {
            if (!MongoServerKind.isMongoDb6OrLater(database)) {
                return;
            }
            List<String> live = AgentSessionStore.LIVE_STATUSES;
            database.getCollection(AgentSession.COLLECTION).createIndex(Indexes.ascending("issueId"),
                    new IndexOptions().name(NAME).unique(true)
                            .partialFilterExpression(new Document("status", new Document("$in", live))));
        } catch (MongoException refused) {
            // e.g. two live agents for one issue already: the upsert still guards new ones; say so, don't stop
            LOG.warnf("Could not create the live-agent index %s (%s); one live agent per issue rests on the atomic "
                    + "upsert alone", NAME, refused.getMessage());
        }
    }
}
