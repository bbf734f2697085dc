package io.truffles.core.queue;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.mongo.Documents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * Queues an agent for an issue unless one is live (queued or working): the one way the api and the analyzer queue
 * agents. It is one atomic upsert keyed on the issue and the live statuses, so any number of processes cannot make
 * a second live agent: the server finds the live one or inserts, in one step (mongo-java-server serialises
 * find-and-modify per collection; on MongoDB 6+ the api adds a partial unique index, whose duplicate-key refusal of
 * a racing insert counts here as "another one is live").
 */
public final class LiveAgentUpsert {
    public static final List<String> LIVE_STATUSES = Arrays.stream(AgentStatus.values()).filter(AgentStatus::isLive)
            .map(Enum::name).toList();

    /** The agent live for the issue after the call, and whether this call queued it. */
    public record Outcome(ObjectId agentId, String status, boolean created) {
    }

    private LiveAgentUpsert() {
    }

    /**
     * Queues a new agent for {@code issueId} with {@code details} (more {@code setOnInsert} fields, e.g. the start
     * request's title) unless one is live, and points the issue's {@code agentSessionId} at a new one.
     */
    public static Outcome queue(Documents documents, ObjectId issueId, Instant now, Bson... details) {
        ObjectId id = new ObjectId();
        List<Bson> fields = new ArrayList<>(List.of(
                Updates.setOnInsert("_id", id),
                Updates.setOnInsert("status", AgentStatus.queued.name()),
                Updates.setOnInsert("statusHistory",
                        List.of(AgentStatusChange.entry(AgentStatus.queued.name(), now))),
                Updates.setOnInsert("outputLog", List.of()),
                Updates.setOnInsert("filesModified", List.of()),
                Updates.setOnInsert("attempts", 0),
                Updates.setOnInsert("createdAt", now),
                Updates.setOnInsert("updatedAt", now)));
        fields.addAll(List.of(details));
        Bson liveForIssue = and(eq("issueId", issueId), in("status", LIVE_STATUSES));
        Document agent;
        try {
            agent = documents.database().getCollection(AgentSession.COLLECTION).findOneAndUpdate(liveForIssue,
                    Updates.combine(fields), new FindOneAndUpdateOptions().upsert(true)
                            .returnDocument(ReturnDocument.AFTER).projection(Projections.include("_id", "status")));
        } catch (MongoWriteException | MongoCommandException raced) {
            if (!isDuplicateKey(raced)) {
                throw raced;
            }
            agent = documents.database().getCollection(AgentSession.COLLECTION).find(liveForIssue)
                    .projection(Projections.include("_id", "status")).first();
        }
        if (agent == null) {
            // lost a race on MongoDB 6+ to an agent that has already ended: nothing is live, nothing was queued
            return new Outcome(null, null, false);
        }
        boolean created = id.equals(agent.getObjectId("_id"));
        if (created) {
            documents.issues().updateOne(eq("_id", issueId),
                    Updates.combine(Updates.set("agentSessionId", id), Updates.set("updatedAt", now)));
        }
        return new Outcome(agent.getObjectId("_id"), agent.getString("status"), created);
    }

    private static boolean isDuplicateKey(MongoException error) {
        if (error instanceof MongoWriteException write) {
            return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return error.getCode() == 11000;
    }
}
