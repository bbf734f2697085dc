package io.truffles.api.live;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;

/** {@code /ws/agents}: open to everyone, as the seed says; a snapshot on connect, then every change. */
@WebSocket(path = "/ws/agents")
public class AgentSocket {
    private final AgentFeed feed;

    AgentSocket(AgentFeed feed) {
        this.feed = feed;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        feed.subscribe(connection);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        feed.unsubscribe(connection);
    }
}
