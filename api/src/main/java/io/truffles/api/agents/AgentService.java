package io.truffles.api.agents;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Cursor;
import io.truffles.api.paging.Page;
import io.truffles.core.agents.AgentSessionStore;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.documents.Severity;
import io.truffles.core.mongo.Documents;
import io.truffles.core.settings.SettingsStore;
import io.truffles.core.spend.SpendKind;
import io.truffles.core.spend.SpendLedger;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/** Agent sessions as the seed's agent endpoints show and start them; the agent-runner does the work. */
@Singleton
public class AgentService {
    public static final List<AgentStatus> LIVE = Arrays.stream(AgentStatus.values()).filter(AgentStatus::isLive)
            .toList();
    public static final List<AgentStatus> ENDED = Arrays.stream(AgentStatus.values())
            .filter(status -> !status.isLive()).toList();
    public static final int DEFAULT_LOG_LIMIT = 500;
    public static final int MAX_LOG_LIMIT = 5000;

    private final Documents documents;
    private final AgentSessionStore agents;
    private final ObjectMapper json;

    private final SettingsStore settings;
    private final SpendLedger ledger;

    AgentService(Documents documents, AgentSessionStore agents, ObjectMapper json, SettingsStore settings,
            Clock clock) {
        this.documents = documents;
        this.agents = agents;
        this.json = json;
        this.settings = settings;
        this.ledger = new SpendLedger(documents, clock, settings::read);
    }

    public record StartRequest(String issueId, String issueTitle, String issueDescription, Severity severity,
            Object sessionContext) {
    }

    /**
     * Queues an agent for the issue. The request's title, description, severity and context are kept on the agent
     * session for the runner's prompt. Refused while another agent for the issue is queued or working: the same
     * upsert the analyzer queues its agents with ({@link AgentSessionStore#queueAgent}).
     */
    public AgentSession start(ObjectId issueId, StartRequest request) {
        if (documents.issues().countDocuments(eq("_id", issueId)) == 0) {
            throw ApiError.notFound("issue", issueId.toHexString());
        }
        AgentSessionStore.Queued queued = agents.queueAgent(issueId,
                Updates.setOnInsert("issueTitle", request.issueTitle()),
                Updates.setOnInsert("issueDescription", request.issueDescription()),
                Updates.setOnInsert("severity", request.severity() == null ? null : request.severity().name()),
                Updates.setOnInsert("sessionContext", request.sessionContext()));
        if (!queued.created()) {
            String other = queued.agentId() == null ? "(queued at the same moment)"
                    : queued.agentId().toHexString() + " (" + queued.status() + ")";
            throw ApiError.conflict("Issue " + issueId.toHexString() + " already has a live agent " + other
                    + "; stop it first or wait for it to end");
        }
        return agents.findById(queued.agentId());
    }

    public record Stats(long running, long queued, long done, long failed, long falseAlarm, double totalCostUsd) {
    }

    /** Agents as the lists show them: without their logs, with their {@link AgentUsage} as {@code usage}. */
    public record Overview(List<ObjectNode> active, List<ObjectNode> queue, Stats stats) {
    }

    public Overview overview() {
        List<AgentStatus> working = LIVE.stream().filter(status -> status != AgentStatus.queued).toList();
        List<ObjectNode> active = rows(documents.agentSessions().find(in("status", working))
                .projection(Projections.exclude("lease", "sessionContext"))
                .sort(Sorts.ascending("startedAt", "createdAt")).into(new ArrayList<>()));
        List<ObjectNode> queue = rows(documents.agentSessions().find(eq("status", AgentStatus.queued))
                .projection(Projections.exclude("lease", "sessionContext"))
                .sort(Sorts.ascending("createdAt", "_id")).into(new ArrayList<>()));
        // while the agent budget is reached the runner claims none: each waiting agent says why
        ledger.hold(SpendKind.agents, settings.read())
                .ifPresent(hold -> queue.forEach(row -> row.put("waitingReason", hold.reason())));
        Map<AgentStatus, Long> counts = new EnumMap<>(AgentStatus.class);
        double cost = 0;
        for (AgentSession agent : documents.agentSessions().find()
                .projection(Projections.include("status", "costUsd"))) {
            if (agent.status != null) {
                counts.merge(agent.status, 1L, Long::sum);
            }
            cost += agent.costUsd == null ? 0 : agent.costUsd;
        }
        long running = working.stream().mapToLong(status -> counts.getOrDefault(status, 0L)).sum();
        return new Overview(active, queue, new Stats(running, counts.getOrDefault(AgentStatus.queued, 0L),
                counts.getOrDefault(AgentStatus.done, 0L), counts.getOrDefault(AgentStatus.failed, 0L),
                counts.getOrDefault(AgentStatus.false_alarm, 0L), cost));
    }

    /** Each agent read with its log: the log is summed into {@code usage} and left out. */
    private List<ObjectNode> rows(List<AgentSession> agents) {
        withIssueTitles(agents);
        List<ObjectNode> rows = new ArrayList<>(agents.size());
        for (AgentSession agent : agents) {
            rows.add(AgentUsage.withUsage(agent, json));
        }
        return rows;
    }

    /**
     * Agents the analyzer queued carry no {@code issueTitle} (only a start request sets one): they are named by their
     * issue's title, read in one query for all of them.
     */
    private void withIssueTitles(List<AgentSession> agents) {
        List<ObjectId> untitled = agents.stream().filter(agent -> agent.issueTitle == null && agent.issueId != null)
                .map(agent -> agent.issueId).distinct().toList();
        if (untitled.isEmpty()) {
            return;
        }
        Map<ObjectId, String> titles = new HashMap<>();
        documents.issues().find(in("_id", untitled)).projection(Projections.include("_id", "title"))
                .forEach(issue -> titles.put(issue.id, issue.title));
        agents.stream().filter(agent -> agent.issueTitle == null)
                .forEach(agent -> agent.issueTitle = titles.get(agent.issueId));
    }

    /**
     * Agents that ended (done, failed, false alarm), newest first by when they were queued — a field every agent has
     * from its creation and never changes, so a page boundary holds while agents keep ending — without their logs.
     */
    public Page<ObjectNode> finished(Cursor cursor, int limit) {
        List<Bson> conditions = new ArrayList<>(List.of(in("status", ENDED)));
        if (cursor != null) {
            conditions.add(cursor.afterDate("createdAt"));
        }
        List<AgentSession> items = documents.agentSessions().find(and(conditions))
                .projection(Projections.exclude("lease", "sessionContext"))
                .sort(Sorts.descending("createdAt", "_id")).limit(limit).into(new ArrayList<>());
        String next = null;
        if (items.size() == limit) {
            AgentSession last = items.get(items.size() - 1);
            next = new Cursor(last.createdAt.toEpochMilli(), last.id).encode();
        }
        return new Page<>(rows(items), next);
    }

    /**
     * The agent with one page of its output log: entries {@code [logOffset, logOffset + logLimit)}, and
     * {@code outputLogTotal} so a viewer can page through a long log.
     */
    public ObjectNode details(ObjectId id, int logOffset, int logLimit) {
        AgentSession agent = documents.agentSessions().find(eq("_id", id))
                .projection(Projections.exclude("lease")).first();
        if (agent == null) {
            throw ApiError.notFound("agent", id.toHexString());
        }
        withIssueTitles(List.of(agent));
        List<OutputEntry> log = agent.outputLog == null ? List.of() : agent.outputLog;
        int from = Math.min(logOffset, log.size());
        int to = Math.min(log.size(), from + logLimit);
        agent.outputLog = null;
        ObjectNode body = json.valueToTree(agent);
        body.set("outputLog", json.valueToTree(log.subList(from, to)));
        body.put("outputLogOffset", from);
        body.put("outputLogTotal", log.size());
        if (agent.status == AgentStatus.queued) {
            ledger.hold(SpendKind.agents, settings.read()).ifPresent(hold -> body.put("waitingReason", hold.reason()));
        }
        // the start request's free-form context is kept as sent (object or text), so it is read as it is stored
        Document context = documents.database().getCollection(AgentSession.COLLECTION).find(eq("_id", id))
                .projection(Projections.include("sessionContext")).first();
        if (context != null && context.get("sessionContext") != null) {
            body.set("sessionContext", json.valueToTree(context.get("sessionContext")));
        }
        return body;
    }

    /**
     * Asks the runner to kill the agent: {@code stopRequested} in MongoDB is what the runner holding it watches. An
     * agent nobody has claimed yet simply ends {@code failed} here, filtered on still being queued so a claim that
     * races this wins and sees the stop request instead.
     */
    public AgentSession stop(ObjectId id) {
        switch (agents.requestStop(id)) {
            case NOT_FOUND -> throw ApiError.notFound("agent", id.toHexString());
            case ALREADY_ENDED -> throw ApiError.conflict("Agent " + id.toHexString() + " already ended ("
                    + agents.findById(id).status + ")");
            default -> {
            }
        }
        return documents.agentSessions().find(eq("_id", id)).projection(Projections.exclude("outputLog", "lease"))
                .first();
    }
}
