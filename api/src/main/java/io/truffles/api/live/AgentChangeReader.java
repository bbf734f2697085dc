package io.truffles.api.live;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.MongoException;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.truffles.api.agents.AgentService;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.mongo.Documents;
import io.truffles.core.queue.CollectionWatcher;
import io.truffles.core.queue.Doorbell;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bson.BSONException;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * The change reader: one thread that reads from MongoDB what changed in agentSessions since it last looked — agents
 * still live, or written since its {@code updatedAt} cursor — and hands each agent's state, with only the log entries
 * past the feed's count, to the feed. The change stream (when there is one) only rings its doorbell.
 */
final class AgentChangeReader {
    private static final Logger LOG = Logger.getLogger(AgentChangeReader.class);
    /** Writers' clocks and in-flight writes: re-read a little before the cursor; the known counts dedupe. */
    private static final Duration OVERLAP = Duration.ofSeconds(5);
    /** How often the feed looks at agentSessions on the embedded server, where it has no doorbell. */
    static final Duration FAST_POLL = Duration.ofMillis(20);
    /** Log entries read per agent per pass (skip + limit must not overflow on the embedded server). */
    private static final int MAX_READ = 100_000;
    /** What the feed reads of an agent beside the slice of its log (MongoDB 4.4+ and the embedded server take both). */
    private static final Bson READ = Projections.include("_id", "issueId", "status", "statusHistory", "issueTitle",
            "createdAt", "startedAt", "costUsd", "error", "prUrl");

    /** Where what was read goes: the feed, which knows how far each agent was broadcast. */
    interface Feed {
        /** Log entries of the agent already broadcast. */
        int count(ObjectId agent);

        /** The agents the feed shows as queued or working. */
        List<ObjectId> liveIds();

        /** One read of an agent, its log from {@code from} on. */
        void read(AgentSession agent, int from);

        /** The agent's document is gone (deleted by hand): it is no longer followed nor shown as live. */
        void vanished(ObjectId agent);

        /** A first pass is done: the feed knows what was live at start. */
        void baselined();
    }

    private final Documents documents;
    private final Duration poll;
    private final Feed feed;
    private final Doorbell doorbell = new Doorbell();
    private final CollectionWatcher watcher;
    private final Thread thread;
    private volatile boolean running;
    /** Agents written since this (less {@link #OVERLAP}) are re-read; only a full pass moves it. */
    private Instant cursor;

    /**
     * @param changeStream whether the server has change streams worth following; on the embedded server a
     *                     change-stream poll scans the whole oplog (every write since it started, so it gets slower
     *                     all day) while a look at agentSessions scans only the agents: there the reader looks every
     *                     {@link #FAST_POLL} and reads the agents' logs only when an agent's updatedAt moved (or
     *                     every poll, as a net)
     */
    AgentChangeReader(Documents documents, Duration poll, boolean changeStream, Instant since, Feed feed,
            Clock clock) {
        this.documents = documents;
        this.poll = poll;
        this.feed = feed;
        this.cursor = since;
        this.watcher = changeStream ? new CollectionWatcher(documents.agentSessions(), doorbell, clock) : null;
        this.thread = new Thread(this::follow, "agent-feed");
        this.thread.setDaemon(true);
    }

    void start() {
        running = true;
        if (watcher != null) {
            watcher.start();
        }
        thread.start();
    }

    void stop() {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        thread.interrupt();
    }

    private void follow() {
        // the poll is a duration between passes: measured on the monotonic clock
        long lastFullPass = System.nanoTime() - poll.toNanos();
        long lastRing = doorbell.generation();
        long lastCount = -1;
        while (running) {
            long seen = doorbell.generation();
            try {
                long at = System.nanoTime();
                // on the embedded server the count is the collection's size (no scan): a new agent changes it
                long count = watcher == null ? documents.agentSessions().estimatedDocumentCount() : -1;
                if (watcher != null || seen != lastRing || count != lastCount || at - lastFullPass >= poll.toNanos()) {
                    // a ring, or the poll: every agent live or written lately (on the embedded server a scan)
                    List<AgentSession> candidates = candidates();
                    // and the agents shown live that the query no longer finds: deleted, so read once to let go
                    Set<ObjectId> ids = new LinkedHashSet<>();
                    candidates.forEach(candidate -> ids.add(candidate.id));
                    ids.addAll(feed.liveIds());
                    readChanges(List.copyOf(ids));
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
                    readChanges(feed.liveIds());
                }
                feed.baselined();
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
     * Each agent is one read — its status, history and the log entries past what was broadcast — so the entries and
     * statuses it shows are one moment of the document: an entry written before a status change is in the same read
     * as the change or an earlier one, never a later one.
     */
    private void readChanges(List<ObjectId> ids) {
        for (ObjectId id : ids) {
            int known = feed.count(id);
            try {
                // the slice only where there is a log: the embedded server fails the read (and drops the
                // connection, which clears the driver's pool for everyone) on a $slice of a missing field
                AgentSession state = documents.agentSessions().find(and(eq("_id", id), exists("outputLog")))
                        .projection(Projections.fields(READ, Projections.slice("outputLog", known, MAX_READ)))
                        .first();
                if (state == null) {
                    state = documents.agentSessions().find(eq("_id", id)).projection(READ).first();
                }
                if (state != null) {
                    feed.read(state, known);
                } else {
                    feed.vanished(id);
                }
            } catch (MongoException | IllegalStateException | BSONException unreadable) {
                // one agent that cannot be read must not stop the feed for the others
                LOG.warnf("Cannot read agent %s for the live feed (%s); retrying", id, unreadable.getMessage());
            }
        }
    }
}
