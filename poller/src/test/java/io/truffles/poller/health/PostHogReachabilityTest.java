package io.truffles.poller.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class PostHogReachabilityTest {

    @Test
    void withAKeyAnUnreachableHostIsDownNamingPostHogHost() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        HealthCheckResponse health = new PostHogReachability(true, URI.create("http://127.0.0.1:" + closed),
                Clock.systemUTC()).call();

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(health.getData().orElseThrow().get("error").toString())
                .contains("cannot be reached", "POSTHOG_HOST");
    }

    @Test
    void withAKeyAHostThatAnswersIsUpAndWithoutAKeyNothingIsAsked() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            URI host = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            assertThat(new PostHogReachability(true, host, Clock.systemUTC()).call().getStatus())
                    .isEqualTo(HealthCheckResponse.Status.UP);
        } finally {
            server.stop(0);
        }
        HealthCheckResponse noKey = new PostHogReachability(false, URI.create("http://127.0.0.1:1"), Clock.systemUTC())
                .call();
        assertThat(noKey.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
