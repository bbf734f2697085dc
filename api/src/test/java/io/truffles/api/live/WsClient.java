package io.truffles.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A real WebSocket client (the JDK's) that keeps every message it receives, with its arrival time. */
public final class WsClient implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Received(JsonNode message, long arrivedNanos) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean reading;
    private WebSocket socket;
    public volatile Integer closeCode;
    public volatile String closeReason;
    /** The connection broke without a close frame (the server died). */
    public volatile boolean failed;
    private volatile Throwable error;

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    /** Connects; {@code reading=false} makes a client that reads nothing until {@link #startReading()}. */
    public static WsClient connect(HttpClient http, URI uri, boolean reading) throws Exception {
        WsClient client = new WsClient(reading);
        client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, client)
                .get(60, TimeUnit.SECONDS);
        return client;
    }

    public static URI wsUri(URI http) {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(Long.MAX_VALUE);
        }
    }

    public void startReading() {
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            try {
                received.add(new Received(JSON.readTree(partial.toString()), now));
            } catch (Exception malformed) {
                throw new IllegalStateException("Not JSON: " + partial, malformed);
            }
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closeReason = reason;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        this.error = error;
        failed = true;
    }

    public List<JsonNode> messages(String type, String agentId) {
        return received.stream().map(Received::message)
                .filter(message -> message.path("type").asText().equals(type))
                .filter(message -> agentId == null || message.path("agentId").asText().equals(agentId))
                .toList();
    }

    /** Every message about one agent (status and output), in the order they arrived. */
    public List<JsonNode> messagesOf(String agentId) {
        return received.stream().map(Received::message)
                .filter(message -> message.path("agentId").asText().equals(agentId))
                .toList();
    }

    /** What this client got and how its connection stands, for a failed wait's message. */
    @Override
    public String toString() {
        return received.size() + " message(s) " + received.stream().map(Received::message)
                .collect(Collectors.groupingBy(message -> message.path("type").asText(), TreeMap::new,
                        Collectors.counting()))
                + (closeCode == null ? "" : ", closed " + closeCode + " " + closeReason)
                + (failed ? ", failed: " + error : "");
    }

    public void close() {
        socket.abort();
    }
}
