package io.truffles.core.agents;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.panache.PanacheMongoRepositoryBase;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.Move;
import io.truffles.core.issues.IssueStore;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.DuplicateKey;
import io.truffles.core.mongo.MongoServerKind;
import io.truffles.core.notifications.NotificationEvent;
import io.truffles.core.notifications.Outbox;
import io.truffles.core.notifications.OutboxEntry;
import io.truffles.core.queue.Claim;
import io.truffles.core.queue.QueueStage;
import io.truffles.core.redaction.Redaction;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * The one writer of {@code agentSessions.status} outside the job queue: queueing an agent (one live agent per issue),
 * its phases while a runner holds it, and a stop request. The queue's own moves (claim → {@code starting}, finish,
 * retry, fail) come from {@link QueueStage#AGENT}, whose held statuses are the phases, so an agent whose runner died
 * mid-phase is simply claimed again when its lease runs out. Every move appends to {@code statusHistory}.
 */
@Singleton
public class AgentSessionStore implements PanacheMongoRepositoryBase<AgentSession, ObjectId> {
    public static final List<String> LIVE_STATUSES = Arrays.stream(AgentStatus.values()).filter(AgentStatus::isLive)
            .map(Enum::name).toList();
    static final String LIVE_AGENT_INDEX = "issueId_live_unique";
    private static final Logger LOG = Logger.getLogger(AgentSessionStore.class);
    /** The phases a held agent moves through (the held statuses past the claim's {@code starting}). */
    static final Set<AgentStatus> PHASES = EnumSet.of(AgentStatus.verifying, AgentStatus.planning, AgentStatus.coding,
            AgentStatus.reviewing);

    private final Documents documents;
    private final MongoCollection<AgentSession> agents;
    private final IssueStore issues;
    private final Clock clock;

    public AgentSessionStore(Documents documents, Clock clock) {
        this.documents = documents;
        this.agents = documents.agentSessions();
        this.issues = new IssueStore(documents, clock);
        this.clock = clock;
    }

    /**
     * The indexes the claim, the dashboard's lists and an issue's agents rely on; on MongoDB 6 or later also
     * {@value #LIVE_AGENT_INDEX}, a unique index on {@code issueId} over live agents only, so the server itself refuses
     * a second live agent for an issue whoever inserts it. The embedded server (mongo-java-server, which reports 4.2)
     * is left without it: it ignores {@code partialFilterExpression} and would build a plain unique index on
     * {@code issueId}, refusing every agent after an issue's first (see EmbeddedIndexSupportTest); there
     * find-and-modify is serialised per collection, which is what keeps {@link #queueAgent} to one live agent.
     */
    public static void ensureIndexes(Documents documents) {
        MongoCollection<AgentSession> agents = documents.agentSessions();
        // equality on status, then the claim's oldest-first sort
        agents.createIndex(Indexes.ascending("status", "createdAt"));
        // due retries: the claim's nextAttemptAt filter and the worker's "when is the next one due"
        agents.createIndex(Indexes.ascending("status", "nextAttemptAt"));
        agents.createIndex(Indexes.ascending("issueId"));
        if (!MongoServerKind.isMongoDb6OrLater(documents.database())) {
            return;
        }
        try {
            agents.createIndex(Indexes.ascending("issueId"), new IndexOptions().name(LIVE_AGENT_INDEX).unique(true)
                    .partialFilterExpression(new Document("status", new Document("$in", LIVE_STATUSES))));
        } catch (MongoCommandException refused) {
            // e.g. two live agents for one issue already: the upsert still guards new ones; say so, don't stop
            LOG.warnf("Could not create the live-agent index %s (%s); one live agent per issue rests on the atomic "
                    + "upsert alone", LIVE_AGENT_INDEX, refused.getMessage());
        }
    }

    /** The agent live for the issue after {@link #queueAgent}, and whether that call queued it. */
    public record Queued(ObjectId agentId, String status, boolean created) {
    }

    /**
     * Queues a new agent for {@code issueId} with {@code details} (more {@code setOnInsert} fields, e.g. the start
     * request's title) unless one is live (queued or working), and points the issue's {@code agentSessionId} at the new
     * one. It is one atomic upsert keyed on the issue and the live statuses, so any number of processes cannot make a
     * second live agent: the server finds the live one or inserts, in one step (mongo-java-server serialises
     * find-and-modify per collection; on MongoDB 6+ the api adds a partial unique index, whose duplicate-key refusal of
     * a racing insert counts here as "another one is live").
     */
    public Queued queueAgent(ObjectId issueId, Bson... details) {
        Instant now = clock.instant();
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
        MongoCollection<Document> raw = documents.database().getCollection(AgentSession.COLLECTION);
        Document agent;
        try {
            agent = raw.findOneAndUpdate(liveForIssue, Updates.combine(fields), new FindOneAndUpdateOptions()
                    .upsert(true).returnDocument(ReturnDocument.AFTER).projection(Projections.include("_id", "status")));
        } catch (MongoWriteException | MongoCommandException raced) {
            if (!DuplicateKey.is(raced)) {
                throw raced;
            }
            agent = raw.find(liveForIssue).projection(Projections.include("_id", "status")).first();
        }
        if (agent == null) {
            // lost a race on MongoDB 6+ to an agent that has already ended: nothing is live, nothing was queued
            return new Queued(null, null, false);
        }
        boolean created = id.equals(agent.getObjectId("_id"));
        if (created) {
            issues.pointAtAgent(issueId, id);
        }
        return new Queued(agent.getObjectId("_id"), agent.getString("status"), created);
    }

    /**
     * A held agent starts {@code phase}: fenced on the claim's lease and on a held status, so a runner whose lease ran
     * out writes nothing and an ended agent never moves back. {@code false} when refused.
     */
    public boolean startPhase(Claim<AgentSession> claim, AgentStatus phase) {
        if (!PHASES.contains(phase)) {
            throw new IllegalArgumentException(phase + " is not an agent phase");
        }
        Bson held = and(eq("lease.token", claim.token()), in("status", QueueStage.AGENT.heldStatuses()));
        return Move.apply(agents, claim.id(), EnumSet.of(AgentStatus.starting, AgentStatus.verifying,
                AgentStatus.planning, AgentStatus.coding, AgentStatus.reviewing), phase, held,
                AgentStatusChange.to(phase, clock.instant())).moved();
    }

    /** How much of an agent's error an {@code agent.failed} message carries: a Slack section holds 3000 characters. */
    public static final int FAILED_ERROR_CHARS = 500;

    /**
     * The update part that files {@code agent.failed} for the agent's failing-for-good write (the queue's, fenced on
     * its lease, so one agent files it once), with its error redacted and cut to {@link #FAILED_ERROR_CHARS}. An agent
     * an admin asked to stop ends failed too, but that is no news to anyone: it files nothing ({@code null}).
     */
    public Bson failedForGood(AgentSession agent, String error) {
        if (Boolean.TRUE.equals(agent.stopRequested)) {
            return null;
        }
        Map<String, Object> facts = new HashMap<>();
        if (error != null) {
            facts.put("error", Redaction.bounded(error, FAILED_ERROR_CHARS));
        }
        if (agent.issueId != null) {
            facts.put("issueId", agent.issueId.toHexString());
        }
        return Outbox.add(OutboxEntry.of(NotificationEvent.AGENT_FAILED, agent.id.toHexString(), clock.instant(),
                facts));
    }

    /** What a stop request did. */
    public enum Stop {
        /** No such agent. */
        NOT_FOUND,
        /** It had already ended; nothing changed. */
        ALREADY_ENDED,
        /** Nobody had claimed it yet: it ended {@code failed} here. */
        ENDED_QUEUED,
        /** A runner holds it (or is claiming it): {@code stopRequested} is set, which that runner watches. */
        ASKED
    }

    /**
     * Asks the runner to kill the agent: {@code stopRequested} is what the runner holding it watches. An agent nobody
     * has claimed yet simply ends queued → failed here, filtered on still being queued and unleased so a claim that
     * races this wins and sees the stop request instead.
     */
    public Stop requestStop(ObjectId id) {
        AgentSession agent = agents.find(eq("_id", id)).projection(Projections.include("_id", "status")).first();
        if (agent == null) {
            return Stop.NOT_FOUND;
        }
        if (agent.status != null && !agent.status.isLive()) {
            return Stop.ALREADY_ENDED;
        }
        Instant now = clock.instant();
        Move ended = Move.apply(agents, id, EnumSet.of(AgentStatus.queued), AgentStatus.failed, eq("lease", null),
                Updates.combine(AgentStatusChange.to(AgentStatus.failed, now), Updates.set("stopRequested", true),
                        Updates.set("error", "Stopped by an admin before it started"),
                        Updates.set("completedAt", now)));
        if (ended.moved()) {
            return Stop.ENDED_QUEUED;
        }
        agents.updateOne(eq("_id", id), Updates.combine(Updates.set("stopRequested", true),
                Updates.set("updatedAt", now)));
        return Stop.ASKED;
    }

    /**
     * Agents whose runner stopped in the middle of a phase (their lease ran out at {@code now}, database time): the
     * queue claims them again like any abandoned agent.
     */
    public long abandonedMidPhase(Instant now) {
        return agents.countDocuments(and(in("status", PHASES.stream().map(Enum::name).toList()),
                lte("lease.until", now)));
    }
}
