package io.truffles.api.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.truffles.api.ApiConfig;
import io.truffles.core.documents.AgentSession;
import io.truffles.core.mongo.Documents;
import io.truffles.core.mongo.MongoServerKind;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Follows agentSessions and broadcasts every status change and output entry to the WebSocket clients. Its parts: the
 * {@link AgentChangeReader} reads what changed, {@link AgentCursors} hold how far each agent was broadcast (the log's
 * length is each agent's sequence, so entries go out in order, once), the {@link AgentTimeline} merges log entries
 * and statuses in the order they were written, each {@link FeedClient} holds its own back-pressure, and
 * {@link FeedMessages} writes the JSON. Here: the lock that keeps a snapshot and the broadcasts after it apart.
 */
@Singleton
public class AgentFeed implements AgentChangeReader.Feed {
    private static final Logger LOG = Logger.getLogger(AgentFeed.class);

    private final Documents documents;
    private final FeedMessages messages;
    private final Duration poll;
    private final int maxPending;
    /** Guards the cursors and {@link #clients}: a snapshot and the broadcasts after it are never interleaved. */
    private final Object lock = new Object();
    private final AgentCursors cursors = new AgentCursors();
    private final Map<String, FeedClient> clients = new LinkedHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    /** {@code truffles_ws_dropped_clients_total}: clients closed for falling too far behind. */
    private final Counter droppedClients;
    private final CountDownLatch baselined = new CountDownLatch(1);
    private final Clock clock;
    private AgentTimeline timeline;
    private AgentChangeReader reader;

    AgentFeed(Documents documents, ObjectMapper json, ApiConfig config, MeterRegistry metrics, Clock clock) {
        this.documents = documents;
        this.clock = clock;
        this.messages = new FeedMessages(json);
        this.poll = config.feedPoll();
        this.maxPending = config.maxPendingMessages();
        metrics.gauge("truffles.ws.clients", connected);
        this.droppedClients = Counter.builder("truffles.ws.dropped.clients")
                .description("WebSocket clients closed because too many messages to them were unsent")
                .register(metrics);
    }

    void start(@Observes StartupEvent started) {
        // agents that ended before this start are history: only live ones and ones written from now on are followed
        Instant startedAt = clock.instant();
        timeline = new AgentTimeline(cursors, messages, startedAt);
        boolean changeStream = MongoServerKind.followsChangeStreams(documents.database());
        LOG.infof("Live agent feed: %s", changeStream ? "change stream as doorbell, poll every " + poll
                : "embedded server, looking every " + AgentChangeReader.FAST_POLL.toMillis() + " ms");
        reader = new AgentChangeReader(documents, poll, changeStream, startedAt, this, clock);
        reader.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (reader != null) {
            reader.stop();
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
            Context context = Vertx.currentContext();
            FeedClient client = new FeedClient(connection,
                    context != null && context.isEventLoopContext() ? context : null, maxPending, droppedClients);
            client.send(List.of(messages.write(cursors.snapshot())));
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

    @Override
    public int count(ObjectId agent) {
        synchronized (lock) {
            return cursors.count(agent);
        }
    }

    @Override
    public List<ObjectId> liveIds() {
        synchronized (lock) {
            return cursors.liveIds();
        }
    }

    /** The agent's news, to every client in one go. */
    @Override
    public void read(AgentSession agent, int from) {
        synchronized (lock) {
            List<String> news = new ArrayList<>();
            timeline.apply(agent, from, agent.outputLog == null ? List.of() : agent.outputLog, news::add);
            if (news.isEmpty()) {
                return;
            }
            for (FeedClient client : clients.values()) {
                client.send(news);
            }
        }
    }

    @Override
    public void vanished(ObjectId agent) {
        synchronized (lock) {
            cursors.remove(agent);
        }
    }

    @Override
    public void baselined() {
        baselined.countDown();
    }
}
