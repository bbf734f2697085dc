package io.truffles.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A dashboard's view of {@code /ws/agents}: every message of every connection, in the order it arrived, each tagged
 * with the connection it came on. When the api dies the connection ends; {@link #reconnectIfClosed} opens a new one
 * (which starts with a fresh snapshot), as the dashboard does.
 */
final class AgentFeedClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One message and the connection (0, 1, ...) it arrived on, and when. */
    record Message(int connection, Instant at, JsonNode body) {
        String type() {
            return body.path("type").asText();
        }
    }

    private final URI uri;
    private final List<Message> messages = new ArrayList<>();
    private final List<Instant> closedAt = new ArrayList<>();
    private volatile WebSocket socket;
    private volatile CompletableFuture<Void> closed = CompletableFuture.completedFuture(null);
    private int connections;

    AgentFeedClient(String api) {
        this.uri = URI.create(api.replaceFirst("^http", "ws") + "/ws/agents");
    }

    /** Opens a connection if none is open; false when the api does not answer (yet). */
    synchronized boolean reconnectIfClosed() {
        if (!closed.isDone()) {
            return true;
        }
        int connection = connections;
        CompletableFuture<Void> ended = new CompletableFuture<>();
        try {
            socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(2))
                    .buildAsync(uri, new Listener(connection, ended)).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException refused) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        connections++;
        closed = ended;
        return true;
    }

    synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    synchronized int connections() {
        return connections;
    }

    /** When connection {@code connection} ended, or null while it is open. */
    synchronized Instant closedAt(int connection) {
        return connection < closedAt.size() ? closedAt.get(connection) : null;
    }

    private synchronized void add(int connection, JsonNode body) {
        messages.add(new Message(connection, Instant.now(), body));
    }

    private synchronized void ended(int connection) {
        while (closedAt.size() <= connection) {
            closedAt.add(null);
        }
        if (closedAt.get(connection) == null) {
            closedAt.set(connection, Instant.now());
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final int connection;
        private final CompletableFuture<Void> ended;
        private final StringBuilder partial = new StringBuilder();

        Listener(int connection, CompletableFuture<Void> ended) {
            this.connection = connection;
            this.ended = ended;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    add(connection, JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON on /ws/agents: " + partial, e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(connection);
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(connection);
            ended.complete(null);
        }
    }

    @Override
    public void close() {
        WebSocket open = socket;
        if (open != null && !closed.isDone()) {
            open.abort();
        }
    }
}
