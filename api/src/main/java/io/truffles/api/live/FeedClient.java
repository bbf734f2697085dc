package io.truffles.api.live;

import io.micrometer.core.instrument.Counter;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One WebSocket client and its back-pressure: messages not yet written are counted, and a client that falls more than
 * {@code maxPending} behind is closed (it reconnects for a fresh snapshot) rather than held in memory.
 */
final class FeedClient {
    private static final Logger LOG = Logger.getLogger(FeedClient.class);
    private static final CloseReason TOO_SLOW = new CloseReason(1008,
            "Too slow: fell too far behind the live feed; reconnect for a fresh snapshot");

    private final WebSocketConnection connection;
    /** The connection's event loop: writes made on it go straight to the socket, with no hand-over each. */
    private final Context eventLoop;
    private final int maxPending;
    /** {@code truffles_ws_dropped_clients_total}. */
    private final Counter dropped;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;

    FeedClient(WebSocketConnection connection, Context eventLoop, int maxPending, Counter dropped) {
        this.connection = connection;
        this.eventLoop = eventLoop;
        this.maxPending = maxPending;
        this.dropped = dropped;
    }

    /**
     * Queues the messages in order, as one task on the connection's event loop: a hand-over to another thread costs
     * more than the write itself, and a pass of the feed may have many messages for 200 clients.
     */
    void send(List<String> messages) {
        if (closed) {
            return;
        }
        if (pending.addAndGet(messages.size()) > maxPending) {
            closed = true;
            dropped.increment();
            LOG.infof("Dropping WebSocket client %s: %d messages unsent", connection.id(), pending.get());
            connection.close(TOO_SLOW).subscribe().with(done -> { }, failed -> { });
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
