package io.truffles.api.live;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoException;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.truffles.api.ApiConfig;
import io.truffles.api.MongoServerKind;
import io.truffles.api.agents.AgentService;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.documents.AgentStatus;
import io.truffles.core.documents.AgentStatusChange;
import io.truffles.core.documents.OutputEntry;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.CollectionWatcher;
import io.truffles.core.queue.Doorbell;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BSONException;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Follows agentSessions and broadcasts every status change and output entry to the WebSocket clients. The change
 * stream only rings a doorbell: on each ring (and on a short poll) it reads from MongoDB what changed since it last
 * looked — agents still live, or written since its {@code updatedAt} cursor — and for each one only the log entries
 * past the count it already broadcast. The log's length is each agent's sequence, so entries go out in order, once.
 */
@Singleton
public class AgentFeed {
    private static final Logger LOG = Logger.getLogger(AgentFeed.class);
    /** Writers' clocks and in-flight writes: re-read a little before the cursor; the known counts dedupe. */
    private static final Duration OVERLAP = Duration.ofSeconds(5);
    private static final int RECENT = 100;
    /** How often the feed looks at agentSessions on the embedded server, where it has no doorbell. */
    private static final Duration FAST_POLL = Duration.ofMillis(20);
    /** Log entries read per agent per pass (skip + limit must not overflow on the embedded server). */
    private static final int MAX_READ = 100_000;
    /** What the feed reads of an agent beside the slice of its log (MongoDB 4.4+ and the embedded server take both). */
    private static final Bson READ = Projections.include("_id", "issueId", "status", "statusHistory", "issueTitle",
            "createdAt", "startedAt", "costUsd", "error", "prUrl");
    private static final CloseReason TOO_SLOW = new CloseReason(1008,
            "Too slow: fell too far behind the live feed; reconnect for a fresh snapshot");

    private final Documents documents;
    private final ObjectMapper json;
    private final Duration poll;
    private final int maxPending;
    private final Doorbell doorbell = new Doorbell();
    /** Guards {@link #agents} and {@link #clients}: a snapshot and the broadcasts after it are never interleaved. */
    private final Object lock = new Object();
    private final Map<ObjectId, Known> agents = new HashMap<>();
    private final Map<String, Client> clients = new LinkedHashMap<>();
    /** Messages of the agent being applied, not yet sent (guarded by {@link #lock}). */
    private final List<String> outbox = new ArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    /** {@code truffles_ws_dropped_clients_total}: clients closed for falling too far behind. */
    private final Counter droppedClients;
    private CollectionWatcher watcher;
    private Thread reader;
    private volatile boolean running;
    private final CountDownLatch baselined = new CountDownLatch(1);
    private Instant cursor;
    private Instant startedAt;

    private final Clock clock;

    AgentFeed(Documents documents, ObjectMapper json, ApiConfig config, MeterRegistry metrics, Clock clock) {
        this.documents = documents;
        this.clock = clock;
        this.json = json;
        this.poll = config.feedPoll();
        this.maxPending = config.maxPendingMessages();
        metrics.gauge("truffles.ws.clients", connected);
        this.droppedClients = Counter.builder("truffles.ws.dropped.clients")
                .description("WebSocket clients closed because too many messages to them were unsent")
                .register(metrics);
    }

    void start(@Observes StartupEvent started) {
        running = true;
        // agents that ended before this start are history: only live ones and ones written from now on are followed
        startedAt = clock.instant();
        cursor = startedAt;
        boolean changeStream;
        try {
            changeStream = MongoServerKind.isMongoDb6OrLater(documents.database());
        } catch (MongoException unknown) {
            changeStream = true;
        }
        if (changeStream) {
            watcher = new CollectionWatcher(documents.agentSessions(), doorbell).start();
        }
        // On the embedded server a change-stream poll scans the whole oplog (every write since it started, so it gets
        // slower all day) while a look at agentSessions scans only the agents: there the feed looks every
        // FAST_POLL and reads the agents' logs only when an agent's updatedAt moved (or every poll, as a net).
        LOG.infof("Live agent feed: %s", changeStream ? "change stream as doorbell, poll every " + poll
                : "embedded server, looking every " + FAST_POLL.toMillis() + " ms");
        reader = new Thread(this::follow, "agent-feed");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        if (reader != null) {
            reader.interrupt();
        }
    }

    /** What the feed knows of one agent: what it broadcast last. */
    private static final class Known {
        final ObjectId issueId;
        AgentStatus status;
        int count;
        /** Entries of the agent's statusHistory already broadcast. */
        int historyCount;
        String issueTitle;
        Instant startedAt;
        Instant createdAt;
        Double costUsd;
        final Deque<AgentEvent.Output> recent = new ArrayDeque<>();

        Known(ObjectId issueId) {
            this.issueId = issueId;
        }
    }

    private final class Client {
        final WebSocketConnection connection;
        /** The connection's event loop: writes made on it go straight to the socket, with no hand-over each. */
        final Context eventLoop;
        final AtomicInteger pending = new AtomicInteger();
        volatile boolean dropped;

        Client(WebSocketConnection connection, Context eventLoop) {
            this.connection = connection;
            this.eventLoop = eventLoop;
        }

        /**
         * Queues the messages in order, as one task on the connection's event loop: a hand-over to another thread
         * costs more than the write itself, and a pass of the feed may have many messages for 200 clients.
         */
        void send(List<String> messages) {
            if (dropped) {
                return;
            }
            if (pending.addAndGet(messages.size()) > maxPending) {
                dropped = true;
                droppedClients.increment();
                LOG.infof("Dropping WebSocket client %s: %d messages unsent", connection.id(), pending.get());
                connection.close(TOO_SLOW).subscribe().with(closed -> { }, failed -> { });
                return;
            }
            if (eventLoop == null) {
                messages.forEach(this::write);
            } else {
                eventLoop.runOnContext(ignored -> messages.forEach(this::write));
            }
        }

        private void write(String message) {
            connection.sendText(message).subscribe().with(sent -> pending.decrementAndGet(),
                    failed -> pending.decrementAndGet());
        }
    }

    /** Sends the snapshot and registers the client, both under the lock, so it misses nothing and gets nothing twice. */
    public void subscribe(WebSocketConnection connection) {
        try {
            // a client connecting right at start-up waits for the first read, so its snapshot is not empty by mistake
            baselined.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            List<AgentEvent.AgentSummary> active = new ArrayList<>();
            List<AgentEvent.AgentSummary> queued = new ArrayList<>();
            agents.entrySet().stream()
                    .filter(entry -> entry.getValue().status != null && entry.getValue().status.isLive())
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> (entry.getValue().status == AgentStatus.queued ? queued : active)
                            .add(summary(entry.getKey(), entry.getValue())));
            Context context = Vertx.currentContext();
            Client client = new Client(connection, context != null && context.isEventLoopContext() ? context : null);
            client.send(List.of(write(new AgentEvent.Snapshot(active, queued))));
            clients.put(connection.id(), client);
            connected.set(clients.size());
        }
    }

    public void unsubscribe(WebSocketConnection connection) {
        synchronized (lock) {
            clients.remove(connection.id());
            connected.set(clients.size());
        }
    }

    private void follow() {
        Instant lastFullPass = Instant.MIN;
        long lastRing = doorbell.generation();
        long lastCount = -1;
        while (running) {
            long seen = doorbell.generation();
            try {
                Instant at = Instant.now();
                // on the embedded server the count is the collection's size (no scan): a new agent changes it
                long count = watcher == null ? documents.agentSessions().estimatedDocumentCount() : -1;
                if (watcher != null || seen != lastRing || count != lastCount
                        || !at.isBefore(lastFullPass.plus(poll))) {
                    // a ring, or the poll: every agent live or written lately (on the embedded server a scan)
                    List<AgentSession> candidates = candidates();
                    readChanges(candidates.stream().map(candidate -> candidate.id).toList());
                    // only a pass over everything written lately may move the cursor past what it saw
                    candidates.stream().map(candidate -> candidate.updatedAt).filter(Objects::nonNull)
                            .max(Instant::compareTo).filter(newest -> newest.isAfter(cursor))
                            .ifPresent(newest -> cursor = newest);
                    lastFullPass = at;
                    lastRing = seen;
                    lastCount = count;
                } else {
                    // embedded server between polls, no agent added: the agents known live, each read by _id (its
                    // one real index) — a read that finds nothing new costs the server what a check would
                    readChanges(liveIds());
                }
                baselined.countDown();
            } catch (MongoException | IllegalStateException unavailable) {
                LOG.warnf("Reading agent changes failed (%s); retrying", unavailable.getMessage());
            } catch (RuntimeException unexpected) {
                LOG.error("Reading agent changes failed; retrying", unexpected);
            }
            try {
                doorbell.awaitRingAfter(seen, watcher != null ? poll : FAST_POLL);
            } catch (InterruptedException interrupted) {
                return;
            }
        }
    }

    private List<ObjectId> liveIds() {
        synchronized (lock) {
            return agents.entrySet().stream()
                    .filter(entry -> entry.getValue().status != null && entry.getValue().status.isLive())
                    .map(Map.Entry::getKey).toList();
        }
    }

    /** What changed since the cursor: agents still live, or written since (a little before) it. */
    private List<AgentSession> candidates() {
        Instant since = cursor.minus(OVERLAP);
        return documents.agentSessions()
                .find(or(in("status", AgentService.LIVE), gte("updatedAt", since)))
                .projection(Projections.include("_id", "updatedAt"))
                .sort(Sorts.ascending("_id"))
                .into(new ArrayList<>());
    }

    /**
     * Reads the agents and broadcasts what is new. Each agent is one read — its status, history and the log entries
     * past what was broadcast — so the entries and statuses it shows are one moment of the document: an entry written
     * before a status change is in the same read as the change or an earlier one, never a later one.
     */
    private void readChanges(List<ObjectId> ids) {
        for (ObjectId id : ids) {
            int known;
            synchronized (lock) {
                Known agent = agents.get(id);
                known = agent == null ? 0 : agent.count;
            }
            try {
                AgentSession state = documents.agentSessions().find(eq("_id", id))
                        .projection(Projections.fields(READ, Projections.slice("outputLog", known, MAX_READ)))
                        .first();
                if (state != null) {
                    synchronized (lock) {
                        apply(state, known, state.outputLog == null ? List.of() : state.outputLog);
                        flush();
                    }
                }
            } catch (MongoException | IllegalStateException | BSONException unreadable) {
                // one agent that cannot be read must not stop the feed for the others
                LOG.warnf("Cannot read agent %s for the live feed (%s); retrying", id, unreadable.getMessage());
            }
        }
    }

    /**
     * Under the lock: broadcasts the entries past what was sent and every status the agent's history gained since the
     * last pass (so two changes between reads are both shown), merged in the order they were written — an entry
     * before a status change when its timestamp is earlier, or equal and of another phase (the runner stamps both from
     * one clock, to the millisecond, and tags each entry with the status it was written under) — then the current
     * status if it still differs (for writers that set the status without recording it in the history).
     */
    private void apply(AgentSession agent, int from, List<OutputEntry> entries) {
        ObjectId id = agent.id;
        Known known = agents.get(id);
        List<AgentStatusChange> history = agent.statusHistory == null ? List.of() : agent.statusHistory;
        if (known == null) {
            known = new Known(agent.issueId);
            agents.put(id, known);
            if (agent.createdAt != null && agent.createdAt.isBefore(startedAt)) {
                // an agent from before this api started: its past statuses are history, not news
                known.historyCount = history.size();
                if (agent.status != null && !agent.status.isLive()) {
                    // it ended before, and was written again (say, its cost): nothing new to show live, so its
                    // old log is not replayed
                    known.status = agent.status;
                    known.count = from + entries.size();
                    return;
                }
            }
        } else if (known.count != from) {
            return; // another pass got here first; the next pass continues from its count
        }
        known.startedAt = agent.startedAt;
        known.createdAt = agent.createdAt;
        known.costUsd = agent.costUsd;
        if (agent.issueTitle != null) {
            known.issueTitle = agent.issueTitle;
        }
        if (history.size() < known.historyCount) {
            known.historyCount = history.size(); // the history was rewritten; follow it from its new end
        }
        int sent = 0;
        for (int i = known.historyCount; i < history.size(); i++) {
            AgentStatusChange change = history.get(i);
            while (sent < entries.size() && writtenBefore(entries.get(sent), change)) {
                output(id, known, entries.get(sent++));
            }
            known.historyCount = i + 1;
            if (change.status != null && change.status != known.status) {
                boolean last = i == history.size() - 1 && change.status == agent.status;
                changeStatus(agent, known, change.status, last);
            }
        }
        while (sent < entries.size()) {
            output(id, known, entries.get(sent++));
        }
        if (agent.status != known.status) {
            changeStatus(agent, known, agent.status, true);
        }
    }

    /** Whether the entry was written before the status change; without times, entries first (as they were read). */
    static boolean writtenBefore(OutputEntry entry, AgentStatusChange change) {
        if (entry.timestamp == null || change.at == null) {
            return true;
        }
        int order = entry.timestamp.compareTo(change.at);
        return order < 0 || order == 0 && (change.status == null || !change.status.name().equals(entry.phase));
    }

    private void output(ObjectId id, Known known, OutputEntry entry) {
        AgentEvent.Output output = new AgentEvent.Output(id.toHexString(), known.count, entry.timestamp, entry.phase,
                entry.content);
        known.count++;
        known.recent.addLast(output);
        if (known.recent.size() > RECENT) {
            known.recent.removeFirst();
        }
        broadcast(write(output));
    }

    private void changeStatus(AgentSession agent, Known known, AgentStatus status, boolean current) {
        AgentStatus previous = known.status;
        known.status = status;
        if (status != null && !status.isLive()) {
            known.recent.clear(); // ended agents are not in snapshots; keep the map small
        }
        // an intermediate status from the history carries no error or PR: those belong to the current one
        broadcast(write(new AgentEvent.Status(agent.id.toHexString(), hex(agent.issueId), name(status),
                name(previous), known.count, current ? agent.error : null, current ? agent.prUrl : null)));
    }

    /** Under the lock: a message for every client, sent with the others of this pass by {@link #flush()}. */
    private void broadcast(String message) {
        outbox.add(message);
    }

    /** Under the lock: what this pass broadcast, to every client in one go. */
    private void flush() {
        if (outbox.isEmpty()) {
            return;
        }
        List<String> messages = List.copyOf(outbox);
        outbox.clear();
        for (Client client : clients.values()) {
            client.send(messages);
        }
    }

    private static AgentEvent.AgentSummary summary(ObjectId id, Known known) {
        return new AgentEvent.AgentSummary(id.toHexString(), hex(known.issueId), name(known.status), known.issueTitle,
                known.startedAt, known.createdAt, known.costUsd, known.count, List.copyOf(known.recent));
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String hex(ObjectId id) {
        return id == null ? null : id.toHexString();
    }

    private static String name(AgentStatus status) {
        return status == null ? null : status.name();
    }
}
